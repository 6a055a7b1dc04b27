"""Charts as images for slides and reports: the same Vega-Lite spec as on screen, rendered by vl-convert (no
browser, no node), with title, n, definition and source inside the image, centred on a canvas of a fixed size."""
from __future__ import annotations

import copy
import io
import re
import textwrap
from collections.abc import Sequence

import altair as alt
import vl_convert as vlc
from PIL import Image

SLIDE_SIZE = (1920, 1080)
TITLE_PX = 40  # on a 1920×1080 slide, readable from the back of a room; other sizes in proportion to the height
LINE_PX = 20
LINE_CHARS = 130  # a longer definition wraps onto more lines
MARGIN_PX = 48  # white border around the rendered chart, at the final size
SOURCE = "Bron: Gezinsmonitor, registraties van de deelnemende organisaties"
TEXT_COLOR = "#1B1B1B"
SMALL_COLOR = "#444444"
# A chart without its own width (bars, lines) gets a width that suits the canvas; Vega-Lite's default of 300 px
# would leave most of a slide empty. Facets and concatenations keep the widths their builder chose.
MIN_PLOT_WIDTH = 300
MAX_PLOT_WIDTH = 1400


def plain_text(text: str) -> str:
    """Markdown emphasis from a caption is not drawn in an image."""
    return re.sub(r"\*\*|__|`", "", str(text)).strip()


def slide_lines(n_text: str, definition: str, filters_text: str, version: str) -> list[str]:
    """The small print under a chart's title: n, definition, filters, data version and source."""
    return [plain_text(n_text), f"Definitie: {plain_text(definition)}", f"Filters: {plain_text(filters_text)}",
            f"Gegevens: {plain_text(version)} · {SOURCE}"]


