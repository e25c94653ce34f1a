"""Errors a user can cause, each with a stable code and a one-line message that says where, what and how to fix it.

The library raises these; only :mod:`fritekst.cli` turns them into exit code 2 and a single line on
stderr. Messages follow one shape: ``<file>[:<line>[:<col>]]: <what was wrong>; <what was expected>``,
ending with the fix where there is one. Messages speak of the library's own terms (a sheet, a
separator, the output folder); an error about a setting that a command-line option gives carries
that setting's name in :attr:`FritekstError.option`, and the CLI adds the option's flag.

Every error has a code from :data:`CATALOGUE`, stable across releases so that a researcher can look
it up in ``docs/errors.md`` (generated from the catalogue; a test keeps the two equal). The first
digit says where it comes from: ``E1xx`` input files, ``E2xx`` codebooks and patterns, ``E3xx`` the
project file, ``E4xx`` classifier models, ``E5xx`` outputs.

Examples
--------
>>> error = InputError("svar.csv: file not found; check the path", code="E101")
>>> error.code, str(error), CATALOGUE["E101"].meaning
('E101', 'svar.csv: file not found; check the path', 'An input file does not exist.')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


class FritekstError(Exception):
    """Base class of every error caused by the user's input or settings.

    Parameters
    ----------
    message : str
        One line (see the module docstring).
    code : str
        A code of :data:`CATALOGUE`, e.g. ``"E101"``.
    option : str, optional
        The setting the error is about, by its library name (``"sheet"``, ``"sep"``, ``"out"``, ...),
        so that a front end can name its own flag for it.
    """

    def __init__(self, message: str, *, code: str, option: str | None = None) -> None:
        super().__init__(message)
        if code not in CATALOGUE:
            raise ValueError(f"unknown error code {code!r}; add it to fritekst.errors.CATALOGUE")
        self.code = code
        self.option = option

    def set_in(self, where: str) -> FritekstError:
        """The same error about a setting that a file gave, not a flag: ``… (see <where>)``, no option.

        ``where`` names the key, e.g. ``"[corpus] sheet in fritekst.toml"``; without the option the CLI
        adds no flag of its own (a command may have a flag of that name for another input).
        """
        return _rebuild(type(self), (f"{self.args[0]} (see {where})", *self.args[1:]),
                        {**self.__dict__, "option": None})

    def __reduce__(self) -> tuple[Any, ...]:
        # Worker processes send errors back pickled; the default reduce would call cls(message)
        # without the keyword-only code and fail in the parent (a pool then waits forever).
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[FritekstError], args: tuple[Any, ...], state: dict[str, Any]) -> FritekstError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class InputError(FritekstError):
    """A data file (corpus, table, codings) cannot be read or does not have the expected shape."""


class ConflictError(InputError):
    """A decision or memo was changed elsewhere since the change to it was made (the workbench's 409)."""


class CodebookError(FritekstError):
    """A codebook is invalid; carries every problem found in the file, not just the first."""

    def __init__(self, problems: Iterable[str], *, code: str = "E203") -> None:
        self.problems = list(problems)
        first = self.problems[0] if self.problems else "invalid codebook"
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more != 1 else ''}: see below)" if more else ""
        super().__init__(first + suffix, code=code)

    def __str__(self) -> str:
        return "\n".join(self.problems)


class PatternError(FritekstError):
    """A keyword pattern string is malformed."""


class ProjectError(FritekstError):
    """The project file (fritekst.toml) is missing, malformed or names things that do not exist."""


class ModelError(FritekstError):
    """A classifier model file is corrupt, foreign, or was trained for another codebook."""


class ModelWarning(UserWarning):
    """A model still works but is older than the codebook (its keyword rules or codes changed).

    Issued with :func:`warnings.warn`; the CLI prints it as one ``Warning:`` line.
    """


class OutputError(FritekstError):
    """An output cannot be written where it was asked to go."""


@dataclass(frozen=True)
class ErrorInfo:
    """What an error code means and how a researcher usually fixes it (for ``docs/errors.md``)."""

    error: type[FritekstError]
    meaning: str
    fix: str


