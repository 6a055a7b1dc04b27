"""The funder report: one self-contained HTML document with every theme's figures, for the page and the CLI.

Built from the same registry as the presentation slides (`views.figures`): each figure's chart, its table as the
page shows it ('<10' and '×' where hidden), n, definition and what was left out. Pure (no st.* calls): the page
offers the result as a download, the command line writes it to a file. Everything is inline (CSS, charts as SVG),
so the file can be mailed, archived and printed without a network.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from html import escape
from zoneinfo import ZoneInfo

import altair as alt
import pandas as pd

from gezinsmonitor import config, disclosure, filters, formatting, suppression

from . import figure, images, views
from .context import PageContext


TITLE = "Gezinsmonitor — rapport voor fondsen"
DEFINITIONS_ID = "definities"
CHART_SIZE = (1200, 760)  # px: printed ~680 px wide, the image's smallest text (16 px) still reads ~9 px
TIMEZONE = ZoneInfo("Europe/Amsterdam")
THEME_TEXT = {"Hulpvragen": "hulpvragen", "Trajectduur": "de duur van trajecten", "Voortgang": "voortgang",
              "Inzet": "inzet (uren steun)"}

CSS = """
:root { --ink: #1B1B1B; --muted: #4B5563; --line: #D1D5DB; --accent: #1F3A5F; --soft: #F3F4F6; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); font: 11pt/1.45 "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
h1 { font-size: 2rem; line-height: 1.15; margin: .2rem 0 1.2rem; color: var(--accent); }
h2 { font-size: 1.5rem; margin: 0 0 1rem; color: var(--accent); border-bottom: 2px solid var(--accent);
     padding-bottom: .2rem; }
h3 { font-size: 1.2rem; margin: 0 0 .3rem; }
a { color: var(--accent); }
.kicker { text-transform: uppercase; letter-spacing: .08em; color: var(--muted); margin: 0; font-size: .9rem; }
.cover { padding-bottom: 1.5rem; margin-bottom: 2rem; border-bottom: 1px solid var(--line); }
.cover dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.2rem; margin: 0; }
.cover dt { font-weight: 600; }
.cover dd { margin: 0; }
.notice { background: var(--soft); border-left: 4px solid var(--accent); padding: .6rem .9rem; margin: 1rem 0 0; }
.toc ol { margin: .2rem 0; padding-left: 1.4rem; }
.toc > ol > li { margin-top: .4rem; font-weight: 600; }
.toc ol ol li { font-weight: 400; }
section { margin-top: 2.5rem; }
.figure { margin: 0 0 2.5rem; }
.takeaway { font-size: 1.1rem; color: var(--accent); margin: 0 0 .8rem; }
.chart { margin: 0 0 .6rem; border: 1px solid var(--line); }
.chart > svg { display: block; width: 100%; height: auto; }
.n { font-weight: 600; margin: .4rem 0; }
.table-wrap { overflow-x: auto; margin: .4rem 0 .8rem; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.small { color: var(--muted); font-size: .92rem; margin: 0; }
.small dt { font-weight: 600; color: var(--ink); margin-top: .3rem; }
.small dd { margin: 0; }
.empty { background: var(--soft); padding: .8rem 1rem; }
.definitions dt { font-weight: 600; margin-top: .6rem; }
.definitions dd { margin: 0; }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line);
         padding-top: .6rem; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .cover { border-bottom: none; }
  section.theme, section.definitions { break-before: page; margin-top: 0; }
  h2, h3, .takeaway { break-after: avoid; }
  .chart { break-inside: avoid; border: none; }
  .chart > svg { max-height: 160mm; }
  .table-wrap { overflow: visible; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
}
"""


# -- small helpers ---------------------------------------------------------------------------
def _e(value) -> str:
    """Every text that reaches the document goes through here: organisation names are user input."""
    return escape(str(value), quote=True)


def theme_anchor(theme: str) -> str:
    """The id of a theme's section."""
    return f"thema-{figure.file_name(theme)}"


def anchor(figure_key: str) -> str:
    """The id of a figure's block (the table of contents links to it)."""
    return f"figuur-{figure.file_name(figure_key)}"


def _period_text(ctx: PageContext) -> str:
    if ctx.filters.period is not None:
        lo, hi = ctx.filters.period
        return f"{formatting.date(lo)} t/m {formatting.date(hi)} (trajecten die ergens in deze periode liepen)"
    bounds = filters.period_bounds(ctx.full)
    if bounds is None:
        return "de hele looptijd van de gegevens"
    return f"de hele looptijd van de gegevens ({formatting.date(bounds[0])} t/m {formatting.date(bounds[1])})"


def _organisations_text(ctx: PageContext) -> str:
    if ctx.filters.organisations is not None:
        return ", ".join(ctx.filters.organisations) or "geen"
    present = sorted({o for o in ctx.data.families["organisation"].dropna()})
    return "alle organisaties" + (f" ({len(present)}): " + ", ".join(present) if present else "")


