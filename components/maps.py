"""pydeck maps without base-map tiles: the wijk outlines, their colours and labels carry the map.

`map_provider=None` keeps pydeck's map-style sentinel in the spec, which Streamlit's frontend reads as
"no base map"; `map_style=None` would make Streamlit fetch Carto tiles from the internet instead.
The deck's data carries only the texts and colours of geo's tables: for a viewer who does not own the rows
the suppressed ones ("<10", "×"), never a hidden count: the spec is sent to the browser as is, so a cell
hidden in the table is hidden on the map too, colour class included. Whether to suppress is decided by geo
(from the disclosure audience), not here. Streamlit HTML-escapes tooltip values itself.
"""
from __future__ import annotations

import html
import math

import pandas as pd
import pydeck as pdk

from gezinsmonitor import geo, suppression

# Sequential blues for shown counts; neutral greys for hidden ones (never read as a level): '<k' and the
# cells hidden to prevent recalculation ('×') apart, as in the table.
ZERO_COLOUR = [247, 247, 247, 220]
SUPPRESSED_COLOUR = [189, 189, 189, 230]
COMPLEMENTARY_COLOUR = [214, 204, 188, 230]
CLASS_COLOURS = ([198, 219, 239, 230], [107, 174, 214, 230], [33, 113, 181, 230], [8, 48, 107, 230])
SMALL_COLOUR = [222, 235, 247, 230]  # 1..k-1 for a viewer who owns the rows (they see the exact count)
CLASS_EDGES = (25, 50, 100)  # lower bounds of the classes after the first one, which starts at k
LINE_COLOUR = [70, 70, 70, 255]
TEXT_COLOUR = [20, 20, 20, 255]
LABEL_BACKGROUND = [255, 255, 255, 210]  # a light box keeps a label readable on every fill
ORG_COLOUR = [217, 95, 2, 255]
ORG_TEXT_COLOUR = [120, 50, 0, 255]
FONT = '"Source Sans Pro, Helvetica, Arial, sans-serif"'  # quoted: pydeck would read a bare string as a field
TOOLTIP = {
    "html": "<b>{naam}</b><br/>{detail}",
    "style": {"backgroundColor": "#1F3A5F", "color": "white", "fontSize": "13px"},
}
NETHERLANDS = (52.15, 5.3, 6.5)  # latitude, longitude, zoom when there is nothing to show
MAP_WIDTH_PX, MAP_HEIGHT_PX = 600, 560  # the initial zoom fits the areas into this (a narrow column)
WORLD_PX = 512  # deck.gl's MapView: the world is 512 px wide at zoom 0


def classes(k: int | None = None, protected: bool = True) -> list[tuple[str, list[int]]]:
    """Legend: (label, colour) from 0 through suppressed (or, for the owner of the rows, 1..k-1) to the highest
    class."""
    k = suppression.threshold() if k is None else int(k)
    lows = [k] + [e for e in CLASS_EDGES if e > k]
    out = ([("0", ZERO_COLOUR), (f"{suppression.label(k)} (niet getoond)", SUPPRESSED_COLOUR),
            (f"{suppression.COMPLEMENTARY_MARK} ({suppression.COMPLEMENTARY_NOTE})", COMPLEMENTARY_COLOUR)]
           if protected else [("0", ZERO_COLOUR), (f"1–{k - 1}", SMALL_COLOUR)])
    for i, lo in enumerate(lows):
        text = f"{lo}–{lows[i + 1] - 1}" if i + 1 < len(lows) else f"{lo} of meer"
        out.append((text, CLASS_COLOURS[min(i, len(CLASS_COLOURS) - 1)]))
    return out


def count_colour(n: int, k: int | None = None, status: str | None = None, protected: bool = True) -> list[int]:
    """The fill of a cell; `status` from suppression.protect_partition wins over the count. Unprotected (the
    viewer owns the rows), 1..k-1 has a colour of its own."""
    k = suppression.threshold() if k is None else int(k)
    if not protected and 0 < n < k:
        return SMALL_COLOUR
    if status == suppression.SECONDARY:
        return COMPLEMENTARY_COLOUR
    if status == suppression.PRIMARY:
        return SUPPRESSED_COLOUR
    if n == 0:
        return ZERO_COLOUR
    if suppression.is_suppressed(n, k):
        return SUPPRESSED_COLOUR
    above = sum(1 for e in CLASS_EDGES if e > k and n >= e)
    return CLASS_COLOURS[min(above, len(CLASS_COLOURS) - 1)]


def _positions(areas: pd.DataFrame) -> tuple[list[float], list[float]]:
    lons, lats = [], []

    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            lons.append(coords[0])
            lats.append(coords[1])
        else:
            for c in coords:
                walk(c)

    for row in areas.itertuples(index=False):
        if isinstance(row.geometry, dict):
            walk(row.geometry["coordinates"])
        lons.append(row.longitude)
        lats.append(row.latitude)
    return lons, lats


