"""``fritekst cache``: the project's codings cache (``.fritekst/cache/``)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import FritekstError
from ..sources.project import DEFAULT_PROJECT_FILE, load_project
from ._common import fail, lang_option, refuse_codebook_as_project, texts


@click.group("cache")
def cache_group() -> None:
    """The codings cache in .fritekst/cache/ beside the project file.

    It holds derived data from the answers (case ids, codes, offsets); see docs/codings-cache.md.
    """


@cache_group.command("clear", short_help="Delete the project's cache; the next run codes afresh.")
@click.option("--project", "project_file", default=DEFAULT_PROJECT_FILE, show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), callback=refuse_codebook_as_project,
              help="The project whose cache to clear.")
@lang_option
def clear_command(project_file: Path, lang: str | None) -> None:
    """Delete the project's codings cache (the next report codes everything afresh).

    \b
    Examples:
      fritekst cache clear                            # the project in ./fritekst.toml
      fritekst cache clear --project fritekst.toml

    A project file that does not exist is an error (E301), the default ./fritekst.toml too, so a
    mistyped path is never taken for an emptied cache.
    """
    from ..coding.cache import cache_dir, clear_cache

    try:
        project = load_project(project_file)
    except FritekstError as exc:
        if exc.code == "E301":
            fail(exc)
        project = None  # read only for its [report] lang: a broken project file must not keep the cache
    removed = clear_cache(project_file.parent)
    tr = texts(lang, project)
    click.echo(tr("cache_removed_one" if removed == 1 else "cache_removed", n=removed,
                  folder=cache_dir(project_file.parent)))
