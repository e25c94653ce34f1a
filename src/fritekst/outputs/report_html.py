"""The HTML report: one self-contained page (inline CSS and SVG, no network).

Its only script makes a chart's PNG download in the browser from the chart's own SVG (drawn on a
canvas at twice its size), so no PNG is rendered while the report is written (resvg cost ~3 s of
CPU for the 67 charts of the shipped example). Without scripts the page reads the same, and every
chart is still downloadable as ``charts/<name>.svg``.

Laid out like a chapter of an annual report: the link to the published table first (with any
mismatch in red at the very top), then who was asked and who answered, then per open question the
theme shares with confidence intervals, the trend across years, the differences between groups,
which themes occur together, and quotes in the respondents' own words. Everything prints on A4.
"""

from __future__ import annotations

from typing import Any, cast

import math
import re
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from html import escape

import pandas as pd

from .._version import __version__
from .report import (QuestionReport, Report, TableReport, column_label, grouping_label, published_cell,
                     published_count)
from .texts import Texts, unbreakable_numbers
from ..analysis.summary import ALL, NO_THEME
from ..rules.codebook import PALETTE
from .svg import Bar, Line, bar_chart, heatmap, line_chart, nice_max

#: Panels per grouping in the "by group" charts: the most frequent themes only.
PANEL_THEMES = 6
#: Trend lines drawn (the most frequent themes); the table below the chart has them all.
TREND_LINES = 6
#: Chart labels up to this many characters are shown whole (the example's longest theme has 42); longer
#: ones are shortened with "…", the whole name in the tooltip and beside the chart in the table.
LABEL_CHARS = 48
NO_THEME_COLOUR = "#9e9e9e"

CSS = """
:root { --ink: #1d1d1f; --muted: #5f6368; --rule: #d0d4d9; --warn: #b3261e; --ok: #1e7d32; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f5f7; color: var(--ink);
       font: 15px/1.5 "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; }
main { max-width: 1000px; margin: 0 auto; background: #fff; padding: 36px 48px 48px; }
h1 { font-size: 26px; line-height: 1.25; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 40px 0 10px; padding-top: 14px; border-top: 2px solid var(--ink); }
h3 { font-size: 16px; margin: 26px 0 8px; }
h4 { font-size: 14px; margin: 18px 0 6px; }
p { margin: 6px 0 10px; }
.meta, .note, figcaption { color: var(--muted); font-size: 13px; }
.lead { font-size: 16px; }
nav ol { margin: 6px 0 0; padding-left: 22px; columns: 2; font-size: 14px; }
a { color: #1a5fb4; }
table { border-collapse: collapse; margin: 8px 0 6px; font-size: 13.5px; }
caption { text-align: left; font-weight: bold; padding: 4px 0 6px; font-size: 14px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); text-align: left; vertical-align: bottom; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
main svg { max-width: 100%; height: auto; }
tbody tr:nth-child(even) { background: #f8f9fa; }
tr.total td { font-weight: bold; }
tr.notheme td { color: var(--muted); font-style: italic; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
.bad { color: var(--warn); font-weight: bold; }
.good { color: var(--ok); }
.warning { border: 2px solid var(--warn); background: #fdecea; padding: 12px 18px; margin: 18px 0;
           border-radius: 4px; }
.warning h2 { border: 0; margin: 0 0 6px; padding: 0; color: var(--warn); font-size: 18px; }
.warning ul { margin: 4px 0; padding-left: 20px; }
.allgood { border-left: 4px solid var(--ok); background: #edf7ee; padding: 8px 14px; }
figure { margin: 12px 0 18px; }
.panels { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 10px 28px; }
.panels svg { max-width: 100%; height: auto; }
blockquote { margin: 8px 0 12px; padding: 6px 14px; border-left: 4px solid var(--rule);
             background: #fafafa; font-style: italic; }
blockquote footer { font-style: normal; color: var(--muted); font-size: 12.5px; margin-top: 2px; }
mark { background: #fff1a8; padding: 0 1px; }
.tests li { margin-bottom: 4px; }
.downloads { display: block; font-size: 12px; color: var(--muted); margin: 2px 0 6px; }
.downloads button { font: inherit; color: #1a5fb4; background: none; border: 0; padding: 0;
                    text-decoration: underline; cursor: pointer; }
footer.method { margin-top: 44px; border-top: 1px solid var(--rule); padding-top: 10px; }
@media print {
  @page { size: A4; margin: 18mm 16mm; }
  body { background: #fff; font-size: 10.5pt; }
  main { padding: 0; max-width: none; }
  nav, .downloads { display: none; }
  section[id^="q-"] { break-before: page; }
  h2, h3, h4 { break-after: avoid; }
  figure, table, blockquote, tr { break-inside: avoid; }
  svg { max-width: 100%; height: auto; }
  a { color: inherit; text-decoration: none; }
  tbody tr:nth-child(even) { background: none; }
}
"""


