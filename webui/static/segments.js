// segments.js: the retrieval view: coded segments filtered by code (with or
// without its sub-codes), coder or consensus, document and document
// attribute, each in its context, a page at a time, with a way into the
// reader and a CSV of everything the filter selects. The filters live in
// the URL, so that the analysis and agreement views can open exactly the
// segments behind a bar or a cell (a pair of coders, codings that meet
// another code).

import { api, projectPath } from "./api.js";
import { project } from "./state.js";
import { h, clear, plural, toast } from "./ui.js";
import { viewHeader, readerHref, codeChip, codeOptions } from "./views.js";
import { csvBlob, saveBlob, fileStem } from "./download.js";
import { setOptions } from "./docmanage.js";
import { memoSegmentList } from "./memos.js";
import { guardExports } from "./exportwarnings.js";

const PAGE = 500; // segments on a page
const FETCH = 2000; // segments per request while gathering the CSV (the server's most)

export async function mount(root, { pid }) {
  await project.open(pid);
  const { documents } = await api("GET", projectPath(pid, "documents"));
  const q = new URLSearchParams(location.search);
  const page = h("section", { class: "page segments-page", "aria-label": "Coded segments" });
  root.append(page);

  const code = h("select", { id: "seg-code", "aria-label": "Code" }, h("option", { value: "", text: "Every code" }), codeOptions(() => true, q.get("code") || ""));
  const sub = h("input", { type: "checkbox", id: "seg-sub", checked: q.get("descendants") !== "false" });
  const coder = h("select", { id: "seg-coder", "aria-label": "Coder" }, h("option", { value: "", text: "Everyone" }),
    project.coders().map((m) => h("option", { value: m.id, text: m.name })),
    h("option", { value: project.consensus, text: "Consensus" }));
  // A pair of coders (from an agreement cell) is a choice of its own.
  const pair = (q.get("coder") || "").split(",").filter(Boolean);
  if (pair.length > 1) coder.append(h("option", { value: pair.join(","), text: pair.map((id) => project.coderName(id)).join(" and ") }));
  coder.value = q.get("coder") || "";
  const doc = h("select", { id: "seg-doc", "aria-label": "Document" }, h("option", { value: "", text: "Every document" }),
    documents.map((d) => h("option", { value: d.id, text: d.title })),
    // Sets (docmanage.js) pick several documents at once.
    setOptions(documents));
  doc.value = q.get("set") ? "set:" + q.get("set") : q.get("document") || "";
  const attrs = new Set();
  for (const d of documents) for (const [k, v] of Object.entries(d.attributes || {})) attrs.add(k + ":" + v);
  const attr = h("select", { id: "seg-attr", "aria-label": "Document attribute" }, h("option", { value: "", text: "Any attribute" }),
    [...attrs].sort().map((a) => h("option", { value: a, text: a.replace(":", ": ") })));
  attr.value = q.get("attr") || "";
  // "Meets another code" comes only from the co-occurrence heatmap: shown
  // as a note that can be taken away, not as a control.
  let meets = q.get("with") ? { code: q.get("with"), gap: Math.max(0, Number(q.get("gap")) || 0) } : null;
  const meetsNote = h("p", { class: "seg-meets", id: "seg-meets" });
  const csv = h("button", { id: "seg-csv", text: "Download CSV", title: "Every segment this filter selects, for a spreadsheet" });
  // Memos that go with the filter, listed above the segments (memos.js).
  const withMemos = h("input", { type: "checkbox", id: "seg-memos", checked: q.get("memos") === "true" });
  const memoBox = h("section", { class: "memo-segments", "aria-label": "Memos", hidden: true });
  // Leads and coders may also have the server's export of the same filter:
  // an Excel workbook with document attributes and the codebook.
  const xlsx = project.canCode ? h("a", { id: "seg-xlsx", class: "button-like", download: "", text: "Excel", title: "The same segments as an Excel workbook, with document attributes and the codebook" }) : null;
  if (xlsx) guardExports(xlsx);
  const summary = h("p", { class: "muted seg-summary", id: "seg-summary", role: "status", "aria-live": "polite", tabindex: "-1", text: "Loading…" });
  const list = h("ol", { class: "segments", "aria-label": "Segments" });
  const pagers = [pager("top"), pager("bottom")];
  const field = (label, control) => h("label", { class: "field" }, h("span", { text: label }), control);
  page.append(viewHeader("Coded segments", "segments"),
    h("form", { class: "filters", "aria-label": "Filter segments" },
      field("Code", code), h("label", { class: "check" }, sub, " with sub-codes"),
      field("Coder", coder), field("Document", doc), field("Attribute", attr), h("label", { class: "check" }, withMemos, " show memos"), h("div", { class: "row" }, csv, xlsx)),
    meetsNote, h("div", { class: "seg-bar" }, summary, pagers[0].el), memoBox, list, pagers[1].el);

  let offset = Math.max(0, Math.floor(Number(q.get("offset")) || 0));
  let total = 0;
  const params = () => {
    const p = new URLSearchParams();
    if (code.value) p.set("code", code.value);
    if (code.value && !sub.checked) p.set("descendants", "false");
    if (coder.value) p.set("coder", coder.value);
    if (doc.value.startsWith("set:")) p.set("set", doc.value.slice(4));
    else if (doc.value) p.set("document", doc.value);
    if (attr.value) p.set("attr", attr.value);
    if (meets) {
      p.set("with", meets.code);
      if (meets.gap) p.set("gap", String(meets.gap));
    }
    if (withMemos.checked) p.set("memos", "true");
    return p;
  };
  const drawMeets = () => {
    clear(meetsNote).hidden = !meets;
    if (!meets) return;
    meetsNote.append(`Only codings that meet a coding of ${project.codePath(meets.code)} `,
      meets.gap ? `(within ${plural(meets.gap, "character")}). ` : "(on overlapping text). ",
      h("button", { class: "link", id: "seg-meets-clear", text: "Show them all", on: { click: () => { meets = null; offset = 0; reload(); } } }));
  };
  let loads = 0;
  const load = async () => {
    const n = ++loads;
    const p = params();
    drawMeets();
    if (xlsx) {
      // The export knows the plain filters only; it is offered when they say it all.
      xlsx.hidden = !!meets || coder.value.includes(",");
      const file = new URLSearchParams(p);
      file.delete("memos");
      xlsx.href = projectPath(pid, "export") + "?format=xlsx" + (file.size ? "&" + file : "");
    }
    const shown = new URLSearchParams(p);
    if (offset) shown.set("offset", String(offset));
    window.history.replaceState(null, "", location.pathname + (shown.size ? "?" + shown : ""));
    p.set("context", "120");
    p.set("offset", String(offset));
    p.set("limit", String(PAGE));
    const r = await api("GET", projectPath(pid, "segments") + "?" + p);
    if (n !== loads) return;
    // A page past the end (the segments shrank meanwhile): go to the last one.
    if (!r.segments.length && r.total && offset) {
      offset = Math.floor((r.total - 1) / PAGE) * PAGE;
      return load();
    }
    total = r.total;
    memoSegmentList(memoBox, r.memos);
    clear(list);
    summary.textContent = total
      ? (total > r.segments.length ? `${(offset + 1).toLocaleString()}–${(offset + r.segments.length).toLocaleString()} of ` : "") +
        `${plural(total, "segment")} in ${plural(r.documents, "document")}.`
      : "No coded segment matches this filter.";
    csv.disabled = !total;
    for (const s of r.segments) list.append(item(s));
    for (const pg of pagers) pg.draw(offset, r.segments.length, total);
  };
  const item = (s) => h("li", { class: "card segment", "data-coding": s.id },
    h("div", { class: "hit-head" }, codeChip(s.code, project.coderName(s.coder)),
      h("a", { href: readerHref(s.document, s.start, s.end), "data-link": "", class: "doc-link", text: s.title, title: "Open the document at this segment" })),
    h("p", { class: "kwic" }, h("span", { class: "before", text: s.before ? "…" + s.before : "" }),
      h("mark", { text: s.text }), h("span", { class: "after", text: s.after ? s.after + "…" : "" })),
    s.memo ? h("p", { class: "memo" }, h("strong", { text: "Memo: " }), s.memo) : null);

  // pager is a "previous / next" pair; the bottom one scrolls back up.
  function pager(where) {
    const prev = h("button", { class: "small", "data-page": "prev", text: `← Previous ${PAGE}` });
    const next = h("button", { class: "small", "data-page": "next", text: `Next ${PAGE} →` });
    const el = h("nav", { class: "seg-pager", "aria-label": where === "top" ? "Pages of segments" : "Pages of segments (bottom)" }, prev, next);
    const go = (to) => {
      offset = to;
      load().then(() => {
        if (where === "bottom") page.scrollTop = 0;
        summary.focus({ preventScroll: true });
      }).catch((e) => toast(e.message, "error"));
    };
    prev.addEventListener("click", () => go(Math.max(0, offset - PAGE)));
    next.addEventListener("click", () => go(offset + PAGE));
    return {
      el,
      draw(at, n, all) {
        el.hidden = all <= PAGE && at === 0;
        prev.disabled = at === 0;
        next.disabled = at + n >= all;
      },
    };
  }

  // The CSV holds every segment the filter selects, gathered a page at a
  // time (with progress: 20,000 take a few seconds).
  csv.addEventListener("click", async (e) => {
    e.preventDefault();
    csv.disabled = true;
    const label = csv.textContent;
    try {
      const rows = [["document", "code", "coder", "start", "end", "text", "memo", "before", "after"]];
      const p = params();
      p.delete("memos"); // the file holds segments only
      p.set("context", "120");
      p.set("limit", String(FETCH));
      for (let at = 0; ; at += FETCH) {
        p.set("offset", String(at));
        csv.textContent = `Gathering ${Math.min(at, total).toLocaleString()} of ${total.toLocaleString()}…`;
        const r = await api("GET", projectPath(pid, "segments") + "?" + p);
        for (const s of r.segments) rows.push([s.title, s.code_path, project.coderName(s.coder), s.start, s.end, s.text, s.memo || "", s.before, s.after]);
        if (at + FETCH >= r.total) break;
      }
      saveBlob(csvBlob(rows), fileStem(project.project.slug) + "-segments.csv");
    } catch (err) {
      toast("Could not gather the CSV: " + err.message, "error");
    } finally {
      csv.textContent = label;
      csv.disabled = !total;
    }
  });
  const reload = () => load().catch((e) => toast(e.message, "error"));
  for (const c of [code, sub, coder, doc, attr, withMemos]) {
    c.addEventListener("change", () => {
      offset = 0;
      reload();
    });
  }
  await load();
  let timer = 0;
  const off = project.on("event", (ev) => {
    if (ev.type.startsWith("coding.") || ev.type.startsWith("code.") || (withMemos.checked && ev.type.startsWith("memo."))) {
      clearTimeout(timer);
      timer = setTimeout(reload, 800);
    }
  });
  code.focus();
  return () => {
    clearTimeout(timer);
    off();
  };
}
