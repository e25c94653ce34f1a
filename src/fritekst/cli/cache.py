"""``fritekst cache``: the project's codings cache (``.fritekst/cache/``)."""

from __future__ import annotations

from pathlib import Path

import click

from ..sources.project import DEFAULT_PROJECT_FILE


@click.group("cache")
def cache_group() -> None:
    """The codings cache in .fritekst/cache/ beside the project file.

    It holds derived data from the answers (case ids, codes, offsets); see docs/codings-cache.md.
    """


@cache_group.command("clear")
@click.option("--project", "project_file", default=DEFAULT_PROJECT_FILE, show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="The project whose cache to clear.")
def clear_command(project_file: Path) -> None:
    """Delete the project's codings cache (the next report codes everything afresh)."""
    from ..coding.cache import cache_dir, clear_cache

    removed = clear_cache(project_file.parent)
    click.echo(f"Removed {removed} cached file{'s' if removed != 1 else ''} from {cache_dir(project_file.parent)}")