#: Saves a chart as PNG: its inline SVG drawn at twice its size on a white canvas. The SVG is the
#: one in the page (not charts/<name>.svg), so it also works on a page opened from an e-mail.
PNG_SCRIPT = """
document.addEventListener('click', function (event) {
  var button = event.target.closest ? event.target.closest('button[data-png]') : null;
  if (!button) { return; }
  var svg = button.parentNode.previousElementSibling;
  var width = parseFloat(svg.getAttribute('width')), height = parseFloat(svg.getAttribute('height'));
  var image = new Image();
  image.onload = function () {
    var canvas = document.createElement('canvas');
    canvas.width = Math.round(width * 2); canvas.height = Math.round(height * 2);
    var context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    canvas.toBlob(function (blob) {
      var link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = button.getAttribute('data-png');
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    }, 'image/png');
  };
  image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(svg));
});
"""

#: The charts of the page being rendered, file stem → SVG text (see :func:`render_html`).
_CHARTS: ContextVar[dict[str, str] | None] = ContextVar("charts", default=None)
#: The texts of the page being rendered (its report's language).
_TEXTS: ContextVar[Texts | None] = ContextVar("texts", default=None)


def _tr() -> Texts:
    texts = _TEXTS.get()
    assert texts is not None, "only called while render_html runs"
    return texts


def _chart(svg: str, stem: str) -> str:
    """A chart inline, registered for download as ``charts/<stem>.svg``, with a link to that file and a
    button that saves it as ``<stem>.png`` (made by :data:`PNG_SCRIPT` in the browser)."""
    charts = _CHARTS.get()
    if charts is None:
        return svg
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in stem)
    while stem in charts:
        stem += "-x"
    charts[stem] = svg
    return (f'{svg}<span class="downloads">{_e(_tr()("html_download"))} <a href="charts/{_e(stem)}.svg" download>SVG</a> · '
            f'<button type="button" data-png="{_e(stem)}.png">PNG</button></span>')


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _colour(report_question: QuestionReport, code_id: str) -> str:
    """The theme's colour: its place among the question's themes in :data:`PALETTE` (codebook colours
    are not used, as nothing guarantees they are distinguishable)."""
    if code_id == NO_THEME:
        return NO_THEME_COLOUR
    themes = [t for t in report_question.base.theme_ids if t != NO_THEME]
    index = themes.index(code_id) if code_id in themes else 0
    return PALETTE[index % len(PALETTE)]


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, numeric: Sequence[int] = (),
           caption: str = "", row_classes: Sequence[str] | None = None) -> str:
    """An HTML table; cells are already-escaped HTML; columns listed in ``numeric`` align right."""
    parts = ["<table>"]
    if caption:
        parts.append(f"<caption>{caption}</caption>")
    parts.append("<thead><tr>" + "".join(
        f'<th class="num">{h}</th>' if i in numeric else f"<th>{h}</th>" for i, h in enumerate(headers))
        + "</tr></thead><tbody>")
    for index, row in enumerate(rows):
        css = row_classes[index] if row_classes and index < len(row_classes) else ""
        parts.append(f'<tr class="{css}">' if css else "<tr>")
        parts.append("".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
                             for i, c in enumerate(row)))
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _anchor(question: QuestionReport) -> str:
    return "q-" + "".join(ch if ch.isalnum() else "-" for ch in question.base.column)


def render_html(report: Report, charts: dict[str, str] | None = None) -> str:
    """The whole report as one HTML document (UTF-8 text).

    With ``charts`` (a dict to fill), every chart is also collected there by file stem and the page
    links to ``charts/<stem>.svg`` beside it and offers it as PNG (made in the browser).
    """
    token = _CHARTS.set(charts)
    texts = _TEXTS.set(report.texts)
    try:
        return _render(report)
    finally:
        _TEXTS.reset(texts)
        _CHARTS.reset(token)


