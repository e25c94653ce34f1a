"""Cue tables for negation scope, dismissals and hedges (Bokmål and Nynorsk).

These are data, not code: the keyword matcher (:mod:`fritekst.rules.keyword`) compiles each entry
as a keyword pattern (same syntax: words separated by single spaces, ``*`` at a word's start or
end, lemma matching) and uses its hits as follows. ``docs/keyword-rules.md`` explains the design
and its measured effect.

:data:`NOT_NEGATING`
    The negation cues inside one of these phrases negate nothing: "ikke bare X" says X and more
    ("ikke bare økonomi, men også ..."), "ikke minst X" stresses X, and "manglar ikkje X" (a
    double negation) says X is there.

:data:`DISMISSALS`
    A theme named only to be dismissed is not that theme: "pengene er ikke hindringen", "det
    handlar ikkje om økonomi", "ikke på grunn av økonomi". A clause containing one of these
    phrases gives no keyword hits at all, whatever the rule's ``negation``.

:data:`HEDGES`
    Conditions and doubt: "om det er behov", "dersom", "hvis"/"viss", "i tilfelle", "eventuelt",
    "usikre på om", "kanskje", "seinere"/"senere" (a future condition). A hit is *hedged* when one of
    these stands in its clause; rules say ``hedge: forbid`` (only firm statements), ``require``
    (only hedged ones) or ``any``.
"""

from __future__ import annotations

__all__ = ["NOT_NEGATING", "DISMISSALS", "HEDGES"]

NOT_NEGATING: tuple[str, ...] = (
    "ikke bare", "ikkje berre", "ikkje bare", "ikke berre", "ikke kun", "ikkje kun", "ikke bara",
    "ikke minst", "ikkje minst", "ikke utelukkende", "ikkje utelukkande",
    # double negation: "vi manglar ikkje pengar" lacks nothing
    "mangler ikke", "manglar ikkje", "mangler ikkje", "manglar ikke", "mangla ikkje", "manglet ikke",
)

DISMISSALS: tuple[str, ...] = (
    # "X er ikke hindringen / problemet / utfordringen / årsaken / grunnen"
    "ikke hindring*", "ikkje hindring*", "ikke til hinder", "ikkje til hinder",
    "ikke problem*", "ikkje problem*", "ikke noe problem*", "ikkje noko problem*",
    "ikke et problem", "ikkje eit problem", "ikke det største problem*", "ikkje det største problem*",
    "ikke utfordring*", "ikkje utfordring*", "ikke noen utfordring*", "ikkje noka utfordring*",
    "ikke årsak*", "ikkje årsak*", "ikke grunnen", "ikkje grunnen", "ikke hovedgrunn*",
    "ikkje hovudgrunn*", "ikke avgjørende", "ikkje avgjerande", "ikke det avgjørende",
    "ikkje det avgjerande",
    # "det handler ikke om X", "ikke på grunn av X"
    "handler ikke om", "handlar ikkje om", "handler ikkje om", "handlar ikke om",
    "dreier seg ikke om", "dreiar seg ikkje om", "dreier det seg ikke om", "gjelder ikke",
    "gjeld ikkje", "ikke snakk om", "ikkje snakk om", "ikke et spørsmål om", "ikkje eit spørsmål om",
    "ikke spørsmål om", "ikkje spørsmål om", "ikke pga", "ikkje pga", "ikke på grunn av",
    "ikkje på grunn av", "ikke grunnet", "ikkje grunna",
)

HEDGES: tuple[str, ...] = (
    # conditions
    "dersom", "hvis", "viss", "i tilfelle", "ifall", "eventuelt", "evt", "ev", "ved behov",
    "ved eventuelt behov", "om det er", "om det blir", "om det finnes", "om det finst", "om det kjem",
    "om det kommer", "om vi", "om me", "om dei", "om de", "om behovet", "om det vil", "om det skulle",
    "om det trengs", "om det trengst", "om det trenges",
    # doubt
    "usikker* på om", "usikre på om", "usikkert om", "vet ikke om", "veit ikkje om", "vet ikkje om",
    "veit ikke om", "uvisst om", "uklart om", "tvil* på om", "kanskje", "muligens", "moglegvis", "mogelegvis",
    "kan hende", "kan henda", "kunne tenke", "kunne tenkje", "kunne vurdere", "kunne vurdert",
    "vil vurdere", "vil vurdera", "skal vurdere", "må vurdere", "må vurdera", "ønsker å vurdere",
    # a future condition
    "seinere", "senere", "seinare", "på sikt", "etter hvert", "etter kvart", "i framtida",
    "i fremtiden", "i framtiden", "på et senere tidspunkt", "på eit seinare tidspunkt",
)
