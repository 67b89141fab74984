// segments.js: the retrieval view: coded segments filtered by code (with or
// without its sub-codes), coder or consensus, document and document
// attribute, each in its context, with a way into the reader and a CSV of
// exactly what the filter shows.

import { api, projectPath } from "./api.js";
import { project } from "./state.js";
import { h, clear, plural, toast } from "./ui.js";
import { viewHeader, readerHref, codeChip, codeOptions } from "./views.js";
import { csvBlob, saveBlob, fileStem } from "./download.js";
import { guardExports } from "./exportwarnings.js";

const SHOWN = 500; // segments drawn at once; the CSV holds them all

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
  coder.value = q.get("coder") || "";
  const doc = h("select", { id: "seg-doc", "aria-label": "Document" }, h("option", { value: "", text: "Every document" }),
    documents.map((d) => h("option", { value: d.id, text: d.title })));
  doc.value = q.get("document") || "";
  const attrs = new Set();
  for (const d of documents) for (const [k, v] of Object.entries(d.attributes || {})) attrs.add(k + ":" + v);
  const attr = h("select", { id: "seg-attr", "aria-label": "Document attribute" }, h("option", { value: "", text: "Any attribute" }),
    [...attrs].sort().map((a) => h("option", { value: a, text: a.replace(":", ": ") })));
  attr.value = q.get("attr") || "";
  const csv = h("button", { id: "seg-csv", text: "Download CSV", title: "The segments this filter shows, for a spreadsheet" });
  // Leads and coders may also have the server's export of the same filter:
  // an Excel workbook with document attributes and the codebook.
  const xlsx = project.canCode ? h("a", { id: "seg-xlsx", class: "button-like", download: "", text: "Excel", title: "The same segments as an Excel workbook, with document attributes and the codebook" }) : null;
  if (xlsx) guardExports(xlsx);
  const summary = h("p", { class: "muted", role: "status", "aria-live": "polite", text: "Loading…" });
  const list = h("ol", { class: "segments", "aria-label": "Segments" });
  const field = (label, control) => h("label", { class: "field" }, h("span", { text: label }), control);
  page.append(viewHeader("Coded segments", "segments"),
    h("form", { class: "filters", "aria-label": "Filter segments" },
      field("Code", code), h("label", { class: "check" }, sub, " with sub-codes"),
      field("Coder", coder), field("Document", doc), field("Attribute", attr), h("div", { class: "row" }, csv, xlsx)),
    summary, list);

  let segments = [];
  const params = () => {
    const p = new URLSearchParams();
    if (code.value) p.set("code", code.value);
    if (code.value && !sub.checked) p.set("descendants", "false");
    if (coder.value) p.set("coder", coder.value);
    if (doc.value) p.set("document", doc.value);
    if (attr.value) p.set("attr", attr.value);
    return p;
  };
  let loads = 0;
  const load = async () => {
    const n = ++loads;
    const p = params();
    window.history.replaceState(null, "", location.pathname + (p.size ? "?" + p : ""));
    if (xlsx) xlsx.href = projectPath(pid, "export") + "?format=xlsx" + (p.size ? "&" + p : "");
    p.set("context", "120");
    const r = await api("GET", projectPath(pid, "segments") + "?" + p);
    if (n !== loads) return;
    segments = r.segments;
    clear(list);
    const docs = new Set(segments.map((s) => s.document)).size;
    summary.textContent = segments.length
      ? `${plural(segments.length, "segment")} in ${plural(docs, "document")}` + (segments.length > SHOWN ? `; showing the first ${SHOWN} (the CSV has all).` : ".")
      : "No coded segment matches this filter.";
    csv.disabled = !segments.length;
    for (const s of segments.slice(0, SHOWN)) list.append(item(s));
  };
  const item = (s) => h("li", { class: "card segment", "data-coding": s.id },
    h("div", { class: "hit-head" }, codeChip(s.code, project.coderName(s.coder)),
      h("a", { href: readerHref(s.document, s.start, s.end), "data-link": "", class: "doc-link", text: s.title, title: "Open the document at this segment" })),
    h("p", { class: "kwic" }, h("span", { class: "before", text: s.before ? "…" + s.before : "" }),
      h("mark", { text: s.text }), h("span", { class: "after", text: s.after ? s.after + "…" : "" })),
    s.memo ? h("p", { class: "memo" }, h("strong", { text: "Memo: " }), s.memo) : null);

  csv.addEventListener("click", (e) => {
    e.preventDefault();
    const rows = [["document", "code", "coder", "start", "end", "text", "memo", "before", "after"]];
    for (const s of segments) rows.push([s.title, s.code_path, project.coderName(s.coder), s.start, s.end, s.text, s.memo || "", s.before, s.after]);
    saveBlob(csvBlob(rows), fileStem(project.project.slug) + "-segments.csv");
  });
  const reload = () => load().catch((e) => toast(e.message, "error"));
  for (const c of [code, sub, coder, doc, attr]) c.addEventListener("change", reload);
  await load();
  let timer = 0;
  const off = project.on("event", (ev) => {
    if (ev.type.startsWith("coding.") || ev.type.startsWith("code.")) {
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
