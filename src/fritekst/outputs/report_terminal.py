"""The terminal view of a report: rich tables in the report's language, mismatches in red.

This module only *builds* rich renderables; the CLI prints them. The terminal shows the numbers a
researcher checks first (published table, who answered, theme shares with intervals and the trend,
and the clear group differences); charts and quotes are in the HTML report.
"""

from __future__ import annotations

from typing import Any, cast

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .report import QuestionReport, Report, TableReport, published_cell, published_count
from .texts import NO_BREAK_SPACE, Texts, unbreakable_numbers
from ..analysis.summary import ALL, NO_THEME

#: Stands in for a no-break space while rich wraps a line: rich breaks at every Unicode space, the
#: no-break one too, so "20 000" came out as "20" and "000" on two lines. A private-use character is
#: one cell wide and not a space; once the lines are made it becomes a plain space again, so what is
#: printed (and copied from the terminal) has ordinary spaces.
_HELD = "\ue000"


class NumberText(Text):
    """Rich text that never wraps inside a number (``5 000``, ``38 %``, ``p < 0,001``).

    The spaces of a number are no-break spaces (:func:`~.texts.unbreakable_numbers`); this class makes
    rich honour them, both when it wraps and when it measures the narrowest a column may be, and
    prints them as plain spaces.
    """

    @classmethod
    def of(cls, markup: str, style: str | None = None) -> NumberText:
        """Rich markup (``[bold red]…[/]``) as number-keeping text."""
        parsed = Text.from_markup(unbreakable_numbers(markup, ranges=False), style=style or "")
        return cls(parsed.plain, style=parsed.style, justify=parsed.justify, spans=parsed.spans)

    def wrap(self, console: Any, width: int, **options: Any) -> Any:
        held = self.copy()
        held.plain = self.plain.replace(NO_BREAK_SPACE, _HELD)  # same length: the styles stay in place
        lines = Text.wrap(held, console, width, **options)
        for line in lines:
            line.plain = line.plain.replace(_HELD, " ")
        return lines

    def __rich_measure__(self, console: Any, options: Any) -> Any:
        held = self.copy()
        held.plain = self.plain.replace(NO_BREAK_SPACE, _HELD)
        return Text.__rich_measure__(held, console, options)


def _text(markup: str, style: str | None = None) -> NumberText:
    return NumberText.of(markup, style)


def terminal_renderables(report: Report, out_dir: Any = None) -> list[RenderableType]:
    """Everything to print for ``report``, in order. ``out_dir`` (if any) is named at the end."""
    tr = report.texts
    items: list[RenderableType] = [Rule(Text(report.title, style="bold"))]
    items.append(NumberText(unbreakable_numbers(tr("term_meta", source=report.source, years=", ".join(map(tr.year, report.years)),
                                                   coding=report.codings_source,
                                                   years_word=tr("years" if len(report.years) != 1 else "year")),
                                                ranges=False), style="dim"))
    if report.warnings:
        body = NumberText(unbreakable_numbers("\n".join(f"• {w}" for w in report.warnings), ranges=False),
                          style="bold red")
        items.append(Panel(body, title=tr("term_warnings", n=len(report.warnings)), border_style="red"))
    for table in report.tables:
        items.append(_published_table(table, tr))
    items.append(_response_table(report))
    for question in report.questions:
        items.append(_theme_table(question, tr))
        differences = _differences(question, tr)
        if differences is not None:
            items.append(differences)
    if out_dir is not None:
        items.append(Text(tr("term_wrote", folder=out_dir), style="green"))
    else:
        items.append(Text(tr("term_more"), style="dim"))
    return items


