"""The sentence memo: answers cut where a clause ends, each distinct sentence matched once."""

from __future__ import annotations

from fritekst.rules.keyword_compile import _SENTENCE_END_RE
from fritekst.rules.keyword_loop import MatchingLoop
from fritekst.rules.keyword_spec import Hit


class SentenceMemo(MatchingLoop):
    """Per-sentence hits, remembered per sentence text (used when no rule looks past its clause)."""

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
        parts = _SENTENCE_END_RE.split(text)  # [sentence, whitespace, sentence, ..., sentence]
        if len(parts) == 1:
            return list(self._sentence_hits(text))
        hits: list[Hit] = []
        get = self._chunks.get
        new = tuple.__new__
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
            found = self._sentence_hits(piece if start == pos else text[start:end])
            if not start:
                hits.extend(found)
            elif found:
                hits.extend([new(Hit, (c, r, s + start, e + start)) for c, r, s, e in found])
            if k < last:
                start = pos = end + len(parts[k + 1])
        return hits

    def _sentence_hits(self, sentence: str) -> tuple[Hit, ...]:
        found = self._segments.get(sentence)
        if found is None:
            found = tuple(self._match(sentence))
            if len(self._segments) >= self.max_cache:
                self._segments.clear()
            self._segments[sentence] = found
        return found

