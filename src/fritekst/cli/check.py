"""``fritekst check``: validate codebooks (and the project file) without coding anything."""

from __future__ import annotations

from pathlib import Path

import click

from ..language.pattern_memo import remembered_patterns
from ..rules.codebook import load_codebook
from ..errors import FritekstError
from ..sources.project import DEFAULT_PROJECT_FILE, load_project
from ._common import (UserError, fail, lang_option, refuse_codebook_as_project, refuse_project_as_codebook, texts,
                      user_message)


@click.command("check")
@click.argument("codebooks", nargs=-1, type=click.Path(dir_okay=False, path_type=Path), callback=refuse_project_as_codebook)
@click.option("--project", "project_file", type=click.Path(dir_okay=False, path_type=Path), callback=refuse_codebook_as_project,
              help="Also check a project file and every codebook it names (default without CODEBOOKS: "
                   "fritekst.toml, when the folder has one).")
@lang_option
def check_command(codebooks: tuple[Path, ...], project_file: Path | None, lang: str | None) -> None:
    """Validate CODEBOOKS (YAML) and report every problem at once, as file:line.

    \b
    Examples:
      fritekst check codebooks/ansette.yaml codebooks/recovery.yaml
      fritekst check --project fritekst.toml
      fritekst check                    # the project in ./fritekst.toml
    """
    if not codebooks and project_file is None:
        # Every other command reads ./fritekst.toml without being told; check refused to.
        if not Path(DEFAULT_PROJECT_FILE).is_file():
            raise click.UsageError("give one or more codebook files, or --project FILE "
                                   f"(there is no {DEFAULT_PROJECT_FILE} in this folder)")
        project_file = Path(DEFAULT_PROJECT_FILE)
    paths = list(codebooks)
    try:
        tr = texts(lang)
        if project_file is not None:
            project = load_project(project_file)
            tr = texts(lang, project)
            paths += [p for p in project.codebook_paths.values() if p not in paths]
            _check_data(project)
            click.echo(tr("check_project_ok", path=project_file,
                          questions=tr.count("count_questions", len(project.questions)),
                          tables=tr.count("count_tables", len(project.tables))))
        problems: list[str] = []
        for path in paths:
            try:
                with remembered_patterns():
                    codebook = load_codebook(path)
            except FritekstError as exc:
                problems.append(user_message(exc))
                continue
            n_rules = sum(len(code.rules) for code in codebook.codes)
            models = len(codebook.model_paths())
            if models:
                # Models are checked here too, so no coding run fails on one after it has started;
                # scikit-learn is imported only for codebooks that have models.
                from ..rules.model_file import model_problems

                errors, notes = model_problems(codebook)
                problems.extend(user_message(error) for error in errors)
                for note in notes:
                    click.echo(f"Warning: {note}", err=True)
                if errors:
                    continue
            click.echo(tr("check_codebook_ok", path=path, codes=tr.count("count_codes", len(codebook.codes)),
                          rules=tr.count("count_rules", n_rules),
                          models=", " + tr.count("count_models", models) if models else ""))
        if problems:
            raise UserError("\n".join(problems))
    except FritekstError as exc:
        fail(exc)


def _check_data(project: object) -> None:
    """The project's filters and group columns against the corpus (reads it: pandas only here)."""
    from ..coding.coder import load_project_corpus
    from ..outputs.report import check_project_data

    check_project_data(project, load_project_corpus(project).cases)  # type: ignore[arg-type]
