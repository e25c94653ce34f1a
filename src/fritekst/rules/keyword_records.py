"""Per-form and per-chunk records: what one word form and one whitespace-free chunk satisfy.

Each distinct lowercase form is turned once into the pattern words it satisfies (lemmas, surface
form, wildcards, tripled letters, typos one edit away, compound heads) and each distinct chunk
once into a record of its positions, words, clause breaks, units, cues and ready-made hits, all
relative to the chunk, so that coding an answer is a dictionary lookup per chunk.
"""

from __future__ import annotations

from typing import Any

from fritekst.language.analyzer import ACCENT_FOLD, TRIPLED_LETTER
from fritekst.language.lexicon import OneEditIndex, compound_heads, is_known, typo_of_word_starting
from fritekst.rules.keyword_compile import (
    AFFIX_EDGE,
    _EMPTY,
    _IDS,
    _NEWLINE,
    _P0,
    _P1,
    _PLAIN_WORD,
    _SINGLES,
    CompiledRules,
    _FormRecord,
)
from fritekst.rules.keyword_spec import TYPO_MIN_FORM_LENGTH, TYPO_MIN_LENGTH


# Inflection endings stripped from an unknown form before the typo test ("øknoomien" -> "øknoomi").
_TYPO_ENDINGS = ("ene", "ane", "en", "et", "er", "ar", "a", "e", "ne")
#: Prefix typo targets have TYPO_MIN_LENGTH letters or more and the starts tried against them one
#: fewer or more, so when that is longer than OneEditIndex's short strings every target and start
#: is filed by letter pairs, and a start no target is filed for meets none (see _typo_ids).
_STARTS_FILED = TYPO_MIN_LENGTH - 1 >= OneEditIndex.SHORTEST_INDEXED