def _render(report: Report) -> str:
    tr = report.texts
    years = report.years
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (tr.year(years[0]) if years else "")
    meta = tr("html_meta", source=report.source, span=span, version=__version__, coding=report.codings_source,
              years_word=tr("years" if len(years) > 1 else "year"))
    head = (f'<!DOCTYPE html><html lang="{report.lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="fritekst {__version__}">'
            f"<title>{_e(report.title)}</title><style>{CSS}</style></head><body><main>")
    parts = [head, f"<header><h1>{_e(report.title)}</h1>",
             f'<p class="meta">{_e(meta)}</p></header>']
    parts.append(_warnings(report))
    parts.append(_contents(report))
    for table in report.tables:
        parts.append(_table_section(table, report))
    parts.append(_response_section(report))
    for question in report.questions:
        parts.append(_question_section(report, question))
    parts.append(_method_notes(report))
    parts.append(f"</main><script>{PNG_SCRIPT}</script></body></html>")
    return _numbers_on_one_line("".join(parts))


#: What of a page is not running text: a chart, the script and style, and every tag (with its
#: attributes, whose values must stay exactly as written: links, file names).
_NOT_TEXT = re.compile(r"(<svg\b.*?</svg>|<script\b.*?</script>|<style\b.*?</style>|<[^>]*>)", re.S)


def _numbers_on_one_line(page: str) -> str:
    """The page with no line breaking inside a number ("5 000", "38 %", "37–76 %", "p < 0,001") in its
    text: sentences, table cells, quotes (see :func:`~.texts.unbreakable_numbers`)."""
    pieces = _NOT_TEXT.split(page)
    # split() with one group alternates text (even) and markup (odd)
    return "".join(piece if index % 2 else unbreakable_numbers(piece) for index, piece in enumerate(pieces))


def _warnings(report: Report) -> str:
    tr = report.texts
    if not report.warnings:
        if report.tables:
            return f'<p class="allgood">{_e(tr("html_all_good"))}</p>'
        return ""
    items = "".join(f"<li>{_e(w)}</li>" for w in report.warnings)
    return (f'<section class="warning" role="alert"><h2>{_e(tr("html_warnings_title", n=len(report.warnings)))}'
            f'</h2><ul>{items}</ul><p>{_e(tr("html_warnings_note"))}</p></section>')


def _contents(report: Report) -> str:
    items = [f'<li><a href="#tabell-{_e(t.spec.id)}">{_e(t.spec.title)}</a></li>' for t in report.tables]
    items.append(f'<li><a href="#svarinngang">{_e(report.texts("who_answered"))}</a></li>')
    items += [f'<li><a href="#{_anchor(q)}">{_e(q.spec.label)}</a></li>' for q in report.questions]
    return f'<nav><strong>{_e(report.texts("html_contents"))}</strong><ol>{"".join(items)}</ol></nav>'


def _table_section(table: TableReport, labels: Report) -> str:
    tr = labels.texts
    link = table.link
    answers = table.answers()
    grid = table.rows()
    rows = []
    for year, found in grid:
        cells = [_e(tr.year(year))]
        for row in found:
            if row is None:
                cells.append("")
                continue
            number = f"{row.published_pct:g}"  # as published: 58 or 57.5
            pct = ("" if pd.isna(row.published_pct) else
                   f" ({number.replace('.', ',')} %)" if tr.lang == "nb" else f" ({number}%)")
            if row.match:
                cells.append(f"{int(row.published_n)}{_e(pct)}")
            else:
                published = published_count(row)
                title = tr("html_cell_mismatch", published=published, n=int(row.corpus_n))
                cells.append(f'<span class="bad" title="{_e(title)}">{published} ≠ {int(row.corpus_n)} '
                             f'{tr("mismatch_mark")}</span>')
        rows.append(cells)
    years = [year for year, _ in grid]
    matches = (tr("html_table_matches") if len(years) != 1 else tr("html_table_matches_year", year=years[0]))
    verdict = (f'<p class="good">{_e(matches)}</p>' if table.matches else
               f'<p class="bad">{_e(tr("html_table_differs", n=int((~link["match"]).sum())))}</p>')
    population = ", ".join(f"{column_label(k, labels)} = {' / '.join(v)}" for k, v in table.spec.population.items())
    note = tr("html_table_note", column=column_label(table.spec.column, labels),
              among=tr("html_among", population=population) if population else "")
    return (f'<section id="tabell-{_e(table.spec.id)}"><h2>{_e(table.spec.title)}</h2>'
            f'<p class="note">{_e(note)}</p>'
            + _table([_e(tr("year")), *[_e(a) for a in answers]], rows, numeric=range(1, len(answers) + 1))
            + verdict + "</section>")


