"""The project file, ``fritekst.toml``: which corpus, which questions, which codebooks, which tables.

A project names everything a report needs so that ``fritekst report`` runs with no arguments. Paths
are relative to the project file. See ``docs/project-file.md`` for the format.
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ProjectError
from .yaml_lines import yaml_kind

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

DEFAULT_PROJECT_FILE = "fritekst.toml"
#: The values of ``[report] lang`` (the same as :data:`fritekst.outputs.texts.LANGUAGES`).
REPORT_LANGUAGES = ("nb", "en")
SECTIONS = {"project", "corpus", "codebooks", "questions", "tables", "report", "coding"}
#: The keys each section may have; a typo ("colum") is an error, not a silently ignored setting.
KEYS = {"project": {"title"}, "corpus": {"path", "id_column", "year_column", "encoding", "sep", "sheet",
                                        "attributes"},
        "questions": {"column", "label", "codebook", "asked_if", "table"},
        "tables": {"id", "title", "path", "column", "population"},
        "report": {"group_by", "quotes_per_code", "seed", "quote_choices", "min_group_size",
                   "column_labels", "lang"}, "coding": {"hand_codings"}}


@dataclass(frozen=True)
class CorpusSpec:
    """Where the answers are and how to read them."""

    path: Path
    id_column: str
    year_column: str | None = None
    encoding: str | None = None
    sep: str | None = None
    sheet: str | None = None
    #: The respondent attributes exports carry (``refs.csv``, ``matrix.csv``); None: those the project uses.
    attributes: tuple[str, ...] | None = None


@dataclass(frozen=True)
class QuestionSpec:
    """An open question: its text column, the codebook that codes it, and who was asked it."""

    column: str
    label: str
    codebook: str
    asked_if: dict[str, list[str]] = field(default_factory=dict)
    table: str | None = None


@dataclass(frozen=True)
class TableSpec:
    """A published numeric table that corpus counts must reproduce."""

    id: str
    title: str
    path: Path
    column: str
    population: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Project:
    """A parsed and checked ``fritekst.toml``.

    Examples
    --------
    >>> project = load_project(example / "fritekst.toml")
    >>> [q.column for q in project.questions]
    ['grunn_ja', 'grunn_nei', 'grunn_vet_ikke', 'recovery_stor_grad', 'recovery_liten_grad']
    """

    path: Path
    title: str
    corpus_spec: CorpusSpec
    codebook_paths: dict[str, Path]
    questions: list[QuestionSpec]
    tables: list[TableSpec] = field(default_factory=list)
    group_by: list[str] = field(default_factory=list)
    quotes_per_code: int = 3
    seed: int = 2023
    hand_codings: list[Path] = field(default_factory=list)
    #: The pinned/banned quotes file (it need not exist: no file means no choices).
    quote_choices: Path | None = None
    #: Groups with fewer respondents than this show "n < N" instead of a share (privacy, stability).
    min_group_size: int = 5
    #: Readable names of attribute columns in reports (``kommunestorrelse`` → ``kommunestørrelse``).
    column_labels: dict[str, str] = field(default_factory=dict)
    #: The language of reports and command summaries: "nb" (Norwegian Bokmål) or "en"; a command's
    #: ``--lang`` wins over it.
    lang: str = "nb"

    @property
    def attributes(self) -> list[str]:
        """The respondent attributes ``fritekst code`` exports: ``[corpus] attributes`` if set, else every
        column the project names (year, filters, tables, groups, column labels); never other questions'
        free text, which a column not named here might be."""
        if self.corpus_spec.attributes is not None:
            return list(self.corpus_spec.attributes)
        named = [self.corpus_spec.year_column or "", *(c for q in self.questions for c in q.asked_if),
                 *(c for t in self.tables for c in (t.column, *t.population)), *self.group_by,
                 *self.column_labels]
        questions = {q.column for q in self.questions}
        return [c for c in dict.fromkeys(named) if c and c not in questions and c != self.corpus_spec.id_column]

    @property
    def root(self) -> Path:
        """The folder of the project file; relative paths start here."""
        return self.path.parent

    def input_files(self, *, hand_codings: bool = True) -> list[Path]:
        """Every file this project makes a command read: itself, corpus, codebooks, tables, hand codings.

        ``hand_codings=False`` leaves out the hand-coding files, for the one command that is meant
        to update them (``review import --merge``).
        """
        files = [self.path, self.corpus_spec.path, *self.codebook_paths.values(),
                 *(t.path for t in self.tables)]
        return files + (list(self.hand_codings) if hand_codings else [])

    def question(self, column: str) -> QuestionSpec:
        """The question with this text column (KeyError if unknown)."""
        for spec in self.questions:
            if spec.column == column:
                return spec
        raise KeyError(column)

    def table(self, table_id: str) -> TableSpec:
        """The table with this id (KeyError if unknown)."""
        for spec in self.tables:
            if spec.id == table_id:
                return spec
        raise KeyError(table_id)


def load_project(path: str | Path = DEFAULT_PROJECT_FILE) -> Project:
    """Read and check a project file; raise :class:`ProjectError` with a one-line message."""
    path = Path(path)
    if not path.is_file():
        raise ProjectError(f"{path}: project file not found; run from the project folder or give "
                           "the project file's path (see docs/project-file.md)",
                           code="E301", option="project")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProjectError(f"{path}: TOML syntax error: {exc}; check quoting and brackets",
                           code="E302") from exc
    except UnicodeDecodeError as exc:
        raise ProjectError(f"{path}: not UTF-8 text; save the project file as UTF-8", code="E302") from exc
    return _ProjectReader(path, data).read()


class _ProjectReader:
    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data
        self.root = path.parent

    def fail(self, where: str, message: str) -> ProjectError:
        return ProjectError(f"{self.path}: {where}: {message}", code="E303")

    def read(self) -> Project:
        for key in self.data:
            if key not in SECTIONS:
                close = difflib.get_close_matches(key, sorted(SECTIONS), n=1)
                hint = f"did you mean [{close[0]}]?" if close else f"sections are {', '.join(sorted(SECTIONS))}"
                raise self.fail(f"[{key}]", f"unknown section; {hint}")
        meta = self.section("project")
        codebooks = {str(k): self.file(f"[codebooks] {k}", v) for k, v in self.section("codebooks").items()}
        if not codebooks:
            raise self.fail("[codebooks]", "no codebooks; add e.g. ansette = \"codebooks/ansette.yaml\"")
        tables = [self.table_spec(i, t) for i, t in enumerate(self.list_of("tables"))]
        table_ids = {t.id for t in tables}
        questions = [self.question_spec(i, q, codebooks, table_ids)
                     for i, q in enumerate(self.list_of("questions"))]
        if not questions:
            raise self.fail("[[questions]]", "no questions; add one [[questions]] per open question")
        self.unique("[[questions]]", "column", [q.column for q in questions])
        self.unique("[[tables]]", "id", [t.id for t in tables])
        report = self.section("report")
        coding = self.section("coding")
        return Project(path=self.path, title=self.text("[project] title", meta, "title", self.path.parent.name),
                       corpus_spec=self.corpus_spec(), codebook_paths=codebooks, questions=questions,
                       tables=tables, group_by=self.texts("[report] group_by", report.get("group_by", [])),
                       quotes_per_code=self.whole_number("[report] quotes_per_code",
                                                         report.get("quotes_per_code", 3), minimum=0),
                       seed=self.whole_number("[report] seed", report.get("seed", 2023), minimum=0),
                       hand_codings=[self.file("[coding] hand_codings", p)
                                     for p in self.texts("[coding] hand_codings",
                                                         coding.get("hand_codings", []))],
                       quote_choices=self.file("[report] quote_choices",
                                               report.get("quote_choices", "sitatvalg.csv"),
                                               must_exist=False),
                       min_group_size=self.whole_number("[report] min_group_size",
                                                        report.get("min_group_size", 5), minimum=1),
                       column_labels=self.labels("[report] column_labels", report.get("column_labels")),
                       lang=self.language(report.get("lang", "nb")))

    def language(self, value: Any) -> str:
        if value not in REPORT_LANGUAGES:
            raise ProjectError(f"{self.path}: [report] lang: {value!r} is not a language fritekst writes in; "
                               'write lang = "nb" (Norwegian Bokmål) or lang = "en" (English)', code="E307")
        return str(value)

    def whole_number(self, where: str, value: Any, minimum: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(where, f"{value!r} is not a whole number of at least {minimum}; write e.g. 5")
        return value

    def labels(self, where: str, value: Any) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self.fail(where, "must be an inline table of texts, e.g. { aar = \"år\" }")
        return {str(k): v for k, v in value.items()}

    def unique(self, where: str, key: str, values: list[str]) -> None:
        seen: dict[str, int] = {}
        for index, value in enumerate(values, start=1):
            if value in seen:
                raise self.fail(f"{where} #{index}", f"{key} {value!r} is already used by {where} #{seen[value]}; "
                                "each must be given once (merge the two or remove one)")
            seen[value] = index

    def text(self, where: str, mapping: dict[str, Any], key: str, default: str) -> str:
        value = mapping.get(key, default)
        if not isinstance(value, str):
            raise self.fail(where, f"must be text in quotes, not {_kind(value)}")
        return value

    def section(self, name: str) -> dict[str, Any]:
        value = self.data.get(name, {})
        if not isinstance(value, dict):
            raise self.fail(f"[{name}]", "must be a table of keys, e.g. [" + name + "]")
        self.known_keys(f"[{name}]", name, value)
        return value

    def known_keys(self, where: str, section: str, mapping: dict[str, Any]) -> None:
        allowed = KEYS.get(section)
        for key in mapping:
            if allowed is not None and key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(sorted(allowed))}"
                raise self.fail(where, f"unknown key {key!r}; {hint}")

    def list_of(self, name: str) -> list[dict[str, Any]]:
        value = self.data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(f"[[{name}]]", f"must be written as repeated [[{name}]] tables")
        for index, item in enumerate(value):
            self.known_keys(f"[[{name}]] #{index + 1}", name, item)
        return value

    def file(self, where: str, value: Any, must_exist: bool = True) -> Path:
        if not isinstance(value, str) or not value:
            raise self.fail(where, "must be a file path in quotes")
        resolved = (self.root / value)
        if must_exist and not resolved.exists():
            raise self.fail(where, f"file {value!r} not found (relative to {self.root or '.'}); check the path")
        return resolved

    def texts(self, where: str, value: Any) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(where, f"{value!r} is not a list of text; write e.g. [\"fylke\"] in brackets")
        return list(value)

    def optional_text(self, where: str, mapping: dict[str, Any], key: str) -> str | None:
        value = mapping.get(key)
        if value is not None and (not isinstance(value, str) or not value):
            raise self.fail(where, f"{key} {value!r} must be text in quotes")
        return value

    def required(self, where: str, mapping: dict[str, Any], key: str) -> str:
        value = mapping.get(key)
        if not isinstance(value, str) or not value:
            raise self.fail(where, f"missing {key!r} (text)")
        return value

    def corpus_spec(self) -> CorpusSpec:
        corpus = self.section("corpus")
        optional = {}
        for key in ("year_column", "encoding", "sep", "sheet"):
            value = corpus.get(key)
            if value is not None and (not isinstance(value, str) or not value):
                raise self.fail(f"[corpus] {key}", f"must be text in quotes, not {_kind(value)}")
            optional[key] = value
        return CorpusSpec(path=self.file("[corpus] path", corpus.get("path")),
                          id_column=self.required("[corpus]", corpus, "id_column"),
                          year_column=self.optional_text("[corpus]", corpus, "year_column"),
                          encoding=self.optional_text("[corpus]", corpus, "encoding"),
                          sep=self.optional_text("[corpus]", corpus, "sep"), sheet=corpus.get("sheet"),
                          attributes=(tuple(self.texts("[corpus] attributes", corpus["attributes"]))
                                      if "attributes" in corpus else None))

    def conditions(self, where: str, value: Any) -> dict[str, list[str]]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(where, "must be an inline table, e.g. { planer_ansette = \"Nei\" }")
        result = {}
        for column, allowed in value.items():
            values = allowed if isinstance(allowed, list) else [allowed]
            result[str(column)] = [str(v) for v in values]
        return result

    def question_spec(self, index: int, raw: dict[str, Any], codebooks: dict[str, Path],
                      table_ids: set[str]) -> QuestionSpec:
        where = f"[[questions]] #{index + 1}"
        column = self.required(where, raw, "column")
        codebook = self.required(where, raw, "codebook")
        if codebook not in codebooks:
            raise self.fail(where, f"codebook {codebook!r} is not listed under [codebooks]; known: "
                            f"{', '.join(codebooks)}")
        table = raw.get("table")
        if table is not None and table not in table_ids:
            raise self.fail(where, f"table {table!r} is not defined in [[tables]]; known: "
                            f"{', '.join(sorted(table_ids)) or 'none'}")
        return QuestionSpec(column=column, label=self.text(f"{where} label", raw, "label", column), codebook=codebook,
                            asked_if=self.conditions(f"{where} asked_if", raw.get("asked_if")),
                            table=table)

    def table_spec(self, index: int, raw: dict[str, Any]) -> TableSpec:
        where = f"[[tables]] #{index + 1}"
        table_id = self.required(where, raw, "id")
        return TableSpec(id=table_id, title=self.text(f"{where} title", raw, "title", table_id),
                         path=self.file(f"{where} path", raw.get("path")),
                         column=self.required(where, raw, "column"),
                         population=self.conditions(f"{where} population", raw.get("population")))


def _kind(value: Any) -> str:
    """What a TOML value is, in the words of the format (never a Python class name)."""
    kind = yaml_kind(value)
    return {"a mapping": "a table", "a date or other value": "a date or time"}.get(kind, kind)
