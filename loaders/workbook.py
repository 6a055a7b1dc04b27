"""Open an uploaded spreadsheet safely and read its sheets as cell grids (python-calamine).

Shared by both paths: the registratieformat (`registratieformat.py`) and an organisation's own
layout (`read_grids`). Anything unreadable or suspicious becomes a Dutch refusal, never an exception,
and is refused before any parser sees it:

- the size limit (config.MAX_UPLOAD_MB) before the file is even read;
- the type by content, never by name: xlsx/xlsm/xlsb, ods, legacy xls (BIFF in an OLE2 container),
  CSV text; PDF, images, HTML, Word documents, encrypted packages and plain zip archives are refused;
- zip containers: member count, declared and real uncompressed size and compression ratio, measured
  by streaming every member with a bounded buffer (a header that lies about its size is caught);
- XML parts: a DOCTYPE or ENTITY declaration (never written by Excel or LibreOffice) is refused, so
  entity expansion (billion laughs) and external entities (XXE) never reach a parser. Calamine's XML
  reader (quick-xml) does not expand entities anyway: an unknown `&name;` is an error there;
- the cell range a sheet would occupy (xlsx cell references, ods repeated rows and columns, xls
  cell records), because the reader materialises a sheet's whole range.

Calamine reads formulas as the value Excel stored with them and never evaluates them, and it has
no VBA engine: the macros of an .xlsm are never run, only the stored cell values are read.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from python_calamine import CalamineWorkbook, SheetVisibleEnum

from gezinsmonitor import config
from gezinsmonitor import registratieformat as rf
from gezinsmonitor import taxonomy as tx
from gezinsmonitor.layout import SheetGrid
from gezinsmonitor.report import Report

ProgressCallback = Callable[[float, str], None]
XLSX_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
# The reader materialises a sheet's whole used range: one stray cell in column XFD of a 5 KB file
# would take gigabytes. All limits are far above a real registration (20,000 families ≈ 1M cells).
MAX_SHEET_CELLS = 5_000_000
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_ZIP_MEMBERS = 5_000
# Real sheet XML compresses about 5-30:1; zeros or one repeated tag compress 1000:1.
MAX_RATIO = 100
RATIO_FROM_BYTES = 5 * 1024 * 1024
CSV_SHEET_NAME = "Blad1"  # constant, not the file name: a profile must match next month's file too
CHUNK = 1024 * 1024
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d{1,7})"')
_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})')
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}(\d{1,7})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d{1,7})"')
_NO_CACHED_VALUE = re.compile(rb"</(?:\w+:)?f>\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
                              rb"|<(?:\w+:)?f\b[^>]*/>\s*</(?:\w+:)?c>")
_DECLARATIONS = tuple(marker.encode(enc) for marker in ("<!DOCTYPE", "<!ENTITY")
                      for enc in ("ascii", "utf-16-le", "utf-16-be"))
_ODS_TOKEN = re.compile(rb"<table:table(?=[\s>])|</table:table>|<table:table-row(?=[\s/>])([^>]*?)(/?)>"
                        rb"|</table:table-row>|<table:(?:covered-)?table-cell(?=[\s/>])([^>]*?)(/?)>")
_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="(\d+)"')
_COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated="(\d+)"')

# -- the Dutch messages: what is wrong, and what to do ---------------------------------------------
RESAVE = "Open het bestand in Excel en kies Bestand > Opslaan als > 'Excel-werkmap (*.xlsx)'; upload dat bestand."
COPY_DATA = ("Kopieer alleen de gegevens naar een nieuwe, lege werkmap, sla die op als 'Excel-werkmap (*.xlsx)' en "
             "upload die. Komt het bestand van buiten uw organisatie, vraag de afzender dan om een nieuwe versie.")
PASSWORD = ("Dit bestand is beveiligd met een wachtwoord en kan daardoor niet worden gelezen.",
            "Verwijder het wachtwoord in Excel via Bestand > Info > Werkmap beveiligen > Versleutelen met "
            "wachtwoord: maak het wachtwoordveld leeg, klik OK, sla het bestand op en upload het opnieuw.")
EMPTY = ("Het bestand is leeg (0 bytes).",
         "Kies het goede bestand. Was het een download of bijlage, sla het dan opnieuw op en upload het nog eens.")
TRUNCATED = ("Het bestand is onvolledig of beschadigd: het is afgebroken tijdens het opslaan, kopiëren of downloaden.",
             "Haal het bestand opnieuw op (opnieuw downloaden of kopiëren), controleer of het in Excel opent, "
             "sla het op en upload het nog eens.")
NOT_SPREADSHEET = ("Dit bestand is geen spreadsheet: de inhoud is niet herkend als Excel-werkmap, OpenDocument-"
                   "rekenblad of CSV-bestand.",
                   "Upload een Excel-werkmap (.xlsx), of sla uw registratie in Excel op als 'Excel-werkmap (*.xlsx)' "
                   "of als 'CSV (gescheiden door lijstscheidingsteken)'.")
PDF = ("Dit bestand is een PDF-document, geen spreadsheet. Uit een PDF kunnen geen gegevens worden gelezen.",
       "Upload het Excel-bestand waaruit de PDF is gemaakt (.xlsx), of een CSV-export van uw registratie.")
IMAGE = ("Dit bestand is een afbeelding (bijvoorbeeld een schermafdruk), geen spreadsheet.",
         "Upload de registratie zelf: het Excel-bestand (.xlsx) of een CSV-export.")
HTML = ("Dit bestand is een webpagina (HTML), ook al heeft het de naam van een Excel-bestand. Sommige programma's "
        "exporteren zo een tabel als '.xls'.", RESAVE)
XML = ("Dit bestand is een XML-bestand, geen Excel-werkmap (bijvoorbeeld 'XML-spreadsheet 2003').", RESAVE)
NO_COLUMNS = ("Dit is een tekstbestand zonder herkenbare kolommen.",
              "Upload een Excel-werkmap (.xlsx), of een CSV-bestand waarin de kolommen gescheiden zijn door "
              "puntkomma's (;) of komma's (,), met de kolomnamen in de eerste regel.")
BAD_CSV = ("Het CSV-bestand kan niet worden gelezen: een veld is onnatuurlijk lang of de aanhalingstekens "
           "sluiten niet.", "Open het bestand in Excel, controleer de gegevens en sla het op als "
                            "'Excel-werkmap (*.xlsx)'; upload dat bestand.")
ZIP_WITHOUT_WORKBOOK = ("Dit is een zip-archief (of een ander Office-document) zonder Excel-werkmap erin.",
                        "Pak het archief uit en upload de Excel-werkmap (.xlsx) zelf; een Word- of PowerPoint-"
                        "document kan niet worden ingelezen.")
OLE_NOT_WORKBOOK = ("Dit is een ouder Office-bestand, maar geen Excel-werkmap (bijvoorbeeld een Word-document).",
                    "Upload de registratie als Excel-werkmap (.xlsx) of als CSV-bestand.")
OLD_XLS = ("Dit oude Excel-bestand (.xls) kan niet worden gelezen.", RESAVE)
UNREADABLE = ("Het bestand kan niet worden gelezen: het is beschadigd of geen geldige werkmap.",
              "Open het in Excel; lukt dat, sla het dan opnieuw op als 'Excel-werkmap (*.xlsx)' en upload het nog eens.")
DECLARATIONS = ("Het bestand bevat XML-definities (DOCTYPE of ENTITY) die in een echte Excel-werkmap nooit voorkomen; "
                "het wordt uit voorzorg niet geopend.", COPY_DATA)
BOMB = ("Het bestand is uitgepakt veel te groot of onnatuurlijk sterk samengeperst; het wordt uit voorzorg niet "
        "geopend.", "Een registratie is uitgepakt hooguit enkele tientallen MB. " + COPY_DATA)
COMPRESSION = ("Het bestand gebruikt een onbekende compressie of versleuteling van onderdelen.", RESAVE)
NO_VISIBLE = ("Dit bestand heeft geen zichtbare bladen: verborgen bladen worden niet ingelezen.",
              "Maak in Excel het blad met de gegevens zichtbaar (rechtsklik op een bladtab > Zichtbaar maken), "
              "sla het bestand op en upload het opnieuw.")
WIDE = ("Verwijder lege rijen en kolommen achter de gegevens (selecteer ze, Verwijderen) of kopieer alleen de "
        "gegevens naar een nieuwe werkmap, en upload opnieuw.")
MACROS = ("Dit bestand bevat macro's. Die worden nooit uitgevoerd: alleen de opgeslagen waarden worden gelezen.",
          "Moet een macro nog iets berekenen, open het bestand dan in Excel, laat de macro lopen, sla op en upload "
          "het opnieuw. Anders hoeft u niets te doen.")
NO_CACHED = ("Dit bestand bevat formules zonder opgeslagen uitkomst; die cellen worden leeg gelezen (formules worden "
             "nooit uitgerekend).", "Open het bestand in Excel (dan worden de formules berekend), sla het op en upload "
                                    "het opnieuw.")


def too_large_message() -> tuple[str, str]:
    return (f"Dit bestand is groter dan {config.MAX_UPLOAD_MB} MB en wordt niet ingelezen.",
            "Verwijder overbodige bladen, afbeeldingen en oude jaren, of splits het bestand (bijvoorbeeld per jaar) "
            "en upload de delen apart.")


def _noop(fraction: float, text: str) -> None:
    pass


@dataclass
class OpenedWorkbook:
    file_name: str
    sha256: str
    workbook: CalamineWorkbook | None
    refusal: Report | None = None  # why the file cannot be read at all
    kind: str = ""  # xlsx, xlsm, xlsb, ods, xls or csv: what the content is, whatever the name says
    text_grid: SheetGrid | None = None  # a CSV file: its one sheet
    notes: Report = field(default_factory=Report)  # warnings about a readable file (macros, formulas)

    @property
    def is_registratieformat(self) -> bool:
        """Our own template: only the format's sheets, and Gezinnen's header has Gezin and Startdatum, or the
        format's instruction sheet without Gezinnen (so the user hears that Gezinnen is missing).
        A workbook with sheets of its own goes through the harmonisation, which reads any layout."""
        if self.workbook is None:
            return False
        names = {tx.normalise_label(n): n for n in self.workbook.sheet_names}
        known = {tx.normalise_label(s.name) for s in rf.SHEETS} | {tx.normalise_label(rf.INFO_SHEET), "lijsten"}
        if set(names) - known:
            return False
        families = names.get(tx.normalise_label(rf.SHEETS[0].name))
        if families is None:
            return tx.normalise_label(rf.INFO_SHEET) in names and len(names) > 1
        try:
            rows = self.workbook.get_sheet_by_name(families).to_python()[:15]
        except Exception:
            return False
        wanted = {tx.normalise_label(rf.FAMILY.header), tx.normalise_label("Startdatum")}
        return any(wanted <= {tx.normalise_label(str(v).replace("*", "")) for v in row} for row in rows)


class _Refused(Exception):
    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.message, self.fix = message, fix


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _refusal(message: str, fix: str) -> Report:
    report = Report()
    report.error(None, None, None, message, fix)
    return report


def _read_limited(source: str | Path | bytes | BinaryIO, limit: int) -> bytes | None:
    """The file's bytes, or None when it is larger than `limit` (a path is not even read then)."""
    if isinstance(source, (str, Path)):
        if Path(source).stat().st_size > limit:
            return None
        data = Path(source).read_bytes()
    elif isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        data = source.read(limit + 1)
    return None if len(data) > limit else data