def _response_section(report: Report) -> str:
    tr = report.texts
    parts = [f'<section id="svarinngang"><h2>{_e(tr("who_answered"))}</h2>']
    latest = report.years[-1] if report.years else ALL
    sentences = []
    for question in report.questions:
        row = question.overview[question.overview["year"] == latest]
        if row.empty:
            continue
        r = row.iloc[0]
        follows = " / ".join(v for values in question.spec.asked_if.values() for v in values)
        quoted = (" (" + _e(tr("quoted", text=follows)) + ")") if follows else ""
        answered = tr("html_answered_item", n=r["n_answered"], total=r["n_asked"])
        sentences.append(f"<li>{_e(question.spec.label)}{quoted}: {answered} ({_e(tr.pct(r['pct_answered']))}).</li>")
    if sentences:
        parts.append(f'<p class="lead">{_e(tr("html_in_year", year=tr.year(latest)))}</p><ul>{"".join(sentences)}</ul>')
    headers = [_e(tr(key)) for key in ("question", "year", "published", "asked", "answered", "share_answered",
                                       "answered_not_asked")]
    rows, classes = [], []
    for question in report.questions:
        for r in cast(list[dict[str, Any]], question.overview.to_dict("records")):
            cell = published_cell(r, lambda text: f'<span class="bad">{text}</span>', report.lang)
            year = _e(tr.year(r["year"])).replace(" ", "\xa0")  # "Alle år" on one line in a narrow column
            rows.append([_e(question.base.column), year, cell,
                         str(r["n_asked"]), str(r["n_answered"]), _e(tr.pct(r["pct_answered"])),
                         str(r["n_answered_not_asked"])])
            classes.append("total" if r["year"] == ALL else "")
    parts.append(_table(headers, rows, numeric=(2, 3, 4, 5, 6), row_classes=classes))
    parts.append(f'<p class="note">{_e(tr("html_response_note"))}</p></section>')
    return "".join(parts)


def _themes_in_year(question: QuestionReport, year: str) -> pd.DataFrame:
    freq = question.frequencies
    return freq[(freq["year"] == year) & (freq["group_by"] == ALL)]


def _question_section(report: Report, question: QuestionReport) -> str:
    labels = report
    tr = report.texts
    spec = question.spec
    latest = question.latest_year
    themes = _themes_in_year(question, latest)
    asked = ("; ".join(f"{column_label(k, labels)} = {' / '.join(v)}" for k, v in spec.asked_if.items())
             or tr("everyone"))
    meta = tr("html_question_meta", column=_e(question.base.column), asked=_e(asked),
              codebook=_e(question.codebook.title))
    parts = [f'<section id="{_anchor(question)}"><h2>{_e(spec.label)}</h2>',
             f'<p class="meta">{meta}</p>']
    if themes.empty or int(themes["n_answered"].iloc[0]) == 0:
        parts.append(f"<p>{_e(tr('html_no_answers', year=tr.year(latest)))}</p></section>")
        return "".join(parts)
    parts.append(_lead_sentence(question, themes, latest))
    parts.append(_theme_table_and_chart(question, themes, latest))
    if len(question.base.years) > 1:
        parts.append(_trend_chart(question))
    for grouping in report.group_by:
        parts.append(_group_panels(question, grouping, latest, report))
    parts.append(_tests(question, latest, report))
    parts.append(_cooccurrence(question))
    parts.append(_quotes(question))
    parts.append("</section>")
    return "".join(parts)


