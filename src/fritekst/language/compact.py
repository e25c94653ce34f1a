"""Compact, on-disk forms of the installed language data, so a command loads only what it uses.

Loading simplemma's Bokmål and Nynorsk dictionaries decompresses and decodes about 900,000 entries
(over a second of CPU), and building spaCy's tokenizer imports spaCy (about a second); a command that
checks a codebook or reports from cached codings needs a few hundred lemmas and no tokenizer at all.

So, on first use, this module copies what the language layer reads from the *installed* packages
(never a download) into small files in a cache folder, and afterwards answers from them:

* simplemma's dictionaries become one SQLite file per language: a lookup reads a single B-tree row
  instead of loading the whole dictionary. The lemmatizer is simplemma's own (its strategies, rules
  and casing), only its dictionary is read from SQLite, so every lemma is exactly simplemma's. Once
  the lookups have cost about what loading the whole dictionary would (a large corpus, see
  :data:`SOURCE_BYTES_PER_LOOKUP`), the full dictionary is loaded after all, because then in-memory
  lookups are faster than SQLite's. The lexicon's known-word test reads the same copies.
* For that whole load, each dictionary is also kept flat: its keys and its values, each joined by
  line breaks, in simplemma's own order. Splitting two byte strings and zipping them into the
  bytes dict simplemma would build (equal lemmas as one object, as simplemma shares them) costs
  less than decoding its packed file (nb: 0.39 -> 0.27 s of CPU); the entries are the same, in the
  same order.
* spaCy's tokenizer becomes one JSON file of plain data (:func:`spacy_tokenizer_data`): its prefix,
  suffix and infix expressions and its url match (pattern and flags), its special cases with their
  token splits, and spaCy's own split of the special cases it looks for again after the affix pass.
  :class:`.tokenizer.ChunkTokenizer` tokenizes with it exactly as spaCy does, so once the file
  exists no command imports spaCy (~0.66 s of a cold `fritekst code`, docs/benchmarks.md "tok11").

The files are keyed by the package's version and the data file's size and time (the tokenizer's also by
what fritekst adds to spaCy's rules), so upgrading simplemma or spaCy rebuilds them. They hold only
the packages' own data, never anything from a corpus. The folder is ``$FRITEKST_CACHE_DIR``, else
``$XDG_CACHE_HOME/fritekst``, else ``~/.cache/fritekst``; if it cannot be written, everything is
loaded the ordinary way (slower start, same results; the tokenizer data is then taken from spaCy in
every run).

Examples
--------
>>> lemmatize("stillingar", "nn")
'stilling'
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any
from unicodedata import normalize

#: After this many dictionary lookups in one process, load the whole dictionary into memory: a
#: SQLite lookup costs ~30 µs here; a codebook check needs ~1,100. This is the least number; a
#: dictionary waits as many lookups as loading it whole would cost (:data:`SOURCE_BYTES_PER_LOOKUP`).
LOOKUPS_BEFORE_FULL_LOAD = 5_000
#: Loading a dictionary costs about as much as one SQLite lookup per this many bytes of its packed
#: file. Measured from the flat copies (3 Dec 2026, speed9; a lookup ~25 µs of a cold run): nb
#: 530 kB, 0.4 s, ~16,000 lookups (33 bytes a lookup); nn 176 kB, 0.065 s, ~2,600 (68), so nn waits
#: only the least number.
#: Switching once the lookups have cost what the load would cost is at most twice the better
#: choice, whatever the corpus (the shipped example: ~6,000 nb and over 5,000 nn, counted as below, so
#: it loads nn whole part-way and reads nb row by row).
SOURCE_BYTES_PER_LOOKUP = 40


def cache_folder() -> Path:
    """The folder for the compact files (not created here)."""
    explicit = os.environ.get("FRITEKST_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fritekst"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:  # pragma: no cover - both are runtime dependencies
        return "unknown"


def _write_atomically(target: Path, write: Any) -> bool:
    """Build a file beside ``target`` with ``write(path)`` and move it into place; False if the
    folder cannot be written (the caller then falls back to the ordinary load)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
    except OSError:
        return False
    try:
        write(Path(tmp))
        os.replace(tmp, target)
        return True
    except (OSError, sqlite3.Error):
        return False
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# -- simplemma ------------------------------------------------------------------------------------

