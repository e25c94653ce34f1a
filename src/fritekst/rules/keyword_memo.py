"""The sentence memo: answers cut where a clause ends, each distinct sentence matched once.

A sentence's hits are remembered column by column (starts, ends, code ids, rule ids, relative to
the sentence's first character), so that a caller that builds columns anyway (the coder, the
streaming writer) takes them without a :class:`~fritekst.rules.keyword_spec.Hit` per hit:
:meth:`SentenceMemo.hits_into`.
"""

from __future__ import annotations

from fritekst.rules.keyword_compile import _SENTENCE_END_RE
from fritekst.rules.keyword_loop import MatchingLoop
from fritekst.rules.keyword_scope import Span
from fritekst.rules.keyword_spec import Hit

#: A sentence's hits as columns: starts, ends, code ids, rule ids (sorted as Hits are).
Columns = tuple[tuple[int, ...], tuple[int, ...], tuple[str, ...], tuple[str, ...]]
_NO_HITS: Columns = ((), (), (), ())


def _columns(spans: list[Span]) -> Columns:
    if not spans:
        return _NO_HITS
    starts, ends, codes, rules = zip(*spans)
    return starts, ends, codes, rules


class SentenceMemo(MatchingLoop):
    """Per-sentence hits, remembered per sentence text (used when no rule looks past its clause)."""

    _segments: dict[str, Columns]
    _segmentable: bool  # set by KeywordMatcher.__init__

    def _sentences(self, text: str) -> list[tuple[int, str]]:
        """``(offset, sentence)`` of every sentence of ``text``, in order (see :meth:`_match_segments`)."""
        parts = _SENTENCE_END_RE.split(text)  # [sentence, whitespace, sentence, ..., sentence]
        if len(parts) == 1:
            return [(0, text)]
        sentences = []
        get = self._chunks.get
        start = pos = 0  # where the current sentence starts, where parts[k] starts
        last = len(parts) - 1
        for k in range(0, last + 1, 2):
            piece = parts[k]
            end = pos + len(piece)
            if k < last:
                chunk = piece.rsplit(None, 1)[-1]
                rec = get(chunk) or self._chunk_record(chunk)
                if not rec[4] or rec[9]:  # no clause end, or a cue left open: not a cut
                    pos = end + len(parts[k + 1])
                    continue
            sentences.append((start, piece if start == pos else text[start:end]))
            if k < last:
                start = pos = end + len(parts[k + 1])
        return sentences

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
            found = _columns(self._match_spans(sentence))
            if len(self._segments) >= self.max_cache:
                self._segments.clear()
            self._segments[sentence] = found
        return found

    def hits_into(self, text: str, starts: list[int], ends: list[int], code_ids: list[str],
                  rule_ids: list[str]) -> int:
        """Append the hits of ``text`` column by column; return how many there were.

        The same hits in the same order as :meth:`~fritekst.rules.keyword.KeywordMatcher.match`,
        without building a Hit per hit: a sentence's remembered columns are appended whole, its
        starts and ends shifted by the sentence's offset in the answer.
        """
        if not self._segmentable:
            spans = self._match_spans(text)
            if spans:
                found_starts, found_ends, found_codes, found_rules = zip(*spans)
                starts += found_starts
                ends += found_ends
                code_ids += found_codes
                rule_ids += found_rules
            return len(spans)
        segments = self._segments
        found = segments.get(text)  # most answers are one sentence, or repeat as a whole
        if found is not None:
            starts += found[0]
            ends += found[1]
            code_ids += found[2]
            rule_ids += found[3]
            return len(found[0])
        n = 0
        for offset, sentence in self._sentences(text):
            found = segments.get(sentence)
            if found is None:
                found = self._sentence_hits(sentence)
            found_starts = found[0]
            if not found_starts:
                continue
            if offset:
                starts += [s + offset for s in found_starts]
                ends += [e + offset for e in found[1]]
            else:
                starts += found_starts
                ends += found[1]
            code_ids += found[2]
            rule_ids += found[3]
            n += len(found_starts)
        return n