class ChunkRecords(CompiledRules):
    """Form records and chunk records, each computed once and remembered (bounded caches)."""

    def _head_ids(self, head: str) -> set[int]:
        """Words of compound-enabled rules that a compound's head meets (lemma or prefix)."""
        ids: set[int] = set()
        lemmas = self._analyzer.lemmas(head)
        for lemma in lemmas:
            ids.update(self._head_lemma.get(lemma, ()))
            for n in self._head_prefix_lengths:
                if n > len(lemma):
                    break
                ids.update(self._head_prefix.get(lemma[:n], ()))
        return ids

    def _word_ids(self, lower: str, lemmas: frozenset[str]) -> set[int]:
        """Pattern words a form satisfies as itself: lemma sets, surface form, wildcards."""
        ids: set[int] = set()
        for lemma in lemmas:
            ids.update(self._by_lemma.get(lemma, ()))
        ids.update(self._by_form.get(lower, ()))
        for (kind, lemma_mode), table in self._affix.items():
            if not table:
                continue
            short, by_edge = self._affix_edges[(kind, lemma_mode)]
            prefix = kind == "prefix"
            for candidate in lemmas if lemma_mode else (lower,):
                # only lengths a stem with this edge has (the same ids as trying every length)
                edge = candidate[:AFFIX_EDGE] if prefix else candidate[-AFFIX_EDGE:]
                for lengths in (short, by_edge.get(edge, ())):
                    for n in lengths:
                        if n > len(candidate):
                            break
                        piece = candidate[:n] if prefix else candidate[-n:]
                        ids.update(table.get(piece, ()))
        for stem, lemma_mode, wid in self._infix:
            if any(stem in c for c in (lemmas if lemma_mode else (lower,))):
                ids.add(wid)
        return ids

    def _typo_ids(self, lower: str) -> set[int]:
        """Long pattern words one edit from an unknown form (or from it without its ending)."""
        ids: set[int] = set()
        first = lower[0]
        if first not in self._typo_targets:
            return ids
        variants = {lower} | {lower[: -len(e)] for e in _TYPO_ENDINGS
                              if lower.endswith(e) and len(lower) - len(e) >= TYPO_MIN_LENGTH}
        words_near = self._typo_word_index.near  # a few candidates per variant (OneEditIndex)
        for variant in variants:
            ids.update(words_near(variant))
        # A prefix target of n letters meets the form when one of its first n-1, n or n+1 letters
        # are one edit away: taken the other way round, each start lower[:m] meets the targets of
        # m-1..m+1 letters one edit from it. Starts recur across forms, so each start's targets
        # are looked up once (the same ids as testing every target of the letter against the form).
        # The typo must explain the whole form: one edit makes it a word that begins with the
        # target ("kostndaene" -> "kostnadene"); a start one edit from the target is not enough
        # ("kompetanse|mangel" is one letter short of "kompetanseh*").
        # A start no target is filed for (OneEditIndex: by head, or by first and last two letters,
        # at the start's length) meets none: skipped before it is cut and cached (half of them).
        lengths = self._typo_prefix_lengths.get(first)
        if lengths:
            near = self._typo_prefix_near
            filed_at = self._typo_prefix_index.filed.get
            head2, head3 = lower[:2], lower[:3]
            for m in range(max(1, lengths[0] - 1), min(len(lower), lengths[-1] + 1) + 1):
                filed = filed_at(m)
                if _STARTS_FILED and (filed is None or (head3 not in filed[0] and head2 not in filed[0]
                                                        and first + lower[m - 2:m] not in filed[1])):
                    continue
                start = lower[:m]
                found = near.get(start)
                if found is None:
                    found = near[start] = self._prefix_targets_near(first, start)
                for wid, text in found:
                    if wid not in ids and typo_of_word_starting(lower, text):
                        ids.add(wid)
        return ids

    def _prefix_targets_near(self, first: str, start: str) -> tuple[tuple[int, str], ...]:
        """``(word id, text)`` of the prefix targets (first letter ``first``) of one letter more,
        as many or one less than ``start`` that are one edit from it."""
        if len(self._typo_prefix_near) >= self.max_cache:
            self._typo_prefix_near.clear()
        found = self._typo_prefix_index.near_targets(start)  # most starts meet nothing
        return tuple(sorted({(wid, text) for text, wid in found})) if found else ()

    def _form_record(self, lower: str, capitals: bool = False) -> _FormRecord | None:
        """What one lowercase form satisfies; computed once per form (the expensive part).

        ``capitals``: the form is a :data:`TYPO_MIN_FORM_LENGTH`-letter word written in capitals
        (an acronym, never read as a typo; remembered apart from its lowercase spelling).
        """
        key = "\x00" + lower if capitals else lower
        if key in self._forms:
            return self._forms[key]
        record = None
        if any(c.isalnum() for c in lower):
            lemmas = self._analyzer.lemmas(lower)
            ids = self._word_ids(lower, lemmas)
            if TRIPLED_LETTER.search(lower):  # "grunnnar" is also read as "grunnar"
                fixed = TRIPLED_LETTER.sub(r"\1\1", lower)
                ids |= self._word_ids(fixed, self._analyzer.lemmas(fixed))
            if not lower.isascii():  # "Kaféen" is also read as "kafeen" (ACCENT_FOLD)
                plain = lower.translate(ACCENT_FOLD)
                if plain != lower:
                    ids |= self._word_ids(plain, self._analyzer.lemmas(plain).union(
                        lemma.translate(ACCENT_FOLD) for lemma in lemmas))
            # A long unknown form is also read as a typo, whatever else it satisfies: "kostndaene"
            # meets "kostnad*" although it meets "kost*" as itself. (Only reading it when it met
            # nothing else made a rule's coding depend on the patterns of every other rule.)
            # "vikig": a five-letter form is a long word with a letter dropped (not in capitals)
            if (self._typo_targets and (len(lower) >= TYPO_MIN_LENGTH
                                        or len(lower) == TYPO_MIN_FORM_LENGTH and not capitals)
                    and lower.isalpha() and not is_known(lower)):
                ids |= self._typo_ids(lower)
            # Compound heads count for one-word patterns only: "ikke råd" must not meet
            # "ikke brukerråd".
            heads: set[int] = set()
            if self._head_lemma or self._head_prefix:
                for head in compound_heads(lower):
                    heads |= self._head_ids(head)
            # ... except as a phrase's last word after a modifier ("nytt aktivitetstilbud" meets
            # `nytt tilbud`): those word ids join the form's own, to continue a phrase only (the
            # phrases a form may start are taken from its own ids below)
            ends = heads & self._head_last_ids if heads and self._head_last_ids else None
            if ids or heads:
                singles: list[int] = []
                phrases: dict[int, list[int]] = {}
                for wid in ids | heads:
                    for pid in self._first_word.get(wid, ()):
                        words = self._pattern_words[pid]
                        if len(words) == 1:
                            singles.append(pid)
                        elif wid in ids:
                            phrases.setdefault(words[1], []).append(pid)
                if ends:
                    ids = ids | ends
                if singles or phrases or not self._continuation_ids.isdisjoint(ids):
                    record = _FormRecord(
                        frozenset(ids),
                        tuple(sorted(set(singles))),
                        {wid: tuple(sorted(set(pids))) for wid, pids in phrases.items()},
                        frozenset(singles).union(*phrases.values()),
                    )
        if len(self._forms) >= self.max_cache:
            self._forms.clear()
        self._forms[key] = record
        return record

    def _chunk_record(self, chunk: str) -> tuple[Any, ...]:
        """Everything matching needs from one whitespace-free chunk, relative to the chunk.

        ``(n_positions, n_words, first_token_starts_clause, clause_breaks_inside,
        last_token_ends_clause, units, cues, fixed_hits, negatable_hits, ends_with_open_cue)``.
        Punctuation tokens are positions (they break phrases) but not words (they do not count
        for ``within``). A cue is ``(clause, word, reaches_whole_clause)``. One-word keywords of
        rules without conditions are ready-made hits ``(start, end, clause, code_id, rule_id)``,
        and of rules whose only condition is negation ``(start, end, clause, word, code_id,
        rule_id, negation_required)``; only units that can take part in a phrase or another
        conditional rule are kept for the per-answer work.
        """
        analyzer = self._analyzer
        plain = self._plain
        negation_only = self._negation_only
        continuation_ids = self._continuation_ids
        conditional_pids = self._conditional_pids
        units: list[tuple[Any, ...]] = []
        cues: list[tuple[int, int, bool]] = []
        fixed: list[tuple[Any, ...]] = []
        negatable: list[tuple[Any, ...]] = []
        pos = word = clause = 0
        first_new = False
        pending = False
        open_cue = -1  # index in cues of a cue no word has followed yet

        def add(p0: int, p1: int, w0: int, w1: int, start: int, end: int,
                record: _FormRecord, skip: frozenset[int]) -> None:
            for pid in record.singles:
                if pid not in skip:  # the whole hyphenated token already hit this pattern
                    fixed.extend((start, end, clause) + output for output in plain.get(pid, ()))
                    negatable.extend(
                        (start, end, clause, w1) + output for output in negation_only.get(pid, ())
                    )
            singles = tuple(pid for pid in record.singles if pid in conditional_pids)
            if singles or record.phrases or not continuation_ids.isdisjoint(record.ids):
                units.append((p0, p1, w0, w1, clause, start, end, record.ids, singles,
                              record.phrases, skip))

        for i, (start, end, text) in enumerate(analyzer.chunk_tokens(chunk)):
            info = analyzer.form_info(text)
            if i == 0:
                first_new = info.starts_clause
            elif pending or info.starts_clause:
                clause += 1
            pending = info.ends_clause
            if info.parts:
                open_cue = -1
                n = len(info.parts)
                whole = self._form_record(info.lower)
                if whole:
                    add(pos, pos + n, word, word + n - 1, start, end, whole, _EMPTY)
                skip = whole.starts if whole else _EMPTY
                for part_start, part_end, part in info.parts:
                    record = self._form_record(part, len(part) == TYPO_MIN_FORM_LENGTH
                                               and text[part_start:part_end].isupper())
                    if record:
                        add(pos, pos + 1, word, word, start + part_start, start + part_end,
                            record, skip)
                    if analyzer.form_info(part).is_negation_cue:
                        cues.append((clause, word, analyzer.is_lack_cue(part)))
                    pos += 1
                    word += 1
                continue
            if info.is_punct:
                if info.ends_clause and open_cue >= 0:  # "det har vi ikke." negates the clause
                    cues[open_cue] = (cues[open_cue][0], cues[open_cue][1], True)
                    open_cue = -1
            else:
                open_cue = -1
                record = self._form_record(info.lower, len(text) == TYPO_MIN_FORM_LENGTH and text.isupper())
                if record:
                    add(pos, pos + 1, word, word, start, end, record, _EMPTY)
                if info.is_negation_cue:
                    cues.append((clause, word, analyzer.is_lack_cue(info.lower)))
                    open_cue = len(cues) - 1
            pos += 1
            if not info.is_punct:
                word += 1
        result = (
            pos, word, first_new, clause, pending,
            tuple(units), tuple(cues), tuple(fixed), tuple(negatable), open_cue >= 0,
            *self._links(units, pos),
        )
        if result == _PLAIN_WORD:
            result = _PLAIN_WORD  # shared object: the hot loop tests it by identity
        if len(self._chunks) >= self.max_cache:
            self._chunks.clear()
            self._chunks["\n"] = _NEWLINE
        self._chunks[chunk] = result
        return result

    def _links(self, units: list[tuple[Any, ...]],
               n_positions: int) -> tuple[frozenset[int], frozenset[int], bool]:
        """``(head, tail, droppable)`` of a chunk's units, for the phrase-link filter of :meth:`match`.

        ``head``: the ids of units at the chunk's first position (they may continue a phrase from
        the chunk before); ``tail``: the word ids that may follow a unit ending at its last position
        (a phrase may continue into the next chunk). ``droppable``: every unit is only a possible
        phrase word (no one-word pattern) and no two of them link inside the chunk, so the units
        matter only when the chunk links to a neighbour. Every unit of a phrase occurrence links to
        the next one, so leaving out the units of unlinked droppable chunks never loses a hit.
        """
        if not units:
            return _EMPTY, _EMPTY, False
        successors = self._successors

        def follow(u: tuple[Any, ...]) -> frozenset[int]:
            return frozenset().union(*(successors.get(wid, _EMPTY) for wid in u[_IDS]))

        head = frozenset().union(*(u[_IDS] for u in units if u[_P0] == 0))
        tail = frozenset().union(*(follow(u) for u in units if u[_P1] == n_positions))
        droppable = not any(u[_SINGLES] for u in units) and not any(
            u[_P1] == v[_P0] and not follow(u).isdisjoint(v[_IDS]) for u in units for v in units)
        return head, tail, droppable