class _SqliteDictionary(Mapping[str, str]):
    """simplemma's dictionary for one language, read row by row from SQLite until it gets busy."""

    def __init__(self, lang: str, path: Path, limit: int = LOOKUPS_BEFORE_FULL_LOAD) -> None:
        self._lang = lang
        self._path = path
        self._limit = limit
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._pid = -1
        self._lookups = 0
        self._full: Mapping[str, str] | None = None
        # simplemma's in-memory dictionary is bytes -> bytes behind a str wrapper; once it is
        # loaded, lookups go to the bytes dict directly (one call instead of three per lookup,
        # the same values: a lemma run makes ~40 lookups per new word form).
        self._raw: dict[bytes, bytes] | None = None
        # While rows are read from SQLite, each answer (a value, or None for no entry) is kept:
        # simplemma's strategies ask about the same keys again (a third of the ~26,000 lookups of
        # a cold `fritekst code` on the example were repeats). Bounded by the lookup limit (at
        # most two entries per query), dropped once the whole dictionary is loaded.
        self._seen: dict[str, str | None] = {}

    def _cursor(self) -> sqlite3.Connection:
        # A connection must not cross a fork; worker processes open their own.
        if self._connection is None or self._pid != os.getpid():
            self._connection = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True,
                                               check_same_thread=False)
            # Mapped, a lookup reads its few B-tree pages from memory; without, each page is a
            # read() into SQLite's page cache, which starts empty in every process (~100 µs a
            # lookup of a cold run instead of ~20 µs).
            self._connection.execute(f"PRAGMA mmap_size = {_MMAP_BYTES}")
            self._pid = os.getpid()
        return self._connection

    def get(self, key: str, default: Any = None) -> Any:
        raw = self._raw
        if raw is not None:
            value = raw.get(key.encode())
            return value.decode() if value is not None else default
        full = self._full
        if full is not None:
            return full.get(key, default)
        with self._lock:
            seen = self._seen
            if key in seen:
                answer = seen[key]
                return answer if answer is not None else default
            self._lookups += 1
            if self._lookups > self._limit:
                self._load_full()
                return self.get(key, default)
            # A key that is missing is asked again with its first letter's case reversed (simplemma's
            # DictionaryLookupStrategy): both are read in one query (a miss is ~3 of 4 lookups).
            other = key.lower() if key[:1].isupper() else key.capitalize()
            seen[key] = seen[other] = None
            for k, v in self._cursor().execute("SELECT k, v FROM d WHERE k IN (?, ?)",
                                               (key.encode(), other.encode())):
                seen[k.decode()] = v.decode()
            answer = seen[key]
        return answer if answer is not None else default

    def prefetch(self, form: str) -> None:
        """Read every entry simplemma's search may ask about for an unknown ``form`` in one query.

        For a form it does not know, simplemma's prefix and affix steps ask about each of its
        beginnings and endings, each also with its first letter's case reversed: 85 lookups for
        "rekrutteringsutfordringar", one SQLite query each. Reading them all at once (the key
        and whether it exists, as a lookup would) costs about a third as much. Only
        what is read changes, never an answer; a key not read here is looked up as before.
        """
        with self._lock:
            if self._full is not None:
                return
            seen = self._seen
            pieces = {form[:i] for i in range(_PREFETCH_MIN, len(form) + 1)}
            pieces |= {form[i:] for i in range(len(form) - _PREFETCH_MIN + 1)}
            keys = [k for piece in pieces
                    for k in (piece, piece.lower() if piece[:1].isupper() else piece.capitalize())
                    if k not in seen]
            if not keys:
                return
            # as many lookups as the query costs, so that the switch to a whole load still comes
            # when the lookups have cost what loading would (see _lookup_limit)
            self._lookups += 1 + len(keys) // _PREFETCH_KEYS_PER_LOOKUP
            if len(seen) > _SEEN_MAX:
                seen.clear()
            cursor = self._cursor()
            for start in range(0, len(keys), _PREFETCH_BATCH):
                batch = keys[start:start + _PREFETCH_BATCH]
                seen.update(dict.fromkeys(batch))
                marks = ", ".join("?" * len(batch))
                for k, v in cursor.execute(f"SELECT k, v FROM d WHERE k IN ({marks})",  # noqa: S608 - only marks
                                           [k.encode() for k in batch]):
                    seen[k.decode()] = v.decode()

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def _load_full(self) -> None:
        self._seen = {}
        flat = _flat_dictionary(self._lang)
        if flat is not None:
            from simplemma.strategies.dictionaries.dictionary_factory import MappingStrToByteString

            self._full, self._raw = MappingStrToByteString(flat), flat
            return
        self._full = _full_dictionary(self._lang)
        raw = getattr(self._full, "_dict", None)  # simplemma's MappingStrToByteString
        if isinstance(raw, dict):
            self._raw = raw

    def _loaded(self) -> Mapping[str, str]:
        if self._full is None:
            self._load_full()
        assert self._full is not None
        return self._full

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())


