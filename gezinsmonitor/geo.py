"""The map's places: wijken (a polygon and/or a centre) and organisation locations, and families per wijk.

The `areas` table holds only what an administrator uploaded. A kind without rows there (no wijken, or no
organisation locations) falls back to the bundled table of the sample city, read directly from
sample_data/ (never copied into the store), so restoring the bundled set is simply deleting the uploaded
rows. An upload is parsed and validated completely before anything is written, and written in one
transaction: a bad file changes nothing. The storage functions take the Store, so pages never touch the
engine.

Accepted files (coordinates in WGS84, EPSG:4326):
- GeoJSON: a FeatureCollection (or one Feature) of Polygon / MultiPolygon (a wijk) or Point features,
  named by the property naam / name / wijk / wijknaam / statnaam / gebied.
- CSV: columns naam (or wijk), lat / latitude / breedtegraad, lon / longitude / lengtegraad, separated by
  ';' or ','; a decimal comma is accepted.
Both may carry a column/property `soort` (wijk | organisatie; default wijk). A file replaces only the
kinds it contains.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import delete, select

from . import audit, config, formatting, suppression
from . import disclosure  # small-cell suppression follows the audience (issue 5)
from . import schema as s

if TYPE_CHECKING:
    from .store import Store

KIND_WIJK = "wijk"
KIND_ORG = "organisatie"
KINDS = (KIND_WIJK, KIND_ORG)
BUNDLED_SOURCE = "voorbeeldstad"
BUNDLED_WIJKEN = config.PROJECT_ROOT / "sample_data" / "voorbeeldstad_wijken.geojson"
BUNDLED_ORGANISATIONS = config.PROJECT_ROOT / "sample_data" / "voorbeeldstad_organisaties.csv"

NAME_KEYS = ("naam", "name", "wijk", "wijknaam", "wk_naam", "statnaam", "gebied", "organisatie")
LAT_KEYS = ("lat", "latitude", "breedtegraad", "breedte", "y")
LON_KEYS = ("lon", "lng", "long", "longitude", "lengtegraad", "lengte", "x")
KIND_KEYS = ("soort", "type_gebied", "kind")
KIND_VALUES = {"wijk": KIND_WIJK, "gebied": KIND_WIJK, "buurt": KIND_WIJK, "area": KIND_WIJK,
               "organisatie": KIND_ORG, "organisation": KIND_ORG, "locatie": KIND_ORG, "org": KIND_ORG}
MAX_MESSAGES = 10
DECIMALS = 6  # about 10 cm: enough for a wijk border, keeps the stored geometry small

# Rows of the families-per-wijk table besides the wijken themselves.
ROW_WIJK, ROW_NONE, ROW_UNKNOWN = "wijk", "zonder wijk", "onbekende wijk"
NO_WIJK_LABEL = "Zonder wijk"
UNKNOWN_LABEL = "Wijk niet in de gebiedenkaart"


class AreaFileError(ValueError):
    """A file that cannot become the area table; `messages` are Dutch and meant for the administrator."""

    def __init__(self, messages: Iterable[str]):
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


@dataclass(frozen=True)
class Area:
    kind: str
    name: str
    latitude: float  # the centre: where the label and the column go
    longitude: float
    geometry: dict | None = None  # GeoJSON Polygon / MultiPolygon of a wijk


# -- parsing --------------------------------------------------------------------------------
def name_key(name) -> str:
    """Names compare without case, hyphens or extra spaces: 'Oude-Noorden ' matches 'Oude Noorden'."""
    return re.sub(r"\s+", " ", re.sub(r"[-_]", " ", str(name))).strip().casefold()


def _capped(messages: list[str]) -> list[str]:
    if len(messages) <= MAX_MESSAGES:
        return messages
    return messages[:MAX_MESSAGES] + [f"… en nog {len(messages) - MAX_MESSAGES} andere fouten."]


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # Excel's "CSV (puntkomma)" on Windows


def _looks_like_rd(x: float, y: float) -> bool:
    """Rijksdriehoek (EPSG:28992) metres: the most likely wrong coordinates in a Dutch file."""
    return 0 <= x <= 300_000 and 289_000 <= y <= 629_000


def _range_error(where: str, lon: float, lat: float) -> str | None:
    if -180 <= lon <= 180 and -90 <= lat <= 90:
        return None
    hint = (" Dit lijken Rijksdriehoek-coördinaten (RD, EPSG:28992); zet het bestand om naar WGS84 (EPSG:4326)."
            if _looks_like_rd(lon, lat) else
            " Gebruik WGS84-graden: lengtegraad tussen -180 en 180, breedtegraad tussen -90 en 90.")
    return (f"{where}: coördinaat (lengtegraad {formatting.number(lon, 4)}, breedtegraad {formatting.number(lat, 4)}) "
            f"valt buiten het bereik.{hint}")


def _kind(value, where: str, default: str) -> str:
    if value is None or str(value).strip() == "":
        return default
    kind = KIND_VALUES.get(str(value).strip().casefold())
    if kind is None:
        raise _RowError(f"{where}: soort '{value}' is onbekend (gebruik 'wijk' of 'organisatie').")
    return kind


class _RowError(ValueError):
    pass


def _position(value, where: str) -> tuple[float, float]:
    if (not isinstance(value, (list, tuple)) or len(value) < 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value[:2])):
        raise _RowError(f"{where}: een punt is geen paar getallen [lengtegraad, breedtegraad].")
    lon, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise _RowError(f"{where}: een punt heeft geen eindige coördinaten.")
    if (message := _range_error(where, lon, lat)) is not None:
        raise _RowError(message)
    return round(lon, DECIMALS), round(lat, DECIMALS)


def _ring(value, where: str) -> list[list[float]]:
    if not isinstance(value, list):
        raise _RowError(f"{where}: de omtrek is geen lijst van punten.")
    ring = [list(_position(p, where)) for p in value]
    if ring and ring[0] != ring[-1]:
        ring.append(list(ring[0]))  # leniently close an open ring; many hand-made files forget it
    if len({tuple(p) for p in ring}) < 3:
        raise _RowError(f"{where}: een omtrek heeft minder dan drie verschillende punten.")
    return ring


def _polygon(value, where: str) -> list[list[list[float]]]:
    if not isinstance(value, list) or not value:
        raise _RowError(f"{where}: de polygoon heeft geen coördinaten.")
    return [_ring(r, where) for r in value]


def _ring_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """(signed area, lon, lat) of a ring, planar in degrees: fine at the scale of a wijk."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    a /= 2
    if abs(a) < 1e-15:  # degenerate: the mean of the points
        xs, ys = zip(*ring[:-1])
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return a, cx / (6 * a), cy / (6 * a)


