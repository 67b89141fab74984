// analysis.js: the analysis view: how often each code is used (bars), which
// codes meet on the same text (a heatmap) and how codes spread over the
// values of a document attribute (a crosstab). Each can be saved as CSV,
// SVG or PNG, from the data already in the page.

import { api, projectPath } from "./api.js";
import { project } from "./state.js";
import { h, clear, toast } from "./ui.js";
import { viewHeader } from "./views.js";
import { barChart, grid, shade, inkOn } from "./charts.js";
import { csvBlob, svgBlob, pngBlob, saveBlob, fileStem } from "./download.js";

const MEASURES = [["segments", "Segments"], ["documents", "Documents"], ["characters", "Characters"]];
const UNIT = { segments: "segments", documents: "documents", characters: "characters" };

export async function mount(root, { pid }) {
  await project.open(pid);
  const { documents } = await api("GET", projectPath(pid, "documents"));
  const page = h("section", { class: "page analysis-page", "aria-label": "Analysis" });
  root.append(page);
  const stem = fileStem(project.project.slug);

  const coder = h("select", { id: "an-coder", "aria-label": "Whose codings" }, h("option", { value: "", text: "Everyone" }),
    project.coders().map((m) => h("option", { value: m.id, text: m.name })), h("option", { value: project.consensus, text: "Consensus" }));
  page.append(viewHeader("Analysis", "analysis"),
    h("div", { class: "filters" }, h("label", { class: "field" }, h("span", { text: "Codings by" }), coder)));
  const filter = () => (coder.value ? "coder=" + encodeURIComponent(coder.value) : "");

  // ---- code frequencies ----
  const measure = h("select", { id: "freq-measure", "aria-label": "Count" }, MEASURES.map(([v, l]) => h("option", { value: v, text: l })));
  const sub = h("input", { type: "checkbox", id: "freq-sub", checked: true });
  const freqBox = h("div", { class: "chart", id: "freq-chart" });
  let freq = null;
  const freqSection = section("Code frequencies", "freq",
    [h("label", { class: "field" }, h("span", { text: "Count" }), measure), h("label", { class: "check" }, sub, " include sub-codes")],
    freqBox, {
      csv: () => [["code", "depth", "segments", "documents", "characters"], ...freq.rows.map((r) => [r.path, r.depth, r.total.segments, r.total.documents, r.total.characters])],
      svg: () => freqBox.querySelector("svg"),
    }, stem);
  const drawFreq = () => {
    const m = measure.value;
    clear(freqBox).append(barChart(freq.rows.map((r) => ({
      label: codeName(r.code, r.path), title: shownPath(r.code, r.path), depth: r.depth,
      value: r.total[m] || 0, colour: project.codeColour(r.code),
    })), { title: `${MEASURES.find(([v]) => v === m)[1]} per code${sub.checked ? " (with sub-codes)" : ""}`, unit: UNIT[m] }));
  };
  const loadFreq = async () => {
    const q = [filter(), sub.checked ? "" : "descendants=false"].filter(Boolean).join("&");
    freq = await api("GET", projectPath(pid, "analysis", "frequencies") + "?" + q);
    drawFreq();
  };

  // ---- co-occurrence ----
  const mode = h("select", { id: "co-mode", "aria-label": "When do two codes meet" },
    h("option", { value: "overlap", text: "on overlapping text" }), h("option", { value: "near", text: "within N characters" }));
  const gap = h("input", { type: "number", id: "co-gap", min: "0", max: "10000", value: "200", "aria-label": "N characters", disabled: true });
  const coBox = h("div", { class: "chart", id: "co-chart" });
  let co = null;
  const coSection = section("Co-occurrence", "co",
    [h("label", { class: "field" }, h("span", { text: "Codes meet" }), mode), h("label", { class: "field" }, h("span", { text: "N" }), gap)],
    coBox, {
      csv: () => {
        const names = co.codes.map((c) => c.path);
        return [["code", ...names], ...co.codes.map((a, i) => [names[i], ...co.codes.map((b) => co.count(a.id, b.id))])];
      },
      svg: () => coBox.querySelector("svg"),
    }, stem);
  const loadCo = async () => {
    const g = mode.value === "near" ? Math.max(0, Number(gap.value) || 0) : 0;
    const r = await api("GET", projectPath(pid, "analysis", "cooccurrence") + "?" + [filter(), "gap=" + g].filter(Boolean).join("&"));
    const counts = new Map(r.cells.map((c) => [c.a + " " + c.b, c.count]));
    const count = (a, b) => (a === b ? null : counts.get(a < b ? a + " " + b : b + " " + a) || 0);
    // Only codes that meet another: a matrix of every code is mostly blank.
    const used = new Set(r.cells.flatMap((c) => [c.a, c.b]));
    co = { codes: r.codes.filter((c) => used.has(c.id)), count };
    clear(coBox);
    if (!co.codes.length) {
      coBox.append(h("p", { class: "muted", text: "No two codes meet on the same text" + (g ? ` or within ${g} characters.` : ".") }));
      return;
    }
    const labels = co.codes.map((c) => shownPath(c.id, c.path));
    coBox.append(grid({
      title: g ? `Codes within ${g} characters of each other` : "Codes on overlapping text",
      rows: labels, columns: co.codes.map((c) => codeName(c.id, c.path)),
      value: (i, j) => count(co.codes[i].id, co.codes[j].id),
      describe: (i, j, v) => (v === null ? labels[i] : `${labels[i]} × ${labels[j]}: ${v} ${v === 1 ? "pair" : "pairs"} of codings`),
    }));
    // The server stops a count that would take too long; say so.
    if (r.truncated) coBox.append(h("p", { class: "muted", id: "co-truncated", text: "Counts cut short: " + r.reason + "." }));
  };

  // ---- crosstab by attribute ----
  const names = [...new Set(documents.flatMap((d) => Object.keys(d.attributes || {})))].sort();
  const attr = h("select", { id: "ct-attr", "aria-label": "Document attribute" }, names.map((n) => h("option", { value: n, text: n })));
  // Start with the attribute that splits the documents into the fewest
  // groups (two or more): the most readable table.
  const groups = (n) => new Set(documents.map((d) => (d.attributes || {})[n] || "")).size;
  const start = names.filter((n) => groups(n) > 1).sort((a, b) => groups(a) - groups(b))[0];
  if (start) attr.value = start;
  const ctMeasure = h("select", { id: "ct-measure", "aria-label": "Count" }, MEASURES.map(([v, l]) => h("option", { value: v, text: l })));
  const ctBox = h("div", { class: "chart", id: "ct-table" });
  let ct = null;
  const ctGrid = () => grid({
    title: `${MEASURES.find(([v]) => v === ctMeasure.value)[1]} per code by ${attr.value}`,
    rows: ct.rows.map((r) => "\u2003".repeat(r.depth) + codeName(r.code, r.path)), columns: ct.columns,
    value: (i, j) => ct.cell(i, j), describe: (i, j, v) => `${shownPath(ct.rows[i].code, ct.rows[i].path)} · ${attr.value} ${ct.columns[j]}: ${v}`,
  });
  const ctSection = section("Codes by document attribute", "ct",
    [h("label", { class: "field" }, h("span", { text: "Attribute" }), attr), h("label", { class: "field" }, h("span", { text: "Count" }), ctMeasure)],
    ctBox, {
      csv: () => [["code", ...ct.columns], ...ct.rows.map((r, i) => [r.path, ...ct.columns.map((_, j) => ct.cell(i, j))])],
      svg: () => ctGrid(),
    }, stem);
  const drawCt = () => {
    clear(ctBox);
    if (!ct) {
      ctBox.append(h("p", { class: "muted", text: "The documents have no attributes to compare by." }));
      return;
    }
    const m = ctMeasure.value;
    ct.cell = (i, j) => ((ct.rows[i].by || {})[ct.columns[j]] || {})[m] || 0;
    let max = 0;
    ct.rows.forEach((_, i) => ct.columns.forEach((_, j) => { max = Math.max(max, ct.cell(i, j)); }));
    const table = h("table", { class: "crosstab" },
      h("caption", { text: `${MEASURES.find(([v]) => v === m)[1]} per code by ${attr.value}` }),
      h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Code" }), ct.columns.map((c) => h("th", { scope: "col", text: c })))),
      h("tbody", {}, ct.rows.map((r, i) => h("tr", {},
        h("th", { scope: "row", class: "depth-" + Math.min(r.depth, 4), text: codeName(r.code, r.path), title: shownPath(r.code, r.path) }),
        ct.columns.map((c, j) => {
          const v = ct.cell(i, j);
          const t = max ? v / max : 0;
          return h("td", { title: `${shownPath(r.code, r.path)} · ${attr.value} ${c}: ${v}`, style: { backgroundColor: shade(t), color: inkOn(t) }, text: v ? v.toLocaleString() : "" });
        })))));
    ctBox.append(table);
  };
  const loadCt = async () => {
    if (!attr.value) {
      ct = null;
      drawCt();
      return;
    }
    const r = await api("GET", projectPath(pid, "analysis", "frequencies") + "?" + [filter(), "by=" + encodeURIComponent("attr:" + attr.value)].filter(Boolean).join("&"));
    ct = { rows: r.rows, columns: r.columns.slice().sort() };
    drawCt();
  };

  page.append(freqSection, coSection, ctSection);
  const safe = (fn) => () => fn().catch((e) => toast(e.message, "error"));
  const all = () => Promise.all([loadFreq(), loadCo(), loadCt()]);
  coder.addEventListener("change", safe(all));
  measure.addEventListener("change", drawFreq);
  sub.addEventListener("change", safe(loadFreq));
  mode.addEventListener("change", () => {
    gap.disabled = mode.value !== "near";
    safe(loadCo)();
  });
  gap.addEventListener("change", safe(loadCo));
  attr.addEventListener("change", safe(loadCt));
  ctMeasure.addEventListener("change", drawCt);
  await all();
  let timer = 0;
  const off = project.on("event", (ev) => {
    if (ev.type.startsWith("coding.") || ev.type.startsWith("code.") || ev.type.startsWith("document.")) {
      clearTimeout(timer);
      timer = setTimeout(safe(all), 1500);
    }
  });
  return () => {
    clearTimeout(timer);
    off();
  };
}