#: Bytes of a SQLite copy read through a memory map (more than the largest, nb: 21 MB).
_MMAP_BYTES = 1 << 27
#: :meth:`_SqliteDictionary.prefetch` reads the beginnings and endings of at least this many letters.
_PREFETCH_MIN = 3
#: Keys read per SQLite query by a prefetch (well under SQLite's limit on bound parameters).
_PREFETCH_BATCH = 400
#: A prefetch of this many keys costs about one single-key lookup more (measured: ~25 µs a
#: lookup, ~6 µs more per key of an IN query).
_PREFETCH_KEYS_PER_LOOKUP = 4
#: The remembered answers are dropped past this many (a bound on memory before the whole load).
_SEEN_MAX = 200_000


def _full_dictionary(lang: str) -> Mapping[str, str]:
    from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY

    return DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)


def _flat_dictionary(lang: str) -> dict[bytes, bytes] | None:
    """simplemma's ``lang`` dictionary as the bytes dict it builds, read from the flat copy (built on
    first use beside the SQLite one; None if there is none and it cannot be built).

    The copy is the dict in :mod:`marshal`'s format, which rebuilds it in one C call with each
    distinct lemma one object (nb: 640,654 values, 140,433 distinct; unshared they cost ~40 MB
    more): 0.09 s for nb, where splitting a joined file, sharing
    the lemmas and zipping the dict cost 0.2 s. marshal's format may change between Python
    releases, so the file is named by the release and marshal's version; a file that does not
    load as a dict of bytes is not used (the packed file is decoded instead). Only fritekst writes
    it, into its own cache folder, and loading it runs no code.
    """
    import marshal
    import simplemma.strategies.dictionaries.dictionary_factory as factory

    source = factory.DATA_FOLDER / f"{lang}.plzma"
    stat = source.stat()
    python = f"py{sys.version_info[0]}{sys.version_info[1]}-m{marshal.version}"
    target = (cache_folder() / f"simplemma-{_version('simplemma')}-{lang}-{stat.st_size}-{int(stat.st_mtime)}"
              f"-{python}.flat")
    try:
        found = marshal.loads(target.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        found = None
    if isinstance(found, dict) and found and isinstance(next(iter(found.items()))[1], bytes):
        return found
    decoded = factory._load_dictionary_from_disk(lang)
    if not decoded:
        return None
    shared: dict[bytes, bytes] = {}
    share = shared.setdefault  # equal lemmas one object (simplemma's decoder shares most of them)
    entries = {key: share(value, value) for key, value in decoded.items()}

    def build(path: Path) -> None:
        path.write_bytes(marshal.dumps(entries))

    _write_atomically(target, build)
    return entries


def _dictionary_file(lang: str) -> Path | None:
    """The SQLite copy of simplemma's ``lang`` dictionary, built on first use (None if impossible)."""
    import simplemma.strategies.dictionaries.dictionary_factory as factory

    source = factory.DATA_FOLDER / f"{lang}.plzma"
    stat = source.stat()
    target = cache_folder() / f"simplemma-{_version('simplemma')}-{lang}-{stat.st_size}-{int(stat.st_mtime)}.sqlite"
    if target.is_file():
        return target

    def build(path: Path) -> None:
        entries = factory._load_dictionary_from_disk(lang)
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE d (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID")
            connection.executemany("INSERT INTO d VALUES (?, ?)", entries.items())
        connection.close()

    return target if _write_atomically(target, build) else None


def _lookup_limit(lang: str) -> int:
    """Lookups after which loading ``lang``'s whole dictionary is cheaper (see the constants above)."""
    import simplemma.strategies.dictionaries.dictionary_factory as factory

    size = (factory.DATA_FOLDER / f"{lang}.plzma").stat().st_size
    return max(LOOKUPS_BEFORE_FULL_LOAD, size // SOURCE_BYTES_PER_LOOKUP)


class _CompactFactory:
    """A simplemma ``DictionaryFactory`` over the SQLite copies (one per language, opened lazily)."""

    def __init__(self) -> None:
        self._dictionaries: dict[str, Mapping[str, str]] = {}
        self._lock = threading.Lock()

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        found = self._dictionaries.get(lang)
        if found is None:
            with self._lock:
                found = self._dictionaries.get(lang)
                if found is None:
                    path = _dictionary_file(lang)
                    found = _SqliteDictionary(lang, path, _lookup_limit(lang)) if path else _full_dictionary(lang)
                    self._dictionaries[lang] = found
        return found


_lemmatizer: Any = None
_lemmatizer_lock = threading.Lock()
#: One factory per process, so the lemmatizer and :func:`dictionary` share each language's copy.
_factory = _CompactFactory()


def dictionary(lang: str) -> Mapping[str, str]:
    """simplemma's dictionary for ``lang`` (form → lemma), read from the compact copy.

    The lexicon's "is this a known word" asks this; loading simplemma's own dictionaries for it
    cost about 1.5 s of every cold run.
    """
    return _factory.get_dictionary(lang)


#: A corpus of at least this many answers needs more lookups than loading a dictionary whole
#: costs (the shared 200k workload: ~5 lookups per answer, most of them in the first 10,000), so
#: :func:`expect_large_corpus` loads the whole dictionaries at once instead of first paying that
#: many SQLite lookups (the ski rental above pays up to twice the better choice).
LARGE_CORPUS_ANSWERS = 5_000


def expect_large_corpus(langs: tuple[str, ...] = ("nb", "nn")) -> None:
    """Load the whole dictionaries of ``langs`` now: a large corpus is about to be lemmatized.

    Only the moment of the load changes, never a lemma (the same entries either way).
    """
    for lang in langs:
        found = _factory.get_dictionary(lang)
        if isinstance(found, _SqliteDictionary):
            with found._lock:
                if found._full is None:
                    found._load_full()


def _loaded_bytes(lang: str) -> dict[bytes, bytes] | None:
    """The bytes dict of ``lang``'s dictionary once it is loaded whole (else None)."""
    found = _factory.get_dictionary(lang)
    return found._raw if isinstance(found, _SqliteDictionary) else None


def lemmatize(form: str, lang: str) -> str:
    """``simplemma.lemmatize(form, lang)``, with the dictionary read from the compact copy."""
    global _lemmatizer
    if _lemmatizer is None:
        with _lemmatizer_lock:
            if _lemmatizer is None:
                from simplemma import Lemmatizer
                from simplemma.strategies import DefaultStrategy

                from .lemma_lookup import BoundedAffix, BytesLookup, bounded_affix_applies, share_lookup

                strategy = DefaultStrategy(dictionary_factory=_factory)
                # the lookup step reads the loaded bytes dicts itself, and the affix step skips the
                # lookups that must miss (same lemmas, see lemma_lookup)
                lookup = BytesLookup(_factory, _loaded_bytes)
                share_lookup(strategy, lookup)
                if bounded_affix_applies() and hasattr(strategy, "_affix_search"):
                    strategy._affix_search = BoundedAffix(lookup, _loaded_bytes)
                _lemmatizer = Lemmatizer(lemmatization_strategy=strategy)
    found = _factory.get_dictionary(lang)
    if isinstance(found, _SqliteDictionary):
        if found._full is not None and form:
            # What Lemmatizer.lemmatize does, less its own cache (the analyzer keeps one per form)
            # and its input checks (a non-empty str, one language): NFC, the search chain, else
            # the fallback. A third of the cost of a form simplemma does not know.
            token = normalize("NFC", form)
            lemma = _lemmatizer._lemmatization_strategy.get_lemma(token, lang)
            return lemma if lemma is not None else _lemmatizer._fallback_lemmatization_strategy.get_lemma(token, lang)
        # A form the dictionary does not know sends simplemma through every split of it: read
        # those entries in one query first (see _SqliteDictionary.prefetch; the answers are the same).
        if found._full is None and found.get(form) is None:
            found.prefetch(form)
    return _lemmatizer.lemmatize(form, lang)


# -- spaCy ----------------------------------------------------------------------------------------

#: Bumped when the stored tokenizer data changes shape (an old file is then rebuilt, never misread).
TOKENIZER_DATA_FORMAT = 1
_PATTERN_METHODS = {"prefix": "search", "suffix": "search", "infix": "finditer",
                    "token_match": "match", "url_match": "match"}
_TOKENIZER_ATTRIBUTES = {"prefix": "prefix_search", "suffix": "suffix_search",
                         "infix": "infix_finditer", "token_match": "token_match",
                         "url_match": "url_match"}


def spacy_tokenizer_data(lang: str, build: Any, variant: str) -> dict[str, Any] | None:
    """Everything spaCy's tokenizer ``build()`` uses on a chunk, as plain data, without importing
    spaCy once it is stored.

    ``variant`` names what the caller adds to spaCy's ``lang`` defaults (its own patterns, removed
    special cases); the file is keyed by it and by spaCy's version, so a change to either rebuilds
    it from ``build()``. The data (read by :class:`.tokenizer.ChunkTokenizer`): the ``prefix``,
    ``suffix``, ``infix``, ``token_match`` and ``url_match`` expressions as ``[pattern, flags]``
    (None if unset), ``rules`` (each special case -> its token texts) and ``matcher`` (the special
    cases spaCy looks for again after splitting affixes -> how spaCy splits them without special
    cases). None if the tokenizer uses something that is not a compiled ``re`` expression (then the
    caller uses spaCy itself).
    """
    target = cache_folder() / f"spacy-{_version('spacy')}-{lang}-tokenizer-{variant}.json"
    try:
        stored = json.loads(target.read_text(encoding="utf-8"))
        if isinstance(stored, dict) and stored.get("format") == TOKENIZER_DATA_FORMAT:
            return stored
    except (OSError, ValueError):
        pass
    data = _tokenizer_data(build())
    if data is not None:

        def write(path: Path) -> None:
            path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")

        _write_atomically(target, write)
    return data


def _tokenizer_data(tokenizer: Any) -> dict[str, Any] | None:
    import re

    from spacy.attrs import intify_attrs
    from spacy.symbols import ORTH
    from spacy.tokenizer import Tokenizer

    data: dict[str, Any] = {"format": TOKENIZER_DATA_FORMAT}
    for name, attribute in _TOKENIZER_ATTRIBUTES.items():
        function = getattr(tokenizer, attribute)
        if function is None:
            data[name] = None
            continue
        pattern = getattr(function, "__self__", None)
        if not isinstance(pattern, re.Pattern) or function.__name__ != _PATTERN_METHODS[name]:
            return None  # a custom callable: not data
        data[name] = [pattern.pattern, pattern.flags]
    data["rules"] = {
        key: [intify_attrs(spec, _do_deprecated=True)[ORTH] for spec in specs]
        for key, specs in tokenizer.rules.items()
    }
    # spaCy's own split of each special case without special cases (Tokenizer.add_special_case
    # matches these token sequences in _apply_special_cases), from the same patterns and no rules
    plain = Tokenizer(tokenizer.vocab, rules={}, prefix_search=tokenizer.prefix_search,
                      suffix_search=tokenizer.suffix_search, infix_finditer=tokenizer.infix_finditer,
                      token_match=tokenizer.token_match, url_match=tokenizer.url_match)
    data["matcher"] = {
        key: [t.text for t in plain(key)]
        for key in tokenizer.rules
        if not tokenizer.faster_heuristics or tokenizer.find_prefix(key) or tokenizer.find_infix(key)
        or tokenizer.find_suffix(key) or " " in key
    }
    return data