def _centre(polygons: list[list[list[list[float]]]]) -> tuple[float, float]:
    """Centroid of the largest polygon's outer ring: the label belongs to the main part of a wijk."""
    best = max((_ring_centroid(p[0]) for p in polygons), key=lambda c: abs(c[0]))
    return round(best[1], DECIMALS), round(best[2], DECIMALS)


def _prop(props: dict, keys: tuple[str, ...]):
    lowered = {str(k).strip().casefold(): v for k, v in props.items()}
    for key in keys:
        value = lowered.get(key)
        if value is not None and str(value).strip() != "":
            return value
    return None


def _feature_area(feature, index: int, default_kind: str) -> Area:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _RowError(f"Gebied {index}: dit is geen GeoJSON-Feature.")
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        props = {}
    name = _prop(props, NAME_KEYS)
    if name is None:
        raise _RowError(f"Gebied {index}: naam ontbreekt (eigenschap 'naam', 'name' of 'wijk').")
    name = str(name).strip()
    where = f"Gebied {index} ('{name}')"
    kind = _kind(_prop(props, KIND_KEYS), where, default_kind)
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("coordinates") in (None, []):
        raise _RowError(f"{where}: coördinaten ontbreken (geen 'geometry' met 'coordinates').")
    gtype, coords = geometry.get("type"), geometry["coordinates"]
    if gtype == "Point":
        lon, lat = _position(coords, where)
        return Area(kind, name, lat, lon, None)
    if gtype == "Polygon":
        polygons = [_polygon(coords, where)]
    elif gtype == "MultiPolygon":
        if not isinstance(coords, list):
            raise _RowError(f"{where}: de multipolygoon heeft geen lijst van polygonen.")
        polygons = [_polygon(p, where) for p in coords]
    else:
        raise _RowError(f"{where}: geometrie '{gtype}' wordt niet ondersteund (alleen Polygon, MultiPolygon of Point).")
    if kind == KIND_ORG:
        raise _RowError(f"{where}: een organisatie is een punt (Point), geen vlak.")
    lon, lat = _centre(polygons)
    # A label point of its own (e.g. for a crescent-shaped wijk whose centroid falls outside it).
    plat, plon = _prop(props, LAT_KEYS), _prop(props, LON_KEYS)
    if plat is not None and plon is not None:
        lon, lat = _position([_number(plon, where, "lengtegraad"), _number(plat, where, "breedtegraad")], where)
    geometry = ({"type": "Polygon", "coordinates": polygons[0]} if gtype == "Polygon"
                else {"type": "MultiPolygon", "coordinates": polygons})
    return Area(kind, name, lat, lon, geometry)


