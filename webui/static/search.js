// search.js: full-text search of a project's documents, keyword in
// context, and auto-coding: the hits (anywhere, or whole words only)
// previewed as what would be coded — the match, its sentence or its
// paragraph — any of them unticked, the rest coded with one code in my
// layer at once, with an undo.

import { api, projectPath } from "./api.js";
import { project } from "./state.js";
import { openPicker, rememberCodes } from "./picker.js";
import { h, clear, plural, toast, clipWords } from "./ui.js";
import { viewHeader, readerHref, codeChip } from "./views.js";
import { memoHitList } from "./memos.js";

export async function mount(root, { pid }) {
  await project.open(pid);
  const page = h("section", { class: "page search-page", "aria-label": "Search and auto-code" });
  root.append(page);
  const params = new URLSearchParams(location.search);
  const input = h("input", { type: "search", id: "search-q", placeholder: "Words to find, e.g. boundaries  ( / )", "aria-label": "Search the documents", "data-filter": "", value: params.get("q") || "" });
  const words = h("input", { type: "checkbox", id: "search-words", checked: params.get("match") === "words" });
  const scope = h("select", { id: "search-scope", "aria-label": "What a coded hit covers" },
    SCOPES.map(([v, text]) => h("option", { value: v, text })));
  scope.value = SCOPES.some(([v]) => v === params.get("scope")) ? params.get("scope") : "match";
  const form = h("form", { class: "toolbar search-form", role: "search" }, input, h("button", { type: "submit", class: "primary", text: "Search" }));
  const options = h("div", { class: "row search-options" },
    h("label", { class: "check", title: "“stigma” then does not find “stigmatization”; several words (or words in quotes) are a phrase" }, words, " Whole words only"),
    h("label", {}, "Code ", scope));
  const summary = h("p", { class: "muted", role: "status", "aria-live": "polite" });
  const tickAll = h("button", { id: "hits-tick-all", class: "small", hidden: true });
  const codeAll = h("button", { id: "autocode", class: "primary", text: "Code all hits with…", hidden: true, title: "Code every ticked hit with one code, in your layer" });
  const work = h("div", { class: "autocode-status", role: "status", "aria-live": "polite" });
  const list = h("ol", { class: "hits", "aria-label": "Hits" });
  const memoHits = h("section", { class: "memo-hits", "aria-label": "Memos that hold the words", hidden: true });
  page.append(viewHeader("Search and auto-code", "search"), form, options, h("div", { class: "row" }, summary, tickAll, codeAll), work, memoHits, list);

  let hits = [];
  let query = "";
  let asked = { match: "text", scope: "match" }; // what the hits shown were searched with
  const ticked = () => [...list.querySelectorAll(".hit-tick")].filter((b) => b.checked).length;
  const updateCount = () => {
    const n = ticked();
    codeAll.textContent = n === hits.length && n > 1 ? `Code all ${plural(n, "hit")} with…` : `Code ${plural(n, "hit")} with…`;
    codeAll.disabled = n === 0;
    tickAll.textContent = n === hits.length ? "Untick all" : "Tick all";
  };
  const run = async () => {
    query = input.value.trim();
    asked = { match: words.checked ? "words" : "text", scope: scope.value };
    const url = new URL(location.href);
    for (const [k, v] of [["q", query], ["match", asked.match === "words" ? "words" : ""], ["scope", asked.scope === "match" ? "" : asked.scope]]) {
      if (v) url.searchParams.set(k, v);
      else url.searchParams.delete(k);
    }
    window.history.replaceState(null, "", url.pathname + url.search);
    clear(list);
    memoHits.hidden = true;
    codeAll.hidden = tickAll.hidden = true;
    if (!query) {
      summary.textContent = "Type words to find in every document of the project.";
      return;
    }
    summary.textContent = "Searching…";
    const r = await api("GET", projectPath(pid, "search") + "?" + new URLSearchParams({ q: query, context: String(CONTEXT + 10), ...asked }));
    hits = r.hits;
    const docs = new Set(hits.map((x) => x.document)).size;
    const unit = UNIT[asked.scope];
    summary.textContent = hits.length
      ? `${plural(hits.length, unit)} in ${plural(docs, "document")}${r.truncated ? " (only the first ones: narrow the search to see all)" : ""}.` +
        (project.canCode && !r.truncated ? " Untick any you do not want to code." : "")
      : `No document contains “${query}”${asked.match === "words" ? " as a whole word" : ""}.`;
    const memoCount = (r.memos || []).length;
    if (!hits.length && memoCount) summary.textContent = `No document contains “${query}”${asked.match === "words" ? " as a whole word" : ""}, but ${memoCount === 1 ? "a memo does" : plural(memoCount, "memo") + " do"}.`;
    memoHitList(memoHits, r.memos || []);
    codeAll.hidden = tickAll.hidden = !hits.length || !project.canCode || r.truncated;
    hits.forEach((x, i) => list.append(hitItem(x, i)));
    updateCount();
  };
  const hitItem = (x, i) => {
    const tick = project.canCode ? h("input", { type: "checkbox", class: "hit-tick", checked: true, "aria-label": `Code hit ${i + 1}: ${clipWords(x.before, 30, true)}${x.match}${clipWords(x.after, 30)}` }) : null;
    if (tick) tick.addEventListener("change", updateCount);
    // The server cuts context anywhere; shown, it is cut between words.
    const room = asked.scope === "match" ? CONTEXT : UNIT_CONTEXT;
    const wide = x.unit_start !== x.start || x.unit_end !== x.end;
    return h("li", { class: "card hit" + (wide ? " hit-unit" : ""), "data-document": x.document, "data-start": String(x.unit_start), "data-end": String(x.unit_end) },
      h("div", { class: "hit-head" },
        h("label", { class: "check hit-label" }, tick,
          h("a", { href: readerHref(x.document, x.unit_start, x.unit_end), "data-link": "", class: "doc-link", text: x.title })),
        wide ? h("span", { class: "muted", text: `${asked.scope === "sentence" ? "sentence" : "paragraph"} of ${plural(x.unit_end - x.unit_start, "character")}` +
          (x.matches > 1 ? `, ${x.matches} hits in it` : "") }) : null),
      h("p", { class: "kwic" },
        h("span", { class: "before", text: clipWords(x.before, room, true) }), h("mark", { text: x.match }), h("span", { class: "after", text: clipWords(x.after, room) })),
      x.codings.length ? h("div", { class: "chips", "aria-label": "Codings on this hit" },
        x.codings.map((c) => codeChip(c.code, project.coderName(c.coder)))) : null);
  };
  tickAll.addEventListener("click", () => {
    const on = ticked() !== hits.length;
    for (const b of list.querySelectorAll(".hit-tick")) b.checked = on;
    updateCount();
  });

  const autocode = async (code) => {
    const boxes = [...list.querySelectorAll(".hit-tick")];
    const chosen = hits.filter((_, i) => boxes[i] && boxes[i].checked).map((x) => ({ document: x.document, start: x.unit_start, end: x.unit_end }));
    const n = chosen.length;
    codeAll.disabled = true;
    clear(work);
    work.append(h("progress", { "aria-label": "Coding the hits" }), ` Coding ${plural(n, "hit")} with ${project.codePath(code)}…`);
    try {
      const r = await api("POST", projectPath(pid, "autocode"), { q: query, code, ...asked, hits: chosen });
      rememberCodes([code]);
      clear(work);
      const added = r.codings.map((c) => c.id);
      const skipped = r.hits - added.length;
      const msg = h("span", { class: "ok", text: `Coded ${plural(added.length, "hit")} with ${project.codePath(code)}` +
        (skipped ? ` (${plural(skipped, "hit")} you had already coded so).` : ".") });
      const undo = added.length ? h("button", { id: "autocode-undo", text: "Undo", on: { click: () => undoCodings(added, undo) } }) : null;
      work.append(msg);
      if (undo) work.append(" ", undo);
      await run();
    } catch (e) {
      clear(work);
      work.append(h("span", { class: "error", role: "alert", text: e.message }));
    } finally {
      updateCount();
    }
  };
  const undoCodings = async (ids, btn) => {
    btn.disabled = true;
    try {
      const r = await api("POST", projectPath(pid, "codings", "delete"), { ids });
      clear(work);
      work.append(h("span", { text: `Undone: removed ${plural(r.codings.length, "coding")}.` }));
      await run();
    } catch (e) {
      btn.disabled = false;
      toast(e.message, "error");
    }
  };
  codeAll.addEventListener("click", () => {
    openPicker(codeAll.getBoundingClientRect(), {
      title: `${codeAll.textContent.replace(/…$/, "")} (“${query}”)`,
      multi: false,
      onApply: (ids) => { if (ids.length) autocode(ids[0]); },
    });
  });
  const search = () => run().catch((err) => { summary.textContent = ""; toast(err.message, "error"); });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    search();
  });
  // Changing how to match or what to code searches again: the preview
  // must show exactly what "Code" would code.
  words.addEventListener("change", () => { if (input.value.trim()) search(); });
  scope.addEventListener("change", () => { if (input.value.trim()) search(); });
  await run();
  input.focus();
  return () => {};
}

// SCOPES are what a coded hit covers, as the server names them.
const SCOPES = [["match", "the words found"], ["sentence", "their sentence"], ["paragraph", "their paragraph or speaker turn"]];
// UNIT names a hit of each scope in the summary.
const UNIT = { match: "hit", sentence: "sentence", paragraph: "paragraph" };
// CONTEXT is how much text is shown on either side of a match, and
// UNIT_CONTEXT of a sentence or paragraph (the server sends a little more,
// so that the cut can fall between words).
const CONTEXT = 70;
const UNIT_CONTEXT = 290;
