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
    # train5 round: kinds of wording of a fifth pool, Bokmål and Nynorsk
    # ikke_aktuelt: a negated wish or interest, ruled out, shelved, other things come before
    ("Det er ikke ønsket fra ledelsen.", {"ikke_aktuelt"}, set()),
    ("Ikkje interessert no.", {"ikke_aktuelt"}, set()),
    ("Det er utelukket for oss.", {"ikke_aktuelt"}, set()),
    ("Saka er skrinlagd.", {"ikke_aktuelt"}, set()),
    ("Rusplanen sine andre tiltak kjem før.", {"ikke_aktuelt"}, set()),
    ("Ikke med i handlingsplanen.", {"ikke_aktuelt"}, {"ikke_diskutert"}),
    # ikke_diskutert: nobody raised it, no process, to be decided or taken up
    ("Ingen har foreslått dette.", {"ikke_diskutert"}, set()),
    ("Det har ikkje vore på bordet.", {"ikke_diskutert"}, set()),
    ("Det ligg til kommunestyret å avgjere.", {"ikke_diskutert"}, set()),
    ("Saken skal tas opp i ledermøtet.", {"ikke_diskutert"}, set()),
    ("Vi har søkt om prosjektmidler og venter på svar.", {"tilskudd"}, {"ikke_diskutert"}),
    ("Ingen nye stillinger er vedtatt.", {"ingen_stillinger"}, {"ikke_diskutert"}),
    # usikkert_behov: doubt about use, not convinced, managing without
    ("Tviler på at det blir bruk for det.", {"usikkert_behov"}, set()),
    ("Vi er ikkje overtydde om nytten.", {"usikkert_behov"}, set()),
    ("Vi klarar oss fint utan.", {"usikkert_behov"}, set()),
    # okonomi: money bound or ended, under-funded, within the frame; money said fine is not a reason
    ("Kassen er tom.", {"okonomi"}, set()),
    ("Budsjettmidlane er alt fordelte.", {"okonomi"}, set()),
    ("Tenesta er underfinansiert.", {"okonomi"}, set()),
    ("Vi får ikkje plass til det innanfor ramma.", {"okonomi"}, set()),
    ("Usikkert om det blir penger til det.", {"okonomi"}, set()),
    ("Økonomien er grei, men vi ser ikke behovet.", {"usikkert_behov"}, {"okonomi"}),
    # tilskudd: a grant that ended or was not continued, money over the state budget
    ("Tilskotet blei ikkje vidareført.", {"tilskudd", "okonomi"}, set()),
    ("Stillinga er finansiert over statsbudsjettet.", {"tilskudd"}, {"okonomi"}),
    # ingen_stillinger: only by turnover
    ("Vi tilset berre ved naturleg avgang.", {"ingen_stillinger"}, set()),
    ("Må vente til noen slutter.", {"ingen_stillinger"}, set()),
    # rekruttering: people hard to get or competed for, nobody in mind, a candidate who said no
    ("Det er vanskeleg å få folk hit.", {"rekruttering"}, set()),
    ("Vi har ingen i tankene.", {"rekruttering"}, set()),
    ("Kandidaten takka nei.", {"rekruttering"}, set()),
    ("Kjenner ingen med slik bakgrunn.", {"rekruttering"}, {"lite_kunnskap"}),
    # ser_behov: value said as insight, role models, reaching those others do not
    ("Dei er gode rollemodellar.", {"ser_behov"}, set()),
    ("Når ut til folk vi ikkje når.", {"ser_behov"}, set()),
    # lite_kunnskap
    ("Ordninga er ny for oss.", {"lite_kunnskap"}, set()),
    # train6 round. tilskudd: a grant in doubt or a scheme named though missing; ended or cut is money lost too
    ("Vet ikke om vi får tilskudd til høsten.", {"tilskudd"}, {"okonomi"}),
    ("Veit ikkje om vi får prosjektmidlar neste år.", {"tilskudd"}, set()),
    ("Ingen tilskotsordning å søkje på for tida.", {"tilskudd"}, set()),
    ("Prosjektmidlene er borte nå.", {"tilskudd", "okonomi"}, set()),
    ("Tilskotet vart kutta i år.", {"tilskudd", "okonomi"}, set()),
    ("Søknaden om prosjektmidler ble avslått.", {"okonomi"}, {"tilskudd"}),
    ("Vi venter på svar på prosjektsøknaden.", {"tilskudd"}, {"ikke_diskutert"}),
    ("Vurderer å søkje tilskot.", {"tilskudd"}, {"ikke_diskutert"}),
    # okonomi: overspending; money said fine in a concession, a budget with room, money for posts (not ingen_stillinger)
    ("Vi har et stort merforbruk i år.", {"okonomi"}, set()),
    ("Sjølv om økonomien er god, er det ikkje aktuelt.", {"ikke_aktuelt"}, {"okonomi"}),
    ("Budsjettet har rom for det, og vi ser behovet.", {"ser_behov"}, {"okonomi"}),
    ("Det er ikke penger til nye stillinger.", {"okonomi"}, {"ingen_stillinger"}),
    # ikke_aktuelt: the leadership unwilling, a merger under way, core tasks first, a typo
    ("Ledelsen vil ikke.", {"ikke_aktuelt"}, set()),
    ("Kommunestyret har sagt nei.", {"ikke_aktuelt"}, set()),
    ("Vi står midt i en kommunesammenslåing.", {"ikke_aktuelt"}, set()),
    ("Kjerneoppgavene må prioriteres.", {"ikke_aktuelt"}, set()),
    ("Ikke akuelt.", {"ikke_aktuelt"}, set()),
    # usikkert_behov: a population named, a need varying or hard to assess, a doubt whether it fits (not a no)
    ("Kommunen har 2500 innbyggjarar.", {"usikkert_behov"}, set()),
    ("Innbyggerne etterspør det.", {"ser_behov"}, {"usikkert_behov"}),
    ("Behovet varierer.", {"usikkert_behov"}, {"ser_behov"}),
    ("Vanskeleg å vurdere behovet hos oss.", {"usikkert_behov"}, {"ser_behov"}),
    ("Veit ikkje om det passar for oss.", {"usikkert_behov"}, {"ikke_aktuelt"}),
    ("Tilbodet vårt dekkjer behovet godt.", {"usikkert_behov"}, {"annen_losning"}),
    # annen_losning: a council asking is ser_behov, but users asking elsewhere in the answer does not silence it
    ("Brukerrådet har bedt om det.", {"ser_behov"}, {"annen_losning"}),
    ("Brukerne etterspør det ikke, men vi har et aktivt brukerråd.", {"annen_losning"}, set()),
    ("Saka kjem opp i kommunestyret i vår.", {"ikke_diskutert"}, set()),
    # train7 round. tilskudd: who pays, beside the money; the general state transfer is the own budget
    ("Fylkeskommunen betaler halve lønna.", {"tilskudd"}, set()),
    ("Pengane kjem frå staten.", {"tilskudd"}, set()),
    ("Vi får støtte utenfra i to år.", {"tilskudd"}, set()),
    ("Lønna blir dekt av prosjektet.", {"tilskudd"}, {"annen_losning"}),
    ("Kommunen og NAV spleiser på stillingen.", {"tilskudd"}, set()),
    ("Ingen øyremerkte midlar å søkje på no.", {"tilskudd"}, {"okonomi"}),
    ("Rammetilskotet vart kutta.", {"okonomi"}, {"tilskudd"}),
    ("Stillingane er øyremerkte sjukepleiarar.", set(), {"tilskudd"}),
    ("Søkte om prosjektmidler, men nådde ikke opp.", {"okonomi"}, {"tilskudd"}),
    # okonomi: scarcity idioms; money set aside or allowed is no reason; a reason denied
    ("Kvar krone er snudd.", {"okonomi"}, set()),
    ("Mangler kroner til lønn.", {"okonomi"}, set()),
    ("Det er satt av penger i budsjettet.", set(), {"okonomi"}),
    ("Økonomien tillet det no.", set(), {"okonomi"}),
    ("Ikkje fordi økonomien er dårleg, men fordi behovet er lite.", {"usikkert_behov"}, {"okonomi"}),
    # ikke_aktuelt: "not now" said as a place on a list, a time not ripe, a choice made
    ("Det havner langt ned på lista.", {"ikke_aktuelt"}, set()),
    ("Tiden er ikke moden.", {"ikke_aktuelt"}, set()),
    ("Lagt til sides inntil videre.", {"ikke_aktuelt"}, set()),
    ("Dette er prioritert bort.", {"ikke_aktuelt"}, set()),
    ("Ikkje aktult no.", {"ikke_aktuelt"}, set()),
    ("Ikkje i denne runda.", {"ikke_aktuelt"}, set()),
    # ikke_diskutert, lite_kunnskap, rekruttering, annen_losning
    ("Vi ventar og ser korleis det går hos andre.", {"ikke_diskutert"}, set()),
    ("Saken har ikke kommet opp.", {"ikke_diskutert"}, set()),
    ("Usikkert hva det vil koste.", set(), {"lite_kunnskap"}),
    ("Sliter med å få tak i folk.", {"rekruttering"}, set()),
    ("Brukarrådet har ønska det lenge.", {"ser_behov"}, {"annen_losning"}),
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
    # train5 round
    ("Det er ikke ønsket nå.", {"ikke_aktuelt"}, set()),
    ("Saka er lagd bort.", {"ikke_aktuelt"}, set()),
    ("Ingen har foreslått det.", {"ikke_diskutert"}, set()),
    ("Saken skal tas opp i høst.", {"ikke_diskutert"}, set()),
    ("Tvilar på at det blir bruk for det.", {"usikkert_behov"}, set()),
    ("Kassa er tom.", {"okonomi"}, set()),
    ("Penger fra staten gjør det mulig.", {"tilskudd"}, set()),
    ("Bare ved naturlig avgang.", {"ingen_stillinger"}, set()),
    ("Vanskelig å få folk til å flytte hit.", {"rekruttering"}, set()),
    ("Dei er gode rollemodellar.", {"ser_behov"}, set()),
    # train6 round
    ("Vet ikke om vi får tilskudd til høsten.", {"tilskudd"}, set()),
    ("Prosjektmidlene er borte nå.", {"tilskudd", "okonomi"}, set()),
    ("Vi har et stort merforbruk.", {"okonomi"}, set()),
    ("Politikerne sa nei.", {"ikke_aktuelt"}, set()),
    ("Kjerneoppgavene først.", {"ikke_aktuelt"}, set()),
    ("Ikkje ønska av leiinga.", {"ikke_aktuelt"}, set()),
    ("Brukarane har ønska det lenge.", {"ser_behov"}, {"ikke_aktuelt"}),
    ("Kommunen har 2500 innbyggjarar.", {"usikkert_behov"}, set()),
    ("Brukarane har ikkje bede om det.", {"usikkert_behov"}, {"ser_behov"}),
    ("Kommunen har ikkje plikt til det.", {"ikke_lovpalagt"}, set()),
    ("Saka kjem opp i haust.", {"ikke_diskutert"}, set()),
    # train7 round
    ("Pengane kjem frå staten.", {"tilskudd"}, set()),
    ("Fylkeskommunen spleiser på stillinga.", {"tilskudd"}, set()),
    ("Ingen øyremerkte midlar å søkje på no.", {"tilskudd"}, set()),
    ("Tilskuddet falt bort.", {"tilskudd", "okonomi"}, set()),
    ("Kvar krone er snudd.", {"okonomi"}, set()),
    ("Det havner langt ned på lista.", {"ikke_aktuelt"}, set()),
    ("Tiden er ikke moden.", {"ikke_aktuelt"}, set()),
    ("Vi ventar og ser korleis det går hos andre.", {"ikke_diskutert"}, set()),
]