def _duplicates(areas: list[Area], places: list[str]) -> list[str]:
    seen: dict[tuple[str, str], str] = {}
    messages = []
    for area, place in zip(areas, places):
        key = (area.kind, name_key(area.name))
        if key in seen:
            messages.append(f"'{area.name}' ({area.kind}) komt meer dan één keer voor ({seen[key]} en {place}).")
        else:
            seen[key] = place
    return messages


def parse_geojson(data: bytes | str, default_kind: str = KIND_WIJK) -> list[Area]:
    try:
        doc = json.loads(_decode(data))
    except json.JSONDecodeError as exc:
        raise AreaFileError([(f"Het bestand is geen geldige JSON (regel {exc.lineno}, kolom {exc.colno}). "
                              "Sla de kaart op als GeoJSON.")]) from None
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        features = [doc]
    elif isinstance(doc, dict) and isinstance(doc.get("features"), list):
        features = doc["features"]
    else:
        raise AreaFileError([("Het bestand bevat geen gebieden: verwacht een GeoJSON FeatureCollection met een "
                              "lijst 'features'.")])
    crs = doc.get("crs")
    crs = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else ""
    if "28992" in crs:
        raise AreaFileError([("Het bestand gebruikt Rijksdriehoek-coördinaten (EPSG:28992); zet het om naar WGS84 "
                              "(EPSG:4326), bijvoorbeeld in QGIS via 'Exporteren → Objecten opslaan als'.")])
    if not features:
        raise AreaFileError(["Het bestand bevat geen gebieden (de lijst 'features' is leeg)."])
    areas, places, errors = [], [], []
    for i, feature in enumerate(features, start=1):
        try:
            areas.append(_feature_area(feature, i, default_kind))
            places.append(f"gebied {i}")
        except _RowError as exc:
            errors.append(str(exc))
    return _checked(areas, places, errors)


def _checked(areas: list, places: list[str], errors: list[str]) -> list:
    """The areas of a file, or every problem found in it (duplicate names included) at once."""
    errors = errors + _duplicates(areas, places)
    if errors:
        raise AreaFileError(_capped(errors))
    return areas


def _number(raw, where: str, what: str) -> float:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        value = float(raw)
    else:
        text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
        if "," in text and "." in text:  # '4.485,2' or '4,485.2': the last separator is the decimal one
            text = text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") else text.replace(",", "")
        else:
            text = text.replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            raise _RowError(f"{where}: {what} '{raw}' is geen getal.") from None
    if not math.isfinite(value):
        raise _RowError(f"{where}: {what} '{raw}' is geen eindig getal.")
    return value


