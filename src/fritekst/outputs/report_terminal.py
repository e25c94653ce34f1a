"""The terminal view of a report: rich tables with Norwegian labels, mismatches in red.

This module only *builds* rich renderables; the CLI prints them. The terminal shows the numbers a
researcher checks first (published table, who answered, theme shares with intervals and the trend,
and the clear group differences); charts and quotes are in the HTML report.
"""

from __future__ import annotations

from typing import Any, cast

import pandas as pd
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .report import QuestionReport, Report, TableReport, ci_text, pct_text, published_cell, year_text
from ..analysis.summary import ALL, NO_THEME


def terminal_renderables(report: Report, out_dir: Any = None) -> list[RenderableType]:
    """Everything to print for ``report``, in order. ``out_dir`` (if any) is named at the end."""
    items: list[RenderableType] = [Rule(Text(report.title, style="bold"))]
    items.append(Text(f"Materiale: {report.source} · År: {', '.join(report.years)} · "
                      f"Koding: {report.codings_source}", style="dim"))
    if report.warnings:
        body = Text("\n".join(f"• {w}" for w in report.warnings), style="bold red")
        items.append(Panel(body, title=f"⚠ {len(report.warnings)} advarsler – sjekk før tallene brukes",
                           border_style="red"))
    for table in report.tables:
        items.append(_published_table(table))
    items.append(_response_table(report))
    for question in report.questions:
        items.append(_theme_table(question))
        differences = _differences(question)
        if differences is not None:
            items.append(differences)
    if out_dir is not None:
        items.append(Text(f"Skrev report.html, report.xlsx og frequencies.csv til {out_dir}", style="green"))
    else:
        items.append(Text("Figurer, gruppefordelinger og sitater: kjør med --out MAPPE for report.html "
                          "og report.xlsx.", style="dim"))
    return items


def _published_table(table: TableReport) -> Table:
    link = table.link
    answers = list(dict.fromkeys(link["svar"]))
    status = "[green]stemmer[/green]" if table.matches else "[bold red]AVVIK[/bold red]"
    grid = Table(title=f"{table.spec.title} – publisert mot materialet ({status})", title_justify="left")
    grid.add_column("År")
    for answer in answers:
        grid.add_column(answer, justify="right")
    for year in dict.fromkeys(link["year"]):
        cells = [year]
        for answer in answers:
            found = link[(link["year"] == year) & (link["svar"] == answer)]
            if found.empty:
                cells.append("")
                continue
            r = found.iloc[0]
            published = "–" if pd.isna(r["published_n"]) else str(int(r["published_n"]))
            cells.append(published if r["match"] else
                         f"[bold red]{published}≠{int(r['corpus_n'])}[/bold red]")
        grid.add_row(*cells)
    return grid


def _response_table(report: Report) -> Table:
    grid = Table(title="Hvem fikk spørsmålet, og hvem svarte", title_justify="left")
    for name, justify in (("Spørsmål", "left"), ("År", "left"), ("Publisert", "right"),
                          ("Fikk spørsmålet", "right"), ("Svarte", "right"), ("Andel", "right")):
        grid.add_column(name, justify=justify)  # type: ignore[arg-type]
    for question in report.questions:
        for r in cast(list[dict[str, Any]], question.overview.to_dict("records")):
            cell = published_cell(r, lambda text: f"[bold red]{text}[/bold red]")
            style = "bold" if r["year"] == ALL else None
            grid.add_row(question.base.column, year_text(r["year"]), cell, str(r["n_asked"]),
                         str(r["n_answered"]), pct_text(r["pct_answered"]), style=style)
        grid.add_section()
    return grid


def _theme_table(question: QuestionReport) -> Table:
    latest = question.latest_year
    freq = question.frequencies
    total = freq[freq["group_by"] == ALL]
    latest_rows = {r["code_id"]: r for r in total[total["year"] == latest].to_dict("records")}
    n_answered = next(iter(latest_rows.values()))["n_answered"] if latest_rows else 0
    years = question.base.years if len(question.base.years) > 1 else []
    grid = Table(title=f"{question.spec.label} ({question.base.column}) – {year_text(latest)}: "
                       f"{n_answered} svarte", title_justify="left")
    grid.add_column("Tema")
    grid.add_column("Antall", justify="right")
    grid.add_column("Andel", justify="right")
    grid.add_column("95 % KI", justify="right")
    for year in years:
        grid.add_column(year, justify="right", style="cyan")
    parents = {code.parent for code in question.codebook.codes if code.parent}
    ever = set(total.loc[total["n_coded"] > 0, "code_id"])
    unused = [question.base.labels[c] for c in question.base.code_ids if c not in ever]
    if unused:
        grid.caption = "Ingen treff i de valgte årene: " + ", ".join(unused)
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
            trend.append(pct_text(found["pct"]) if found else "–")
        style = "dim italic" if code_id == NO_THEME else ("bold" if code_id in parents else None)
        grid.add_row(label, str(r["n_coded"]), pct_text(r["pct"]), ci_text(r["ci_low"], r["ci_high"]),
                     *trend, style=style)
    return grid


def _differences(question: QuestionReport) -> RenderableType | None:
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
        bullets.add_row("•", statement)  # wrapped lines stay indented under the text
    return Group(Text("Forskjeller mellom grupper (p < 0,05):", style="bold"), bullets)