/**
 * shownPath is a code's path as people read it: names joined by " › ",
 * unescaped. The server's path escapes a "/" in a name ("Rejection \/
 * Antipathy") so that files read back; the CSV downloads keep it so.
 */
function shownPath(id, path) {
  return project.codes.has(id) ? project.codePath(id) : path;
}

/** codeName is a code's own name (the last part of its path). */
function codeName(id, path) {
  const c = project.codes.get(id);
  return c ? c.name : path;
}

/**
 * section is one analysis with its controls, its chart and buttons that save
 * it: get.csv() returns rows, get.svg() the SVG element to save.
 */
function section(title, id, controls, body, get, stem) {
  const name = (ext) => `${stem}-${id === "freq" ? "frequencies" : id === "co" ? "cooccurrence" : "crosstab"}.${ext}`;
  const chart = () => {
    const el = get.svg();
    if (!el) throw new Error("There is no chart to save yet.");
    return el;
  };
  const button = (label, fn) => h("button", { class: "small", "data-export": label.toLowerCase(), text: label, on: { click: () => fn().catch((e) => toast(e.message, "error")) } });
  return h("section", { class: "card analysis", id: id + "-section", "aria-labelledby": id + "-title" },
    h("div", { class: "analysis-head" }, h("h2", { id: id + "-title", text: title }),
      h("div", { class: "controls" }, controls),
      h("div", { class: "exports", role: "group", "aria-label": "Save " + title.toLowerCase() },
        h("span", { class: "muted", text: "Save as" }),
        button("CSV", async () => saveBlob(csvBlob(get.csv()), name("csv"))),
        button("SVG", async () => saveBlob(svgBlob(chart()), name("svg"))),
        button("PNG", async () => saveBlob(await pngBlob(chart()), name("png"))))),
    body);
}
