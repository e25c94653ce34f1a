"""The matching loop: an answer's chunks through their records, then phrase pairing.

:meth:`MatchingLoop._match` walks an answer's chunks (most are plain words, skipped by identity),
places the units that may take part in phrases or conditional rules, collects cues and ready-made
hits, pairs units into pattern occurrences (:meth:`MatchingLoop._pattern_hits`) and hands all of it
to the scope decisions.
"""

from __future__ import annotations

from typing import Any

from fritekst.language import cues as cue_tables
from fritekst.rules.keyword_compile import (_ABS, _CHUNK_RE, _EMPTY, _IDS, _P1, _PHRASES, _PLAIN_WORD, _POS, _SINGLES,
                                            _SKIP, _UNIT)
from fritekst.rules.keyword_scope import Deferred, ScopeDecisions, Span
from fritekst.rules.keyword_spec import Hit


def _is_dismissal_head(word: str) -> bool:
    """Whether a lowercase word is a noun of :data:`~fritekst.language.cues.DISMISSAL_HEADS` ("problemet")."""
    return any(word.startswith(h[:-1]) if h.endswith("*") else word == h for h in cue_tables.DISMISSAL_HEADS)


#: What a chunk of an elliptic denial may carry around its word ("ikkje.", "«nei»,").
_PUNCTUATION = ".,;:!?…–—-«»\"“”'‘’()"


