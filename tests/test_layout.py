"""Finding the table in a sheet: header rows below a title, merged group headers, moments."""
from __future__ import annotations

import datetime as dt

from gezinsmonitor import layout
from gezinsmonitor.layout import SheetGrid, moment_of, read_table, signature


def test_header_below_title_and_blank_line():
    rows = [["Gezinnen 2024", "", ""], ["", "", ""], ["Dossiernummer", "Datum aanmelding", "Hulpvragen"],
            ["BK-1", dt.datetime(2024, 2, 3), "schulden, eenzaam"], ["", "", ""], ["BK-2", "3-2-2024", "taalles"]]
    t = read_table(SheetGrid("2024", rows))
    assert t.header_row == 3 and t.group_row is None
    assert [c.header for c in t.columns] == ["Dossiernummer", "Datum aanmelding", "Hulpvragen"]
    assert list(t.data[layout.ROW]) == [4, 6]  # blank row dropped, Excel row numbers kept
    assert t.values(2).tolist() == ["schulden, eenzaam", "taalles"]


def test_merged_group_header_above_sub_headers():
    rows = [["Gezin", "", "Financiën", "", "Wonen"],
            ["Code", "Start", "Schulden", "Spullen/tekorten", "Wonen/huisvesting"],
            ["HA-1", dt.datetime(2024, 1, 5), "x", "", "ja"]]
    merged = (((0, 0), (0, 1)), ((0, 2), (0, 3)))
    t = read_table(SheetGrid("Gezinnen", rows, merged))
    assert t.header_row == 2 and t.group_row == 1
    by_index = {c.index: c for c in t.columns}
    assert by_index[3].group == "Financiën" and by_index[3].sub == "Spullen/tekorten"
    assert by_index[3].header == "Financiën / Spullen/tekorten"
    assert by_index[0].group == "Gezin" and by_index[0].sub == "Code"
    assert by_index[4].header == "Wonen / Wonen/huisvesting"


def test_title_merged_over_the_whole_width_is_not_a_group():
    rows = [["Registratie", "", ""], ["Gezin", "Start traject", "Wijk"], ["G1", "1-1-2024", "Noord"]]
    t = read_table(SheetGrid("Blad1", rows, (((0, 0), (0, 2)),)))
    assert t.group_row is None and [c.header for c in t.columns] == ["Gezin", "Start traject", "Wijk"]


def test_moments_in_sheet_names_and_headers():
    assert moment_of("ZRM T1", in_header=False)[0] == "T1"
    assert moment_of("Nulmeting", in_header=False)[0] == "start"
    assert moment_of("Gesprekken (start)") == ("start", "gesprekken")
    assert moment_of("Maatje (nu)") == ("later", "maatje")
    assert moment_of("T3") == ("T3", "")
    assert moment_of("Start traject")[0] is None  # a start date, not a moment
    t = read_table(SheetGrid("ZRM T2", [["Gezin", "Huisvesting"], ["W1", 3]]))
    assert t.moment == "T2" and t.columns[1].moment == "T2"
    assert layout.moment_rank("T0") < layout.moment_rank("T1") < layout.moment_rank("later")


def test_no_header_means_no_table():
    assert read_table(SheetGrid("Leeg", [["", ""], ["", ""]])) is None
    assert read_table(SheetGrid("Notities", [["alleen een zin"], [""]])) is None


def test_signature_ignores_year_in_sheet_names_but_not_headers():
    a = read_table(SheetGrid("2024", [["Dossiernummer", "Hulpvragen"], ["1", "x"]]))
    b = read_table(SheetGrid("2025", [["Dossiernummer", "Hulpvragen"], ["2", "y"]]))
    c = read_table(SheetGrid("2025", [["Dossiernummer", "Vragen"], ["2", "y"]]))
    assert signature([a]) == signature([b]) != signature([c])
