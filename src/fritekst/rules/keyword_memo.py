"""The sentence memo: answers cut where a clause ends, each distinct sentence matched once.

A sentence's hits are remembered column by column (starts, ends, code ids, rule ids, relative to
the sentence's first character), so that a caller that builds columns anyway (the coder, the
streaming writer) takes them without a :class:`~fritekst.rules.keyword_spec.Hit` per hit:
:meth:`SentenceMemo.hits_into`.

A new sentence is first looked up by its *shape* (:meth:`SentenceMemo._shaped_spans`): the
sequence of its chunks' shapes, a shape being a chunk record with its character offsets replaced
by their ranks. Sentences that differ only in chunks of equal shape ("Økonomien er stram." and
"Økonomi er stramt.") get the same decisions, so their hits are found once per shape and moved
onto each sentence's characters.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import chain
from typing import Any

from fritekst.language import cues as cue_tables
from fritekst.rules.keyword_loop import MatchingLoop
from fritekst.rules.keyword_compile import _CHUNK_RE, _UNIT, _W0, _W1, _WORD
from fritekst.rules.keyword_scope import Deferred, Span, word_distance
from fritekst.rules.keyword_spec import Hit

#: Where an answer may fall into sentences: a . ! ? and the whitespace after it (the same places
#: as ``keyword_compile._SENTENCE_END_RE``, found faster).
_CUT_RE = re.compile(r"[.!?]\s+")
#: What :meth:`SentenceMemo.hits_into` iterates after the cuts: the end of the text.
_LAST = (None,)

#: A sentence's hits as columns: starts, ends, code ids, rule ids (sorted as Hits are).
Columns = tuple[tuple[int, ...], tuple[int, ...], tuple[str, ...], tuple[str, ...]]
_NO_HITS: Columns = ((), (), (), ())


def _columns(spans: list[Span]) -> Columns:
    if not spans:
        return _NO_HITS
    starts, ends, codes, rules = zip(*spans)
    return starts, ends, codes, rules


#: A chunk's shape: its id (equal ids, equal shapes) and the sorted distinct character offsets of
#: its record (unit spans, ready-made hits), whose ranks the shape holds.
ChunkShape = tuple[int, tuple[int, ...]]
#: A sentence's hits as its shape remembers them, column by column in the hits' order: each start
#: as (chunk, rank of the offset in that chunk's offsets), each end the same, then the code ids and
#: the rule ids (the same for every sentence of the shape, so they are shared, not rebuilt).
ShapeHits = tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...], tuple[str, ...], tuple[str, ...]]
_NO_SHAPE_HITS: ShapeHits = ((), (), (), ())


#: What a sentence contributes to an answer with ``near``/``unless`` rules: its decided hits, the
#: hits left to decide (see ``Deferred``), its ``near`` pattern occurrences as first and last word
#: by pattern, the ``unless`` patterns that occur in it, and its number of words.
Facts = tuple[tuple[Span, ...], tuple[Deferred, ...], dict[int, tuple[tuple[int, int], ...]], frozenset[int], int]


class SentenceMemo(MatchingLoop):
    """Per-sentence hits, remembered per sentence text (used when no rule looks past its clause)."""

    _segments: dict[str, Columns]
    _segmentable: bool  # set by KeywordMatcher.__init__
    _shapes: dict[str, ChunkShape]  # chunk text -> its shape
    _shape_ids: dict[tuple[Any, ...], int]  # shape -> id
    _by_shape: dict[tuple[int, ...], ShapeHits | None]  # chunk shape ids -> hits (None: match each)
    _facts: dict[str, Facts]
    _near_pids: frozenset[int]
    _unless_pids: frozenset[int]

    def _sentences(self, text: str) -> list[tuple[int, str]]:
        """``(offset, sentence)`` of every sentence of ``text``, in order (see :meth:`_match_segments`).

        A possible cut is a ``. ! ?`` and the whitespace after it (``_CUT_RE``); the chunk that
        ends there (the text since the previous possible cut, after its last whitespace) decides.
        Scanning for the punctuation first costs half of splitting at a look-behind.
        :meth:`hits_into` makes the same cuts in its own loop (keep the two alike; the tests
        compare its columns with :meth:`match` on word salads and on themes with their denials).
        """
        sentences = []
        get = self._chunks.get
        start = pos = 0  # where the current sentence starts, where the text since the last possible cut starts
        piece = 0  # where the text since the last cut or uncut sentence end starts
        for m in _CUT_RE.finditer(text):
            end = m.start() + 1
            chunk = text[pos:end].rsplit(None, 1)[-1]
            pos = m.end()
            rec = get(chunk) or self._chunk_record(chunk)
            if rec[4] and not rec[9]:  # a clause end and no cue left open: a cut
                if chunk[-1] == "?" and cue_tables.ELLIPTIC_DENIALS and self._may_be_theme(text[piece:end]):
                    piece = pos  # "Lønnsmidlar? Finst ikkje.": the denial after it may negate it
                    continue
                sentences.append((start, text[start:end]))
                start = piece = pos
        sentences.append((start, text[start:] if start else text))
        return sentences

    def _may_be_theme(self, sentence: str) -> bool:
        """Whether ``sentence`` (ending in "?") is short enough to be the theme of an elliptic denial
        (:data:`fritekst.language.cues.ELLIPTIC_THEME_WORDS` words at most): then the next sentence
        is matched with it (:meth:`~fritekst.rules.keyword_loop.MatchingLoop._elliptic_denials`)."""
        get = self._chunks.get
        words = 0
        for chunk in sentence.split():
            words += (get(chunk) or self._chunk_record(chunk))[1]
            if words > cue_tables.ELLIPTIC_THEME_WORDS:
                return False
        return True

    def _match_segments(self, text: str) -> list[Hit]:
        """:meth:`_match`, sentence by sentence, each distinct sentence matched once.

        Without ``near`` and ``unless`` every decision stays inside a clause (negation, hedges,
        dismissals) or a run of adjacent positions (phrases), so an answer falls apart at each
        chunk whose last token ends a clause (e.g. "stramt.") and leaves no cue open: no phrase
        continues past its punctuation token (punctuation never satisfies a pattern word) and no
        scope reaches the next clause. Such a sentence's hits, relative to its first character,
        are the same in every answer, and survey answers repeat sentences. Only the chunks that
        end in ``. ! ?`` and whitespace are tried as cuts; the chunk's record decides.
        """
        hits: list[Hit] = []
        new = tuple.__new__
        for start, sentence in self._sentences(text):
            starts, ends, codes, rules = self._sentence_hits(sentence)
            if starts:
                hits += [new(Hit, (c, r, s + start, e + start)) for s, e, c, r in zip(starts, ends, codes, rules)]
        return hits

    def _sentence_hits(self, sentence: str) -> Columns:
        found = self._segments.get(sentence)
        if found is None:
            found = self._shaped_columns(sentence)
            if len(self._segments) >= self.max_cache:
                self._segments.clear()
            self._segments[sentence] = found
        return found

    def _shaped_spans(self, sentence: str) -> list[Span]:
        """:meth:`_match_spans` of a sentence, from the hits of the first sentence of its shape
        (:meth:`_shaped_columns` as spans)."""
        return list(zip(*self._shaped_columns(sentence)))

    def _shaped_columns(self, sentence: str) -> Columns:
        """:meth:`_match_spans` of a sentence as columns, from the hits of the first sentence of its shape.

        Every decision of :meth:`_match_spans` reads a chunk's record, whether the chunk ends in
        ``. ! ?``, and character offsets only through their order and equality (the set of
        spans, the order of the hits, a fixed expression's span around a hit's), and chunks
        follow each other in the text: so two sentences whose chunks have equal shapes
        (:meth:`_chunk_shape`) make the same decisions, and a hit starting (ending) at the
        offset of rank k in chunk i of one starts (ends) at the offset of rank k in chunk i of
        the other. Measured on the shared workload: 161,904 distinct sentences, 24,097 shapes.
        Their code and rule ids are the same too: the shape keeps those columns whole, and a
        sentence computes only its starts and ends.
        """
        if len(self._shapes) >= self.max_cache:  # before any id is handed out for this sentence
            self._shapes.clear()
            self._shape_ids.clear()
            self._by_shape.clear()
        if cue_tables.ELLIPTIC_DENIALS and (":" in sentence or "?" in sentence.rstrip()[:-1]):
            # a theme and its elliptic denial, maybe: decided on the denial's words, which shapes do not tell
            return _columns(self._match_spans(sentence))
        chunk_texts = _CHUNK_RE.findall(sentence) if "\n" in sentence else sentence.split()
        shapes = self._shapes
        shaped = [shapes.get(chunk) or self._chunk_shape(chunk) for chunk in chunk_texts]
        key = tuple([shape[0] for shape in shaped])
        by_shape = self._by_shape
        if key not in by_shape:
            spans = self._match_spans(sentence)
            by_shape[key] = self._shape_hits(sentence, chunk_texts, shaped, spans)
            return _columns(spans)
        refs = by_shape[key]
        if refs is None:
            return _columns(self._match_spans(sentence))
        start_refs, end_refs, codes, rules = refs
        if not codes:
            return _NO_HITS
        offsets = self._chunk_offsets(sentence, chunk_texts)
        return (tuple([offsets[i] + shaped[i][1][a] for i, a in start_refs]),
                tuple([offsets[j] + shaped[j][1][b] for j, b in end_refs]), codes, rules)

    def _chunk_shape(self, chunk: str) -> ChunkShape:
        """The shape of a chunk: its record with every character offset replaced by its rank
        among the record's offsets, and whether the chunk ends in ``. ! ?`` (see
        :meth:`_shaped_spans`)."""
        rec = self._chunks.get(chunk) or self._chunk_record(chunk)
        units, fixed, negatable = rec[5], rec[7], rec[8]
        offsets = sorted({u[i] for u in units for i in (5, 6)} | {h[i] for h in fixed + negatable for i in (0, 1)})
        rank = {offset: k for k, offset in enumerate(offsets)}
        shape = (
            rec[:5],
            tuple((*u[:5], rank[u[5]], rank[u[6]], u[7], u[8], tuple(sorted(u[9].items())), u[10]) for u in units),
            rec[6],
            tuple((rank[h[0]], rank[h[1]], *h[2:]) for h in fixed),
            tuple((rank[h[0]], rank[h[1]], *h[2:]) for h in negatable),
            rec[9:],
            chunk[-1] in ".!?",
        )
        shape_id = self._shape_ids.setdefault(shape, len(self._shape_ids))
        found = self._shapes[chunk] = (shape_id, tuple(offsets))
        return found

    @staticmethod
    def _shape_hits(sentence: str, chunk_texts: list[str], shaped: list[ChunkShape],
                    spans: list[Span]) -> ShapeHits | None:
        """``spans`` of ``sentence`` as chunks and offset ranks (None if an offset is not one of
        its chunk's record offsets: then sentences of this shape are matched one by one)."""
        if not spans:
            return _NO_SHAPE_HITS
        offsets = SentenceMemo._chunk_offsets(sentence, chunk_texts)
        start_refs = []
        end_refs = []
        for start, end, _code_id, _rule_id in spans:
            i = bisect_right(offsets, start) - 1
            j = bisect_left(offsets, end) - 1
            try:
                start_refs.append((i, shaped[i][1].index(start - offsets[i])))
                end_refs.append((j, shaped[j][1].index(end - offsets[j])))
            except ValueError:
                return None
        _, _, codes, rules = _columns(spans)
        return tuple(start_refs), tuple(end_refs), codes, rules

    def hits_into(self, text: str, starts: list[int], ends: list[int], code_ids: list[str],
                  rule_ids: list[str]) -> int:
        """Append the hits of ``text`` column by column; return how many there were.

        The same hits in the same order as :meth:`~fritekst.rules.keyword.KeywordMatcher.match`,
        without building a Hit per hit: a sentence's remembered columns are appended whole, its
        starts and ends shifted by the sentence's offset in the answer.
        """
        segments = self._segments
        if not self._segmentable:  # near/unless: the answer is decided whole
            found: Columns | None = _columns(self._conditional_spans(text))
        else:
            found = segments.get(text)  # most answers are one sentence, or repeat as a whole
        if found is not None:
            starts += found[0]
            ends += found[1]
            code_ids += found[2]
            rule_ids += found[3]
            return len(found[0])
        # Cut as _sentences cuts, each sentence's columns taken as soon as it is cut (no list of
        # sentences, no second loop: a fifth of the warm per-answer loop); None ends the text.
        n = 0
        get = self._chunks.get
        segment = segments.get
        offset = pos = piece = 0
        for m in chain(_CUT_RE.finditer(text), _LAST):
            if m is not None:
                end = m.start() + 1
                chunk = text[pos:end].rsplit(None, 1)[-1]
                pos = m.end()
                rec = get(chunk) or self._chunk_record(chunk)
                if not rec[4] or rec[9]:  # no clause end, or a cue left open: no cut
                    continue
                if chunk[-1] == "?" and cue_tables.ELLIPTIC_DENIALS and self._may_be_theme(text[piece:end]):
                    piece = pos
                    continue
                sentence = text[offset:end]
            else:
                sentence = text[offset:] if offset else text
            found = segment(sentence) or self._sentence_hits(sentence)
            found_starts = found[0]
            if found_starts:
                if offset:
                    starts += map(offset.__add__, found_starts)
                    ends += map(offset.__add__, found[1])
                else:
                    starts += found_starts
                    ends += found[1]
                code_ids += found[2]
                rule_ids += found[3]
                n += len(found_starts)
            offset = piece = pos
        return n

    # -- answers with near/unless rules ----------------------------------------------------------
    def _conditional_spans(self, text: str) -> list[Span]:
        """:meth:`_match_spans` of an answer whose rules have ``near`` or ``unless``, sentence by sentence.

        Every other decision stays in a clause, so the answer is cut as :meth:`_match_segments`
        cuts it and each distinct sentence is matched once (:meth:`_sentence_facts`), leaving
        the hits of ``near``/``unless`` rules undecided. Those two conditions are then decided
        on the whole answer: ``unless`` against the patterns of all its sentences, ``near``
        against the ``near`` occurrences of all its sentences, words counted from the answer's
        first word (a sentence's words follow the previous sentence's). Rules are conjunctions
        of conditions, so deciding two of them last changes no hit.
        """
        sentences = self._sentences(text)
        facts = [self._sentence_facts(sentence) for _, sentence in sentences]
        present: frozenset[int] = frozenset().union(*(f[3] for f in facts)) if len(facts) > 1 else facts[0][3]
        near: dict[int, list[tuple[int, int]]] = {}
        word_offsets = []
        words = 0
        for f in facts:
            word_offsets.append(words)
            for pid, occurrences in f[2].items():
                near.setdefault(pid, []).extend((lo + words, hi + words) for lo, hi in occurrences)
            words += f[4]
        spans: list[Span] = []
        conditional = self._conditional
        for (offset, _), f, word_offset in zip(sentences, facts, word_offsets):
            found: Sequence[Span] = f[0]
            if f[1]:
                accepted = []
                for start, end, code_id, rule_id, index, lo, hi in f[1]:
                    rule = conditional[index]
                    if rule.unless and not rule.unless.isdisjoint(present):
                        continue
                    if rule.near and not _near(lo + word_offset, hi + word_offset, rule.near, rule.within, near):
                        continue
                    accepted.append((start, end, code_id, rule_id))
                if accepted:
                    found = sorted(set(found).union(accepted))
            if offset:
                spans += [(s + offset, e + offset, c, r) for s, e, c, r in found]
            else:
                spans += found
        return spans

    def _conditional_hits(self, text: str) -> list[Hit]:
        """:meth:`_conditional_spans` as Hits."""
        new = tuple.__new__
        return [new(Hit, (c, r, s, e)) for s, e, c, r in self._conditional_spans(text)]

    def _sentence_facts(self, sentence: str) -> Facts:
        found = self._facts.get(sentence)
        if found is None:
            facts: list[Any] = []
            spans = self._match_spans(sentence, facts)
            deferred, pattern_hits, n_words = facts
            near = {pid: tuple((a[_WORD] + a[_UNIT][_W0], b[_WORD] + b[_UNIT][_W1]) for a, b in pattern_hits[pid])
                    for pid in self._near_pids.intersection(pattern_hits)}
            found = (tuple(spans), tuple(deferred), near, self._unless_pids.intersection(pattern_hits), n_words)
            if len(self._facts) >= self.max_cache:
                self._facts.clear()
            self._facts[sentence] = found
        return found


def _near(lo: int, hi: int, near_pids: tuple[int, ...], within: int,
          near: dict[int, list[tuple[int, int]]]) -> bool:
    """Whether an occurrence of one of ``near_pids`` is at most ``within`` words from words lo..hi
    (as ``ScopeDecisions._near``, on first and last words)."""
    for pid in near_pids:
        for near_lo, near_hi in near.get(pid, ()):
            if word_distance(lo, hi, near_lo, near_hi) <= within:
                return True
    return False