def _published_table(table: TableReport, tr: Texts) -> Table:
    answers = table.answers()
    status = (f"[green]{tr('term_matches')}[/green]" if table.matches
              else f"[bold red]{tr('mismatch_mark')}[/bold red]")
    grid = Table(title=_text(tr("term_published_vs", title=table.spec.title, status=status)), title_justify="left")
    grid.add_column(tr("year"))
    for answer in answers:
        grid.add_column(answer, justify="right")
    for year, found in table.rows():
        cells = [tr.year(year)]
        for r in found:
            if r is None:
                cells.append("")
                continue
            published = published_count(r)
            cells.append(published if r.match else f"[bold red]{published}≠{int(r.corpus_n)}[/bold red]")
        grid.add_row(*[_text(cell) for cell in cells])
    return grid


def _response_table(report: Report) -> Table:
    tr = report.texts
    grid = Table(title=tr("who_answered"), title_justify="left")
    for key, justify in (("question", "left"), ("year", "left"), ("published", "right"),
                         ("asked", "right"), ("answered", "right"), ("share", "right")):
        grid.add_column(tr(key), justify=justify)  # type: ignore[arg-type]
    for question in report.questions:
        for r in cast(list[dict[str, Any]], question.overview.to_dict("records")):
            cell = published_cell(r, lambda text: f"[bold red]{text}[/bold red]", report.lang)
            style = "bold" if r["year"] == ALL else None
            grid.add_row(*[_text(c) for c in (question.base.column, tr.year(r["year"]), cell, str(r["n_asked"]),
                                              str(r["n_answered"]), tr.pct(r["pct_answered"]))], style=style)
        grid.add_section()
    return grid


def _theme_table(question: QuestionReport, tr: Texts) -> Table:
    latest = question.latest_year
    freq = question.frequencies
    total = freq[freq["group_by"] == ALL]
    latest_rows = {r["code_id"]: r for r in total[total["year"] == latest].to_dict("records")}
    n_answered = next(iter(latest_rows.values()))["n_answered"] if latest_rows else 0
    years = question.base.years if len(question.base.years) > 1 else []
    grid = Table(title=_text(tr("term_theme_title", label=question.spec.label, column=question.base.column,
                                year=tr.year(latest), n=n_answered)), title_justify="left")
    grid.add_column(tr("theme"))
    grid.add_column(tr("count"), justify="right")
    grid.add_column(tr("share"), justify="right")
    grid.add_column(tr("ci95"), justify="right")
    for year in years:
        grid.add_column(year, justify="right", style="cyan")
    parents = {code.parent for code in question.codebook.codes if code.parent}
    ever = set(total.loc[total["n_coded"] > 0, "code_id"])
    unused = [question.base.labels[c] for c in question.base.code_ids if c not in ever]
    if unused:
        grid.caption = _text(tr("term_unused", when=tr.when(question.base.years), labels=", ".join(unused)))
        grid.caption_justify = "left"
    for code_id in question.base.theme_ids:
        r = latest_rows.get(code_id)
        if r is None or (code_id not in ever and code_id != NO_THEME):
            continue
        depth = len(question.base.paths[code_id].split(" / ")) - 1
        label = "  " * depth + str(r["code_label"])
        trend = []
        for year in years:
            found = question.whole_sample(year, code_id)
            trend.append(tr.pct(found["pct"]) if found else "–")
        style = "dim italic" if code_id == NO_THEME else ("bold" if code_id in parents else None)
        grid.add_row(*[_text(c) for c in (label, str(r["n_coded"]), tr.pct(r["pct"]), tr.ci(r["ci_low"], r["ci_high"]),
                                          *trend)], style=style)
    return grid


def _differences(question: QuestionReport, tr: Texts) -> RenderableType | None:
    tests = question.tests
    if tests.empty:
        return None
    latest = question.latest_year
    shown = tests[((tests["year"] == latest) | ((tests["year"] == ALL) & (tests["group_by"] == "år")))
                  & tests["significant"] & (tests["code_id"] != NO_THEME)]
    if shown.empty:
        return None
    bullets = Table.grid(padding=(0, 1))
    bullets.add_column(width=3, justify="right")
    bullets.add_column()
    for statement in shown["statement"]:
        bullets.add_row("•", _text(statement))  # wrapped lines stay indented under the text
    return Group(Text(tr("term_differences"), style="bold"), bullets)
