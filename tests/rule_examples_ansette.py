"""Examples for the ansette keyword rules (shipped and plain first codebook), wordings of the train4 round
written from the code definitions: other things first, idioms of "not now", posts that are full or
withdrawn, grants and external money, new services and groups, nobody found, few users, value said
many ways, and the peer work of volunteers versus a peer worker to be hired. Bokmål and Nynorsk.
Keyword rules only (``classifiers=False``): the model is not what is tested.

Each row: (answer, codes that must be there, codes that must not); tests/test_codebook_rules.py
codes them."""

# (answer, codes that must be there, codes that must not)
SHIPPED_EXAMPLES = [
    # ikke_aktuelt: other things first, idioms
    ("Kommunen har valgt å satse på andre områder.", {"ikke_aktuelt"}, set()),
    ("Fokuset ligg ein annan stad akkurat no.", {"ikke_aktuelt"}, set()),
    ("Andre tiltak må komme først.", {"ikke_aktuelt"}, set()),
    ("Andre satsingar har forrang.", {"ikke_aktuelt"}, set()),
    ("Ikkje noko vi held på med no.", {"ikke_aktuelt"}, set()),
    ("Det er ikke der skoen trykker hos oss.", {"ikke_aktuelt"}, set()),
    ("Ikkje heilt i vinden hos oss.", {"ikke_aktuelt"}, set()),
    ("Passar ikkje inn i tenesta vår.", {"ikke_aktuelt"}, set()),
    ("Det er ikke på kartet hos oss.", {"ikke_aktuelt"}, set()),
    ("Vi har andre kommuner å samarbeide med.", set(), {"ikke_aktuelt"}),
    # ingen_stillinger
    ("Fullt bemanna.", {"ingen_stillinger"}, set()),
    ("Stillingen vi hadde ble trukket inn.", {"ingen_stillinger"}, set()),
    ("Nye stillinger må vente.", {"ingen_stillinger"}, set()),
    ("Vi har ikkje ledige heimlar.", {"ingen_stillinger"}, set()),
    ("Økonomien er usikker og vi har ingen ledige hjemler.", {"ingen_stillinger"}, set()),
    ("Brukergruppa er så lita at det ikkje forsvarar ei eiga stilling.", {"usikkert_behov"}, {"ingen_stillinger"}),
    # tilskudd
    ("Ekstern støtte gjer at vi kan prøve ut ordninga.", {"tilskudd"}, set()),
    ("Stillinga må finansierast utanfrå.", {"tilskudd"}, set()),
    ("Har fått tilsagn om midler fra Helsedir.", {"tilskudd"}, set()),
    ("Søkte om tilskudd, men fikk avslag.", {"okonomi"}, {"tilskudd"}),
    # okonomi
    ("Lite å rutte med.", {"okonomi"}, set()),
    ("Mangler midlre.", {"okonomi"}, set()),
    # konkret_tilbud
    ("Det skal lagast ein møtestad for unge vaksne.", {"konkret_tilbud"}, set()),
    ("Samtalegrupper ledet av en likeperson", {"konkret_tilbud"}, {"annen_losning"}),
    ("Vil knytte det til selvhjelpsgruppene og mestringskursene våre.", {"konkret_tilbud"}, set()),
    ("Ønske om å få brukarstemma tettare inn i tenestene.", {"ser_behov"}, {"konkret_tilbud"}),
    # rekruttering
    ("Vi finner ingen.", {"rekruttering"}, set()),
    ("Klarar ikkje å skaffe folk.", {"rekruttering"}, set()),
    ("Vi får ikkje folk.", {"rekruttering"}, set()),
    ("Tynt søkergrunnlag", {"rekruttering"}, set()),
    ("Ingen egnede.", {"rekruttering"}, set()),
    ("Vi får ikkje tak i folk.", {"rekruttering"}, set()),
    ("Ingen har vist interesse.", {"rekruttering"}, set()),
    ("Vi får ikke penger til det.", {"okonomi"}, {"rekruttering"}),
    # usikkert_behov
    ("Ein handfull brukarar.", {"usikkert_behov"}, set()),
    ("Ser ingen stor nytte av det per i dag.", {"usikkert_behov"}, {"ser_behov"}),
    ("Behovet er neppe stort nok til ei eiga stilling.", {"usikkert_behov"}, {"ser_behov", "ingen_stillinger"}),
    ("Vi vet ikke om det vil være nyttig for våre brukere.", {"usikkert_behov"}, {"ser_behov"}),
    ("For smått.", {"usikkert_behov"}, set()),
    # ser_behov
    ("Erfaringa deira er gull verdt.", {"ser_behov"}, set()),
    ("Tenestene treng det perspektivet.", {"ser_behov"}, set()),
    ("Vi ser at brukarane treng det.", {"ser_behov"}, set()),
    ("Vi trenger mer informasjon om ordningen.", {"lite_kunnskap"}, {"ser_behov"}),
    ("Folk som har vært der selv når fram på en annen måte.", {"ser_behov"}, set()),
    ("Forskning viser at likepersonsarbeid har effekt.", {"ser_behov"}, {"annen_losning"}),
    ("Det var svært vellykket.", {"ser_behov"}, set()),
    ("Det kunne vore nyttig, men vi er ein liten kommune.", {"usikkert_behov"}, {"ser_behov"}),
    # annen_losning: peer work of volunteers and organisations
    ("Vi brukar likepersonar frå LMS.", {"annen_losning"}, set()),
    ("Frivillige og likepersoner i Røde Kors bidrar.", {"annen_losning"}, set()),
]

PLAIN_EXAMPLES = [
    ("Kommunen har valgt å satse på andre områder.", {"ikke_aktuelt"}, set()),
    ("Ikkje noko vi held på med no.", {"ikke_aktuelt"}, set()),
    ("Fullt bemanna.", {"ingen_stillinger"}, set()),
    ("Har fått tilsagn om tilskot.", {"tilskudd"}, set()),
    ("Ekstern støtte gjer det mogleg.", {"tilskudd"}, set()),
    ("Lite å rutte med.", {"okonomi"}, set()),
    ("Det skal lagast ein møtestad for unge vaksne.", {"konkret_tilbud"}, set()),
    ("Vi finner ingen.", {"rekruttering"}, set()),
    ("Utlysinga gav ingen treff.", {"rekruttering"}, set()),
    ("Ein handfull brukarar.", {"usikkert_behov"}, set()),
    ("Ser ingen nytte av det.", {"usikkert_behov"}, {"ser_behov"}),
    ("Erfaringa deira er gull verdt.", {"ser_behov"}, set()),
    ("Tenestene treng det perspektivet.", {"ser_behov"}, set()),
]