# -- zip containers (xlsx, xlsm, xlsb, ods) ---------------------------------------------------------
def _member_chunks(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's uncompressed bytes in pieces of at most CHUNK, read from its raw compressed data: the true
    size shows, whatever the headers declare."""
    off = info.header_offset
    if data[off:off + 4] != b"PK\x03\x04":
        raise _Refused(*TRUNCATED)
    name_len, extra_len = struct.unpack("<HH", data[off + 26:off + 30])
    start = off + 30 + name_len + extra_len
    raw = memoryview(data)[start:start + info.compress_size]
    if len(raw) < info.compress_size:
        raise _Refused(*TRUNCATED)
    if info.flag_bits & 0x1:
        raise _Refused(*PASSWORD)
    if info.compress_type == zipfile.ZIP_STORED:
        for i in range(0, len(raw), CHUNK):
            yield bytes(raw[i:i + CHUNK])
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise _Refused(*COMPRESSION)
    inflater = zlib.decompressobj(-15)
    pos = 0
    try:
        while not inflater.eof:
            if inflater.unconsumed_tail:
                out = inflater.decompress(inflater.unconsumed_tail, CHUNK)
            elif pos < len(raw):
                out = inflater.decompress(raw[pos:pos + CHUNK], CHUNK)
                pos += CHUNK
            else:
                break
            if out:
                yield out
    except zlib.error:
        raise _Refused(*TRUNCATED) from None
    if not inflater.eof:
        raise _Refused(*TRUNCATED)


class _SheetExtent:
    """Rows and columns an xlsx sheet would occupy, from its cell references and declared dimension."""

    def __init__(self):
        self.rows = self.cols = 0
        self.first = True

    def feed(self, chunk: bytes) -> None:
        if self.first:
            self.first = False
            if (m := _DIMENSION.search(chunk[:4096])) and m.group(3):
                self.rows = max(self.rows, int(m.group(4)))
                self.cols = max(self.cols, _column_number(m.group(3)))
        # Excel, LibreOffice and openpyxl write r="…" as a cell's first attribute: two quick scans then; any
        # other spelling (a prefix, r later or missing) gets the thorough one.
        if b":c " not in chunk and chunk.count(b"<c ") == chunk.count(b'<c r="'):
            cols, rows = set(_CELL_COLUMN.findall(chunk)), set(_CELL_ROW.findall(chunk))
        else:
            refs = _CELL_REF.findall(chunk)
            cols, rows = {c for c, _ in refs}, {r for _, r in refs}
        if cols:
            self.cols = max(self.cols, max(map(_column_number, cols)))
        if rows:
            self.rows = max(self.rows, max(map(int, rows)))
        rows = _ROW_REF.findall(chunk)
        if rows:
            self.rows = max(self.rows, max(int(r) for r in rows))

    def check(self) -> None:
        if self.rows * self.cols > MAX_SHEET_CELLS:
            raise _Refused(f"Een blad beslaat een veel te groot bereik (tot rij {self.rows}, kolom {self.cols}).", WIDE)


class _OdsExtent:
    """Cells an OpenDocument table would occupy: repeated rows and columns multiply (calamine expands them)."""

    def __init__(self):
        self.table_rows = self.width = 0
        self.row_pos = self.col_pos = self.row_width = 0
        self.row_repeat = 1

    def feed(self, chunk: bytes) -> None:
        for m in _ODS_TOKEN.finditer(chunk):
            token = m.group(0)
            if token.startswith(b"<table:table-row"):
                rep = _ROWS_REPEATED.search(m.group(1) or b"")
                self.row_repeat, self.col_pos, self.row_width = (int(rep.group(1)) if rep else 1), 0, 0
                if m.group(2):  # an empty self-closed row
                    self.row_pos += self.row_repeat
            elif token == b"</table:table-row>":
                if self.row_width:
                    self.table_rows = self.row_pos + self.row_repeat
                    self.width = max(self.width, self.row_width)
                self.row_pos += self.row_repeat
                self.check()
            elif token.startswith(b"<table:table-cell") or token.startswith(b"<table:covered"):
                rep = _COLUMNS_REPEATED.search(m.group(3) or b"")
                self.col_pos += int(rep.group(1)) if rep else 1
                if not m.group(4) or b"office:value-type" in (m.group(3) or b""):
                    self.row_width = self.col_pos
            else:  # a table starts or ends
                self.check()
                self.table_rows = self.width = self.row_pos = 0

    def check(self) -> None:
        if self.table_rows * self.width > MAX_SHEET_CELLS:
            raise _Refused(f"Een blad beslaat een veel te groot bereik ({self.table_rows} rijen, {self.width} "
                           "kolommen door herhaalde cellen).", WIDE)


def _zip_kind(names: set[str], data: bytes, zf: zipfile.ZipFile) -> str:
    if "xl/workbook.xml" in names:
        return "xlsm" if "xl/vbaProject.bin" in names else "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "mimetype" in names and "content.xml" in names:
        info = zf.getinfo("mimetype")
        if info.file_size < 200 and b"".join(_member_chunks(data, info)).strip() == \
                b"application/vnd.oasis.opendocument.spreadsheet":
            return "ods"
    raise _Refused(*ZIP_WITHOUT_WORKBOOK)


def _inspect_zip(data: bytes, notes: Report) -> str:
    """The container's kind after every member was measured and every XML part scanned; raises _Refused."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, NotImplementedError, OSError, struct.error):
        raise _Refused(*TRUNCATED) from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise _Refused(f"Het bestand bestaat uit onnatuurlijk veel onderdelen ({len(infos)}); het wordt uit voorzorg "
                       "niet geopend.", COPY_DATA)
    declared = sum(i.file_size for i in infos)
    compressed = sum(i.compress_size for i in infos)
    if declared > MAX_UNCOMPRESSED_BYTES or (declared > RATIO_FROM_BYTES and declared > MAX_RATIO * max(compressed, 1)):
        raise _Refused(*BOMB)
    for info in infos:
        if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _Refused(*BOMB)
    kind = _zip_kind({i.filename for i in infos}, data, zf)
    total = 0
    no_cached = False
    for info in infos:
        name = info.filename.lower()
        is_xml = name.endswith((".xml", ".rels", ".vml"))
        extent = (_SheetExtent() if name.startswith("xl/worksheets/") and name.endswith(".xml")
                  else _OdsExtent() if name == "content.xml" and kind == "ods" else None)
        size, crc, tail = 0, 0, b""
        for chunk in _member_chunks(data, info):
            size += len(chunk)
            total += len(chunk)
            if size > info.file_size or total > MAX_UNCOMPRESSED_BYTES:
                raise _Refused(*BOMB)  # a header that understates the size
            crc = zlib.crc32(chunk, crc)
            if is_xml:
                window = tail + chunk
                if any(marker in window for marker in _DECLARATIONS):
                    raise _Refused(*DECLARATIONS)
                if extent is not None:
                    # Cut at the last tag end: a reference split between two chunks is seen whole in the next.
                    cut = window.rfind(b">") + 1
                    extent.feed(window[:cut])
                    if isinstance(extent, _SheetExtent) and not no_cached and b"<f" in window:
                        no_cached = _NO_CACHED_VALUE.search(window[:cut]) is not None
                    tail = window[cut:][-4096:]
                else:
                    tail = window[-64:]
        if extent is not None:
            extent.check()
        if size != info.file_size or crc != info.CRC:
            raise _Refused(*TRUNCATED)
    if kind == "xlsm":
        notes.warning(None, None, None, *MACROS)
    if no_cached:
        notes.warning(None, None, None, *NO_CACHED)
    return kind


# -- OLE2 containers (legacy xls, encrypted xlsx) ---------------------------------------------------
def _ole_streams(data: bytes) -> tuple[dict[str, tuple[int, int]], Callable[[int, int], bytes]]:
    """The stream names of a compound file ({name: (start sector, size)}) and a reader for a stream."""
    if len(data) < 512:
        raise _Refused(*TRUNCATED)
    sector_shift, mini_shift = struct.unpack("<HH", data[30:34])
    if sector_shift not in (9, 12):
        raise _Refused(*UNREADABLE)
    size = 1 << sector_shift
    n_fat, first_dir = struct.unpack("<II", data[44:52])
    cutoff, first_minifat, _n_minifat, first_difat, n_difat = struct.unpack("<IIIII", data[56:76])
    n_sectors = max(0, (len(data) - size) // size)
    difat = list(struct.unpack("<109I", data[76:512]))
    sector = first_difat
    for _ in range(min(n_difat, n_sectors)):
        if sector >= n_sectors:
            break
        block = struct.unpack(f"<{size // 4}I", data[size * (sector + 1):size * (sector + 2)])
        difat += list(block[:-1])
        sector = block[-1]
    fat: list[int] = []
    for s in difat[:n_fat]:
        if s < n_sectors:
            fat += struct.unpack(f"<{size // 4}I", data[size * (s + 1):size * (s + 2)])

    def chain(start: int) -> Iterator[int]:
        seen = 0
        while start < min(len(fat), n_sectors) and seen <= n_sectors:  # a loop in the chain ends too
            yield start
            start, seen = fat[start], seen + 1

    def read(start: int, length: int) -> bytes:
        out = b"".join(data[size * (s + 1):size * (s + 2)] for s in chain(start))
        return out[:length]

    directory = read(first_dir, len(data))
    streams: dict[str, tuple[int, int]] = {}
    root = None
    for i in range(0, len(directory) - 127, 128):
        entry = directory[i:i + 128]
        name_len = struct.unpack("<H", entry[64:66])[0]
        kind = entry[66]
        name = entry[:max(0, min(name_len, 64) - 2)].decode("utf-16-le", "replace")
        start, length = struct.unpack("<IQ", entry[116:128])
        if kind == 5:
            root = (start, length)
        elif kind == 2:
            streams[name] = (start, length)

    def read_stream(start: int, length: int) -> bytes:
        if length >= cutoff or root is None:
            return read(start, length)
        # Small streams live in the mini stream (inside the root entry's chain), 64-byte sectors.
        mini = read(root[0], root[1])
        minifat_raw = read(first_minifat, len(data))
        minifat = struct.unpack(f"<{len(minifat_raw) // 4}I", minifat_raw[:len(minifat_raw) // 4 * 4])
        msize = 1 << mini_shift
        out, s, seen = [], start, 0
        while s < len(minifat) and seen <= len(minifat):
            out.append(mini[s * msize:(s + 1) * msize])
            s, seen = minifat[s], seen + 1
        return b"".join(out)[:length]

    return streams, read_stream


_BIFF_CELLS = {0x00FD, 0x0203, 0x027E, 0x0204, 0x0006, 0x0205, 0x00D6}  # label(sst), number, rk, label, formula…
_BIFF_MULRK = 0x00BD


def _check_biff(stream: bytes) -> None:
    """Refuse a BIFF workbook that is password-protected or whose sheets would span too many cells."""
    pos, depth, rows, cols = 0, 0, 0, 0
    while pos + 4 <= len(stream):
        rtype, length = struct.unpack("<HH", stream[pos:pos + 4])
        body = stream[pos + 4:pos + 4 + length]
        pos += 4 + length
        if rtype == 0x0809:  # BOF
            depth, rows, cols = depth + 1, 0, 0
        elif rtype == 0x000A:  # EOF
            depth -= 1
            if rows * cols > MAX_SHEET_CELLS:
                raise _Refused(f"Een blad beslaat een veel te groot bereik (tot rij {rows}, kolom {cols}).", WIDE)
        elif rtype == 0x002F and depth == 1:  # FILEPASS in the globals: encrypted
            raise _Refused(*PASSWORD)
        elif (rtype in _BIFF_CELLS or rtype == _BIFF_MULRK) and len(body) >= 4:
            row, col = struct.unpack("<HH", body[:4])
            if rtype == _BIFF_MULRK and len(body) >= 6:
                col = struct.unpack("<H", body[-2:])[0]  # the last column of the run
            rows, cols = max(rows, row + 1), max(cols, col + 1)


def _inspect_ole(data: bytes) -> str:
    try:
        streams, read_stream = _ole_streams(data)
    except struct.error:
        raise _Refused(*TRUNCATED) from None
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        raise _Refused(*PASSWORD)  # how Excel stores an .xlsx with a password to open
    book = streams.get("Workbook") or streams.get("Book")
    if book is None:
        raise _Refused(*OLE_NOT_WORKBOOK)
    _check_biff(read_stream(*book))
    return "xls"


# -- text (CSV) -------------------------------------------------------------------------------------
def _decode(data: bytes) -> str | None:
    """The text of a text file (UTF-8 with or without BOM, UTF-16 with BOM, else cp1252), or None if binary."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:65536]:
        return None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # what Excel writes as "CSV" on a Dutch Windows
    head = text[:4096]
    controls = sum(1 for ch in head if ord(ch) < 32 and ch not in "\r\n\t\f")
    return None if controls > len(head) // 100 + 2 else text


def _sniff_separator(text: str) -> str | None:
    """The separator that splits the first lines into the most, equally long rows (quotes respected)."""
    sample = text[:65536]
    best, best_score = None, (0, 0)
    for sep in (";", ",", "\t"):
        try:
            rows = [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=sep) if any(c.strip() for c in r)]
        except csv.Error:
            continue
        rows = rows[:50]
        widths = [len(r) for r in rows]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        score = (widths.count(common), common) if common >= 2 else (0, 0)
        if score > best_score:
            best, best_score = sep, score
    return best


def _text_kind(text: str) -> None:
    head = text[:2048].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<table", "<head", "<body", "<meta")) or "<html" in head[:512]:
        raise _Refused(*HTML)
    if head.startswith("<?xml") or head.startswith("<"):
        raise _Refused(*XML)
    if head.startswith("{\\rtf"):
        raise _Refused(*OLE_NOT_WORKBOOK)


def _csv_grid(text: str) -> SheetGrid:
    _text_kind(text)
    sep = _sniff_separator(text)
    if sep is None:
        raise _Refused(*NO_COLUMNS)
    rows: list[list] = []
    cells = 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep):
            # Cells stay text: "=HYPERLINK(…)" is a label like any other, never a formula.
            rows.append([c.strip() for c in row])
            cells += len(row)
            if cells > MAX_SHEET_CELLS:
                raise _Refused(f"Het CSV-bestand is te groot om in te lezen (meer dan {MAX_SHEET_CELLS:,} cellen)."
                               .replace(",", "."), WIDE)
    except csv.Error:
        raise _Refused(*BAD_CSV) from None
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    return SheetGrid(CSV_SHEET_NAME, [r + [""] * (width - len(r)) for r in rows])


# -- the door ---------------------------------------------------------------------------------------
def _sniff(data: bytes) -> str:
    if not data:
        raise _Refused(*EMPTY)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(OLE2_MAGIC):
        return "ole"
    if data.lstrip()[:5] == b"%PDF-":
        raise _Refused(*PDF)
    if data.startswith((b"\x89PNG", b"\xFF\xD8\xFF", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*")) or \
            (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        raise _Refused(*IMAGE)
    if data.startswith((b"PK", b"\x1F\x8B", b"7z\xBC\xAF", b"Rar!")):
        raise _Refused(*TRUNCATED if data.startswith(b"PK") else ZIP_WITHOUT_WORKBOOK)
    return "text"


def _visible(meta) -> bool:
    # Compare the member: str() of every member contains "Visible" ("SheetVisibleEnum.Hidden").
    return getattr(meta, "visible", SheetVisibleEnum.Visible) == SheetVisibleEnum.Visible


def open_workbook(source: str | Path | bytes | BinaryIO, file_name: str | None = None,
                  on_progress: ProgressCallback = _noop) -> OpenedWorkbook:
    """Check and open a spreadsheet; a refused file carries its Dutch reason and no workbook."""
    if isinstance(source, (str, Path)):
        file_name = file_name or Path(source).name
    file_name = file_name or "upload.xlsx"
    data = _read_limited(source, config.MAX_UPLOAD_MB * 1024 * 1024)
    if data is None:
        return OpenedWorkbook(file_name, "", None, _refusal(*too_large_message()))
    digest = hashlib.sha256(data).hexdigest()
    on_progress(0.02, "Bestand controleren")
    notes = Report()
    try:
        container = _sniff(data)
        if container == "text":
            text = _decode(data)
            if text is None:
                raise _Refused(*NOT_SPREADSHEET)
            grid = _csv_grid(text)
            return OpenedWorkbook(file_name, digest, None, kind="csv", text_grid=grid, notes=notes)
        kind = _inspect_zip(data, notes) if container == "zip" else _inspect_ole(data)
    except _Refused as refused:
        return OpenedWorkbook(file_name, digest, None, _refusal(refused.message, refused.fix))
    on_progress(0.04, "Bestand openen")
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises several types for broken files
        if "password" in f"{type(error).__name__} {error}".lower():
            return OpenedWorkbook(file_name, digest, None, _refusal(*PASSWORD), kind)
        return OpenedWorkbook(file_name, digest, None, _refusal(*(OLD_XLS if kind == "xls" else UNREADABLE)), kind)
    visible = [m for m in workbook.sheets_metadata if _visible(m)]
    if not visible:
        return OpenedWorkbook(file_name, digest, None, _refusal(*NO_VISIBLE), kind)
    return OpenedWorkbook(file_name, digest, workbook, kind=kind, notes=notes)


def read_grids(opened: OpenedWorkbook, on_progress: ProgressCallback = _noop) -> tuple[list[SheetGrid], Report]:
    """Every visible sheet as a grid with its merged ranges; unreadable sheets are reported."""
    report = Report()
    report.extend(opened.notes)
    if opened.text_grid is not None:
        return [opened.text_grid], report
    grids: list[SheetGrid] = []
    meta = {m.name: m for m in opened.workbook.sheets_metadata}
    names = opened.workbook.sheet_names
    for i, name in enumerate(names):
        if name in meta and not _visible(meta[name]):
            continue  # hidden lists (e.g. for drop-downs) are not data
        on_progress(0.05 + 0.6 * i / max(len(names), 1), f"Blad {i + 1} van {len(names)} lezen")
        try:
            sheet = opened.workbook.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = tuple(sheet.merged_cell_ranges or ())
        except Exception:
            report.warning(name, None, None, "Dit blad kan niet worden gelezen en wordt overgeslagen.",
                           "Open het bestand in Excel, controleer het blad en sla het opnieuw op.")
            continue
        grids.append(SheetGrid(name, rows, merged))
    return grids, report