#: Every error code: the class raised, what it means, the usual fix. Codes are never reused.
CATALOGUE: dict[str, ErrorInfo] = {
    # --- E1xx: input files (corpus, codings, hand-coding files, review sheets, published tables) ---
    "E101": ErrorInfo(InputError, "An input file does not exist.",
                      "Check the path; relative paths start in the current folder (or the project folder)."),
    "E102": ErrorInfo(InputError, "A file's bytes cannot be decoded as text in the expected encoding.",
                      "Save it as 'CSV UTF-8' in Excel, or name the encoding (e.g. cp1252)."),
    "E103": ErrorInfo(InputError, "A file cannot be parsed as a table (CSV quoting, separator, damaged "
                      "workbook).", "Check the quotes, name the separator, or save the file again."),
    "E104": ErrorInfo(InputError, "The file type is not one fritekst reads here.",
                      "Convert the file to one of the formats the message lists."),
    "E105": ErrorInfo(InputError, "A file is empty or has no data rows.",
                      "Give a file with a header row and at least one data row."),
    "E106": ErrorInfo(InputError, "A column the file needs is missing.",
                      "Add the column or fix its name (the message lists the columns found)."),
    "E107": ErrorInfo(InputError, "A column is named twice, or in two roles (id and text).",
                      "Rename one of the columns, or choose other columns."),
    "E108": ErrorInfo(InputError, "No text column (open question) was named.",
                      "Name at least one text column to code."),
    "E109": ErrorInfo(InputError, "The workbook has no sheet of that name or number.",
                      "Give an existing sheet name or number."),
    "E110": ErrorInfo(InputError, "A row has no respondent id (or question), or repeats one.",
                      "Give every row an id; keep one row per respondent (or per answer)."),
    "E111": ErrorInfo(InputError, "A cell holds a value of the wrong kind (a span, score, method, "
                      "decision or count).", "Write the value the message expects."),
    "E112": ErrorInfo(InputError, "A code id is not in the codebook that codes the question.",
                      "Fix the code id (the message suggests the closest one) or use the right codebook."),
    "E113": ErrorInfo(InputError, "A row does not match the corpus: no such answer, or the span lies "
                      "outside it.", "Check that the file belongs to this corpus; code again if the "
                      "corpus changed."),
    "E114": ErrorInfo(InputError, "The same code on the same answer is decided both yes and no.",
                      "Keep one of the two rows."),
    "E115": ErrorInfo(InputError, "The chosen answers (scope, split, year, questions) are none at all.",
                      "Choose a split, year or question that has answers, or fix the scope file."),
    "E116": ErrorInfo(ConflictError, "A hand decision or memo was changed elsewhere (another browser tab, "
                      "or another workbench on the same file) after this change was begun.",
                      "Reload the answer (the workbench does it) and decide again."),
    # --- E2xx: codebooks and keyword patterns ---
    "E117": ErrorInfo(InputError, "A file to import is not in the format it should be (a REFI-QDA codebook or "
                      "project, or a dictionary), or is damaged.",
                      "Export it again from the program that made it, as REFI-QDA (.qdc, .qdpx) or as a "
                      "dictionary format fritekst reads (.yml, .dic, .cat, .lc3, .ykd)."),
    "E118": ErrorInfo(InputError, "A file to import is refused for safety: its XML declares a DTD or entities, "
                      "or it would inflate past the size limits.",
                      "Export it again from the program that made it; export a very large project in parts."),
    "E119": ErrorInfo(InputError, "The project file was given where a codebook is expected, or a codebook (or a "
                      "survey data file) where the project file is.",
                      "Give the project file (fritekst.toml) with --project, and a codebook (YAML) where the "
                      "command takes one: with --codebook, or as an argument of check (report, serve and cache "
                      "clear read the codebooks the project names)."),
    "E122": ErrorInfo(InputError, "The workbench cannot listen on the address and port asked for (the port is "
                      "in use, or the address is not this machine's).",
                      "Choose another --port, or leave --port out for a free one; leave --host out for 127.0.0.1."),
    "E201": ErrorInfo(CodebookError, "A codebook file does not exist.", "Check the path to the codebook."),
    "E202": ErrorInfo(CodebookError, "A codebook is not valid YAML, or not UTF-8 text.",
                      "Fix the indentation and quoting at the line named; save as UTF-8."),
    "E203": ErrorInfo(CodebookError, "A codebook's content is invalid (every problem is listed, one "
                      "per line).", "Fix each line named; see docs/codebook-format.md."),
    "E204": ErrorInfo(PatternError, "A keyword pattern is malformed.",
                      "Rewrite the pattern as the message says; see docs/keyword-rules.md."),
    "E205": ErrorInfo(InputError, "Two codebooks used together share a code id or codebook id.",
                      "Rename one of them."),
    "E206": ErrorInfo(CodebookError, "A keyword pattern's wildcard has one letter (\"ø*\", \"*e\"), so it matches "
                      "nearly every word.", "Write at least two letters before (or after) the *, e.g. \"økonomi*\"."),
    # --- E3xx: the project file ---
    "E301": ErrorInfo(ProjectError, "The project file does not exist.",
                      "Run in the project folder or give the project file's path."),
    "E302": ErrorInfo(ProjectError, "The project file is not valid TOML, or not UTF-8 text.",
                      "Fix the quoting and brackets; save as UTF-8."),
    "E303": ErrorInfo(ProjectError, "A setting of the project file is unknown, missing or of the wrong "
                      "kind.", "Fix the key the message names; see docs/project-file.md."),
    "E304": ErrorInfo(ProjectError, "The project file names a corpus column that does not exist.",
                      "Fix the column name where the message says it was set (a key of the project file, or "
                      "an argument such as group_by or year_column); the message lists the columns."),
    "E305": ErrorInfo(ProjectError, "A question, year or codebook asked for is not in the project.",
                      "Use one of the names the message lists."),
    "E306": ErrorInfo(ProjectError, "A filter (asked_if, population) names a value that never occurs "
                      "in the corpus, so it would count nobody.",
                      "Write one of the values the message lists, exactly (an SPSS code is not its label)."),
    "E307": ErrorInfo(ProjectError, "The project's report language ([report] lang) is not one fritekst "
                      "writes in.", "Write lang = \"nb\" (Norwegian Bokmål, the default) or lang = \"en\"."),
    "E308": ErrorInfo(OutputError, "A report or summary was asked for in a language fritekst does not write.",
                      "Ask for \"nb\" (Norwegian Bokmål) or \"en\" (English)."),
    # --- E4xx: classifier models ---
    "E401": ErrorInfo(ModelError, "A model file does not exist.", "Train one with `fritekst train` or fix the path."),
    "E402": ErrorInfo(ModelError, "A file is not a fritekst model, or it is damaged.",
                      "Use a file made by `fritekst train`, or train it again."),
    "E403": ErrorInfo(ModelError, "A model file holds types that could run code when loaded.",
                      "Only plain-data models made by `fritekst train` load; train it again."),
    "E404": ErrorInfo(ModelError, "A model file is from another fritekst version or lacks metadata.",
                      "Train it again with this fritekst."),
    "E405": ErrorInfo(ModelError, "A model was trained for another codebook, or another version of it.",
                      "Use the right model, or train it again with this codebook."),
    "E406": ErrorInfo(ModelError, "A classifier rule uses a model that has not learned its code, or a "
                      "model needs keyword codings that were not given.",
                      "Hand-code more examples and train again, or remove the rule."),
    "E407": ErrorInfo(InputError, "An evaluation would measure a model on its own training data, or "
                      "the cross-validation folds do not fit the data.",
                      "Evaluate on held-out answers, or choose between 2 and the number of answers folds."),
    "E408": ErrorInfo(InputError, "A training pool file (`fritekst train --pool`) was given twice.",
                      "Give each --pool file once."),
    "E409": ErrorInfo(InputError, "A training pool file has no answers.",
                      "Fill in rows of question,text,codes, or leave the file out."),
    "E410": ErrorInfo(InputError, "A row of a training pool file has no answer text.",
                      "Delete the row or fill in the answer's text."),
    "E411": ErrorInfo(ModelError, "A model that learns from the keyword rules' negated and hedged near misses "
                      "was applied without its codebook.",
                      "Load the model with its codebook (`load_model(path, codebook)`); the CLI always does."),
    # --- E5xx: outputs ---
    "E501": ErrorInfo(OutputError, "An output's folder does not exist or cannot be written, or the file is held "
                      "by another program (the workbench's hand-coding file open in Excel on Windows).",
                      "Create the folder or choose one you can write to; close the file in the other program."),
    "E502": ErrorInfo(OutputError, "The output path is not a folder, or the folder cannot be created.",
                      "Give a folder path."),
    "E503": ErrorInfo(OutputError, "An output would overwrite an input, an existing file, or another "
                      "output.", "Choose another output path (or merge into the existing file)."),
    "E504": ErrorInfo(OutputError, "The output format is not one fritekst writes here.",
                      "Use one of the file extensions the message lists."),
    "E505": ErrorInfo(InputError, "An export timestamp is not a date, or is before 1980.",
                      "Give an ISO 8601 date or time from 1980 on, e.g. 2024-05-31."),
    "E506": ErrorInfo(OutputError, "An export would exceed a format's size limit.", "Export less at a time."),
    "E507": ErrorInfo(InputError, "There is nothing to export.", "Name at least one codebook."),
    "E508": ErrorInfo(OutputError, "The output file holds hand codings (method manual) that this run does not "
                      "read, so writing over it would lose them.",
                      "Rename the file and read it as hand codings (e.g. `mv refs.csv hand.csv`, then "
                      "`--hand hand.csv`), or choose another output path."),
}
