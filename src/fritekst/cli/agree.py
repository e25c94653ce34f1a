"""``fritekst agree``: inter-coder agreement between two or more coders' hand codings."""

from __future__ import annotations

from typing import Any, cast

from pathlib import Path

import click

from ..analysis.agree import POOLED, AgreementResult, agreement
from ..rules.codebook import load_codebook
from ..coding.codings_io import read_codings, read_scope
from ..errors import FritekstError
from ..sources.tables import write_csv_rows
from ._common import WholeNumber, check_run, fail, lang_option, texts
from ._evaluation import PATH, fmt, shorten


@click.command("agree")
@click.argument("coder_files", metavar="CODER1.csv CODER2.csv [...]", nargs=-1, required=True, type=PATH)
@click.option("--codebook", "codebook_file", type=PATH, help="Codebook: report all its codes and check code ids.")
@click.option("--scope", "scope_file", type=PATH, help="CSV of the answers every coder coded (case_id, question[, split]).")
@click.option("--split", help="Only scope rows with this split.")
@click.option("--partial", is_flag=True,
              help="Coders did not all code every answer: a coder covers only the answers in their own file.")
@click.option("--disagreements", "disagreements_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every answer and code the coders disagree on to this CSV.")
@click.option("--top", default=10, show_default=True, type=WholeNumber(min=0), help="Disagreements to show.")
@lang_option
def agree_command(coder_files: tuple[Path, ...], codebook_file: Path | None, scope_file: Path | None,
                  split: str | None, partial: bool, disagreements_file: Path | None, top: int,
                  lang: str | None) -> None:
    """Percent agreement, Cohen's kappa and Krippendorff's alpha per code between coders.

    \b
    Example:
      fritekst agree corpus/koding/koder_a.csv corpus/koding/koder_b.csv --codebook codebooks/ansette.yaml

    Each file is one coder's hand codings (refs.csv format; decision=no rows count as "not this
    code"). Agreement is on answer-level presence of each code.
    """
    if len(coder_files) < 2:
        raise click.UsageError("give at least two coders' files")
    if split and not scope_file:
        raise click.UsageError("--split needs --scope")
    names = _names(coder_files)
    try:
        check_run([*coder_files, codebook_file, scope_file], [disagreements_file])
        codebook = load_codebook(codebook_file) if codebook_file else None
        code_ids = list(codebook.code_ids) if codebook else None
        frames = [read_codings(path, code_ids=code_ids, default_method="manual", what="coding file")
                  for path in coder_files]
        scope = read_scope(scope_file, split) if scope_file else None
        result = agreement(frames, names, code_ids=code_ids, scope=scope, assume_complete=not partial)
        if disagreements_file is not None:
            _write(disagreements_file, result)
    except FritekstError as exc:
        fail(exc)
    tr = texts(lang, _default_project())
    _print(result, top, tr)
    if disagreements_file is not None:
        click.echo(tr("agree_wrote", n=len(result.disagreements), path=disagreements_file))


def _default_project() -> Any:
    """./fritekst.toml if it is there and readable (for its ``[report] lang``); agree needs no project."""
    from ..sources.project import DEFAULT_PROJECT_FILE, load_project

    path = Path(DEFAULT_PROJECT_FILE)
    if not path.is_file():
        return None
    try:
        return load_project(path)
    except FritekstError:
        return None


def _names(paths: tuple[Path, ...]) -> list[str]:
    stems = [p.stem for p in paths]
    return stems if len(set(stems)) == len(stems) else [f"{i + 1}:{s}" for i, s in enumerate(stems)]


def _write(path: Path, result: AgreementResult) -> None:
    frame = result.disagreements
    write_csv_rows(path, list(frame.columns), frame.itertuples(index=False, name=None))


def _print(result: AgreementResult, top: int, tr: Any) -> None:
    table = result.per_code
    names = [tr("agree_all_codes") if c == POOLED else str(c) for c in table["code_id"]]
    width = max(10, *(len(name) for name in names))
    kappa_label = tr("agree_col_kappa" if len(result.coders) == 2 else "agree_col_mean_kappa")
    click.echo(tr("agree_coders", names=", ".join(result.coders)))
    click.echo(f"{tr('agree_col_code'):<{width}} {tr('agree_col_answers'):>7} {tr('agree_col_yes'):>5} "
               f"{tr('agree_col_percent'):>8} {kappa_label:>10} {tr('agree_col_alpha'):>7}")
    for name, row in zip(names, table.itertuples(index=False)):
        if row.code_id == table["code_id"].iloc[-1]:
            click.echo("─" * (width + 42))
        click.echo(f"{name:<{width}} {row.n_answers:>7} {row.n_yes:>5} {fmt(row.percent_agreement, 1, lang=tr.lang):>8} "
                   f"{fmt(row.kappa, lang=tr.lang):>10} {fmt(row.alpha, lang=tr.lang):>7}")
    click.echo(tr("agree_undefined"))
    if len(result.coders) > 2 and not result.pairs.empty:
        pooled = result.pairs.groupby(["coder_a", "coder_b"], sort=False)["kappa"].mean()
        pairs = "; ".join(f"{a}–{b} {fmt(k, lang=tr.lang)}" for (a, b), k in cast(Any, pooled).items())
        click.echo(tr("agree_pairs", pairs=pairs))
    frame = result.disagreements
    if top and not frame.empty:
        click.echo(tr("agree_disagreements", n=len(frame)))
        for row in frame.head(top).to_dict("records"):
            votes = " ".join(f"{name}={tr(row[name]) if row[name] in ('yes', 'no') else '·'}"
                             for name in result.coders)
            click.echo(f"  {row['code_id']:<18} {row['case_id']:>6} {row['question']:<14} {votes}  "
                       f"{shorten(row['text'], 50)}")