def _lead_sentence(question: QuestionReport, themes: pd.DataFrame, year: str) -> str:
    n_answered = int(themes["n_answered"].iloc[0])
    n_group = int(themes["n_group"].iloc[0])
    ranked = themes[(themes["code_id"] != NO_THEME) & (themes["n_coded"] > 0)]
    ranked = ranked[~ranked["code_id"].isin(_parents(question))].sort_values("n_coded", ascending=False,
                                                                             kind="mergesort")
    tr = _tr()
    top = [tr("html_top_theme", label=r.code_label, pct=tr.pct(r.pct), ci=tr.ci(r.ci_low, r.ci_high))
           for r in ranked.head(3).itertuples()]
    none = themes[themes["code_id"] == NO_THEME].iloc[0]
    text = tr("html_lead", year=tr.year(year), n_group=n_group, n=n_answered,
              pct=tr.pct(n_answered / n_group if n_group else math.nan))
    if top:
        text += tr("html_lead_top", top="; ".join(top))
    text += tr("html_lead_none", n=int(none["n_coded"]), pct=tr.pct(none["pct"]))
    return f'<p class="lead">{_e(text)}</p>'


def _parents(question: QuestionReport) -> set[str]:
    return {code.parent for code in question.codebook.codes if code.parent}


def _theme_table_and_chart(question: QuestionReport, themes: pd.DataFrame, year: str) -> str:
    tr = _tr()
    parents = _parents(question)
    by_code = {r["code_id"]: r for r in themes.to_dict("records")}
    bars = []
    ever = _ever_coded(question)
    for code_id in question.base.theme_ids:
        r = by_code[code_id]
        if code_id not in ever:
            continue
        bars.append(Bar(r["code_label"], r["pct"], r["ci_low"],
                        r["ci_high"], _colour(question, code_id),
                        f"{tr.pct(r['pct'])} ({r['n_coded']})"))
    n_answered = int(themes["n_answered"].iloc[0])
    chart = bar_chart(bars, title=tr("chart_share", year=tr.year(year), n=n_answered), label_chars=LABEL_CHARS)
    trend_years = question.base.years if len(question.base.years) > 1 else []
    headers = [_e(tr(key)) for key in ("theme", "count", "share", "ci95")] + [_e(y) for y in trend_years]
    rows, classes = [], []
    for code_id in question.base.theme_ids:
        r = by_code[code_id]
        indent = "&nbsp;&nbsp;&nbsp;&nbsp;" * _depth(question, code_id)
        name = (f'{indent}<span class="swatch" style="background:{_e(_colour(question, code_id))}"></span>'
                f"{_e(r['code_label'])}")
        cells = [name, str(r["n_coded"]), _e(tr.pct(r["pct"])), _e(tr.ci(r["ci_low"], r["ci_high"]))]
        for y in trend_years:
            found = question.whole_sample(y, code_id)
            cells.append(_e(tr.pct(found["pct"])) if found else "–")
        rows.append(cells)
        classes.append("notheme" if code_id == NO_THEME else ("total" if code_id in parents else ""))
    caption = _e(tr("html_themes_caption", year=tr.year(year), n=n_answered)
                 + (tr("html_themes_caption_years") if trend_years else ""))
    table = _table(headers, rows, numeric=range(1, 4 + len(trend_years)), caption=caption,
                   row_classes=classes)
    # themes only: "answered, but no theme" is left out of the figure when it is 0, but is no theme
    left_out = sum(code_id not in ever for code_id in question.base.code_ids)
    when = tr.when(question.base.years)
    note = ("<figcaption>" + _e(tr("html_themes_figure")
                                + (tr("html_themes_left_out_one", when=when) if left_out == 1 else
                                   tr("html_themes_left_out", n=left_out, when=when) if left_out else ""))
            + "</figcaption>")
    return (f"<h3>{_e(tr('themes'))}</h3><figure>{_chart(chart, f'{question.base.column}-temaer')}{note}</figure>"
            f"{table}")


def _ever_coded(question: QuestionReport) -> set[str]:
    """Themes that at least one respondent got in some selected year (the others clutter charts)."""
    freq = question.frequencies
    return set(freq.loc[(freq["group_by"] == ALL) & (freq["n_coded"] > 0), "code_id"])


def _depth(question: QuestionReport, code_id: str) -> int:
    depth, current = 0, code_id
    while current in question.base.code_ids:
        parent = question.codebook.code(current).parent
        if not parent:
            break
        depth, current = depth + 1, parent
    return depth


