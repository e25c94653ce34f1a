"""Every sentence and label fritekst shows a reader, in Norwegian Bokmål (``nb``, the default) and English.

The analysis stage returns numbers and flags only; turning them into words is the outputs' job, and
all of those words live here: the report (HTML, and so ``report.docx``), the workbook's sheet names
and headers, the terminal tables, the summaries commands print on success, and the workbench
(``fritekst serve``, its many small labels in :mod:`~fritekst.outputs.texts_workbench`). A renderer asks
:func:`texts_for` for the language it writes in and looks every text up by key, so the two
languages cannot drift apart key by key (a test checks both have every key and the same fields).

The same word is used for the same thing everywhere:

==============  ==============  ==========================================================
nb              en              meaning
==============  ==============  ==========================================================
kode            code            an entry of a codebook (its id, in tables: «Kode»)
tema            theme           a code as the report shows it (its label)
svar            answer          one respondent's text for one question
respondent      respondent      one row of the corpus (a municipality, a person)
andel           share           a fraction of those who answered, shown in percent
koding          coding          one code given to one answer (or span of it)
materialet      the data        the corpus, as against the published tables
avvik           mismatch        a published number the data do not reproduce
==============  ==============  ==========================================================

Error messages (:class:`~fritekst.errors.FritekstError`) stay English in both languages: they are
looked up by their code in docs/errors.md, and one language keeps them searchable.

This module imports nothing heavy (no pandas), so a command can print its summary without it.

Examples
--------
>>> number_text(10.04, 1), p_text(0.0016), p_text(0.00001)
('10,0', 'p = 0,002', 'p < 0,001')
>>> number_text(10.04, 1, "en"), p_text(0.0016, "en")
('10.0', 'p = 0.002')
>>> tr = texts_for("en")
>>> tr("answered_of", n=3, total=5)
'3 of 5'
>>> texts_for("nb")("answered_of", n=3, total=5)
'3 av 5'
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import OutputError
from ..sources.project import REPORT_LANGUAGES
from .texts_workbench import WORKBENCH_TEXTS

if TYPE_CHECKING:
    import pandas as pd

#: The languages fritekst writes in: Norwegian Bokmål and English.
LANGUAGES = REPORT_LANGUAGES
DEFAULT_LANGUAGE = "nb"

#: Key → (Norwegian Bokmål, English). Fields in braces are filled by :meth:`Texts.__call__`.
TEXTS: dict[str, tuple[str, str]] = {
    # --- words and short labels used across outputs ---------------------------------------------
    "all_years": ("Alle år", "All years"),
    "all_years_pooled": ("alle år samlet", "all years pooled"),
    "year": ("År", "Year"),
    "years": ("År", "Years"),
    "year_grouping": ("år", "year"),
    "question": ("Spørsmål", "Question"),
    "question_text": ("Spørsmålstekst", "Question text"),
    "theme": ("Tema", "Theme"),
    "themes": ("Temaer", "Themes"),
    "theme_path": ("Tema med overtema", "Theme with parents"),
    "code": ("Kode", "Code"),
    "count": ("Antall", "Count"),
    "share": ("Andel", "Share"),
    "ci95": ("95 % KI", "95% CI"),
    "ci_from": ("KI fra", "CI from"),
    "ci_to": ("KI til", "CI to"),
    "published": ("Publisert", "Published"),
    "asked": ("Fikk spørsmålet", "Asked"),
    "answered": ("Svarte", "Answered"),
    "share_answered": ("Andel som svarte", "Share who answered"),
    "answered_not_asked": ("Svarte uten å få spørsmålet (ikke talt med)",
                           "Answered without being asked (not counted)"),
    "respondents": ("Respondenter", "Respondents"),
    "respondent": ("Respondent", "Respondent"),
    "respondent_id": ("Respondent {id}", "Respondent {id}"),
    "group": ("Gruppe", "Group"),
    "grouped_by": ("Gruppert etter", "Grouped by"),
    "small_group": ("Liten gruppe", "Small group"),
    "mismatch": ("Avvik", "Mismatch"),
    "mismatch_mark": ("AVVIK", "MISMATCH"),
    "no_mismatch": ("Ingen avvik", "No mismatches"),
    "source": ("Materiale", "Data"),
    "coding": ("Koding", "Coding"),
    "codebook": ("Kodebok", "Codebook"),
    "everyone": ("alle", "everyone"),
    "whole_sample": ("Hele utvalget", "Whole sample"),
    "yes": ("ja", "yes"),
    "no": ("nei", "no"),
    "no_theme_label": ("Svarte, men uten tema", "Answered, no theme"),
    "quoted": ("«{text}»", "“{text}”"),
    "answered_of": ("{n} av {total}", "{n} of {total}"),
    "who_answered": ("Hvem fikk spørsmålet, og hvem svarte", "Who was asked, and who answered"),
    "differences": ("Forskjeller mellom grupper", "Differences between groups"),
    "together": ("Temaer som nevnes sammen", "Themes mentioned together"),
    "quotes": ("Sitater", "Quotes"),
    "coded_now": ("kodet nå med kodebøkenes regler", "coded now with the codebooks' rules"),
    # --- warnings of a report (also the flag column of frequencies.csv) ----------------------------
    "warn_table_cell": ("AVVIK i {table}, {year}, «{answer}»: {shown}, materialet {n}",
                        "MISMATCH in {table}, {year}, “{answer}”: {shown}, the data {n}"),
    "warn_missing_in_table": ("mangler i tabellen", "missing from the table"),
    "warn_published_n": ("publisert {n}", "published {n}"),
    "warn_asked": ("AVVIK i {question}, {year}: {table} oppgir {published} som fikk spørsmålet, materialet {n}",
                   "MISMATCH in {question}, {year}: {table} gives {published} asked, the data {n}"),
    "warn_no_number": ("ingen tall", "no number"),
    "warn_not_asked": ("{question} {year}: {n} svar fra respondenter som ikke skulle få spørsmålet "
                       "(ikke talt med)",
                       "{question} {year}: {n} answers from respondents who were not to be asked "
                       "(not counted)"),
    "warn_quote_question": ("{path}: sitatvalg for {question!r}, som ikke er et spørsmål i prosjektet "
                            "(ignorert)",
                            "{path}: quote choice for {question!r}, which is not a question of the "
                            "project (ignored)"),
    "warn_quote_code": ("{path}: sitatvalg for koden {code!r}, som ikke finnes i kodeboka {codebook!r} "
                        "(ignorert)",
                        "{path}: quote choice for the code {code!r}, which is not in the codebook "
                        "{codebook!r} (ignored)"),
    # --- group test sentences ---------------------------------------------------------------------
    "test_untested": ("«{label}» etter {grouping} ({when}): ikke testet – {reason}.",
                      "“{label}” by {grouping} ({when}): not tested – {reason}."),
    "test_varies": ("«{label}» varierer etter {grouping} ({when}): fra {low} % ({low_group}) til {high} % "
                    "({high_group}) ({numbers}).",
                    "“{label}” varies by {grouping} ({when}): from {low}% ({low_group}) to {high}% "
                    "({high_group}) ({numbers})."),
    "test_no_difference": ("«{label}» etter {grouping} ({when}): ingen sikker forskjell ({numbers}).",
                           "“{label}” by {grouping} ({when}): no clear difference ({numbers})."),
    "reason_one_group": ("bare én gruppe med svar", "only one group with answers"),
    "reason_all_or_none": ("alle eller ingen har temaet, så det er ingen forskjell å teste",
                           "everyone or no one has the theme, so there is no difference to test"),
    "reason_small": ("for små tall: forventet antall under 5 i {share} % av cellene (minste {smallest}); "
                     "testen krever minst 1 i alle og under 5 i høyst 20 %",
                     "numbers too small: expected count under 5 in {share}% of the cells (smallest "
                     "{smallest}); the test needs at least 1 in all and under 5 in at most 20%"),
    # --- HTML report (report.docx is made from it) ---------------------------------------------------
    "html_meta": ("Materiale: {source} · {years_word}: {span} · Koding: {coding} · Laget med fritekst {version}",
                  "Data: {source} · {years_word}: {span} · Coding: {coding} · Made with fritekst {version}"),
    "html_all_good": ("Alle tall i de publiserte tabellene stemmer med materialet, og alle svar kommer fra "
                      "respondenter som fikk spørsmålet.",
                      "Every number in the published tables matches the data, and every answer comes from "
                      "a respondent who was asked the question."),
    "html_warnings_title": ("⚠ {n} advarsler må sjekkes før tallene brukes",
                            "⚠ {n} warnings to check before the numbers are used"),
    "html_warnings_note": ("AVVIK betyr at materialet ikke gjengir de publiserte tallene; andelene nedenfor "
                           "bygger på materialet.",
                           "MISMATCH means that the data do not reproduce the published numbers; the shares "
                           "below are based on the data."),
    "html_contents": ("Innhold", "Contents"),
    "html_download": ("Last ned:", "Download:"),
    "html_cell_mismatch": ("publisert {published}, materialet {n}", "published {published}, the data {n}"),
    "html_table_matches": ("✓ Materialet gjengir tabellen nøyaktig for alle år og svar.",
                           "✓ The data reproduce the table exactly for every year and answer."),
    "html_table_matches_year": ("✓ Materialet gjengir tabellen nøyaktig for {year} og alle svar.",
                                "✓ The data reproduce the table exactly for {year} and every answer."),
    "html_table_differs": ("✗ {n} celle(r) avviker: publisert ≠ materialet. Sjekk utvalget (population) og "
                           "svarkategoriene.",
                           "✗ {n} cell(s) differ: published ≠ the data. Check the population and the answer "
                           "categories."),
    "html_table_note": ("Publisert antall (prosent) per år, kontrollert mot antall i materialet{among}, "
                        "variabel {column}.",
                        "Published count (percent) per year, checked against the count in the data{among}, "
                        "variable {column}."),
    "html_among": (" blant {population}", " among {population}"),
    "html_in_year": ("I {year}:", "In {year}:"),
    "html_answered_item": ("<strong>{n} av {total}</strong> svarte", "<strong>{n} of {total}</strong> answered"),
    "html_response_note": ("«Publisert» er tallet i den publiserte tabellen for svaret spørsmålet følger; "
                           "«fikk spørsmålet» teller respondentene i materialet med det svaret. Andeler for "
                           "temaer regnes blant dem som svarte.",
                           "“Published” is the number in the published table for the answer the question "
                           "follows; “asked” counts the respondents in the data with that answer. Theme "
                           "shares are computed among those who answered."),
    "html_question_meta": ("Spørsmål <code>{column}</code> · Stilt til: {asked} · Kodebok: {codebook}",
                           "Question <code>{column}</code> · Asked: {asked} · Codebook: {codebook}"),
    "html_no_answers": ("Ingen svar på dette spørsmålet i {year}.", "No answers to this question in {year}."),
    "html_top_theme": ("{label} {pct} (95 % KI {ci})", "{label} {pct} (95% CI {ci})"),
    "html_lead": ("I {year} fikk {n_group} spørsmålet og {n} svarte ({pct}).",
                  "In {year}, {n_group} were asked the question and {n} answered ({pct})."),
    "html_lead_top": (" Vanligst blant dem som svarte: {top}.", " Most common among those who answered: {top}."),
    "html_lead_none": (" {n} svar ({pct}) fikk ikke noe tema.", " {n} answers ({pct}) got no theme."),
    "chart_share": ("Andel av dem som svarte ({year}, n = {n})", "Share of those who answered ({year}, n = {n})"),
    "chart_share_per_year": ("Andel av dem som svarte, per år", "Share of those who answered, per year"),
    "chart_both": ("Antall svar med begge temaene ({span})", "Answers with both themes ({span})"),
    "html_themes_caption": ("Temaer i {year}, blant {n} som svarte", "Themes in {year}, among {n} who answered"),
    "html_themes_caption_years": (" – og andel per år", " – and share per year"),
    "html_themes_figure": ("Stolpe: andel; strek: 95 % konfidensintervall (Wilson); tall i parentes: antall "
                           "respondenter. Et svar kan ha flere temaer; overordnede temaer (uthevet i tabellen) "
                           "teller alle som har minst ett av undertemaene.",
                           "Bar: share; line: 95% confidence interval (Wilson); number in brackets: "
                           "respondents. An answer can have several themes; parent themes (bold in the table) "
                           "count everyone with at least one of their sub-themes."),
    "html_themes_left_out": (" {n} temaer som ingen nevner {when}, er utelatt fra figuren.",
                             " {n} themes that nobody mentions {when} are left out of the chart."),
    "html_themes_left_out_one": (" 1 tema som ingen nevner {when}, er utelatt fra figuren.",
                                 " 1 theme that nobody mentions {when} is left out of the chart."),
    # {when} of the notes on unused themes: a question asked in one year has no "selected years"
    "when_years": ("i de valgte årene", "in the selected years"),
    "when_year": ("i {year}", "in {year}"),
    "when_pooled": ("i materialet", "in the data"),
    "html_trend": ("Utvikling over tid", "Trend over time"),
    "html_trend_figure": ("De {n} vanligste temaene over alle år. Andelen for hvert år regnes blant dem som "
                          "svarte det året; se tabellen over for alle temaer.",
                          "The {n} most common themes over all years. Each year's share is among those who "
                          "answered that year; see the table above for every theme."),
    "html_by_group": ("Etter {name} ({year})", "By {name} ({year})"),
    "html_group_figure": ("Andel av dem som svarte i hver gruppe («av» = antall som svarte), med 95 % "
                          "konfidensintervall; de {n} vanligste temaene. Små grupper gir brede intervaller; "
                          "grupper med færre enn {minimum} svar vises som «n < {minimum}» uten andel. Alle "
                          "temaer og grupper står i regnearket og i frequencies.csv.",
                          "Share of those who answered in each group (“of” = the number who answered), with "
                          "95% confidence interval; the {n} most common themes. Small groups give wide "
                          "intervals; groups with fewer than {minimum} answers show “n < {minimum}” and no "
                          "share. Every theme and group is in the workbook and in frequencies.csv."),
    "html_group_all_small": ("Alle {groups} grupper har færre enn {minimum} svar dette året, så andelene "
                             "vises ikke (de står som «n < {minimum}» i regnearket og i frequencies.csv).",
                             "All {groups} groups have fewer than {minimum} answers this year, so no share "
                             "is shown (they are “n < {minimum}” in the workbook and in frequencies.csv)."),
    "html_group_both_small": ("Begge gruppene har færre enn {minimum} svar dette året, så andelene vises "
                              "ikke (de står som «n < {minimum}» i regnearket og i frequencies.csv).",
                              "Both groups have fewer than {minimum} answers this year, so no share is "
                              "shown (they are “n < {minimum}” in the workbook and in frequencies.csv)."),
    "html_no_difference": ("Ingen av de testede temaene viser en sikker forskjell mellom gruppene (p < 0,05).",
                           "None of the tested themes shows a clear difference between the groups "
                           "(p < 0.05)."),
    "html_no_test": ("Ingen tester kunne gjøres, så vi kan verken påvise eller avvise forskjeller mellom "
                     "gruppene.",
                     "No test could be run, so differences between the groups can be neither shown nor ruled out."),
    "html_test_done_one": ("1 test kunne gjøres (khikvadrattest, {year}{across}), {k} med p < 0,05.",
                           "1 test could be run (chi-square test, {year}{across}), {k} with p < 0.05."),
    "html_tests_done": ("{n} tester kunne gjøres (khikvadrattest, {year}{across}), {k} med p < 0,05.",
                        "{n} tests could be run (chi-square test, {year}{across}), {k} with p < 0.05."),
    "html_tests_across": ("; år mot år på alle år samlet", "; year against year on all years pooled"),
    "html_tests_skipped": (" {n} ble ikke testet fordi tallene er for små for testen ({skipped}): da kan vi "
                           "verken påvise eller avvise en forskjell.",
                           " {n} were not tested because the numbers are too small for the test ({skipped}): "
                           "then a difference can be neither shown nor ruled out."),
    "html_tests_by": ("{n} etter {grouping}", "{n} by {grouping}"),
    "html_tests_in_workbook": (" Alle tester står i regnearket.", " Every test is in the workbook."),
    "html_tests_caution": (" Mange tester gir noen tilfeldige treff; les enkeltfunn med forsiktighet. Alle "
                           "tester står i regnearket.",
                           " Many tests give some chance findings; read single findings with care. Every "
                           "test is in the workbook."),
    "html_together_figure": ("Hver celle teller svarene som har begge temaene; grå diagonal: antall svar med "
                             "temaet i alt. Mørkere farge = oftere sammen.",
                             "Each cell counts the answers that have both themes; grey diagonal: the answers "
                             "with the theme in all. Darker colour = more often together."),
    "html_quotes_note": ("Eksempler på svar med hvert tema, valgt reproduserbart (fast frø) og fra ulike "
                         "respondenter; det kodede tekststykket er markert.",
                         "Examples of answers with each theme, chosen reproducibly (fixed seed) and from "
                         "different respondents; the coded passage is highlighted."),
    "html_method": ("Slik er tallene laget", "How the numbers were made"),
    "html_method_text": ("Hver respondent telles én gang per tema, uansett hvor mange ganger temaet nevnes. "
                         "«Fikk spørsmålet» er respondentene hvis lukkede svar spørsmålet følger; andelene "
                         "regnes blant dem som også skrev et svar. 95 % konfidensintervall etter Wilson. "
                         "Forskjeller mellom grupper er testet med Pearsons khikvadrattest bare der alle "
                         "forventede antall er minst 1 og høyst 20 % er under 5; ellers står det at testen "
                         "ikke kunne gjøres. Kommuner som svarer flere år, telles hvert år. Sitatene er valgt "
                         "tilfeldig med fast frø ({seed}), så samme data gir samme sitater.",
                         "Each respondent is counted once per theme, however often the theme is mentioned. "
                         "“Asked” are the respondents whose closed answer the question follows; the shares "
                         "are computed among those who also wrote an answer. 95% confidence intervals after "
                         "Wilson. Differences between groups are tested with Pearson's chi-square test only "
                         "where every expected count is at least 1 and at most 20% are under 5; otherwise "
                         "the report says the test could not be run. Municipalities that answer in several "
                         "years are counted in each year. The quotes are chosen at random with a fixed seed "
                         "({seed}), so the same data give the same quotes."),
    # --- the workbook (report.xlsx) ---------------------------------------------------------------------
    "sheet_overview": ("Oversikt", "Overview"),
    "sheet_responses": ("Svarinngang", "Responses"),
    "sheet_themes": ("Tema {column}", "Themes {column}"),
    "sheet_frequencies": ("Frekvenser", "Frequencies"),
    "sheet_together": ("Samforekomst", "Co-occurrence"),
    "sheet_tests": ("Tester", "Tests"),
    "sheet_quotes": ("Sitater", "Quotes"),
    "xlsx_answer": ("Svar", "Answer"),
    "xlsx_published_n": ("Publisert antall", "Published count"),
    "xlsx_published_pct": ("Publisert %", "Published %"),
    "xlsx_corpus_n": ("Antall i materialet", "Count in the data"),
    "xlsx_corpus_pct": ("% i materialet", "% in the data"),
    "xlsx_table_note": ("Publisert tabell mot samme telling i materialet; røde rader avviker.",
                        "Published table against the same count in the data; red rows differ."),
    "xlsx_questions": ("Spørsmål", "Questions"),
    "xlsx_with_theme": ("Antall med temaet", "With the theme"),
    "xlsx_frequencies_title": ("Alle frekvenser (lang form)", "All frequencies (long form)"),
    "xlsx_frequencies_note": ("Samme tall som frequencies.csv (der har kolonnene faste maskinnavn); filtrer på "
                              "År, Gruppert etter og Gruppe.",
                              "The same numbers as frequencies.csv (whose columns keep fixed machine names); "
                              "filter on Year, Grouped by and Group."),
    "xlsx_count_in": ("Antall {year} (n={n})", "Count {year} (n={n})"),
    "xlsx_share_in": ("Andel {year} (n={n})", "Share {year} (n={n})"),
    "xlsx_themes_note": ("Andel av dem som svarte; 95 % konfidensintervall (Wilson).",
                         "Share of those who answered; 95% confidence interval (Wilson)."),
    "xlsx_together_title": ("Temaer som nevnes sammen ({span})", "Themes mentioned together ({span})"),
    "xlsx_selected_years": ("alle valgte år", "all selected years"),
    "xlsx_theme_a": ("Tema A", "Theme A"),
    "xlsx_theme_b": ("Tema B", "Theme B"),
    "xlsx_both": ("Svar med begge", "Answers with both"),
    "xlsx_answered_total": ("Svarte i alt", "Answered in all"),
    "xlsx_together_note": ("Der tema A = tema B: antall svar med temaet.",
                           "Where theme A = theme B: the answers with the theme."),
    "xlsx_tests_title": ("Forskjeller mellom grupper (khikvadrattest)", "Differences between groups (chi-square test)"),
    "xlsx_groups": ("Grupper", "Groups"),
    "xlsx_chi2": ("Khikvadrat", "Chi-square"),
    "xlsx_min_expected": ("Minste forventede", "Smallest expected"),
    "xlsx_testable": ("Testbar", "Testable"),
    "xlsx_significant": ("p < 0,05", "p < 0.05"),
    "xlsx_conclusion": ("Konklusjon", "Conclusion"),
    "xlsx_tests_note": ("Testbar bare når alle forventede antall er minst 1 og høyst 20 % er under 5.",
                        "Testable only when every expected count is at least 1 and at most 20% are under 5."),
    "xlsx_quotes_title": ("Sitater per tema", "Quotes per theme"),
    "xlsx_rank": ("Nr.", "No."),
    "xlsx_quote": ("Sitat", "Quote"),
    # --- the terminal view of a report -----------------------------------------------------------------
    "term_meta": ("Materiale: {source} · {years_word}: {years} · Koding: {coding}",
                  "Data: {source} · {years_word}: {years} · Coding: {coding}"),
    "term_warnings": ("⚠ {n} advarsler – sjekk før tallene brukes", "⚠ {n} warnings – check before using the numbers"),
    "term_matches": ("stemmer", "matches"),
    "term_published_vs": ("{title} – publisert mot materialet ({status})", "{title} – published against the data ({status})"),
    "term_theme_title": ("{label} ({column}) – {year}: {n} svarte", "{label} ({column}) – {year}: {n} answered"),
    "term_unused": ("Ingen treff {when}: {labels}", "No hits {when}: {labels}"),
    "term_differences": ("Forskjeller mellom grupper (p < 0,05):", "Differences between groups (p < 0.05):"),
    "term_wrote": ("Skrev report.html, report.xlsx, report.docx og frequencies.csv til {folder}",
                   "Wrote report.html, report.xlsx, report.docx and frequencies.csv to {folder}"),
    "term_more": ("Figurer, gruppefordelinger og sitater: kjør med --out MAPPE for report.html, report.docx og "
                  "report.xlsx.",
                  "Charts, group breakdowns and quotes: run with --out FOLDER for report.html, report.docx and "
                  "report.xlsx."),
    "term_warning_count": ("Advarsel: {n} avvik eller feil i dataene; se rammen over.",
                           "Warning: {n} mismatches or errors in the data; see the box above."),
    "progress_report": ("Koder og oppsummerer", "Coding and summarising"),
    "progress_coding": ("Koder", "Coding"),
    # --- command summaries -------------------------------------------------------------------------------
    "code_read": ("Leste {n} respondenter fra {source}", "Read {n} respondents from {source}"),
    "code_encoding": (" (tegnkoding {encoding})", " (encoding {encoding})"),
    "code_col_question": ("spørsmål", "question"),
    "code_col_answers": ("svar", "answers"),
    "code_col_empty": ("tomme", "empty"),
    "code_col_coded": ("kodet", "coded"),
    "code_col_uncoded": ("ukodet", "uncoded"),
    "code_col_codings": ("kodinger", "codings"),
    "code_wrote_refs": ("Skrev {n} kodingsreferanser til {path}", "Wrote {n} coding references to {path}"),
    "code_wrote_matrix": ("Skrev matrisen respondenter × koder til {path}",
                          "Wrote the respondents × codes matrix to {path}"),
    "code_sheet_refs": ("Kodinger", "Codings"),
    "code_sheet_matrix": ("Matrise", "Matrix"),
    "check_project_ok": ("{path}: ok ({questions}, {tables})", "{path}: ok ({questions}, {tables})"),
    "check_codebook_ok": ("{path}: ok ({codes}, {rules}{models})", "{path}: ok ({codes}, {rules}{models})"),
    # Counted nouns: Texts.count picks the _one form for 1 ("1 tabeller" / "1 tables" was printed).
    "count_questions": ("{n} spørsmål", "{n} questions"),
    "count_questions_one": ("{n} spørsmål", "{n} question"),
    "count_tables": ("{n} tabeller", "{n} tables"),
    "count_tables_one": ("{n} tabell", "{n} table"),
    "count_codes": ("{n} koder", "{n} codes"),
    "count_codes_one": ("{n} kode", "{n} code"),
    "count_rules": ("{n} regler", "{n} rules"),
    "count_rules_one": ("{n} regel", "{n} rule"),
    "count_models": ("{n} modeller", "{n} models"),
    "count_models_one": ("{n} modell", "{n} model"),
    "train_wrote": ("Skrev modellen til {path}", "Wrote model to {path}"),
    "evaluate_header": ("Evaluert på {n} svar ({where}) mot {gold}; riktig kode på svaret",
                        "Evaluated on {n} answers ({where}) against {gold}; answer-level presence"),
    "evaluate_split": ("{scope}, del {split}", "{scope}, split {split}"),
    "evaluate_gold_answers": ("svarene i gullfila", "answers in the gold file"),
    "evaluate_code": ("kode", "code"),
    "evaluate_gold": ("gull", "gold"),
    "evaluate_micro": ("{name}: mikro-F1 {micro}, makro-F1 {macro}, nøyaktig riktig kodesett på {exact} % av svarene",
                       "{name}: micro F1 {micro}, macro F1 {macro}, exact code set on {exact}% of answers"),
    "evaluate_top": ("Største uenigheter ({name}; {n} i alt):", "Top disagreements ({name}; {n} in all):"),
    "evaluate_wrote": ("Skrev {n} uenigheter til {path}", "Wrote {n} disagreements to {path}"),
    "export_qdpx": ("Skrev {path}: {sources} {what} fra {cases} respondenter, {codings} kodinger i {selections} "
                    "markeringer, {codes} koder, {variables} variabler, {notes}",
                    "Wrote {path}: {sources} {what} from {cases} respondents, {codings} codings in {selections} "
                    "selections, {codes} codes, {variables} variables, {notes}"),
    "export_note_one": ("1 notat", "1 note"),
    "export_note_many": ("{n} notater", "{n} notes"),
    "export_answers": ("svar", "answers"),
    "export_respondent_documents": ("respondentdokumenter", "respondent documents"),
    "export_qdc": ("Skrev {path}: {codebooks}, {codes} koder", "Wrote {path}: {codebooks}, {codes} codes"),
    "export_codebook_one": ("{n} kodebok", "{n} codebook"),
    "export_codebook_many": ("{n} kodebøker", "{n} codebooks"),
    # --- agree -------------------------------------------------------------------------------------------
    "agree_coders": ("Kodere: {names}", "Coders: {names}"),
    "agree_col_code": ("kode", "code"),
    "agree_col_answers": ("svar", "answers"),
    "agree_col_yes": ("ja", "yes"),
    "agree_col_percent": ("enig %", "agree %"),
    "agree_col_kappa": ("kappa", "kappa"),
    "agree_col_mean_kappa": ("snitt-kappa", "mean kappa"),
    "agree_col_alpha": ("alfa", "alpha"),
    "agree_all_codes": ("(alle koder)", "(all codes)"),
    "agree_undefined": ("– : udefinert (alle kodere ga alle svar samme verdi)",
                        "– : undefined (every coder gave every answer the same value)"),
    "agree_pairs": ("Snitt-kappa per par: {pairs}", "Mean kappa per pair: {pairs}"),
    "agree_disagreements": ("Uenigheter ({n} i alt):", "Disagreements ({n} in all):"),
    "agree_wrote": ("Skrev {n} uenigheter til {path}", "Wrote {n} disagreements to {path}"),
    # --- suggest -----------------------------------------------------------------------------------------
    "suggest_no_model": ("Ingen klassifikator (gi --model eller legg en til i kodeboka): bare svar uten tema "
                         "listes",
                         "No classifier (give --model or add one to the codebook): only answers with no theme "
                         "are listed"),
    "suggest_uncertain": ("usikker", "uncertain"),
    "suggest_no_theme": ("uten tema", "no theme"),
    "suggest_detail": ("{code} p={score} (terskel {threshold})", "{code} p={score} (threshold {threshold})"),
    "suggest_wrote_csv": ("Skrev forslagene til {path}", "Wrote suggestions to {path}"),
    "suggest_wrote_sheet": ("Skrev vurderingsarket til {path}", "Wrote review sheet to {path}"),
    # --- review and hand codings ---------------------------------------------------------------------------
    "review_wrote_sheet": ("Skrev {n} svar × {codes} koder til {path}", "Wrote {n} answers × {codes} codes to {path}"),
    "review_imported": ("{decisions} håndbeslutninger fra arket ({yes} ja, {no} nei): {new} nye, {changed} endret, "
                        "{unchanged} uendret; {kept} tidligere beslutninger beholdt",
                        "{decisions} hand decisions from the sheet ({yes} yes, {no} no): {new} new, {changed} "
                        "changed, {unchanged} unchanged; {kept} earlier decisions kept"),
    "review_wrote_hand": ("Skrev håndbeslutningene til {path}", "Wrote hand decisions to {path}"),
    "hand_merged": ("håndkodinger: {confirmed} automatiske kodinger bekreftet, {overruled} overstyrt, {added} lagt "
                    "til for hånd",
                    "hand codings: {confirmed} automatic codings confirmed, {overruled} overruled, {added} added "
                    "by hand"),
    # --- import ------------------------------------------------------------------------------------------
    "import_codebook": ("Skrev {path}: kodebok {codebook!r}, {codes} koder",
                        "Wrote {path}: codebook {codebook!r}, {codes} codes"),
    "import_no_rules": ("  søkeordregler: ingen (REFI-QDA har ingen regler); legg til regler for å kode svar "
                        "automatisk",
                        "  keyword rules: none (REFI-QDA has no rules); add rules to code answers automatically"),
    "import_nothing": ("{file}: prosjektet har ingen koder og ingen tekstkilder; ingenting å importere",
                       "{file}: the project has no codes and no text sources; nothing to import"),
    "import_unknown_program": ("ukjent program", "unknown program"),
    "import_read_project": ("Leste {file}: {origin}, {sources} kilder, {cases} respondenter, {users} brukere",
                            "Read {file}: {origin}, {sources} sources, {cases} cases, {users} users"),
    "import_wrote_project": ("Skrev {out}: {cases} respondenter med {answers} svar, {codes} koder i {codebooks} "
                             "kodebok(er), {hand} håndkodinger fra {coders} koder(e)",
                             "Wrote {out}: {cases} cases with {answers} answers, {codes} codes in {codebooks} "
                             "codebook(s), {hand} hand codings by {coders} coder(s)"),
    "import_codings_file": (", {n} kodinger i codings.csv", ", {n} codings in codings.csv"),
    "import_memos": (", {n} svarnotat(er)", ", {n} answer memo(s)"),
    "import_next": ("Neste: fritekst code --project {project} --hand {hand}",
                    "Next: fritekst code --project {project} --hand {hand}"),
    "import_dictionary": ("Skrev {path}: kodebok {codebook!r} fra en {format}-ordbok, {codes} koder, {rules} regler, "
                          "{patterns} mønstre",
                          "Wrote {path}: codebook {codebook!r} from a {format} dictionary, {codes} codes, {rules} "
                          "rules, {patterns} patterns"),
    "import_not_carried_head": ("Ikke overført ({n}, listet øverst i {path}):",
                                "Not carried over ({n}, listed at the top of {path}):"),
    "import_and_more": ("  … og {n} til", "  … and {n} more"),
    # --- cache -------------------------------------------------------------------------------------------
    "cache_removed": ("Slettet {n} filer fra kodingsbufferen i {folder}", "Removed {n} cached files from {folder}"),
    "cache_removed_one": ("Slettet 1 fil fra kodingsbufferen i {folder}", "Removed 1 cached file from {folder}"),
    # --- serve (the workbench) -----------------------------------------------------------------------------
    "serve_loading": ("Laster {path} og koder svarene …", "Loading {path} and coding the answers…"),
    "serve_stopped": ("Arbeidsbenken er stoppet; alle beslutninger er lagret i {path}",
                      "The workbench has stopped; every decision is saved in {path}"),
    # --- models: fritekst train's summary and fritekst evaluate's threshold trade-off -----------------
    "model_head": ("kodebok {codebook} (hash {hash}), trent {created} med fritekst {version}",
                   "codebook {codebook} (hash {hash}), trained {created} with fritekst {version}"),
    "model_data": ("{n} håndkodede svar ({questions}){segments}{keywords}",
                   "{n} hand-coded answers ({questions}){segments}{keywords}"),
    "model_segments": (", {n} segmenter", ", {n} segments"),
    "model_keyword_features": (", nøkkelordtreff som trekk", ", keyword hits as features"),
    "model_col_code": ("kode", "code"),
    "model_col_positives": ("positive", "positives"),
    "model_col_threshold": ("terskel", "threshold"),
    "model_col_cv_f1": ("KV-F1", "cv F1"),
    "model_col_learned": ("learned", "learned"),
    "model_not_learned": ("  (ikke lært: {n} positive eksempler, trenger {need})",
                          "  (not learned: {n} positive example(s), need {need})"),
    "model_combination_keyword": ("nøkkelord", "keyword"),
    "model_combination_union": ("begge@{t}", "union@{t}"),
    "model_combination_classifier": ("klassifikator@{t}", "classifier@{t}"),
    "model_combination_note": ("learned: hva kombinasjonen «learned» gjør med koden, valgt ved kryssvalidering: "
                               "nøkkelord = bare nøkkelordreglene, begge@t = nøkkelord ELLER klassifikator ≥ t, "
                               "klassifikator@t = klassifikatoren ≥ t i stedet for nøkkelordreglene",
                               "learned: what policy 'learned' does with the code, chosen by cross-validation: "
                               "keyword = keyword rules alone, union@t = keyword rules OR classifier >= t, "
                               "classifier@t = the classifier >= t instead of the keyword rules"),
    "tradeoff_missing": ("Terskelavveiing for {path}: ikke lagret i denne modellen (tren den på nytt med "
                         "fritekst train)",
                         "Threshold trade-off of {path}: not stored in this model (retrain it with fritekst train)"),
    "tradeoff_head": ("Terskelavveiing for {path} (utenfor fold på de {n} treningssvarene; P R F1 ved valgt "
                      "terskel og ved andre; learned og F1: kombinasjonen «learned» og dens F1 utenfor fold):",
                      "Threshold trade-off of {path} (out-of-fold on its {n} training answers; P R F1 at the "
                      "chosen threshold and at others; learned and F1: policy learned's choice and its "
                      "out-of-fold F1):"),
    "tradeoff_col_pos": ("pos", "pos"),
    "tradeoff_col_chosen": ("valgt", "chosen"),
    "tradeoff_at_chosen": ("ved valgt", "at chosen"),
    "tradeoff_at": ("ved {t}", "at {t}"),
}
# The workbench's words belong to the same catalogue (a test checks that no key is in both).
TEXTS.update(WORKBENCH_TEXTS)


def check_language(lang: str, where: str = "lang") -> str:
    """``lang`` if fritekst writes in it; else an :class:`~fritekst.errors.OutputError` (E308)."""
    if lang not in LANGUAGES:
        raise OutputError(f"{where}: language {lang!r} is not supported; use one of {', '.join(LANGUAGES)}",
                          code="E308", option="lang")
    return lang


class Texts:
    """The catalogue in one language: ``tr(key, **fields)`` is the text with its fields filled in."""

    def __init__(self, lang: str) -> None:
        self.lang = check_language(lang)
        self._index = LANGUAGES.index(self.lang)

    def __call__(self, key: str, /, **fields: Any) -> str:
        template = TEXTS[key][self._index]
        return template.format(**fields) if fields else template

    def number(self, value: float, decimals: int) -> str:
        return number_text(value, decimals, self.lang)

    def pct(self, value: float | None, decimals: int = 0) -> str:
        """A share as percent text: ``0.384`` → ``38 %`` (nb) or ``38%`` (en); missing → ``–``."""
        if value is None or (isinstance(value, float) and math.isnan(value)) or _is_na(value):
            return "–"
        number = self.number(float(value) * 100, decimals)
        return f"{number} %" if self.lang == "nb" else f"{number}%"

    def ci(self, low: float | None, high: float | None) -> str:
        """A 95 % interval as ``29–47 %`` (``–`` when undefined)."""
        if low is None or high is None or _is_na(low) or _is_na(high):
            return "–"
        span = f"{round(float(low) * 100)}–{round(float(high) * 100)}"
        return f"{span} %" if self.lang == "nb" else f"{span}%"

    def count(self, key: str, n: int) -> str:
        """``n`` with its noun in the right number: ``count("count_tables", 1)`` is "1 tabell"."""
        return self(f"{key}_one" if n == 1 else key, n=n)

    def when(self, years: Sequence[str]) -> str:
        """Where a note looks: "i 2023" for a question of one year, "i de valgte årene" otherwise.

        A project without a year column has the one pooled key ``alle``: "i materialet", not "i alle".
        """
        from ..analysis.summary import ALL

        if list(years) == [ALL]:
            return self("when_pooled")
        return self("when_year", year=years[0]) if len(years) == 1 else self("when_years")

    def year(self, year: str) -> str:
        """A year key as shown: the pooled key ``alle`` as "Alle år" / "All years", others unchanged."""
        from ..analysis.summary import ALL

        return self("all_years") if year == ALL else str(year)


def _is_na(value: Any) -> bool:
    try:
        return bool(value != value)  # NaN and pandas' NA are not equal to themselves
    except TypeError:
        return True  # pd.NA refuses bool(): it is missing


def texts_for(lang: str | None = None) -> Texts:
    """The catalogue in ``lang`` (default :data:`DEFAULT_LANGUAGE`)."""
    return Texts(lang or DEFAULT_LANGUAGE)


def template_fields(template: str) -> set[str]:
    """The field names a template fills (for the test that both languages fill the same ones)."""
    return {name.split("!")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


#: Joins what a reader reads as one number: a no-break space (U+00A0) and the word joiner (U+2060).
NO_BREAK_SPACE = "\u00a0"
WORD_JOINER = "\u2060"
#: The spaces inside a number a line must not break at: between digit groups ("5 000"), before a
#: percent sign ("38 %"), and around a comparison in a statistic ("p < 0,001", "n = 21", "χ² = 4,1").
_NUMBER_SPACE = re.compile(r"(?<=\d)[ \u202f](?=\d{3}(?!\d))|(?<=\d) (?=[%‰])"
                           r"|(?<=\d) (?=[=<>≤≥≠] ?[-−]?\d)|(?<=[=<>≤≥≠]) (?=[-−]?\d)"
                           r"|(?<=\b[pn]) (?=[=<>≤≥])|(?<=\bdf) (?==)|(?<=χ²) (?==)")
#: A dash between two numbers ("37–76 %"), after which browsers and Word would otherwise break.
_RANGE_DASH = re.compile(r"(?<=\d)([–-])(?=\d)")


def unbreakable_numbers(text: str, *, ranges: bool = True) -> str:
    """``text`` with every number kept on one line: the spaces inside a number become no-break
    spaces, and (with ``ranges``) a word joiner follows the dash of a range. The text reads and
    copies the same; only where a line may wrap changes.

    >>> unbreakable_numbers("fra 8 % (20 000 innbyggere), p < 0,001, 37–76 %") == (
    ...     "fra 8\u00a0% (20\u00a0000 innbyggere), p\u00a0<\u00a00,001, 37–\u206076\u00a0%")
    True
    """
    text = _NUMBER_SPACE.sub(NO_BREAK_SPACE, text)
    return _RANGE_DASH.sub("\\1" + WORD_JOINER, text) if ranges else text


def number_text(value: float, decimals: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """A number with a decimal comma (nb) or point (en)."""
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if lang == "nb" else text


def p_text(p: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A p-value as it is printed: ``p = 0,012`` or ``p < 0,001`` (``0.012`` in English)."""
    return f"p < {number_text(0.001, 3, lang)}" if p < 0.001 else f"p = {number_text(p, 3, lang)}"