def _column(header: list[str], keys: tuple[str, ...]) -> int | None:
    for key in keys:
        if key in header:
            return header.index(key)
    return None


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def parse_csv(data: bytes | str, default_kind: str = KIND_WIJK) -> list[Area]:
    text = _decode(data)
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise AreaFileError(["Het bestand is leeg."])
    first = lines[0]
    sep = ";" if first.count(";") >= max(first.count(","), 1) else ("\t" if "\t" in first else ",")
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    rows: list[tuple[int, list[str]]] = []
    for row in reader:
        if any(cell.strip() for cell in row):
            rows.append((reader.line_num, row))
    header = [re.sub(r"\s+", "_", c.strip().casefold()) for c in rows[0][1]]
    cols = {"naam": _column(header, NAME_KEYS), "breedtegraad": _column(header, LAT_KEYS),
            "lengtegraad": _column(header, LON_KEYS)}
    missing = {"naam": "naam of wijk", "breedtegraad": "lat, latitude of breedtegraad",
               "lengtegraad": "lon, longitude of lengtegraad"}
    absent = [f"Kolom '{what}' ontbreekt (verwacht: {missing[what]}). Gevonden kolommen: {', '.join(rows[0][1])}."
              for what, col in cols.items() if col is None]
    if absent:
        if sep == "," and len(rows[0][1]) == 1:
            absent.append("Scheid de kolommen met ';' of ','.")
        raise AreaFileError(absent)
    if len(rows) == 1:
        raise AreaFileError(["Het bestand bevat alleen een kopregel en geen gebieden."])
    kind_col = _column(header, KIND_KEYS)
    width = len(header)
    areas, places, errors = [], [], []
    for line, row in rows[1:]:
        where = f"Regel {line}"
        try:
            if len(row) > width:
                hint = (" Gebruikt u een decimale komma? Scheid de kolommen dan met ';'." if sep == "," else "")
                raise _RowError(f"{where}: {len(row)} waarden, maar {width} kolommen in de kopregel.{hint}")
            cells = {what: _cell(row, i) for what, i in (*cols.items(), ("soort", kind_col))}
            name = cells["naam"]
            if not name:
                raise _RowError(f"{where}: naam ontbreekt.")
            where = f"{where} ('{name}')"
            if not cells["breedtegraad"] or not cells["lengtegraad"]:
                raise _RowError(f"{where}: coördinaten ontbreken (breedtegraad en lengtegraad zijn verplicht).")
            lat = _number(cells["breedtegraad"], where, "breedtegraad")
            lon = _number(cells["lengtegraad"], where, "lengtegraad")
            if (message := _range_error(where, lon, lat)) is not None:
                raise _RowError(message)
            kind = _kind(cells["soort"], where, default_kind)
            areas.append(Area(kind, name, round(lat, DECIMALS), round(lon, DECIMALS), None))
            places.append(f"regel {line}")
        except _RowError as exc:
            errors.append(str(exc))
    return _checked(areas, places, errors)


def read_area_file(file_name: str, data: bytes | str) -> list[Area]:
    """Parse an uploaded area table by its extension; AreaFileError with Dutch messages when unusable."""
    suffix = Path(file_name).suffix.lower()
    if suffix in (".geojson", ".json"):
        return parse_geojson(data)
    if suffix == ".csv":
        return parse_csv(data)
    raise AreaFileError([(f"Bestandstype '{suffix or file_name}' wordt niet ondersteund: kies een .geojson-, "
                          ".json- of .csv-bestand.")])


# -- the active set -----------------------------------------------------------------------
COLUMNS = ["kind", "name", "latitude", "longitude", "geometry", "source", "uploaded_at", "bundled"]


@lru_cache(maxsize=4)
def _bundled(wijken: Path, organisations: Path) -> tuple[Area, ...]:
    return (*parse_geojson(wijken.read_bytes()),
            *parse_csv(organisations.read_bytes(), default_kind=KIND_ORG))


def bundled_areas() -> list[Area]:
    return list(_bundled(BUNDLED_WIJKEN, BUNDLED_ORGANISATIONS))