def _top_themes(question: QuestionReport, year: str, count: int) -> list[str]:
    themes = _themes_in_year(question, year)
    leaves = themes[~themes["code_id"].isin(_parents(question)) & (themes["n_coded"] > 0)
                    & (themes["code_id"] != NO_THEME)]
    return leaves.sort_values("n_coded", ascending=False, kind="mergesort")["code_id"].head(count).tolist()


def _trend_chart(question: QuestionReport) -> str:
    years = question.base.years
    lines = []
    for code_id in _top_themes(question, ALL, TREND_LINES):
        values = []
        for y in years:
            found = question.whole_sample(y, code_id)
            values.append(float(found["pct"]) if found else math.nan)
        lines.append(Line(question.base.labels[code_id], values, _colour(question, code_id)))
    if not lines:
        return ""
    tr = _tr()
    chart = line_chart(years, lines, title=tr("chart_share_per_year"), label_chars=LABEL_CHARS)
    chart = _chart(chart, f"{question.base.column}-utvikling")
    return (f"<h3>{_e(tr('html_trend'))}</h3><figure>{chart}<figcaption>"
            f"{_e(tr('html_trend_figure', n=len(lines)))}</figcaption></figure>")


def _group_panels(question: QuestionReport, grouping: str, year: str, labels: Report) -> str:
    tr = labels.texts
    freq = question.frequencies
    subset = freq[(freq["year"] == year) & (freq["group_by"] == grouping)]
    if subset.empty:
        return ""
    themes = _top_themes(question, year, PANEL_THEMES)
    shown = subset[subset["code_id"].isin(themes)]
    name = column_label(grouping, labels)
    if len(shown) and bool((shown["small_cell"] != "").all()):
        # Every bar would be an empty "n < 5": one line says so instead of a page of blank charts.
        return (f"<h3>{_e(tr('html_by_group', name=name, year=tr.year(year)))}</h3><p class=\"note\">"
                + _e(_all_small_note(tr, shown["group"].nunique(), labels.min_group_size)) + "</p>")
    # One scale for all panels of a grouping, so that bars can be compared across themes.
    axis_max = nice_max(float(shown["ci_high"].max())) if len(shown) else 1.0
    panels = []
    # One pass over the rows (a boolean mask per theme cost more than the charts themselves).
    by_theme: dict[str, list[dict[str, Any]]] = {code_id: [] for code_id in themes}
    for r in shown[["code_id", "group", "pct", "ci_low", "ci_high", "small_cell", "n_answered"]].to_dict("records"):
        by_theme[r["code_id"]].append(r)
    for code_id in themes:
        bars = [Bar(str(r["group"]), r["pct"], r["ci_low"], r["ci_high"], _colour(question, code_id),
                    r["small_cell"] if r["small_cell"] else tr("answered_of", n=tr.pct(r["pct"]),
                                                               total=r["n_answered"]))
                for r in by_theme[code_id]]
        panels.append("<div>" + _chart(bar_chart(bars, title=question.base.labels[code_id], width=440,
                                                 label_chars=26, axis_max=axis_max, bar_height=12),
                                       f"{question.base.column}-{grouping}-{code_id}") + "</div>")
    if not panels:
        return ""
    return (f"<h3>{_e(tr('html_by_group', name=name, year=tr.year(year)))}</h3><figure><div class=\"panels\">"
            + "".join(panels) + "</div><figcaption>"
            + _e(tr("html_group_figure", n=len(panels), minimum=labels.min_group_size)) + "</figcaption></figure>")


def _all_small_note(tr: Any, groups: int, minimum: int) -> str:
    key = "html_group_both_small" if groups == 2 else "html_group_all_small"  # "Begge", not "Alle 2"
    return str(tr(key, groups=groups, minimum=minimum))


