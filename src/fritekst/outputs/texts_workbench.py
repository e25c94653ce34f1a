"""The workbench's (``fritekst serve``) words, in Norwegian Bokmål and English.

Part of the one catalogue, :data:`fritekst.outputs.texts.TEXTS`, which takes these in (a key may
not be in both): kept in their own module only because the page has many small labels. The page's
template and script look them up as every renderer does, by key, and reuse the report's own words
where the thing is the same (``code``, ``year``, ``no_theme_label``, ``whole_sample`` …), so the
workbench and the report call a thing by one name.

The script fills fields itself, so a template here uses plain ``{name}`` fields only (no
conversions, no format specifications); a test checks it.
"""

from __future__ import annotations

#: Key → (Norwegian Bokmål, English), as :data:`fritekst.outputs.texts.TEXTS`.
WORKBENCH_TEXTS: dict[str, tuple[str, str]] = {
    # --- the page's frame: tabs, coder, help ---------------------------------------------------------
    "web_views": ("Visninger", "Views"),
    "web_tab_grid": ("Koding", "Coding"),
    "web_tab_overview": ("Oversikt", "Overview"),
    "web_tab_loop": ("Omkod og tren", "Loop"),
    "web_tab_agreement": ("Enighet", "Agreement"),
    "web_coder": ("koder", "coder"),
    "web_shortcuts": ("Tastatursnarveier (?)", "Keyboard shortcuts (?)"),
    "web_keyboard": ("Tastatur", "Keyboard"),
    "web_key_move": ("neste / forrige svar", "next / previous answer"),
    "web_key_digit": ("kode 1–10: med tekst markert kodes markeringen; ellers godtas den automatiske kodingen, "
                      "eller hele svaret kodes",
                      "code 1–10: with text selected, code the selection; otherwise accept the automatic coding "
                      "or code the whole answer"),
    "web_digit": ("siffer", "digit"),
    "web_key_shift": ("avvis / fjern kode 1–10", "reject / remove code 1–10"),
    "web_key_accept_all": ("godta alle automatiske kodinger av svaret", "accept every automatic coding of the answer"),
    "web_key_memo": ("skriv et notat om svaret", "write a memo on the answer"),
    "web_key_search": ("søk", "search"),
    "web_key_help": ("denne hjelpen;", "this help;"),
    "web_key_closes": ("lukker", "closes"),
    "web_help_select": ("Marker tekst i et svar med musa for å kode den: en meny med koder åpnes.",
                        "Select text in an answer with the mouse to code it: a menu of codes opens."),
    "web_saved_to": ("Beslutningene lagres straks i", "Decisions are saved at once to"),
    # --- the grid's filters --------------------------------------------------------------------------
    "web_filters": ("Filtre", "Filters"),
    "web_any_code": ("alle koder", "any code"),
    "web_any": ("alle", "any"),
    "web_show_only": ("Vis bare", "Show only"),
    "web_status_uncoded": ("ukodet", "uncoded"),  # as the column of fritekst code's summary
    "web_status_auto": ("automatisk, ikke gjennomgått", "automatic, not reviewed"),
    "web_status_low": ("lav sikkerhet", "low confidence"),
    "web_status_disagrees_hand": ("uenig med håndkodingen", "disagrees with hand coding"),
    "web_status_disagrees_coder": ("uenig med en annen koder", "disagrees with another coder"),
    "web_search": ("Søk", "Search"),
    "web_search_placeholder": ("ord, eller et regulært uttrykk", "words, or a regular expression"),
    "web_regex": ("regulært uttrykk", "regular expression"),
    "web_more": ("Vis flere", "Show more"),
    "web_none_match": ("Ingen svar passer til filtrene; endre eller fjern et filter.",
                       "No answers match the filters; change or clear a filter."),
    "web_n_answers_one": ("1 svar", "1 answer"),
    "web_n_answers": ("{n} svar", "{n} answers"),
    "web_n_hits_one": ("1 treff", "1 hit"),
    "web_n_hits": ("{n} treff", "{n} hits"),
    "web_case_only": ("bare respondent {case}", "case {case} only"),
    "web_show_all": ("vis alle", "show all"),
    "web_reviewed": ("{n} av {total} gjennomgått", "{n} of {total} reviewed"),
    # --- an answer and its codes ---------------------------------------------------------------------
    "web_state_auto": ("automatisk", "automatic"),
    "web_state_accepted": ("godtatt", "accepted"),
    "web_state_added": ("kodet for hånd", "coded by hand"),
    "web_state_rejected": ("avvist", "rejected"),
    "web_state_absent": ("ikke denne koden", "not this code"),
    "web_state_other": ("en annen koder", "another coder"),
    "web_accept": ("godta", "accept"),
    "web_reject": ("avvis", "reject"),
    "web_remove": ("fjern", "remove"),
    "web_code_whole": ("kod hele svaret", "code the whole answer"),
    "web_code_whole_menu": ("+ kod hele svaret …", "+ code whole answer…"),
    "web_undo": ("angre beslutningen min", "undo my decision"),
    "web_note": ("merknad: {note}", "note: {note}"),
    "web_memo": ("Notat", "Memo"),
    "web_memo_written": ("Notat ✎", "Memo ✎"),
    "web_memo_placeholder": ("Notat om dette svaret", "Memo on this answer"),
    "web_memo_save": ("Lagre notat", "Save memo"),
    "web_memo_saved": ("notat lagret · {case}", "memo saved · {case}"),
    "web_code_memo_of": ("notat om koden {label}", "memo on code {label}"),
    "web_code_heading": ("Kode: {label}", "Code: {label}"),
    "web_code_memo_save": ("Lagre kodenotat", "Save code memo"),
    "web_code_memo_saved": ("kodenotat lagret", "code memo saved"),
    "web_code_selection": ("Kod markeringen", "Code the selection"),
    # the toast after a decision: what was done
    "web_done_accept": ("godtatt", "accepted"),
    "web_done_reject": ("avvist", "rejected"),
    "web_done_whole": ("kodet", "coded"),
    "web_done_span": ("markering kodet", "span coded"),
    "web_done_clear": ("angret", "undone"),
    # --- the overview ---------------------------------------------------------------------------------
    "web_split_by": ("Del etter", "Split by"),
    "web_all": ("alle", "all"),
    "web_cell_title": ("{n} av {total} som svarte; 95 % KI {ci}. Klikk for svarene.",
                       "{n} of {total} answered; 95% CI {ci}. Click for the answers."),
    "web_overview_note": ("Tall fra siste omkoding (håndbeslutninger går foran). Andel av dem som svarte, med "
                          "95 % konfidensintervall (Wilson). Klikk en celle for svarene bak den.",
                          "Counts from the last re-code (hand decisions win). Share of those who answered, with "
                          "a 95% confidence interval (Wilson). Click a cell for the answers behind it."),
    "web_not_in_report": ("Beslutningene i {file} telles ikke av fritekst report før filen står i [coding] "
                          "hand_codings i prosjektfilen; tallene her tar dem med.",
                          "fritekst report does not count the decisions in {file} until the file is listed in "
                          "[coding] hand_codings in the project file; the numbers here do."),
    "web_published_table": ("Publisert tabell", "Published table"),
    "web_reviewed_head": ("Gjennomgått: {n} av {total} svar", "Reviewed: {n} of {total} answers"),
    "web_auto_reviewed": ("automatiske kodinger gjennomgått", "automatic codings reviewed"),
    "web_decisions": ("beslutninger", "decisions"),
    # --- quotes -----------------------------------------------------------------------------------------
    "web_quotes_head": ("Sitater i rapporten", "Quotes in the report"),
    "web_quotes_file": ("Festede sitater kommer alltid med, utelatte aldri; lagret i {file}.",
                        "Pinned quotes always appear, banned ones never; saved in {file}."),
    "web_quotes_no_file": ("Prosjektet har ingen fil for sitatvalg.", "The project has no quote-choices file."),
    "web_pin": ("fest", "pin"),
    "web_unpin": ("løsne", "unpin"),
    "web_ban": ("utelat", "ban"),
    "web_unban": ("ta med igjen", "unban"),
    "web_n_banned": ("{n} utelatt", "{n} banned"),
    "web_quote_pin": ("sitat festet · {case}", "quote pinned · {case}"),
    "web_quote_ban": ("sitat utelatt · {case}", "quote banned · {case}"),
    "web_quote_clear": ("sitatvalg fjernet · {case}", "quote choice cleared · {case}"),
    # --- the loop: re-code, retrain, suggest ---------------------------------------------------------
    "web_recode_head": ("Omkod", "Re-code"),
    "web_recode_note": ("Kjører kodebøkenes regler på nytt (lest inn fra disk igjen) og legger beslutningene dine "
                        "over dem: håndbeslutninger går foran.",
                        "Reruns the codebooks' rules (re-read from disk) and merges your decisions over them: "
                        "hand decisions win."),
    "web_recode_button": ("Omkod nå", "Re-code now"),
    "web_coding": ("Koder …", "Coding…"),
    "web_recode_summary": ("{added} kodinger lagt til, {removed} fjernet.", "{added} codings added, {removed} removed."),
    "web_before": ("før", "before"),
    "web_after": ("etter", "after"),
    "web_numbers_same": ("Rapportens tall endret seg ikke.", "The report's numbers did not change."),
    "web_n_changes": ("{n} endrede kodinger", "{n} changed codings"),
    "web_retrain_head": ("Tren på nytt", "Retrain"),
    "web_retrain_note": ("Trener klassifikatoren på svarene du har gjennomgått så langt; en firedel av dem holdes "
                         "utenfor for å måle den.",
                         "Trains the classifier on the answers you have reviewed so far; a quarter of them is "
                         "held out to measure it."),
    "web_retrain_button": ("Tren", "Retrain"),
    "web_starting": ("starter", "starting"),
    "web_job_collecting": ("samler håndkodingene", "collecting hand codings"),
    "web_job_training": ("trener på {n} gjennomgåtte svar", "training on {n} reviewed answers"),
    "web_job_evaluating": ("måler på {n} gjennomgåtte svar holdt utenfor",
                           "evaluating on {n} held-out reviewed answers"),
    "web_retrained": ("Trent på {n_train} gjennomgåtte svar, målt på {n_held} holdt utenfor: mikro-F1 {f1} "
                      "(nåværende regler {current}).",
                      "Trained on {n_train} reviewed answers, measured on {n_held} held out: micro F1 {f1} "
                      "(current rules {current})."),
    "web_held_out": ("holdt utenfor", "held-out"),
    "web_precision": ("presisjon", "precision"),
    "web_recall": ("gjenfinning", "recall"),
    "web_current_f1": ("nåværende F1", "current F1"),
    "web_retrained_used": ("«Foreslå neste» bruker nå denne modellen.", "Suggest next now uses this model."),
    "web_suggest_head": ("Foreslå neste", "Suggest next"),
    "web_suggest_note": ("Svar du ikke har gjennomgått som klassifikatoren er minst sikker på, og svar ingen regel "
                         "koder.",
                         "Unreviewed answers the classifier is least sure of, and answers no rule codes."),
    "web_suggest_button": ("Foreslå", "Suggest"),
    "web_model": ("modell: {model}", "model: {model}"),
    "web_model_session": ("trent på nytt i denne økten", "retrained in this session"),
    "web_no_model": ("ingen klassifikator: bare svar uten tema", "no classifier: answers with no theme only"),
    # --- agreement ------------------------------------------------------------------------------------
    "web_coders": ("kodere: {coders}", "coders: {coders}"),
    "web_one_coder": ("bare én koder så langt: enighet krever en annen koders fil i koding/ "
                      "(fritekst serve --coder NAVN)",
                      "only one coder so far: agreement needs a second coder's file in koding/ "
                      "(fritekst serve --coder NAME)"),
    "web_agreement": ("enighet", "agreement"),
    "web_answers_head": ("Svar", "Answers"),
    "web_to_resolve": ("{n} uenigheter å løse", "{n} disagreements to resolve"),
}
