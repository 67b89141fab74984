// search.js: full-text search of a project's documents, keyword in
// context, and auto-coding: every hit coded with one code in my layer at
// once, with an undo.

import { api, projectPath } from "./api.js";
import { project } from "./state.js";
import { openPicker, rememberCodes } from "./picker.js";
import { h, clear, plural, toast } from "./ui.js";
import { viewHeader, readerHref, codeChip } from "./views.js";
import { memoHitList } from "./memos.js";

export async function mount(root, { pid }) {
  await project.open(pid);
  const page = h("section", { class: "page search-page", "aria-label": "Search and auto-code" });
  root.append(page);
  const input = h("input", { type: "search", id: "search-q", placeholder: "Words to find, e.g. boundaries  ( / )", "aria-label": "Search the documents", "data-filter": "", value: new URLSearchParams(location.search).get("q") || "" });
  const form = h("form", { class: "toolbar search-form", role: "search" }, input, h("button", { type: "submit", class: "primary", text: "Search" }));
  const summary = h("p", { class: "muted", role: "status", "aria-live": "polite" });
  const codeAll = h("button", { id: "autocode", text: "Code all hits with…", hidden: true, title: "Code every hit with one code, in your layer" });
  const work = h("div", { class: "autocode-status", role: "status", "aria-live": "polite" });
  const list = h("ol", { class: "hits", "aria-label": "Hits" });
  const memoHits = h("section", { class: "memo-hits", "aria-label": "Memos that hold the words", hidden: true });
  page.append(viewHeader("Search and auto-code", "search"), form, h("div", { class: "row" }, summary, codeAll), work, memoHits, list);

  let hits = [];
  let query = "";
  const run = async () => {
    query = input.value.trim();
    const url = new URL(location.href);
    if (query) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url.pathname + url.search);
    clear(list);
    memoHits.hidden = true;
    codeAll.hidden = true;
    if (!query) {
      summary.textContent = "Type words to find in every document of the project.";
      return;
    }
    summary.textContent = "Searching…";
    const r = await api("GET", projectPath(pid, "search") + "?q=" + encodeURIComponent(query) + "&context=70");
    hits = r.hits;
    const docs = new Set(hits.map((x) => x.document)).size;
    summary.textContent = hits.length
      ? `${plural(hits.length, "hit")} in ${plural(docs, "document")}${r.truncated ? " (only the first ones: narrow the search to see all)" : ""}.`
      : `No document contains “${query}”.`;
    const memoCount = (r.memos || []).length;
    if (!hits.length && memoCount) summary.textContent = `No document contains “${query}”, but ${memoCount === 1 ? "a memo does" : plural(memoCount, "memo") + " do"}.`;
    memoHitList(memoHits, r.memos || []);
    codeAll.hidden = !hits.length || !project.canCode || r.truncated;
    codeAll.textContent = `Code all ${plural(hits.length, "hit")} with…`;
    for (const x of hits) list.append(hitItem(x));
  };
  const hitItem = (x) => h("li", { class: "card hit", "data-document": x.document },
    h("div", { class: "hit-head" },
      h("a", { href: readerHref(x.document, x.start, x.end), "data-link": "", class: "doc-link", text: x.title })),
    h("p", { class: "kwic" },
      h("span", { class: "before", text: x.before }), h("mark", { text: x.match }), h("span", { class: "after", text: x.after })),
    x.codings.length ? h("div", { class: "chips", "aria-label": "Codings on this hit" },
      x.codings.map((c) => codeChip(c.code, project.coderName(c.coder)))) : null);

  const autocode = async (code) => {
    const n = hits.length;
    codeAll.disabled = true;
    clear(work);
    work.append(h("progress", { "aria-label": "Coding the hits" }), ` Coding ${plural(n, "hit")} with ${project.codePath(code)}…`);
    try {
      const r = await api("POST", projectPath(pid, "autocode"), { q: query, code });
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
      codeAll.disabled = false;
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
      title: `Code all ${plural(hits.length, "hit")} of “${query}” with`,
      multi: false,
      onApply: (ids) => { if (ids.length) autocode(ids[0]); },
    });
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    run().catch((err) => { summary.textContent = ""; toast(err.message, "error"); });
  });
  await run();
  input.focus();
  return () => {};
}