def _tests(question: QuestionReport, year: str, labels: Report) -> str:
    tr = labels.texts
    tests = question.tests
    if tests.empty:
        return ""
    shown = tests[(tests["year"] == year) | ((tests["year"] == ALL) & (tests["group_by"] == "år"))]
    shown = shown[shown["code_id"] != NO_THEME]
    significant = shown[shown["significant"]]
    tested = shown[shown["testable"]]
    untested = shown[~shown["testable"]]
    items = "".join(f"<li>{_e(s)}</li>" for s in significant["statement"])
    parts = [f"<h3>{_e(tr('differences'))}</h3>"]
    if items:
        parts.append(f'<ul class="tests">{items}</ul>')
    elif tested.empty:
        # not "none of the tested themes differ … 0 tests could be run": nothing was tested at all
        parts.append(f"<p>{_e(tr('html_no_test'))}</p>")
    else:
        parts.append(f"<p>{_e(tr('html_no_difference'))}</p>")
    # Year against year only exists with several years: a single-year report does not mention it.
    across = tr("html_tests_across") if len(question.base.years) > 1 else ""
    summary = ("" if tested.empty else
               tr("html_test_done_one" if len(tested) == 1 else "html_tests_done", n=len(tested), year=tr.year(year),
                  across=across, k=len(significant)))
    if len(untested):
        by_grouping = untested.groupby("group_by").size()
        skipped = ", ".join(tr("html_tests_by", n=n, grouping=grouping_label(str(g), labels))
                            for g, n in by_grouping.items())
        summary += tr("html_tests_skipped", n=len(untested), skipped=skipped)
    closing = tr("html_tests_in_workbook" if tested.empty else "html_tests_caution")
    parts.append(f'<p class="note">{_e((summary + closing).strip())}</p>')
    return "".join(parts)


def _cooccurrence(question: QuestionReport) -> str:
    frame = question.cooccurrence
    codes = [c for c in question.base.code_ids if c not in _parents(question)]
    totals = {r.code_a: r.n_both for r in frame[frame["code_a"] == frame["code_b"]].itertuples()}
    codes = [c for c in codes if totals.get(c, 0) > 0]
    if len(codes) < 2:
        return ""
    lookup: dict[tuple[str, str], Any] = {(a, b): n for a, b, n in frame[["code_a", "code_b", "n_both"]].itertuples(
        index=False, name=None)}
    matrix = [[int(lookup[(a, b)]) for b in codes] for a in codes]
    labels = [question.base.labels[c] for c in codes]
    years = question.base.years
    tr = _tr()
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else tr.year(years[0]) if years else ""
    chart = _chart(heatmap(labels, matrix, title=tr("chart_both", span=span), label_chars=LABEL_CHARS),
                   f"{question.base.column}-sammen")
    return (f"<h3>{_e(tr('together'))}</h3><figure>{chart}<figcaption>{_e(tr('html_together_figure'))}"
            "</figcaption></figure>")


def _quotes(question: QuestionReport) -> str:
    quotes = question.quotes
    if quotes.empty:
        return ""
    tr = _tr()
    parts = [f"<h3>{_e(tr('quotes'))}</h3>", f'<p class="note">{_e(tr("html_quotes_note"))}</p>']
    attributes = [c for c in quotes.columns if c not in
                  ("question", "code_id", "code_label", "rank", "case_id", "year", "quote", "mark_start",
                   "mark_end", "truncated")]
    by_theme: dict[str, list[dict[Any, Any]]] = {}
    for record in quotes.to_dict("records"):
        by_theme.setdefault(str(record["code_id"]), []).append(record)
    for code_id in question.base.theme_ids:
        rows = by_theme.get(code_id)
        if not rows:
            continue
        parts.append(f'<h4><span class="swatch" style="background:{_e(_colour(question, code_id))}"></span>'
                     f"{_e(question.base.labels[code_id])}</h4>")
        for r in rows:
            text = str(r["quote"])
            start, end = int(r["mark_start"]), int(r["mark_end"])
            if 0 <= start < end <= len(text):
                body = f"{_e(text[:start])}<mark>{_e(text[start:end])}</mark>{_e(text[end:])}"
            else:
                body = _e(text)
            who = [tr("respondent_id", id=r["case_id"]), tr.year(r["year"]),
                   *[str(r[a]) for a in attributes if str(r[a])]]
            parts.append(f"<blockquote><p>{tr('quoted', text=body)}</p><footer>– {_e(' · '.join(who))}</footer></blockquote>")
    return "".join(parts)


def _method_notes(report: Report) -> str:
    tr = report.texts
    return (f'<footer class="method"><h3>{_e(tr("html_method"))}</h3><p class="note">'
            f'{_e(tr("html_method_text", seed=report.seed))}</p></footer>')