def _role_text(ctx: PageContext) -> str:
    principal = ctx.access.principal
    text = ctx.access.role.label
    if principal.organisation:
        text += f" ({ctx.names.get(principal.organisation, principal.organisation)})"
    if principal.demo:
        text += " — demomodus, zonder inloggen"
    return text


def protected(ctx: PageContext) -> bool:
    """Whether small counts are hidden for this report's viewer (anyone who does not own every row)."""
    return not disclosure.owner_of(ctx.data)


def suppression_text(ctx: PageContext) -> str:
    k = ctx.access.k
    return (f"Kleine aantallen zijn verborgen om gezinnen te beschermen: '{suppression.label(k)}' betekent minder "
            f"dan {k} gezinnen; '{suppression.HIDDEN_MARK}' staat voor een getal dat verborgen is omdat het anders uit "
            "een totaal terug te rekenen is. Percentages en gemiddelden van zulke groepen zijn ook verborgen.")


# -- charts and tables -------------------------------------------------------------------------
def _svg(ctx: PageContext, fig: views.Figure) -> str:
    """The chart as SVG text, with n, data version and source inside the image (a chart copied out of the report
    keeps them). The figure's short question is the image's title and the chart's own title (it names the
    measure) a line of small print: a long title at the image's title size would leave little room for the chart
    on a page-sized canvas."""
    own, subtitle = images.title_text(fig.chart.to_dict().get("title"))
    chart = fig.chart.copy(deep=False)  # a shallow copy: the figure's chart keeps its title
    chart.title = alt.Undefined
    lines = [line for line in (own if own.lower() != fig.title.lower() else "", *subtitle, fig.n_text,
                               f"Gegevens: {ctx.version} · {images.SOURCE}") if line]
    return images.chart_image(chart, "svg", title=fig.title, lines=lines, size=CHART_SIZE).decode("utf-8")


def inline_svg(svg: str, prefix: str, label: str) -> str:
    """An SVG ready to sit in the HTML: no XML declaration, ids made unique per figure (several charts in one
    document would otherwise share clip paths and gradients) and an accessible label."""
    svg = re.sub(r"^\s*<\?xml[^>]*>\s*", "", svg)
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    svg = re.sub(r'((?:xlink:)?href)="#([^"]+)"', lambda m: f'{m.group(1)}="#{prefix}-{m.group(2)}"', svg)
    return re.sub(r"<svg\b", f'<svg role="img" aria-label="{_e(label)}"', svg, count=1)