def _wrapped(lines: Sequence[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        out.extend(textwrap.wrap(plain_text(line), LINE_CHARS, break_on_hyphens=False) or [""])
    return out


def _joined(text) -> str:
    if isinstance(text, (list, tuple)):
        text = " ".join(str(t) for t in text)
    return str(text or "").strip()


def title_text(title) -> tuple[str, list[str]]:
    """A chart's own title as (text, subtitle lines)."""
    if isinstance(title, dict):
        subtitle = title.get("subtitle") or []
        return _joined(title.get("text", "")), [str(s) for s in ([subtitle] if isinstance(subtitle, str) else subtitle)]
    return _joined(title), []


def _spec(chart: alt.TopLevelMixin | dict, title: str, lines: Sequence[str]) -> dict:
    """The chart's spec with one top-level title: `title` big, the small print as its subtitle. A chart's own
    title (it names the measure, e.g. '— % van de gezinnen') becomes the main title when it contains `title`,
    else the first line of the small print."""
    spec = copy.deepcopy(chart if isinstance(chart, dict) else chart.to_dict())
    own, own_subtitle = title_text(spec.pop("title", None))
    main, small = title, [*own_subtitle, *lines]
    if own and title.strip().lower() in own.lower():
        main = own
    elif own:
        small.insert(0, own)
    spec["title"] = {"text": plain_text(main), "subtitle": _wrapped(small), "anchor": "start", "frame": "group",
                     "color": TEXT_COLOR, "subtitleColor": SMALL_COLOR, "fontWeight": "bold"}
    spec.pop("autosize", None)
    if spec.get("width") == "container":
        spec.pop("width")
    return spec


def _widenable(spec: dict) -> bool:
    """A single or layered view whose width the builder left to the screen."""
    return not any(key in spec for key in ("facet", "vconcat", "hconcat", "concat", "repeat", "width"))


# The smallest text a slide may have, in px at the final size, per part of the config, with Vega's defaults:
# the builders size their text for a screen; a large chart scaled down would make it unreadable. Axis labels get
# more room before they are cut off ('…'), as they are larger now.
MIN_FONT_PX = {
    "axis": {"labelFontSize": (16, 10), "titleFontSize": (18, 11), "labelLimit": (0, 280)},
    "legend": {"labelFontSize": (16, 10), "titleFontSize": (18, 11)},
    "header": {"labelFontSize": (18, 10), "titleFontSize": (18, 11)},
    "title": {"fontSize": (20, 13), "subtitleFontSize": (16, 10)},
}


def _set_fonts(spec: dict, scale: float, base: dict) -> None:
    """Title and small print sized so that they read TITLE_PX and LINE_PX after scaling, and every other text
    of the chart at least MIN_FONT_PX (`base`: the chart's own config, before this)."""
    spec["title"].update(fontSize=round(TITLE_PX / scale, 2), subtitleFontSize=round(LINE_PX / scale, 2),
                         subtitlePadding=round(12 / scale, 2), subtitleLineHeight=round(LINE_PX * 1.35 / scale, 2),
                         offset=round(28 / scale, 2))
    config = spec.setdefault("config", {})
    for part, sizes in MIN_FONT_PX.items():
        own = base.get(part, {})
        for key, (least, default) in sizes.items():
            config.setdefault(part, {})[key] = round(max(float(own.get(key, default)), least / scale), 2)


def _svg_size(svg: str) -> tuple[float, float]:
    head = re.search(r"<svg\b[^>]*>", svg).group(0)
    return float(re.search(r'\bwidth="([\d.]+)"', head).group(1)), float(re.search(r'\bheight="([\d.]+)"', head).group(1))


def _unit(canvas: tuple[int, int]) -> float:
    """Pixels of this canvas per pixel of a 1920×1080 slide: text and margins scale with the canvas."""
    return canvas[1] / SLIDE_SIZE[1]


def _room(canvas: tuple[int, int]) -> tuple[float, float]:
    margin = MARGIN_PX * _unit(canvas)
    return canvas[0] - 2 * margin, canvas[1] - 2 * margin


def _fit(size: tuple[float, float], canvas: tuple[int, int]) -> float:
    room = _room(canvas)
    return min(room[0] / size[0], room[1] / size[1])


def _layout(chart, title: str, lines: Sequence[str], canvas: tuple[int, int]) -> tuple[dict, str, float]:
    """The final spec, its SVG and the scale at which it fills the canvas (within the margin)."""
    spec = _spec(chart, title, lines)
    base = copy.deepcopy(spec.get("config", {}))
    unit = _unit(canvas)
    scale = 1.0
    _set_fonts(spec, scale / unit, base)
    svg = vlc.vegalite_to_svg(spec)
    natural = _svg_size(svg)
    if _widenable(spec):
        # Widen the plot until the image has the canvas's proportions (the axis and labels keep their width).
        room = _room(canvas)
        target = natural[1] * room[0] / room[1]
        plot = max(MIN_PLOT_WIDTH, min(MAX_PLOT_WIDTH, 300 + target - natural[0]))
        spec["width"] = round(plot)
    for _ in range(4):  # font sizes depend on the scale, the size on the font sizes: settles in a few rounds
        scale = _fit(natural, canvas)
        _set_fonts(spec, scale / unit, base)
        svg = vlc.vegalite_to_svg(spec)
        natural = _svg_size(svg)
        if abs(_fit(natural, canvas) / scale - 1) < 0.02:
            break
    return spec, svg, _fit(natural, canvas)


def _png(svg: str, scale: float, canvas: tuple[int, int]) -> bytes:
    rendered = Image.open(io.BytesIO(vlc.svg_to_png(svg, scale=scale))).convert("RGBA")  # the SVG laid out already
    room = tuple(int(r) for r in _room(canvas))
    if rendered.width > room[0] or rendered.height > room[1]:  # rounding of the scale: never crop
        rendered.thumbnail(room, Image.Resampling.LANCZOS)
    page = Image.new("RGB", canvas, "white")
    page.paste(rendered, ((canvas[0] - rendered.width) // 2, (canvas[1] - rendered.height) // 2), rendered)
    out = io.BytesIO()
    page.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _svg(svg: str, scale: float, canvas: tuple[int, int]) -> bytes:
    inner = re.sub(r"^\s*<\?xml[^>]*>\s*", "", svg)
    width, height = _svg_size(inner)
    x, y = (canvas[0] - width * scale) / 2, (canvas[1] - height * scale) / 2
    w, h = canvas
    out = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" '
           f'width="{w}" height="{h}" viewBox="0 0 {w} {h}">'
           f'<rect width="{w}" height="{h}" fill="white"/>'
           f'<g transform="translate({x:.2f},{y:.2f}) scale({scale:.5f})">{inner}</g></svg>')
    return out.encode("utf-8")


def chart_image(chart: alt.TopLevelMixin, fmt: str, *, title: str, lines: Sequence[str] = (),
                size: tuple[int, int] = SLIDE_SIZE) -> bytes:
    """`chart` as PNG or SVG bytes of exactly `size` pixels: title and small print (`lines`) inside the image,
    the whole scaled to fit and centred on white. Pure: safe to call from a download button's thread."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"unknown image format {fmt!r}: png or svg")
    canvas = (int(size[0]), int(size[1]))
    _, svg, scale = _layout(chart, title, lines, canvas)
    return _png(svg, scale, canvas) if fmt == "png" else _svg(svg, scale, canvas)

