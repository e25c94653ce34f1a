"""``fritekst import``: bring codebooks, projects and dictionaries in from other programs.

``fritekst import qdc FILE --out codebook.yaml`` (a REFI-QDA codebook), ``fritekst import qdpx FILE
--out DIR`` (a REFI-QDA project: corpus, codebook, hand codings), ``fritekst import dictionary FILE
--out codebook.yaml`` (quanteda YAML, LIWC, WordStat, Lexicoder, Yoshikoder). See docs/refi-qda.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import FritekstError, OutputError
from ..rules.codebook import load_codebook
from ..sources.paths import check_outputs
from ..sources.tables import atomic_write
from ._common import fail, lang_option, texts


@click.group("import")
def import_group() -> None:
    """Import codebooks, coded projects and dictionaries (REFI-QDA from NVivo, ATLAS.ti, MAXQDA, QualCoder)."""


def _refuse_input(out: Path, source: Path) -> None:
    if out.exists() and source.exists() and out.resolve() == source.resolve():
        raise OutputError(f"{out}: this is the input file and would be overwritten; choose another --out", code="E503")


def _refuse_existing(targets: list[Path]) -> None:
    """An import never replaces a codebook: its keyword rules took work, and the import has none.

    ``import qdc koder.qdc --out codebooks/recovery.yaml`` overwrote the project's codebook silently
    (``import qdpx`` already refused an existing file).
    """
    check_outputs([], targets)  # a missing folder is named by the path asked for, not the check file's
    for target in targets:
        if target.exists():
            raise OutputError(f"{target}: already exists; an import never overwrites a codebook (its rules would "
                              "be lost): choose a new file name, or delete the old file first", code="E503",
                              option="out")


def write_codebook(path: Path, text: str) -> tuple[int, int]:
    """Write a codebook YAML, checked first (as ``fritekst check`` does): nothing invalid is left."""
    check = path.with_name(f".{path.name}.check.yaml")
    try:
        with atomic_write(check, "w", encoding="utf-8") as handle:
            handle.write(text)
        book = load_codebook(check)
        os.replace(check, path)
    finally:
        check.unlink(missing_ok=True)
    return len(book.codes), sum(len(code.rules) for code in book.codes)


@import_group.command("qdc", short_help="Import a REFI-QDA codebook (.qdc) as a YAML codebook.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="The YAML codebook to write; a folder when the file holds several fritekst codebooks.")
@click.option("--id", "codebook_id", help="Codebook id (default: from the file name).")
@click.option("--title", help="Codebook title (default: the file name).")
@lang_option
def qdc_command(file: Path, out: Path, codebook_id: str | None, title: str | None, lang: str | None) -> None:
    """Turn the REFI-QDA codebook FILE (from NVivo, ATLAS.ti, MAXQDA, QualCoder, fritekst) into YAML.

    Labels, hierarchy, descriptions, memos and colours are kept; code ids are derived from the labels.
    A .qdpx project file gives its codebook.

    \b
    Example:
      fritekst import qdc koder.qdc --out codebooks/importert.yaml
    """
    from ..rules.refi_codebook import codebooks_from_refi
    from ..sources.refi_import import read_qdc

    try:
        _refuse_input(out, file)
        book = read_qdc(file)
        books = codebooks_from_refi(book, codebook_id or file.stem, title or file.stem, source=file.name)
        targets = _codebook_targets(out, [b.codebook_id for b in books], file)
        _refuse_existing(targets)  # every target before the first is written
        tr = texts(lang)
        for imported, target in zip(books, targets):
            n_codes, _ = write_codebook(target, imported.yaml_text)
            click.echo(tr("import_codebook", path=target, codebook=imported.codebook_id, codes=n_codes))
            # Notes on what the source file held that YAML cannot (its labels, colours) stay English,
            # like warnings (docs/errors.md); the one fixed note, that there are no rules, is translated.
            for note in imported.notes:
                click.echo(f"  not carried over: {note}" if not note.startswith("keyword rules")
                           else tr("import_no_rules"))
    except FritekstError as exc:
        fail(exc)


def _codebook_targets(out: Path, ids: list[str], source: Path) -> list[Path]:
    if len(ids) == 1 and not out.is_dir():
        return [out]
    if out.suffix.lower() in (".yaml", ".yml") and not out.is_dir():
        raise OutputError(f"{source}: holds {len(ids)} fritekst codebooks ({', '.join(ids)}); give a folder "
                          "as --out to write one YAML file per codebook", code="E502")
    out.mkdir(parents=True, exist_ok=True)
    return [out / f"{codebook_id}.yaml" for codebook_id in ids]


@import_group.command("qdpx", short_help="Import a REFI-QDA project (.qdpx): corpus, codebook, hand codings.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write corpus.csv, the codebook(s), hand_codings.csv and fritekst.toml into.")
@click.option("--offsets", type=click.Choice(["auto", "codepoints", "utf16"]), default="auto", show_default=True,
              help="How the file counts positions: code points (the standard) or UTF-16 units (NVivo); "
                   "auto decides from the data.")
@lang_option
def qdpx_command(file: Path, out: Path, offsets: str, lang: str | None) -> None:
    """Turn the REFI-QDA project FILE into a fritekst project in the folder OUT.

    Text sources become answers (cases and their variables become attributes), the codebook a YAML
    codebook, and every coding a row of hand_codings.csv (coder, span, memo) for `fritekst code --hand`;
    notes on sources become answer memos in hand_codings.memos.csv.

    \b
    Examples:
      fritekst import qdpx svar.qdpx --out importert
      fritekst code --project importert/fritekst.toml --hand importert/hand_codings.csv
    """
    from ..coding.refi_project import convert_project, write_imported_project
    from ..sources.refi_import import read_qdpx

    try:
        project = read_qdpx(file)
        imported = convert_project(project, name=file.stem, offsets=offsets)
        written = write_imported_project(imported, out)
    except FritekstError as exc:
        fail(exc)
    n_answers = sum(int((imported.corpus[q] != "").sum()) for q, _ in imported.questions)
    tr = texts(lang)
    if not written:
        click.echo(tr("import_nothing", file=file))
        return
    click.echo(tr("import_read_project", file=file, origin=project.origin or tr("import_unknown_program"),
                  sources=len(project.sources), cases=len(project.cases), users=len(project.users)))
    click.echo(tr("import_wrote_project", out=out, cases=len(imported.corpus), answers=n_answers,
                  codes=sum(b.n_codes for b in imported.codebooks), codebooks=len(imported.codebooks),
                  hand=len(imported.hand), coders=imported.hand["coder"].nunique())
               + (tr("import_codings_file", n=len(imported.codings)) if imported.codings is not None else "")
               + (tr("import_memos", n=len(imported.memos)) if imported.memos else ""))
    for path in written:
        click.echo(f"  {path}")
    # Notes describe the source file; like warnings they stay English (docs/errors.md).
    for note in imported.notes + [n for b in imported.codebooks for n in b.notes if not n.startswith("keyword")]:
        click.echo(f"  note: {note}")
    if imported.codebooks and imported.questions:
        click.echo(tr("import_next", project=out / "fritekst.toml", hand=out / "hand_codings.csv"))


@import_group.command("dictionary", short_help="Import a dictionary (quanteda, LIWC, WordStat, Lexicoder, Yoshikoder).")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The YAML codebook to write.")
@click.option("--format", "fmt", type=click.Choice(["yaml", "liwc", "wordstat", "lexicoder", "yoshikoder"]),
              help="The dictionary format (default: from the suffix .yml, .dic, .cat, .lc3, .ykd).")
@click.option("--id", "codebook_id", help="Codebook id (default: from the file name).")
@click.option("--title", help="Codebook title (default: the file name).")
@lang_option
def dictionary_command(file: Path, out: Path, fmt: str | None, codebook_id: str | None, title: str | None,
                       lang: str | None) -> None:
    """Turn the dictionary FILE into a YAML codebook: a code per category, its entries as keyword rules.

    Wildcards at the start or end of a word are kept; what fritekst cannot express (a '*' inside a
    word, '?', weights, LIWC's conditional entries) is listed.

    \b
    Example:
      fritekst import dictionary LSD2015.lc3 --out codebooks/lsd.yaml
    """
    from ..rules.dictionary_codebook import dictionary_codebook
    from ..sources.dictionaries import read_dictionary

    try:
        _refuse_input(out, file)
        dictionary = read_dictionary(file, fmt)
        book = dictionary_codebook(dictionary, codebook_id or file.stem, title or file.stem, file.name)
        _refuse_existing([out])
        n_codes, n_rules = write_codebook(out, book.yaml_text)
    except FritekstError as exc:
        fail(exc)
    tr = texts(lang)
    click.echo(tr("import_dictionary", path=out, codebook=book.codebook_id, format=dictionary.format, codes=n_codes,
                  rules=n_rules, patterns=book.n_patterns))
    if book.not_carried:
        click.echo(tr("import_not_carried_head", n=len(book.not_carried), path=out))
        for line in book.not_carried[:10]:
            click.echo(f"  {line}")
        if len(book.not_carried) > 10:
            click.echo(tr("import_and_more", n=len(book.not_carried) - 10))