def _frame(areas: Iterable[Area], source: str, uploaded_at, bundled: bool) -> pd.DataFrame:
    rows = [{"kind": a.kind, "name": a.name, "latitude": a.latitude, "longitude": a.longitude,
             "geometry": a.geometry, "source": source, "uploaded_at": uploaded_at, "bundled": bundled}
            for a in areas]
    return pd.DataFrame(rows, columns=COLUMNS)


def stored_areas(store: Store) -> pd.DataFrame:
    """Only the uploaded rows of the areas table."""
    t = s.areas
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.c.kind, t.c.name, t.c.latitude, t.c.longitude, t.c.geometry, t.c.source,
                                   t.c.uploaded_at).order_by(t.c.kind, t.c.id)).mappings().all()
    frame = pd.DataFrame([dict(r) for r in rows], columns=COLUMNS[:-1])
    frame["geometry"] = frame["geometry"].map(lambda g: json.loads(g) if isinstance(g, str) and g else None)
    frame["bundled"] = False
    return frame


def load_areas(store: Store) -> pd.DataFrame:
    """The active areas: uploaded rows per kind, the bundled sample city for a kind without uploads."""
    stored = stored_areas(store)
    parts = [stored]
    for kind in KINDS:
        if not (stored["kind"] == kind).any():
            parts.append(_frame([a for a in bundled_areas() if a.kind == kind], BUNDLED_SOURCE, pd.NaT, True))
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(parts, ignore_index=True)[COLUMNS]


def replace_areas(store: Store, areas: list[Area], source: str, now: dt.datetime | None = None) -> dict[str, int]:
    """Replace every kind the file contains, in one transaction; returns how many areas per kind."""
    if not areas:
        raise AreaFileError(["Het bestand bevat geen gebieden."])
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    kinds = sorted({a.kind for a in areas})
    rows = [{"kind": a.kind, "name": a.name, "latitude": a.latitude, "longitude": a.longitude,
             "geometry": json.dumps(a.geometry, separators=(",", ":")) if a.geometry else None,
             "source": source, "uploaded_at": now} for a in areas]
    counts = dict(Counter(a.kind for a in areas))
    with store.engine.begin() as conn:
        conn.execute(delete(s.areas).where(s.areas.c.kind.in_(kinds)))
        conn.execute(s.areas.insert(), rows)
        audit.record(conn, audit.AREAS, None,
                     f"{source}: " + ", ".join(f"{n} {'wijken' if kind == KIND_WIJK else 'organisatielocaties'}"
                                              for kind, n in sorted(counts.items())))
    return counts


def upload_area_file(store: Store, file_name: str, data: bytes | str) -> dict[str, int]:
    """Parse, validate and store an uploaded area table; nothing is stored when it raises AreaFileError."""
    return replace_areas(store, read_area_file(file_name, data), source=Path(file_name).name)


def restore_bundled(store: Store) -> int:
    """Back to the sample city's areas: delete every uploaded row; returns how many were deleted."""
    with store.engine.begin() as conn:
        removed = conn.execute(delete(s.areas)).rowcount or 0
        audit.record(conn, audit.AREAS_RESTORED, None, f"{removed} geüploade gebieden verwijderd; de voorbeeldstad geldt weer")
    return removed


def describe_source(areas: pd.DataFrame, kind: str) -> str:
    """Where a kind's active areas come from, for the caption under the map."""
    part = areas[areas["kind"] == kind]
    if part.empty:
        return "geen"
    if part["bundled"].all():
        return "voorbeeldstad (meegeleverd; verzonnen grenzen bij benadering)"
    when = pd.Timestamp(part["uploaded_at"].max())
    return f"{part['source'].iloc[0]} (geüpload {when:%d-%m-%Y %H:%M} UTC)"


# -- counts -------------------------------------------------------------------------------
def viewer_owns(families: pd.DataFrame) -> bool:
    """Whether the active audience (`disclosure.current()`) owns every family in `families`: then the map shows
    exact counts. Families without a known organisation count as someone else's."""
    who = disclosure.current()
    if who.owns_everything or families.empty:
        return True
    if "organisation" not in families or families["organisation"].isna().any():
        return False
    return who.owns(disclosure.organisations_in(families))