def _reason(row: Mapping[str, Any], tr: Texts) -> str:
    """Why a group test was not run, in ``tr``'s language (the analysis gives it in Norwegian)."""
    if tr.lang == "nb":
        return str(row["reason"])
    if int(row["n_groups"]) < 2:
        return tr("reason_one_group")
    smallest = row.get("min_expected")
    if smallest is None or _is_na(smallest):
        return tr("reason_all_or_none")
    return tr("reason_small", share=round(float(row.get("share_below_5", math.nan)) * 100),
              smallest=tr.number(float(smallest), 1))


def group_test_sentence(row: Mapping[str, Any], grouping: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """One plain sentence about one group test (a row of :func:`~fritekst.analysis.summary.group_tests`):
    the difference between the lowest and highest group, no clear difference, or why no test was run."""
    from ..analysis.summary import ALL, ALPHA

    tr = texts_for(lang)
    label = row["code_label"]
    when = tr("all_years_pooled") if row["year"] == ALL else row["year"]
    if not row["testable"]:
        return tr("test_untested", label=label, grouping=grouping, when=when, reason=_reason(row, tr))
    numbers = f"χ² = {tr.number(row['chi2'], 1)}, df = {row['df']}, {p_text(row['p_value'], tr.lang)}"
    if row["p_value"] < ALPHA:
        return tr("test_varies", label=label, grouping=grouping, when=when, low=round(row["lowest_pct"] * 100),
                  low_group=row["lowest_group"], high=round(row["highest_pct"] * 100),
                  high_group=row["highest_group"], numbers=numbers)
    return tr("test_no_difference", label=label, grouping=grouping, when=when, numbers=numbers)


def with_statements(tests: pd.DataFrame, names: Mapping[str, str] | None = None,
                    lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """``tests`` with a ``statement`` column; ``names`` gives readable names of grouping columns."""
    names = dict(names or {})
    tests = tests.copy()
    records: list[dict[str, Any]] = [{str(k): v for k, v in row.items()} for row in tests.to_dict("records")]
    tests["statement"] = [group_test_sentence(row, names.get(row["group_by"], row["group_by"]), lang)
                          for row in records]
    return tests