class MatchingLoop(ScopeDecisions):
    """Whole-answer matching (no caches above the chunk and form records)."""

    def _match(self, text: str) -> list[Hit]:
        """The hits of one answer, matched whole (no memo), sorted by start, end, code and rule."""
        new = tuple.__new__
        return [new(Hit, (c, r, s, e)) for s, e, c, r in self._match_spans(text)]

    def _match_spans(self, text: str, facts: list[Any] | None = None) -> list[Span]:
        """:meth:`_match` as sorted ``(start, end, code_id, rule_id)`` tuples (no Hit objects).

        ``facts``: a sentence of an answer with ``near``/``unless`` rules (see
        :meth:`~fritekst.rules.keyword_memo.SentenceMemo._conditional_spans`); the hits of those
        rules are left undecided and ``facts`` receives the list of them, the pattern occurrences
        and the number of words.
        """
        # Line breaks end clauses: keep them as "\n" chunks.
        if "\n" in text:
            chunk_texts = _CHUNK_RE.findall(text)
        else:
            chunk_texts = text.split()
        get = self._chunks.get
        plain = _PLAIN_WORD
        pos = word = clause = 0
        pending = False
        trailing = False  # the last chunk ended with a cue no word has followed yet
        units: list[tuple[Any, ...]] = []
        fixed: list[tuple[int, int, int, tuple[Any, ...]]] = []
        negatable: list[tuple[int, int, int, tuple[Any, ...]]] = []
        cues: list[list[Any]] = []
        sentence_starts: list[int] = []  # word indices where a sentence starts (a refusal stops there)
        sentence_clauses: list[int] = []  # the clause each of them starts (a fronted condition stops there)
        # (chunk, last word, clause, first clause of its sentence) of a chunk ending in "?" or ":" (a theme, maybe)
        themes: list[tuple[int, int, int, int]] = []
        sentence_clause, sentence_open = 0, False  # the first clause of the current sentence (after its line breaks)
        # Phrase-link filter: the units of a droppable chunk are placed only when it links to the
        # chunk before or after it (see _links). `tail_at` is the index of the last chunk with
        # positions that had a tail, `deferred` its unplaced units.
        tail_at = -2
        tail: frozenset[int] = _EMPTY
        deferred: tuple[Any, ...] | None = None
        for i, chunk in enumerate(chunk_texts):
            rec = get(chunk) or self._chunk_record(chunk)
            if rec is plain:  # the common case: a word that satisfies no pattern word
                if pending:
                    clause += 1
                    pending = False
                    if sentence_open:
                        sentence_clause, sentence_open = clause, False
                trailing = False
                pos += 1
                word += 1
                continue
            if trailing:
                if (rec[2] and i) or (not rec[1] and rec[4]):
                    cues[-1][2] = True  # the clause ends right after the cue
                    trailing = False
                elif rec[1]:
                    trailing = False
            if pending or (rec[2] and i):
                clause += 1
            if sentence_open and rec[0]:
                sentence_clause, sentence_open = clause, False
            if not rec[0]:  # a line break: no position, so phrases continue across it
                if tail_at == i - 1:
                    tail_at = i
            else:
                linked = tail_at == i - 1 and not tail.isdisjoint(rec[10])
                if linked and deferred is not None:
                    d_pos, d_word, d_clause, d_i, d_units = deferred
                    for u in d_units:
                        units.append((d_pos + u[0], d_pos, d_word, d_clause, d_i, u))
                deferred = None
                if rec[5]:
                    if linked or not rec[12]:
                        for u in rec[5]:
                            units.append((pos + u[0], pos, word, clause, i, u))
                    else:
                        deferred = (pos, word, clause, i, rec[5])
                if rec[11]:
                    tail = rec[11]
                    tail_at = i
            if rec[6]:
                for c, w, whole in rec[6]:
                    cues.append([clause + c, word + w, whole])
            if rec[7]:
                fixed.append((i, clause, word, rec[7]))
            if rec[8]:
                negatable.append((i, clause, word, rec[8]))
            if rec[9]:
                trailing = True
            elif rec[4]:
                end = chunk[-1]
                if end in "?:" and not rec[3] and rec[1]:  # "Lønnsmidlar?", "FACT-team:": a theme, maybe
                    themes.append((i, word + rec[1] - 1, clause, sentence_clause))
                if end in ".!?":  # "stramt." ends a sentence
                    sentence_starts.append(word + rec[1])
                    sentence_clauses.append(clause + rec[3] + 1)
                    sentence_open = True
            pos += rec[0]
            word += rec[1]
            clause += rec[3]
            pending = rec[4]
        if not units and not fixed and not negatable:
            if facts is not None:
                facts += [[], {}, word]
            return []
        if trailing:
            cues[-1][2] = True  # the answer ends right after the cue
        if cue_tables.NEGATED_LACK_IS_LOCAL:
            # "ressursar og ikkje manglar": a word of lack right after a cue is negated itself, so it
            # negates what follows it, not its whole clause
            for before, cue in zip(cues, cues[1:]):
                if cue[2] and cue[0] == before[0] and cue[1] == before[1] + 1 and not before[2]:
                    cue[2] = False
        pattern_hits = self._pattern_hits(units) if units else {}
        undecided: list[Deferred] | None = None
        if facts is not None:
            undecided = []
            facts += [undecided, pattern_hits, word]
        scope = self._scope(cues, pattern_hits, sentence_starts, sentence_clauses)
        if themes and cue_tables.ELLIPTIC_DENIALS:
            denied, dismissed = self._elliptic_denials(themes, chunk_texts, sentence_starts)
            scope.short.extend(denied)
            scope.dismissed_spans.extend(dismissed)
        return self._rules_on(text, chunk_texts, fixed, negatable, pattern_hits, scope, undecided)

    def _elliptic_denials(self, themes: list[tuple[int, int, int, int]], chunk_texts: list[str],
                          sentence_starts: list[int]
                          ) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
        """(clause, first, last) of each theme fragment denied by the rest of its sentence
        ("Lønnsmidlar? Finst ikkje.", :func:`fritekst.language.cues.elliptic_theme`), and of each
        dismissed by it ("Økonomi? Nei, det er ikke problemet.", a head of
        :data:`~fritekst.language.cues.DISMISSAL_HEADS` after the cue:
        :data:`~fritekst.language.cues.ELLIPTIC_DISMISSAL_WORDS`).

        The denial is read from the chunks after the theme up to the first that ends in ``. ! ?``
        (never past a cut of the sentence memo) or a line break after a word; each of its chunks is
        one word: a negation cue, a denying answer or a bare denial word (the memo matches such
        sentences without their shapes, since plain words share one)."""
        found: list[tuple[int, int, int]] = []
        dismissed: list[tuple[int, int, int]] = []
        get = self._chunks.get
        for i, last, clause, first_clause in themes:
            if first_clause != clause:  # a comma inside: no fragment
                continue
            words = denying = head = 0
            cue = False
            for chunk in chunk_texts[i + 1:]:
                rec = get(chunk) or self._chunk_record(chunk)
                if not rec[0]:  # a line break: before the denial it is space, after it the end
                    if words:
                        break
                    continue
                if rec[1] > 1:
                    words = -1
                    break
                if rec[1]:
                    word = chunk.strip(_PUNCTUATION).lower()
                    if rec[6] or word in cue_tables.DENYING_ANSWERS:
                        denying += 1
                        cue = cue or bool(rec[6])
                    elif cue and not head and _is_dismissal_head(word):  # "det er ikke problemet"
                        head = 1
                    elif word not in cue_tables.BARE_DENIAL_WORDS:
                        words = -1
                        break
                    words += 1
                if chunk[-1] in ".!?":
                    break
            if words <= 0 or not denying:
                continue
            first = max((s for s in sentence_starts if s <= last), default=0)
            if head:  # dismissed: named only to say it is not the problem
                if words <= cue_tables.ELLIPTIC_DISMISSAL_WORDS:
                    span = cue_tables.elliptic_theme(last, first, 1)
                    if span is not None:
                        dismissed.append((clause, *span))
                continue
            span = cue_tables.elliptic_theme(last, first, words)
            if span is not None:
                found.append((clause, *span))
        return found, dismissed

    def _pattern_hits(self, units: list[tuple[Any, ...]]) -> dict[int, list[tuple[Any, Any]]]:
        """pattern id -> [(first unit, last unit)] for every pattern occurrence."""
        hits: dict[int, list[tuple[Any, Any]]] = {}
        long_phrases = self._long_phrases
        n = len(units)
        for k, placed in enumerate(units):
            u = placed[_UNIT]
            skip = u[_SKIP]
            for pid in u[_SINGLES]:
                if pid not in skip:  # the whole hyphenated token already hit this pattern
                    hits.setdefault(pid, []).append((placed, placed))
            phrases = u[_PHRASES]
            if not phrases:
                continue
            # Phrases: the next unit must start exactly where this one ends (units are sorted).
            target = placed[_POS] + u[_P1]
            for j in range(k + 1, n):
                nxt = units[j]
                if nxt[_ABS] > target:
                    break
                if nxt[_ABS] < target:
                    continue
                for second in phrases.keys() & nxt[_UNIT][_IDS]:
                    for pid in phrases[second]:
                        if pid in skip:
                            continue
                        last = self._phrase_end(units, j, pid) if pid in long_phrases else nxt
                        if last is not None:
                            hits.setdefault(pid, []).append((placed, last))
        return hits

    def _phrase_end(
        self, units: list[tuple[Any, ...]], j: int, pid: int
    ) -> tuple[Any, ...] | None:
        """Last unit of phrase ``pid`` whose second word is ``units[j]``, or None (3+ words)."""
        last = units[j]
        for wid in self._pattern_words[pid][2:]:
            target = last[_POS] + last[_UNIT][_P1]
            follow = None
            for cand in units[j + 1 :]:
                if cand[_ABS] > target:
                    break
                if cand[_ABS] == target and wid in cand[_UNIT][_IDS]:
                    follow = cand
                    break
            if follow is None:
                return None
            last = follow
            j = units.index(follow, j + 1)
        return last