def _partition(counts: pd.Series, k: int, protect: bool) -> pd.DataFrame:
    """`suppression.protect_partition` for a viewer who does not own the rows, the exact counts for one who does."""
    if protect:
        return suppression.protect_partition(counts, k=k)
    counts = counts.astype("int64")
    out = pd.DataFrame({"count": counts, "status": pd.Series(suppression.SHOWN, index=counts.index, dtype=object),
                        "shown": pd.Series([formatting.count(n) for n in counts], index=counts.index, dtype=object)},
                       index=counts.index)
    total = int(counts.sum())
    out.attrs = {"k": k, "total": total, "total_status": suppression.SHOWN, "total_shown": formatting.count(total),
                 "all_hidden": False}
    return out


def _one_per_family(families: pd.DataFrame) -> pd.DataFrame:
    return families.drop_duplicates("family") if "family" in families else families


def _sort_safely(frame: pd.DataFrame) -> pd.DataFrame:
    """Largest shown counts first, then hidden cells ('<k' and '×' alike), then zeros, each by name: the
    order of the rows must not reveal how a hidden count compares with another one."""
    hidden = frame["status"].isin(suppression.HIDDEN)
    group = pd.Series(0, index=frame.index).mask(hidden, 1).mask(~hidden & (frame["families"] == 0), 2)
    key = frame["families"].where(group == 0, 0)
    order = pd.DataFrame({"g": group, "k": -key, "n": frame["area"].map(name_key)}).sort_values(["g", "k", "n"]).index
    return frame.loc[order]