def view_state(areas: pd.DataFrame) -> pdk.ViewState:
    """Centre and zoom that fit every area and point into the map (Web Mercator)."""
    lons, lats = _positions(areas)
    if not lons:
        lat, lon, zoom = NETHERLANDS
        return pdk.ViewState(latitude=lat, longitude=lon, zoom=zoom)
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    margin = 1.2
    lon_span = max(east - west, 0.01)
    y_span = max(merc(north) - merc(south), 0.0002)
    zoom_x = math.log2(MAP_WIDTH_PX * 360 / (WORLD_PX * lon_span * margin))
    zoom_y = math.log2(MAP_HEIGHT_PX * 2 * math.pi / (WORLD_PX * y_span * margin))
    centre_y = (merc(north) + merc(south)) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2)
    zoom = round(max(3.0, min(15.0, zoom_x, zoom_y)), 2)
    return pdk.ViewState(latitude=round(centre_lat, 6), longitude=round((west + east) / 2, 6), zoom=zoom)


def _families_text(shown: str, k: int) -> str:
    extra = {suppression.label(k): " (kleine aantallen worden niet getoond)",
             suppression.COMPLEMENTARY_MARK: f" ({suppression.COMPLEMENTARY_NOTE})"}.get(shown, "")
    return f"Gezinnen: {shown}{extra}"


def wijk_map(table: pd.DataFrame, areas: pd.DataFrame, points: pd.DataFrame, k: int | None = None) -> pdk.Deck:
    """Families per wijk as a choropleth (a circle for a wijk with only a centre), labelled "wijk⏎n",
    and the organisations as points. `table` from geo.families_per_wijk, `points` from geo.organisation_points.
    """
    k = table.attrs.get("k", suppression.threshold()) if k is None else int(k)
    protected = bool(table.attrs.get("protected", True))  # geo decides from the audience; unknown: protect
    counts = table[table["row"] == geo.ROW_WIJK].set_index("area")
    wijken = areas[areas["kind"] == geo.KIND_WIJK]
    features, centres, labels = [], [], []
    for row in wijken.itertuples(index=False):
        n = int(counts["families"].get(row.name, 0))
        shown = counts["shown"].get(row.name, "0")
        colour = count_colour(n, k, counts["status"].get(row.name, suppression.SHOWN), protected)
        props = {"naam": row.name, "detail": _families_text(shown, k), "kleur": colour}
        position = [row.longitude, row.latitude]
        if isinstance(row.geometry, dict):
            features.append({"type": "Feature", "geometry": row.geometry, "properties": props})
        else:
            centres.append({**props, "positie": position})
        labels.append({"label": f"{row.name}\n{shown}", "positie": position})  # two lines: neighbours stay apart

    layers = [
        pdk.Layer("GeoJsonLayer", id="wijken", data={"type": "FeatureCollection", "features": features},
                  filled=True, stroked=True, get_fill_color="properties.kleur", get_line_color=LINE_COLOUR,
                  line_width_min_pixels=1, pickable=True, auto_highlight=True),
    ]
    if centres:
        layers.append(pdk.Layer("ScatterplotLayer", id="wijk-centra", data=centres, get_position="positie",
                                get_fill_color="kleur", get_line_color=LINE_COLOUR, stroked=True, get_radius=350,
                                radius_min_pixels=10, line_width_min_pixels=1, pickable=True))
    layers.append(pdk.Layer("TextLayer", id="wijk-labels", data=labels, get_position="positie", get_text="label",
                            get_size=13, get_color=TEXT_COLOUR, background=True,
                            get_background_color=LABEL_BACKGROUND, background_padding=[4, 2, 4, 2],
                            character_set='"auto"', font_family=FONT, font_weight=600,
                            get_text_anchor='"middle"', get_alignment_baseline='"center"'))
    if not points.empty:
        orgs = [{"naam": p.name, "detail": f"Organisatie · {_families_text(p.shown, k)}",
                 "positie": [p.longitude, p.latitude]} for p in points.itertuples(index=False)]
        layers += [
            pdk.Layer("ScatterplotLayer", id="organisaties", data=orgs, get_position="positie",
                      get_fill_color=ORG_COLOUR, get_line_color=[255, 255, 255, 255], stroked=True, get_radius=6,
                      radius_units='"pixels"', line_width_min_pixels=2, pickable=True),
            pdk.Layer("TextLayer", id="organisatie-labels", data=[{"label": o["naam"], "positie": o["positie"]}
                                                                   for o in orgs],
                      get_position="positie", get_text="label", get_size=11, get_color=ORG_TEXT_COLOUR,
                      background=True, get_background_color=[255, 255, 255, 200], background_padding=[3, 1, 3, 1],
                      character_set='"auto"', font_family=FONT, get_pixel_offset=[9, 0],
                      get_text_anchor='"start"', get_alignment_baseline='"center"'),
        ]
    return pdk.Deck(layers=layers, initial_view_state=view_state(areas), map_provider=None, tooltip=TOOLTIP,
                    height=MAP_HEIGHT_PX)


def legend_html(k: int | None = None, protected: bool = True) -> str:
    """A one-line colour legend (our own constants only, no user text)."""
    def swatch(colour, round_=False):
        r, g, b, a = colour
        radius = "50%" if round_ else "2px"
        return (f'<span style="display:inline-block;width:0.9em;height:0.9em;border-radius:{radius};'
                f'background:rgba({r},{g},{b},{a / 255:.2f});border:1px solid #555;vertical-align:middle;'
                f'margin:0 0.25em 0 0.8em"></span>')
    parts = [f"{swatch(c)}{html.escape(text)}" for text, c in classes(k, protected)]
    parts.append(f"{swatch(ORG_COLOUR, round_=True)}organisatie")
    return '<div style="font-size:0.85em">Gezinnen per wijk:' + "".join(parts) + "</div>"