def _numeric(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def cell_text(value) -> str:
    """A table cell as the page shows it: text as it is (incl. '<10' and '×'), numbers in Dutch notation."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT:
        return formatting.MISSING
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if _numeric(value):
        return formatting.count(value) if float(value).is_integer() else formatting.number(value, 1)
    return str(value)


_NUMBERLIKE = re.compile(r"^[<×–\d.,%\s-]+$")


def table_html(table: pd.DataFrame) -> str:
    columns = list(table.columns)
    numeric = [pd.api.types.is_numeric_dtype(table[c]) or
               bool(table[c].map(lambda v: bool(_NUMBERLIKE.match(cell_text(v)))).all()) for c in columns]
    num_class = ' class="num"'
    head = "".join(f'<th scope="col"{num_class if num else ""}>{_e(c)}</th>' for c, num in zip(columns, numeric))
    rows = []
    for record in table.itertuples(index=False, name=None):
        cells = "".join(f'<td{num_class if num else ""}>{_e(cell_text(v))}</td>' for v, num in zip(record, numeric))
        rows.append(f"<tr>{cells}</tr>")
    return f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


# -- the document ----------------------------------------------------------------------------
def _figure_html(ctx: PageContext, fig: views.Figure) -> str:
    here = anchor(fig.key)
    parts = [f'<article class="figure" id="{here}">', f"<h3>{_e(fig.title)}</h3>",
             f'<p class="takeaway">{_e(fig.takeaway)}</p>',
             f'<div class="chart">{inline_svg(_svg(ctx, fig), here, fig.title)}</div>',
             f'<p class="n">{_e(fig.n_text)}</p>']
    if fig.table is not None and not fig.table.empty:
        parts.append(table_html(fig.table))
    parts.append('<dl class="small">'
                 f"<dt>Definitie</dt><dd>{_e(fig.definition)}</dd>"
                 f"<dt>Niet meegeteld</dt><dd>{_e(figure.excluded_text(ctx, fig.excluded))}</dd></dl>")
    parts.append("</article>")
    return "".join(parts)


def _theme_html(ctx: PageContext, number: int, theme: str, figs: list[views.Figure]) -> str:
    body = ("".join(_figure_html(ctx, f) for f in figs) if figs else
            f'<p class="empty">Geen gegevens over {_e(THEME_TEXT.get(theme, theme.lower()))} voor de gekozen periode '
            "en organisaties. Dit thema blijft daarom leeg.</p>")
    return (f'<section class="theme" id="{theme_anchor(theme)}"><h2>{number}. {_e(theme)}</h2>{body}</section>')


def _toc_html(grouped: list[tuple[str, list[views.Figure]]]) -> str:
    items = []
    for i, (theme, figs) in enumerate(grouped, start=1):
        sub = "".join(f'<li><a href="#{anchor(f.key)}">{_e(f.title)}</a></li>' for f in figs)
        sub = f"<ol>{sub}</ol>" if sub else "<ol><li>geen gegevens</li></ol>"
        items.append(f'<li><a href="#{theme_anchor(theme)}">{_e(theme)}</a>{sub}</li>')
    items.append(f'<li><a href="#{DEFINITIONS_ID}">Definities en bronnen</a></li>')
    return f'<nav class="toc" aria-label="Inhoud"><h2>Inhoud</h2><ol>{"".join(items)}</ol></nav>'


def _cover_html(ctx: PageContext, title: str, generated: dt.datetime) -> str:
    rows = [("Periode", _period_text(ctx)), ("Organisaties", _organisations_text(ctx)),
            ("Peildatum", formatting.date(ctx.peildatum)),
            ("Gemaakt op", f"{formatting.date(generated)} om {generated:%H:%M}"),
            ("Gegevensversie", ctx.version), ("Opgesteld als", _role_text(ctx))]
    notes = []
    if protected(ctx):
        notes.append(suppression_text(ctx))
    if ctx.names:
        notes.append("Namen verborgen: organisaties heten Organisatie A, B, C …; de bestandsnaam van de laatste "
                     "upload is weggelaten.")
    return ('<header class="cover"><p class="kicker">Gezinsmonitor</p>'
            f"<h1>{_e(title)}</h1><dl>"
            + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows) + "</dl>"
            + "".join(f'<p class="notice">{_e(n)}</p>' for n in notes) + "</header>")


def _definitions_html(ctx: PageContext, figs: Iterable[views.Figure]) -> str:
    entries = "".join(f"<dt>{_e(f.theme)} — {_e(f.title)}</dt><dd>{_e(f.definition)}</dd>" for f in figs)
    general = [
        f"Gegevensversie: {ctx.version}.",
        f"{images.SOURCE}.",
        f"Filters: {figure.filters_text(ctx)}.",
        ("Percentages staan waar vermeld met een 95%-betrouwbaarheidsinterval (Wilson). Vergelijk groepen kleiner "
         f"dan {config.min_n()} gezinnen met voorzichtigheid: een verschil kan toeval zijn."),
    ]
    if protected(ctx):
        general.append(suppression_text(ctx))
    entries = entries or "<dt>Geen figuren</dt><dd>Er zijn geen gegevens voor deze keuze.</dd>"
    return (f'<section class="definitions" id="{DEFINITIONS_ID}"><h2>Definities en bronnen</h2>'
            f'<dl class="definitions">{entries}</dl>' + "".join(f"<p>{_e(line)}</p>" for line in general)
            + "</section>")


def sections(ctx: PageContext) -> list[tuple[str, list[views.Figure]]]:
    """Per theme (in `views.THEMES` order) the figures that have data; a theme without any keeps an empty list."""
    figs = views.figures(ctx)
    return [(theme, [f for f in figs if f.theme == theme]) for theme in views.THEMES]


def build_report(ctx: PageContext, grouped: list[tuple[str, list[views.Figure]]] | None = None) -> str:
    """The whole report as one HTML document (see the module docstring). `grouped` reuses `sections(ctx)`
    when the caller already built it (the page shows a preview of it)."""
    title = TITLE
    generated = dt.datetime.now(TIMEZONE)
    grouped = sections(ctx) if grouped is None else grouped
    body = [_cover_html(ctx, title, generated), _toc_html(grouped)]
    body += [_theme_html(ctx, i, theme, figs) for i, (theme, figs) in enumerate(grouped, start=1)]
    body.append(_definitions_html(ctx, [f for _, figs in grouped for f in figs]))
    body.append(f"<footer>{_e(title)} · {_e(ctx.version)} · gemaakt op {_e(formatting.date(generated))}</footer>")
    return ("<!DOCTYPE html>\n"
            f'<html lang="nl"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{CSS}</style></head>"
            f"<body><main>{''.join(body)}</main></body></html>\n")


def file_name(peildatum: dt.date) -> str:
    return f"gezinsmonitor-rapport-{peildatum:%Y-%m-%d}.html"


NO_FAMILIES = ("Er zijn geen gezinnen met een traject in deze periode bij deze organisaties. Kies een ruimere "
               "periode of andere organisaties.")
NO_TRAJECTORIES = "Er zijn nog geen trajecten om over te rapporteren."