def _per_area(fam: pd.DataFrame, names: list[str]) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Families per wijk of `names`, then without a wijk and with a wijk not in `names`; also each family's wijk
    as written and whether it is unknown."""
    raw = fam["wijk"].astype(object) if "wijk" in fam else pd.Series(dtype=object)
    text = raw.map(lambda v: "" if v is None or v != v else str(v).strip())
    lookup = {name_key(n): n for n in names}
    mapped = text.map(lambda v: lookup.get(name_key(v)) if v else None)
    none = text == ""
    unknown = ~none & mapped.isna()
    counts = Counter(mapped[~none & ~unknown])
    rows = ([(n, ROW_WIJK, counts.get(n, 0)) for n in names]
            + [(NO_WIJK_LABEL, ROW_NONE, int(none.sum())), (UNKNOWN_LABEL, ROW_UNKNOWN, int(unknown.sum()))])
    frame = pd.DataFrame(rows, columns=["area", "row", "families"])
    frame["families"] = frame["families"].astype(int)
    return frame, text, unknown


def families_per_wijk(families: pd.DataFrame, wijken: Iterable[str], k: int | None = None) -> pd.DataFrame:
    """Families per wijk of the area table (zeros included), then the families without a wijk and those
    whose wijk is not in the area table, so nothing disappears silently. These rows partition the total,
    so for a viewer who does not own every family (`viewer_owns`, from the active disclosure audience) they
    are suppressed together (suppression.protect_partition): '<k' for small counts and '×' for cells hidden so
    that no small count can be recovered from the total. The owner (beheerder, or an organisatie looking at its
    own families only) sees exact counts.

    Columns: area, row (wijk | zonder wijk | onbekende wijk), families, status (shown | primary |
    secondary), shown (text), suppressed and verborgen (hidden either way). attrs: n (families), k, protected,
    suppressed, total_status,
    total_shown (the total as text), unknown_names (wijk names in the data that are not on the map).
    """
    k = suppression.threshold() if k is None else int(k)
    fam = _one_per_family(families)
    names = list(dict.fromkeys(wijken))
    frame, text, unknown = _per_area(fam, names)
    protect = not viewer_owns(fam)
    protected = _partition(frame["families"], k, protect)
    who = disclosure.current()
    if protect and who.owned and "organisation" in fam:
        # An organisation knows its own families per wijk and could subtract them from a mixed count: what is
        # hidden is decided on the other organisations' part, as if it were shown on its own.
        others, _, _ = _per_area(fam.loc[~fam["organisation"].isin(who.owned)], names)
        decided = suppression.protect_partition(others["families"], k=k)
        status = decided["status"].to_numpy()
        total_status = decided.attrs["total_status"]
        total = int(frame["families"].sum())
        protected = pd.DataFrame({"status": status, "shown": [
            suppression.text(n, st, k) if st != suppression.SHOWN else formatting.count(n)
            for n, st in zip(frame["families"], status)]}, index=frame.index)
        protected.attrs = {"total_status": total_status, "total_shown": suppression.text(total, total_status, k)
                           if total_status != suppression.SHOWN else formatting.count(total)}
    frame["status"] = protected["status"]
    frame["shown"] = protected["shown"]
    frame["suppressed"] = frame["status"].isin(suppression.HIDDEN).astype(bool)
    is_wijk = frame["row"] == ROW_WIJK
    out = pd.concat([_sort_safely(frame[is_wijk]), frame[~is_wijk]], ignore_index=True)
    out[disclosure.HIDDEN] = out["suppressed"]
    out.attrs = {"n": len(fam), "k": k, "protected": protect, "suppressed": int(out["suppressed"].sum()),
                 "total_status": protected.attrs["total_status"],
                 "total_shown": protected.attrs["total_shown"],
                 # Free text of the registrations: named only to whoever owns every row (it is a place where
                 # some other organisation's family lives); others see the row's suppressed count only.
                 "unknown_names": [] if protect else sorted(set(text[unknown]), key=name_key)}
    return out


def off_map(table: pd.DataFrame) -> tuple[dict[str, int], list[str]]:
    """The families of `table` that are not on the map: (shown counts by Dutch reason, for the
    "Hoe berekend?" list; Dutch texts for the rows whose count is hidden, e.g. '<10 gezinnen zonder wijk')."""
    reasons = {ROW_NONE: NO_WIJK_LABEL.lower(), ROW_UNKNOWN: "met een wijk die niet in de gebiedenkaart staat"}
    counted, hidden = {}, []
    for row in table[table["row"] != ROW_WIJK].itertuples(index=False):
        if row.suppressed:
            hidden.append(f"{row.shown} gezinnen {reasons[row.row]}")
        elif row.families:
            counted[f"gezinnen {reasons[row.row]} (niet op de kaart)"] = int(row.families)
    return counted, hidden


def organisation_points(areas: pd.DataFrame, families: pd.DataFrame, k: int | None = None) -> pd.DataFrame:
    """The organisations in `families` that have a location, with their (suppressed) number of families.

    The organisations partition the families too, so they are suppressed together, those without a
    location included (they are hidden anyway: hiding one of them costs nothing on the map).
    Columns: name, latitude, longitude, families, status, shown. attrs: missing (organisations in the data
    without a location on the map), k.
    """
    k = suppression.threshold() if k is None else int(k)
    fam = _one_per_family(families)
    counts = fam.groupby("organisation").size() if "organisation" in fam and not fam.empty else pd.Series(dtype=int)
    counts = counts.loc[sorted(counts.index, key=name_key)]
    protect = not viewer_owns(fam)
    protected = _partition(counts, k, protect)
    places = areas[areas["kind"] == KIND_ORG]
    lookup = {name_key(r.name): r for r in places.itertuples(index=False)}
    rows, missing = [], []
    for org, cell in protected.iterrows():
        place = lookup.get(name_key(org))
        if place is None:
            missing.append(org)
            continue
        rows.append({"name": org, "latitude": place.latitude, "longitude": place.longitude,
                     "families": int(cell["count"]), "status": cell["status"], "shown": cell["shown"]})
    out = pd.DataFrame(rows, columns=["name", "latitude", "longitude", "families", "status", "shown"])
    out.attrs = {"missing": missing, "k": k, "protected": protect}
    return out


for _name in ("families_per_wijk", "organisation_points"):  # protected inside (viewer_owns), listed with the rest
    disclosure.REGISTRY[f"{__name__}.{_name}"] = disclosure.Rule(
        counts=("families",), partition="families",
        note="one partition with its total (suppression.protect_partition) for a viewer who does not own the rows")
