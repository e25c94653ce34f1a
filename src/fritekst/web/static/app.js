// fritekst workbench: the page's script. No framework, no external request.
// Every piece of data (answers, labels, memos, attributes) reaches the page through textContent or
// setAttribute, never through innerHTML, so markup in an answer is shown as text and never runs.
"use strict";
(() => {
  const TOKEN = document.querySelector('meta[name="fritekst-token"]').content;
  const NO_THEME = "_ingen_tema";
  const PAGE = 50;
  const state = {
    project: null, question: null, codes: [], codeById: {}, answers: [], total: 0, hits: 0,
    current: -1, selection: null, view: "grid", searchTimer: null, request: 0, progress: null,
    lang: document.documentElement.lang || "nb", texts: {},
  };
  const $ = (id) => document.getElementById(id);

  // --- small helpers -----------------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  async function api(method, url, body) {
    const options = { method, headers: { "X-Fritekst-Token": TOKEN }, credentials: "same-origin" };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(url, options);
    let data = {};
    try { data = await response.json(); } catch (_) { data = { error: response.statusText }; }
    if (!response.ok) {
      const error = new Error(data.error || response.statusText);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  let toastTimer = null;
  function toast(message, bad) {
    const box = $("toast");
    box.textContent = message;
    box.className = bad ? "toast bad" : "toast";
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { box.hidden = true; }, bad ? 6000 : 2500);
  }

  // The page's words come from the server's catalogue (fritekst.outputs.texts), in the language the
  // report speaks; fields are filled here, as Python's str.format fills plain {name} fields.
  function t(key, fields) {
    const template = state.texts[key];
    if (template === undefined) return key;
    return template.replace(/\{(\w+)\}/g, (whole, name) => (fields && name in fields ? String(fields[name]) : whole));
  }
  const plural = (key, n) => (n === 1 ? t(`${key}_one`) : t(key, { n }));
  // Numbers as the report writes them: decimal comma and "38 %" in Norwegian, "0.88" and "38%" in English.
  const num = (v, d = 2) => {
    if (v === null || v === undefined) return "–";
    const text = Number(v).toFixed(d);
    return state.lang === "nb" ? text.replace(".", ",") : text;
  };
  const pct = (v) => (v === null || v === undefined ? "–" : `${Math.round(v * 100)}${state.lang === "nb" ? " %" : "%"}`);
  // A 95 % interval as the report writes it: "29–47 %" (nb), "29–47%" (en).
  const ci = (low, high) => (low === null || low === undefined || high === null || high === undefined ? "–"
    : `${Math.round(low * 100)}–${pct(high)}`);
  const chars = (text) => Array.from(text); // Python counts code points, JavaScript UTF-16 units
  const label = (codeId) => (codeId === NO_THEME ? t("no_theme_label") : state.codeById[codeId] ? state.codeById[codeId].label : codeId);

  function colourOf(codeId) {
    const code = state.codeById[codeId];
    const colour = code && /^#[0-9a-fA-F]{6}$/.test(code.colour) ? code.colour : "#7f7f7f";
    return colour;
  }

  function digitOf(codeId) {
    const index = state.codes.findIndex((c) => c.id === codeId);
    return index >= 0 && index < 10 ? String((index + 1) % 10) : "";
  }

  function option(value, text, selected) {
    return el("option", { value, selected: selected ? true : null }, text);
  }

  // --- start -------------------------------------------------------------------------------------
  async function start() {
    state.project = await api("GET", "/api/project");
    state.texts = state.project.texts;
    state.lang = state.project.lang;
    const questions = $("f-question");
    for (const q of state.project.questions) questions.append(option(q.column, `${q.column} – ${q.label}`));
    questions.addEventListener("change", () => setQuestion(questions.value));
    buildAttributeFilters();
    for (const id of ["f-year", "f-code"]) $(id).addEventListener("change", () => loadAnswers());
    document.querySelectorAll('input[name="status"]').forEach((box) => box.addEventListener("change", () => loadAnswers()));
    $("f-search").addEventListener("input", () => {
      clearTimeout(state.searchTimer);
      state.searchTimer = setTimeout(() => loadAnswers(), 150);
    });
    // Esc (or the field's ×) clears a search field with a "search" event and no "input" event: the
    // field was empty while the grid stayed filtered by the old words.
    $("f-search").addEventListener("search", () => { clearTimeout(state.searchTimer); loadAnswers(); });
    $("f-regex").addEventListener("change", () => loadAnswers());
    $("more").addEventListener("click", () => loadAnswers(true));
    $("help-button").addEventListener("click", () => toggleHelp());
    $("help").addEventListener("click", (e) => { if (e.target === $("help")) toggleHelp(false); });
    document.querySelectorAll("#tabs button").forEach((b) => b.addEventListener("click", () => show(b.dataset.view)));
    document.addEventListener("keydown", onKey);
    // A memo typed and not saved yet (the field not left) was lost by a reload or a closed tab
    // without a word: the browser asks first.
    window.addEventListener("beforeunload", (event) => {
      if ([...document.querySelectorAll("textarea")].some((area) => area.value !== area.defaultValue)) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    document.addEventListener("mouseup", onMouseUp);
    document.addEventListener("mousedown", (e) => { if (!$("menu").contains(e.target)) hideMenu(); });
    setQuestion(state.project.questions[0].column);
  }

  function buildAttributeFilters() {
    const box = $("f-attributes");
    const years = $("f-year");
    for (const attribute of state.project.attributes) {
      if (attribute.column === state.project.year_column) {
        for (const v of attribute.values) years.append(option(v, v));
        continue;
      }
      if (!attribute.values.length) continue;
      const select = el("select", { "data-attr": attribute.column, onchange: () => loadAnswers() },
        option("", t("web_any")), attribute.values.map((v) => option(v, v)));
      box.append(el("label", {}, attribute.label, " ", select));
    }
    if (!state.project.year_column) $("f-year-label").hidden = true;
  }

  function setQuestion(column) {
    state.question = state.project.questions.find((q) => q.column === column);
    $("f-question").value = column;
    state.codes = state.project.codebooks[state.question.codebook].codes;
    state.codeById = {};
    for (const book of Object.values(state.project.codebooks)) for (const c of book.codes) state.codeById[c.id] = c;
    const codes = $("f-code");
    codes.replaceChildren(option("", t("web_any_code")),
      ...state.codes.map((c, i) => option(c.id, `${i < 10 ? (i + 1) % 10 + " · " : ""}${c.label}`)),
      option(NO_THEME, t("no_theme_label")));
    codes.onchange = () => { loadAnswers(); showCodeMemo(); };
    showCodeMemo();
    loadAnswers();
    refreshProgress();
  }

  // --- the grid ------------------------------------------------------------------------------------
  function filterParams() {
    const params = new URLSearchParams({ question: state.question.column });
    if ($("f-year").value) params.set("year", $("f-year").value);
    if ($("f-code").value) params.set("code", $("f-code").value);
    document.querySelectorAll("#f-attributes select").forEach((s) => { if (s.value) params.set(`attr.${s.dataset.attr}`, s.value); });
    const statuses = [...document.querySelectorAll('input[name="status"]:checked')].map((b) => b.value);
    if (statuses.length) params.set("status", statuses.join(","));
    const search = $("f-search").value;
    if (search.trim()) params.set("q", search);
    if ($("f-regex").checked) params.set("regex", "1");
    if (state.caseFilter) params.set("case_id", state.caseFilter);
    return params;
  }

  async function loadAnswers(more) {
    const params = filterParams();
    params.set("offset", more ? state.answers.length : 0);
    params.set("limit", PAGE);
    const ticket = ++state.request;
    let data;
    try {
      data = await api("GET", `/api/answers?${params}`);
    } catch (error) {
      $("f-count").textContent = error.message;
      $("f-count").className = "count bad";
      return;
    }
    if (ticket !== state.request) return; // a newer request (the user kept typing) wins
    state.total = data.total;
    state.hits = data.n_hits;
    state.answers = more ? state.answers.concat(data.answers) : data.answers;
    if (!more) state.current = state.answers.length ? 0 : -1;
    renderGrid();
  }

  function renderGrid() {
    const searching = $("f-search").value.trim() !== "";
    const count = plural("web_n_answers", state.total) +
      (searching ? ` · ${plural("web_n_hits", state.hits)}` : "") +
      (state.caseFilter ? ` · ${t("web_case_only", { case: state.caseFilter })}` : "");
    $("f-count").className = "count";
    $("f-count").replaceChildren(count, state.caseFilter ? el("button", { type: "button", class: "link",
      onclick: () => { state.caseFilter = null; loadAnswers(); } }, t("web_show_all")) : "");
    // An empty grid said nothing but "0 answers" in the sidebar: say why, in the grid itself.
    $("grid").replaceChildren(...(state.answers.length ? state.answers.map((a, i) => renderAnswer(a, i))
      : [el("li", { class: "none" }, t("web_none_match"))]));
    $("more").hidden = state.answers.length >= state.total;
    renderKwic(searching);
    markCurrent(false);
  }

  function renderKwic(searching) {
    const box = $("kwic");
    if (!searching || !state.hits) { box.hidden = true; return; }
    const lines = [];
    for (const [i, a] of state.answers.entries()) {
      const text = chars(a.text);
      for (const [s, e] of a.hits) {
        if (lines.length >= 200) break;
        lines.push(el("tr", { onclick: () => { state.current = i; markCurrent(true); } },
          el("td", { class: "left" }, text.slice(Math.max(0, s - 45), s).join("")),
          el("td", { class: "kw" }, text.slice(s, e).join("")),
          el("td", { class: "right" }, text.slice(e, e + 45).join("")),
          el("td", { class: "case" }, a.case_id)));
      }
    }
    box.replaceChildren(el("table", {}, el("tbody", {}, lines)));
    box.hidden = false;
  }

  function segments(a) {
    const text = chars(a.text);
    const cuts = new Set([0, text.length]);
    for (const s of a.spans) { cuts.add(s.start); cuts.add(s.end); }
    for (const [s, e] of a.hits || []) { cuts.add(s); cuts.add(e); }
    const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((x, y) => x - y);
    const parts = [];
    for (let k = 0; k < points.length - 1; k++) {
      const [from, to] = [points[k], points[k + 1]];
      const codes = [...new Set(a.spans.filter((s) => s.start <= from && s.end >= to).map((s) => s.code_id))];
      const hit = (a.hits || []).some(([s, e]) => s <= from && e >= to);
      const part = el("span", { class: [codes.length ? "hl" : "", codes.length > 1 ? "multi" : "", hit ? "hit" : ""].join(" ").trim() || null,
        title: codes.length ? codes.map(label).join(" + ") : null }, text.slice(from, to).join(""));
      if (codes.length) part.style.backgroundColor = colourOf(codes[0]) + "38"; // CSSOM: allowed by the CSP
      if (codes.length) part.style.borderBottomColor = colourOf(codes[codes.length - 1]);
      parts.push(part);
    }
    return parts;
  }

  function renderChip(a, i, chip) {
    const actions = [];
    const button = (action, text, title) => el("button", { type: "button", class: `act ${action}`, "data-action": action,
      "data-code": chip.code_id, title, "aria-label": `${title}: ${label(chip.code_id)}`,
      onclick: (e) => { e.stopPropagation(); decide(i, chip.code_id, action); } }, text);
    if (chip.state === "auto" || chip.state === "rejected") actions.push(button("accept", "✓", t("web_accept")));
    if (chip.state === "auto" || chip.state === "accepted" || chip.state === "added") actions.push(button("reject", "✗", t(chip.state === "auto" ? "web_reject" : "web_remove")));
    if (chip.state === "other") actions.push(button("whole", "+", t("web_code_whole")));
    if (chip.version) actions.push(button("clear", "↺", t("web_undo")));
    const others = Object.entries(chip.others || {}).map(([coder, d]) => `${coder}: ${d}`).join(", ");
    const node = el("span", { class: `chip ${chip.state}`, "data-code": chip.code_id, "data-state": chip.state,
      title: `${t(`web_state_${chip.state}`)}${chip.score !== null && chip.score < 1 ? ` · p=${num(chip.score)}` : ""}${others ? ` · ${others}` : ""}${chip.note ? ` · ${t("web_note", { note: chip.note })}` : ""}` },
      el("span", { class: "dot" }), digitOf(chip.code_id) ? el("kbd", {}, digitOf(chip.code_id)) : null,
      el("span", { class: "name" }, label(chip.code_id)), chip.score !== null && chip.score < 1 ? el("small", {}, num(chip.score)) : null, actions);
    node.querySelector(".dot").style.backgroundColor = colourOf(chip.code_id);
    return node;
  }

  function renderAnswer(a, i) {
    const attrs = a.attributes;
    const shown = [];
    if (state.project.year_column && attrs[state.project.year_column]) shown.push(attrs[state.project.year_column]);
    for (const column of [...state.project.group_by, ...state.question.closed]) {
      if (attrs[column]) shown.push(attrs[column]);
    }
    const add = el("select", { class: "add", "aria-label": t("web_code_whole"),
      onchange: (e) => { if (e.target.value) decide(i, e.target.value, "whole"); } },
      option("", t("web_code_whole_menu")), state.codes.map((c) => option(c.id, c.label)));
    const memo = el("textarea", { rows: 2, placeholder: t("web_memo_placeholder"), "aria-label": t("web_memo_placeholder") },
      a.memo ? a.memo.memo : "");
    const save = el("button", { type: "button", class: "save-memo", onclick: () => saveAnswerMemo(i, memo.value) }, t("web_memo_save"));
    memo.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) saveAnswerMemo(i, memo.value); });
    // Leaving the field saves it too (moving to another answer, a filter, Esc): a memo typed and not
    // saved by the button was lost when the grid was drawn again.
    memo.addEventListener("change", () => { if (memo.value !== (a.memo ? a.memo.memo : "")) saveAnswerMemo(i, memo.value); });
    const details = el("details", { class: "memo", open: a.memo ? true : null },
      el("summary", {}, t(a.memo ? "web_memo_written" : "web_memo")), memo, save);
    return el("li", { class: "answer", "data-i": i, "data-case": a.case_id, onclick: () => { state.current = i; markCurrent(false); } },
      el("div", { class: "meta" }, el("strong", {}, a.case_id), shown.map((v) => el("span", {}, v))),
      el("div", { class: "text", "data-i": i }, segments(a)),
      el("div", { class: "chips" }, a.chips.map((chip) => renderChip(a, i, chip)), add),
      details);
  }

  // Answers are found again by case and question, not by their place: a save that returns after the
  // grid was drawn anew (a filter changed meanwhile) wrote its answer over whatever row held its place.
  const indexOf = (answer) => state.answers.findIndex((x) => x.case_id === answer.case_id && x.question === answer.question);

  function replaceAnswer(answer) {
    const i = indexOf(answer);
    if (i < 0) return -1; // no longer in the grid: nothing to draw
    answer.hits = state.answers[i].hits;
    state.answers[i] = answer;
    const old = document.querySelector(`#grid li[data-i="${i}"]`);
    if (old) old.replaceWith(renderAnswer(answer, i));
    markCurrent(false);
    return i;
  }

  function markCurrent(scroll) {
    document.querySelectorAll("#grid li.current").forEach((li) => li.classList.remove("current"));
    const li = document.querySelector(`#grid li[data-i="${state.current}"]`);
    if (!li) return;
    li.classList.add("current");
    if (scroll) li.scrollIntoView({ block: "nearest" });
  }

  // --- decisions and memos -------------------------------------------------------------------------
  async function decide(i, codeId, action, extra) {
    const a = state.answers[i];
    const chip = a.chips.find((c) => c.code_id === codeId);
    const body = Object.assign({ case_id: a.case_id, question: a.question, code_id: codeId, action,
      expected: chip ? chip.version : "" }, extra || {});
    try {
      const result = await api("POST", "/api/decisions", body);
      replaceAnswer(result.answer);
      toast(`${label(codeId)}: ${t(`web_done_${action}`)} · ${a.case_id}`);
      refreshProgress();
    } catch (error) {
      toast(error.message, true);
      if (error.status === 409) reloadAnswer(a);
    }
  }

  async function reloadAnswer(a) {
    const params = new URLSearchParams({ question: a.question, case_id: a.case_id });
    try {
      const data = await api("GET", `/api/answers?${params}`);
      return data.answers.length && replaceAnswer(data.answers[0]) >= 0 ? data.answers[0] : null;
    } catch (error) { toast(error.message, true); return null; }
  }

  // Leaving the memo field and pressing Save both save it: one save at a time per answer, and the
  // second, finding the same text saved already from the same version, does nothing (it was refused
  // as "changed elsewhere"). Each save names the version the text was typed against, so a text typed
  // against an older memo is refused, never written over a newer one.
  const memoSaves = {};
  const memosDone = {};
  const memoKey = (a) => `${a.case_id}\u0000${a.question}`;

  function saveAnswerMemo(i, text) {
    const a = state.answers[i];
    const key = memoKey(a);
    const run = (memoSaves[key] || Promise.resolve()).then(() => saveMemoNow(a, text));
    memoSaves[key] = run.catch(() => {});
    return run;
  }

  async function saveMemoNow(a, text) {
    const memo = a.memo;
    const base = memo ? memo.version : "";
    const done = memosDone[memoKey(a)];
    if (text === (memo ? memo.memo : "") || (done && done.base === base && done.text === text)) return;
    try {
      const result = await api("POST", "/api/memos", { kind: "answer", case_id: a.case_id, question: a.question,
        memo: text, expected: base });
      const saved = result.memo ? { memo: result.memo.memo, version: result.memo.updated_at } : null;
      memosDone[memoKey(a)] = { base, text };
      const now = indexOf(a);
      if (now >= 0) replaceAnswer(Object.assign({}, state.answers[now], { memo: saved }));
      toast(t("web_memo_saved", { case: a.case_id }));
    } catch (error) {
      toast(error.message, true);
      if (error.status !== 409) return;
      // Another tab saved this memo first. Its text is shown with the typed text below it, unsaved,
      // so neither is lost and the researcher decides what to keep (before, the typed text was gone).
      const fresh = await reloadAnswer(a);
      if (!fresh) return;
      const saved = fresh.memo ? fresh.memo.memo : "";
      const li = document.querySelector(`#grid li[data-i="${indexOf(fresh)}"]`);
      if (!li || saved === text) return;
      li.querySelector("details.memo").open = true;
      li.querySelector("textarea").value = saved ? `${saved}\n${text}` : text;
    }
  }

  async function showCodeMemo() {
    const box = $("code-memo");
    const codeId = $("f-code").value;
    if (!codeId || codeId === NO_THEME) { box.replaceChildren(); return; }
    const memos = (await api("GET", "/api/memos")).memos;
    const found = memos.find((m) => m.kind === "code" && m.code_id === codeId);
    const area = el("textarea", { rows: 3, "aria-label": t("web_code_memo_of", { label: label(codeId) }) }, found ? found.memo : "");
    const code = state.codeById[codeId];
    const save = async () => {
      if (area.value === (found ? found.memo : "")) return;
      try {
        await api("POST", "/api/memos", { kind: "code", code_id: codeId, memo: area.value, expected: found ? found.updated_at : "" });
        toast(t("web_code_memo_saved"));
        showCodeMemo();
      } catch (error) { toast(error.message, true); }
    };
    area.addEventListener("change", save);  // leaving the field saves it, as the button does
    box.replaceChildren(el("h3", {}, t("web_code_heading", { label: code.label })), code.description ? el("p", { class: "small" }, code.description) : "",
      area, el("button", { type: "button", onclick: save }, t("web_code_memo_save")));
  }

  // --- selecting text to code a span ---------------------------------------------------------------
  function selectionIn() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    const range = selection.getRangeAt(0);
    const box = range.commonAncestorContainer.nodeType === 1 ? range.commonAncestorContainer : range.commonAncestorContainer.parentElement;
    const text = box && box.closest(".text");
    if (!text) return null;
    const before = document.createRange();
    before.selectNodeContents(text);
    before.setEnd(range.startContainer, range.startOffset);
    const picked = range.toString();
    let start = chars(before.toString()).length;
    let end = start + chars(picked).length;
    const whole = chars(text.textContent);
    while (start < end && /\s/.test(whole[start])) start++;
    while (end > start && /\s/.test(whole[end - 1])) end--;
    if (end <= start) return null;
    return { i: Number(text.dataset.i), start, end };
  }

  function onMouseUp(event) {
    if ($("menu").contains(event.target)) return;
    const picked = selectionIn();
    state.selection = picked;
    if (!picked) { hideMenu(); return; }
    state.current = picked.i;
    markCurrent(false);
    const menu = $("menu");
    menu.replaceChildren(el("div", { class: "menu-title" }, t("web_code_selection")),
      ...state.codes.map((c) => {
        const item = el("button", { type: "button", role: "menuitem", "data-code": c.id,
          onclick: () => codeSelection(c.id) }, el("kbd", { class: digitOf(c.id) ? null : "blank" }, digitOf(c.id) || "·"), el("span", { class: "dot" }), c.label);
        item.querySelector(".dot").style.backgroundColor = colourOf(c.id);
        return item;
      }));
    menu.hidden = false;
    const x = Math.min(event.clientX, window.innerWidth - 300);
    const y = Math.min(event.clientY + 12, window.innerHeight - menu.offsetHeight - 8);
    menu.style.left = `${Math.max(8, x)}px`;
    menu.style.top = `${Math.max(8, y)}px`;
  }

  function hideMenu() { $("menu").hidden = true; }

  function codeSelection(codeId) {
    const picked = state.selection || selectionIn();
    hideMenu();
    if (!picked) return;
    state.selection = null;
    window.getSelection().removeAllRanges();
    decide(picked.i, codeId, "span", { start: picked.start, end: picked.end });
  }

  // --- keyboard ------------------------------------------------------------------------------------
  function toggleHelp(open) {
    const help = $("help");
    help.hidden = open === undefined ? !help.hidden : !open;
  }

  function onKey(event) {
    const typing = event.target.closest && event.target.closest("input, textarea, select");
    if (event.key === "Escape") {
      toggleHelp(false); hideMenu();
      if (typing) event.target.blur();
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "?") { toggleHelp(); event.preventDefault(); return; }
    if (state.view !== "grid") return;
    const digit = /^Digit([0-9])$/.exec(event.code || "");
    if (event.key === "j" || event.key === "k") {
      if (!state.answers.length) return;
      if (event.key === "j" && state.current === state.answers.length - 1 && state.answers.length < state.total) {
        // past the last loaded answer: load the next ones, as "Show more" does, and move on to them
        loadAnswers(true).then(() => { state.current = Math.min(state.answers.length - 1, state.current + 1); markCurrent(true); });
        return;
      }
      state.current = Math.max(0, Math.min(state.answers.length - 1, state.current + (event.key === "j" ? 1 : -1)));
      markCurrent(true);
    } else if (event.key === "/" && !(digit && event.shiftKey)) {
      // On a Norwegian keyboard "/" is Shift+7, which rejects code 7; the keypad's / still searches.
      $("f-search").focus(); event.preventDefault();
    } else if (event.key === "m" && state.current >= 0) {
      const li = document.querySelector(`#grid li[data-i="${state.current}"]`);
      li.querySelector("details").open = true;
      li.querySelector("textarea").focus();
      event.preventDefault();
    } else if (event.key === "a" && state.current >= 0) {
      acceptAll(state.current);
    } else if (digit) {
      const n = Number(digit[1]);
      const code = state.codes[n === 0 ? 9 : n - 1];
      if (!code) return;
      event.preventDefault();
      const picked = selectionIn() || state.selection;
      if (picked && !event.shiftKey) { codeSelection(code.id); return; }
      if (state.current < 0) return;
      const chip = state.answers[state.current].chips.find((c) => c.code_id === code.id);
      if (event.shiftKey) decide(state.current, code.id, "reject");
      else decide(state.current, code.id, chip && (chip.state === "auto" || chip.state === "rejected") ? "accept" : "whole");
    }
  }

  async function acceptAll(i) {
    for (const chip of state.answers[i].chips.filter((c) => c.state === "auto")) {
      await decide(i, chip.code_id, "accept"); // eslint-disable-line no-await-in-loop
    }
  }

  async function refreshProgress() {
    try {
      const data = await api("GET", "/api/progress");
      state.progress = data.questions;
      const q = data.questions.find((x) => x.question === state.question.column);
      $("progress").textContent = t("web_reviewed", { n: q.reviewed, total: q.answers });
    } catch (error) { $("progress").textContent = error.message; }
  }

  // --- views ---------------------------------------------------------------------------------------
  function show(view) {
    state.view = view;
    document.querySelectorAll("#tabs button").forEach((b) => b.classList.toggle("on", b.dataset.view === view));
    document.querySelectorAll("main > .view").forEach((s) => { s.hidden = s.id !== `view-${view}`; });
    hideMenu();
    if (view === "overview") renderOverview();
    if (view === "loop") renderLoop();
    if (view === "agreement") renderAgreement();
  }

  function openGrid(filters) {
    document.querySelectorAll("#f-attributes select").forEach((s) => { s.value = filters.attr && filters.attr[s.dataset.attr] || ""; });
    document.querySelectorAll('input[name="status"]').forEach((b) => { b.checked = (filters.status || []).includes(b.value); });
    $("f-search").value = "";
    state.caseFilter = filters.case_id || null;
    if (filters.question && filters.question !== state.question.column) {
      state.question = state.project.questions.find((q) => q.column === filters.question);
      setQuestion(filters.question);
    }
    $("f-year").value = filters.year || "";
    $("f-code").value = filters.code || "";
    show("grid");
    loadAnswers();
    showCodeMemo();
  }

  function questionSelect(onchange) {
    return el("select", { onchange: (e) => onchange(e.target.value) },
      state.project.questions.map((q) => option(q.column, `${q.column} – ${q.label}`, q.column === state.question.column)));
  }

  async function renderOverview(by, year) {
    const box = $("view-overview");
    const params = new URLSearchParams({ question: state.question.column });
    if (by) params.set("by", by);
    if (year) params.set("year", year);
    let data;
    try { data = await api("GET", `/api/overview?${params}`); } catch (error) { box.replaceChildren(el("p", { class: "bad" }, error.message)); return; }
    const bySelect = el("select", { onchange: (e) => renderOverview(e.target.value, data.year) },
      data.groupings.map((g) => option(g, g === "alle" ? t("whole_sample") : (data.grouping_labels[g] || g), g === data.by)));
    const yearSelect = el("select", { onchange: (e) => renderOverview(data.by, e.target.value) },
      data.years.map((y) => option(y, y === "alle" ? t("all_years") : y, y === data.year)));
    const head = el("tr", {}, el("th", {}, t("code")), data.groups.map((g) => el("th", {}, g === "alle" ? t("web_all") : g)));
    const rows = data.rows.map((row) => el("tr", {}, el("th", { class: "code" }, row.label),
      data.groups.map((g) => {
        const cell = row.cells[g];
        if (!cell) return el("td", {}, "");
        const filters = { question: data.question, code: row.code_id === data.no_theme ? "" : row.code_id,
          status: row.code_id === data.no_theme ? ["uncoded"] : [], year: data.year === "alle" ? "" : data.year,
          attr: data.by === "alle" ? {} : { [data.by]: g } };
        return el("td", { class: "cell", title: t("web_cell_title", { n: cell.n_coded, total: cell.n_answered, ci: ci(cell.ci_low, cell.ci_high) }),
          onclick: () => openGrid(filters) }, el("b", {}, cell.n_coded), ` ${pct(cell.pct)}`,
          el("small", {}, ci(cell.ci_low, cell.ci_high)));
      })));
    const published = data.published.length ? el("div", { class: "published" }, el("h3", {}, t("web_published_table")),
      el("table", {}, el("tr", {}, [t("year"), t("xlsx_answer"), t("published"), t("source"), ""].map((h) => el("th", {}, h))),
        data.published.map((r) => el("tr", { class: r.match ? "" : "mismatch" }, el("td", {}, r.year), el("td", {}, r.svar),
          el("td", {}, r.published_n), el("td", {}, r.corpus_n), el("td", {}, r.match ? "✓" : "≠"))))) : "";
    const progress = state.progress ? state.progress.find((q) => q.question === data.question) : null;
    const progressTable = progress ? el("div", { class: "progress-table" }, el("h3", {}, t("web_reviewed_head", { n: progress.reviewed, total: progress.answers })),
      el("table", {}, el("tr", {}, el("th", {}, t("code")), el("th", {}, t("web_auto_reviewed")), el("th", {}, t("web_decisions"))),
        progress.codes.map((c) => el("tr", {}, el("td", {}, label(c.code_id)), el("td", {}, t("answered_of", { n: c.reviewed, total: c.automatic })), el("td", {}, c.decided))))) : "";
    box.replaceChildren(el("div", { class: "controls" }, el("label", {}, `${t("question")} `, questionSelect((q) => { setQuestion(q); renderOverview(); })),
      el("label", {}, `${t("web_split_by")} `, bySelect), el("label", {}, `${t("year")} `, yearSelect)),
      el("p", { class: "small" }, t("web_overview_note")),
      state.project.hand_file_in_report ? "" : el("p", { class: "small warn", id: "not-in-report" },
        t("web_not_in_report", { file: state.project.hand_file_shown })),
      el("div", { class: "overview" }, el("table", { class: "freq" }, head, rows), el("div", {}, published, progressTable)),
      el("div", { id: "quotes", class: "quotes" }));
    renderQuotes(data.question);
  }

  async function renderQuotes(question, changed) {
    const box = $("quotes");
    if (!box) return;
    let data = changed;
    if (!data) {
      try { data = await api("GET", `/api/quotes?question=${encodeURIComponent(question)}`); } catch (error) { box.replaceChildren(el("p", { class: "bad" }, error.message)); return; }
    }
    const choose = async (q, choice) => {
      try {
        renderQuotes(question, await api("POST", "/api/quotes", { question, code_id: q.code_id, case_id: q.case_id, choice }));
        toast(t(`web_quote_${choice}`, { case: q.case_id }));
      } catch (error) { toast(error.message, true); }
    };
    const item = (q) => el("li", { class: q.choice || null, "data-case": q.case_id, "data-code": q.code_id },
      el("span", { class: "quote-text" }, `«${q.quote}»`), " ", el("small", {}, `${q.case_id} · ${q.year}`), " ",
      q.choice === "pin" ? el("button", { type: "button", class: "link", onclick: () => choose(q, "clear") }, t("web_unpin"))
        : el("button", { type: "button", class: "link", "data-action": "pin", onclick: () => choose(q, "pin") }, t("web_pin")), " ",
      el("button", { type: "button", class: "link", "data-action": "ban", onclick: () => choose(q, "ban") }, t("web_ban")));
    const byCode = {};
    for (const q of data.quotes) (byCode[q.code_id] = byCode[q.code_id] || []).push(q);
    box.replaceChildren(el("h3", {}, t("web_quotes_head")),
      el("p", { class: "small" }, data.file ? t("web_quotes_file", { file: data.file }) : t("web_quotes_no_file")),
      ...Object.entries(byCode).map(([code, quotes]) => el("div", { class: "quote-code" }, el("h4", {}, label(code)), el("ul", {}, quotes.map(item)))),
      data.banned.length ? el("details", {}, el("summary", {}, t("web_n_banned", { n: data.banned.length })), el("ul", {}, data.banned.map((b) =>
        el("li", {}, `${label(b.code_id)} · ${b.case_id} `, el("button", { type: "button", class: "link", onclick: () => choose(b, "clear") }, t("web_unban")))))) : "");
  }

  function renderLoop() {
    const box = $("view-loop");
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    const books = Object.keys(state.project.codebooks);
    const bookSelect = () => el("select", {}, books.map((b) => option(b, b, b === state.question.codebook)));
    const retrainBook = bookSelect();
    const suggestBook = bookSelect();
    box.append(
      el("div", { class: "card" }, el("h2", {}, t("web_recode_head")),
        el("p", { class: "small" }, t("web_recode_note")),
        el("button", { type: "button", id: "recode", onclick: recode }, t("web_recode_button")), el("div", { id: "recode-result" })),
      el("div", { class: "card" }, el("h2", {}, t("web_retrain_head")),
        el("p", { class: "small" }, t("web_retrain_note")),
        retrainBook, " ", el("button", { type: "button", id: "retrain", onclick: () => retrain(retrainBook.value) }, t("web_retrain_button")),
        el("div", { id: "retrain-result" })),
      el("div", { class: "card" }, el("h2", {}, t("web_suggest_head")),
        el("p", { class: "small" }, t("web_suggest_note")),
        suggestBook, " ", el("button", { type: "button", id: "suggest", onclick: () => suggestNext(suggestBook.value) }, t("web_suggest_button")),
        el("div", { id: "suggest-result" })));
  }

  async function recode() {
    const out = $("recode-result");
    $("recode").disabled = true;
    out.replaceChildren(el("p", {}, t("web_coding")));
    try {
      const data = await api("POST", "/api/recode");
      const changed = data.numbers.filter((n) => n.changed);
      out.replaceChildren(el("p", { class: "summary" }, t("web_recode_summary", { added: data.added, removed: data.removed })),
        changed.length ? el("table", { class: "numbers" }, el("tr", {}, [t("question"), t("code"), t("web_before"), t("web_after"), t("share")].map((h) => el("th", {}, h))),
          changed.map((n) => el("tr", { "data-code": n.code_id, "data-question": n.question }, el("td", {}, n.question), el("td", { class: "left" }, label(n.code_id)),
            el("td", { class: "before" }, n.before), el("td", { class: "after" }, n.after), el("td", {}, `${pct(n.pct_before)} → ${pct(n.pct_after)}`))))
          : el("p", {}, t("web_numbers_same")),
        data.changes.length ? el("details", {}, el("summary", {}, t("web_n_changes", { n: data.changes.length })),
          el("ul", {}, data.changes.slice(0, 200).map((c) => el("li", {}, el("button", { type: "button", class: "link",
            onclick: () => openGrid({ question: c.question, case_id: c.case_id }) }, `${c.change === "added" ? "+" : "−"} ${label(c.code_id)} · ${c.case_id} · ${c.question}`))))) : "");
      refreshProgress();
    } catch (error) { out.replaceChildren(el("p", { class: "bad" }, error.message)); }
    $("recode").disabled = false;
  }

  async function retrain(book) {
    const out = $("retrain-result");
    let job;
    try { job = await api("POST", "/api/retrain", { codebook: book }); } catch (error) { out.replaceChildren(el("p", { class: "bad" }, error.message)); return; }
    const bar = el("progress", { max: 1, value: 0 });
    const note = el("span", {}, t("web_starting"));
    out.replaceChildren(bar, " ", note);
    while (job.state === "running") {
      await new Promise((r) => setTimeout(r, 500)); // eslint-disable-line no-await-in-loop
      job = await api("GET", `/api/jobs/${job.id}`); // eslint-disable-line no-await-in-loop
      bar.value = job.progress;
      note.textContent = job.message;
    }
    if (job.state === "failed") { out.replaceChildren(el("p", { class: "bad" }, job.error)); return; }
    const r = job.result;
    out.replaceChildren(el("p", {}, t("web_retrained", { n_train: r.n_train, n_held: r.n_held_out, f1: num(r.micro.f1), current: num(r.current_micro.f1) })),
      el("table", { class: "numbers" }, el("tr", {}, [t("code"), t("web_held_out"), t("web_precision"), t("web_recall"), "F1", t("web_current_f1")].map((h) => el("th", {}, h))),
        r.per_code.map((c) => el("tr", {}, el("td", {}, label(c.code_id)), el("td", {}, c.n_gold), el("td", {}, num(c.precision)),
          el("td", {}, num(c.recall)), el("td", {}, num(c.f1)), el("td", {}, num(c.current_f1))))),
      el("p", { class: "small" }, t("web_retrained_used")));
  }

  async function suggestNext(book) {
    const out = $("suggest-result");
    try {
      const data = await api("GET", `/api/suggest?codebook=${encodeURIComponent(book)}&n=10`);
      const reasons = { uncertain: t("suggest_uncertain"), "no theme": t("suggest_no_theme") };
      out.replaceChildren(el("p", { class: "small" }, data.model ? t("web_model", { model: data.model }) : t("web_no_model")),
        el("ol", { class: "suggestions" }, data.suggestions.map((s) => el("li", {}, el("button", { type: "button", class: "link",
          onclick: () => openGrid({ question: s.question, case_id: s.case_id }) }, `${s.case_id} · ${s.question}`),
          ` ${reasons[s.reason] || s.reason}${s.code_id ? ` ${label(s.code_id)} p=${num(s.score)}` : ""} – `, el("span", { class: "quote" }, s.text)))));
    } catch (error) { out.replaceChildren(el("p", { class: "bad" }, error.message)); }
  }

  async function renderAgreement(book) {
    const box = $("view-agreement");
    book = book || state.question.codebook;
    let data;
    try { data = await api("GET", `/api/agreement?codebook=${encodeURIComponent(book)}`); } catch (error) { box.replaceChildren(el("p", { class: "bad" }, error.message)); return; }
    const select = el("select", { onchange: (e) => renderAgreement(e.target.value) },
      Object.keys(state.project.codebooks).map((b) => option(b, b, b === book)));
    const parts = [el("div", { class: "controls" }, el("label", {}, `${t("codebook")} `, select), el("span", {}, t("web_coders", { coders: data.coders.join(", ") })))];
    if (data.message) parts.push(el("p", {}, data.message));
    if (data.per_code.length) {
      parts.push(el("table", { class: "numbers" }, el("tr", {}, [t("code"), t("web_answers_head"), t("web_agreement"), "κ", "α"].map((h) => el("th", {}, h))),
        data.per_code.map((r) => el("tr", {}, el("td", {}, label(r.code_id)), el("td", {}, r.n_answers),
          el("td", {}, r.percent_agreement === null ? "–" : `${num(r.percent_agreement, 0)}${state.lang === "nb" ? " %" : "%"}`), el("td", {}, num(r.kappa)), el("td", {}, num(r.alpha))))));
      parts.push(el("h3", {}, t("web_to_resolve", { n: data.disagreements.length })),
        el("table", { class: "numbers" }, el("tr", {}, [t("respondent"), t("code"), ...data.coders, t("xlsx_answer")].map((h) => el("th", {}, h))),
          data.disagreements.map((d) => el("tr", { class: "clickable", onclick: () => openGrid({ question: d.question, case_id: d.case_id }) },
            el("td", {}, d.case_id), el("td", {}, label(d.code_id)), data.coders.map((c) => el("td", {}, d[c] || "–")),
            el("td", { class: "quote" }, d.text)))));
    }
    box.replaceChildren(...parts);
  }

  start().catch((error) => toast(error.message, true));
})();
