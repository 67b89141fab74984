// agreement.js: the lead's agreement dashboard. A heatmap of codes (rows)
// × coder pairs (columns) coloured by the pair's α (segments: κ), the overall
// figure, a unit chooser, and, under a chosen cell, the list of
// disagreements with a way into the side-by-side review (adjudicate.js).
// It refetches (debounced) whenever someone's codings change, so the
// lead watches agreement move while coders work.

import { api, projectPath } from "./api.js";
import { project } from "./state.js";
import { h, clear, plural } from "./ui.js";
import { tabs, segmentsHref } from "./views.js";

const UNITS = [
  ["characters", "Characters", "Whether each coder coded each character with the code"],
  ["segments", "Segments", "Codings matched by overlap, as MAXQDA does"],
  ["presence", "Presence", "Whether each coder applied the code anywhere in a document"],
  ["unitized", "Unitized", "Where coders placed their units, with Krippendorff's unitizing α"],
];

/** METRICS names the coefficients as a lead reads them. */
export const METRICS = {
  percent_agreement: "percent agreement",
  cohen_kappa: "Cohen's κ",
  fleiss_kappa: "Fleiss' κ",
  krippendorff_alpha: "Krippendorff's α",
  brennan_prediger_kappa: "Brennan–Prediger κ",
  krippendorff_alpha_u_1995: "unitizing α (1995)",
  krippendorff_alpha_u_1995_category: "unitizing α (1995)",
  binary_u_alpha_2016: "|uα",
  u_alpha_2016: "uα",
  cu_alpha_2016: "cuα",
  k_u_alpha_2016: "(k)uα",
};

// The scale steps at Krippendorff's (2004) thresholds for α, the
// coefficient every cell, row and overall figure is read by (segments,
// which have no α: Brennan–Prediger's κ on the same scale). Colours from
// ColorBrewer's RdYlBu, which people with the common colour-vision
// deficiencies can still tell apart.
const SCALE = [
  [-Infinity, "#d73027", "below 0: worse than chance"],
  [0, "#fc8d59", "0 – .667: not reliable"],
  [0.667, "#fee090", "≥ .667: tentative"],
  [0.8, "#4575b4", "≥ .800: reliable"],
];

/** CHANCE_CORRECTED are the pair metrics the scale belongs to; anything
 * else (percent agreement, with coded-only) is shown uncoloured. */
const CHANCE_CORRECTED = new Set(["krippendorff_alpha", "krippendorff_alpha_u_1995_category", "brennan_prediger_kappa"]);

function colourOf(v) {
  let c = SCALE[0];
  for (const s of SCALE) if (v >= s[0]) c = s;
  return c;
}

/** unitWords says what the counts of a unit count. */
function unitWords(unit) {
  return {
    characters: ["character", "coded by one only"],
    segments: ["segment comparison", "unmatched"],
    presence: ["document", "coded by one only"],
    unitized: ["character", "units"],
  }[unit];
}

/** differ says what a cell's small number counts: "249 characters coded by one only". */
function differ(unit, n) {
  const [what, either] = unitWords(unit);
  return `${plural(n, what)} ${either}`;
}

/** overallWords says what the overall count counts: for characters and
 * presence each unit once per code compared, which would read as more
 * characters than the corpus holds if called characters. */
function overallWords(unit) {
  return { characters: "code × character unit", presence: "code × document unit" }[unit] || unitWords(unit)[0];
}

// Three decimals, as the thresholds (.667, .800) are written: with two, a
// cell of .665 would read ".67" yet be coloured "not reliable".
function fmt(v) {
  return v.toFixed(3);
}

/** leadsOnly tells a coder or viewer who opened a lead's page why it is empty. */
export function leadsOnly(root, title) {
  root.append(h("section", { class: "page narrow" }, h("h1", { text: title }),
    h("p", { text: "Only the project's leads see agreement and adjudicate. Ask a lead if you need it." })));
  return () => {};
}

export async function mount(root, { pid }) {
  await project.open(pid);
  if (!project.isLead) return leadsOnly(root, "Agreement");
  const q = new URLSearchParams(location.search);
  const st = {
    unit: UNITS.some((u) => u[0] === q.get("unit")) ? q.get("unit") : "characters",
    sort: localStorage.getItem("concord.agreementSort") || "worst",
    withConsensus: q.get("consensus") === "1",
    coders: [], // the coders the server compares by default, learnt from its first answer
    report: null,
    cell: q.get("code") && q.get("a") && q.get("b") ? { code: q.get("code"), a: q.get("a"), b: q.get("b") } : null,
  };
  const slug = project.project.slug;

  const unitSel = h("select", { "aria-label": "Unit of agreement" }, UNITS.map(([v, label, title]) => h("option", { value: v, text: label, title })));
  unitSel.value = st.unit;
  const sortSel = h("select", { "aria-label": "Order of the codes" },
    h("option", { value: "worst", text: "Worst agreement first" }),
    h("option", { value: "codebook", text: "Codebook order" }),
    h("option", { value: "name", text: "Code name A–Z" }));
  sortSel.value = st.sort;
  const consensusBox = h("input", { type: "checkbox", checked: st.withConsensus });
  const status = h("div", { class: "agr-status", role: "status", "aria-live": "polite" });
  const overall = h("div", { class: "agr-overall" });
  const basis = h("div", { class: "agr-basis", "aria-label": "Which documents are compared" });
  const legend = h("div", { class: "agr-legend", "aria-label": "Colour scale" });
  const grid = h("div", { class: "agr-grid" });
  const list = h("section", { class: "agr-list", "aria-label": "Disagreements", "aria-live": "polite" });
  const page = h("section", { class: "page agreement" },
    tabs("agreement"), h("h1", { text: "Agreement" }),
    h("p", { class: "desc", text: "How well the coders agree on each code. Click a cell (or focus it and press Enter) to list where the two coders differ, then settle each difference into the consensus layer." }),
    h("div", { class: "toolbar agr-tools" },
      h("label", {}, "Unit ", unitSel), h("label", {}, "Order ", sortSel),
      h("label", { title: "Add columns comparing each coder with the consensus layer" }, consensusBox, " Compare with consensus"), status),
    overall, basis, legend, grid, list);
  root.append(h("div", { class: "layout" }, page));
  document.title = "Agreement · Concord";

  let seq = 0;
  // quick skips the bootstrap: a live update then costs one pass over the
  // codings, and the last interval stays on show, marked as older.
  const load = async (first, quick = false) => {
    const my = ++seq;
    status.replaceChildren(first
      ? h("span", {}, h("progress", { "aria-label": "Computing agreement" }), " Computing agreement…")
      : h("span", { class: "muted", text: "Updating…" }));
    try {
      const p = new URLSearchParams({ unit: st.unit });
      if (quick) p.set("bootstrap", "0");
      // The consensus layer is compared only when named, beside the
      // coders the server would choose itself (so those are asked first).
      if (st.withConsensus && !st.coders.length) {
        const base = await api("GET", projectPath(pid, "agreement") + "?" + new URLSearchParams({ unit: st.unit, bootstrap: "0" }));
        st.coders = base.coders.map((c) => c.id);
      }
      if (st.withConsensus) p.set("coders", [...st.coders, "consensus"].join(","));
      const r = await api("GET", projectPath(pid, "agreement") + "?" + p);
      if (my !== seq) return;
      if (!st.withConsensus) st.coders = r.coders.map((c) => c.id);
      if (quick && st.report && st.report.unit === r.unit && st.report.overall.alpha_ci) {
        r.overall.alpha_ci = st.report.overall.alpha_ci;
        r.staleInterval = true;
      }
      st.report = r;
      status.replaceChildren(h("span", { class: "muted", text: "Up to date · " + new Date().toLocaleTimeString() }));
      draw();
      if (st.cell) loadList();
    } catch (e) {
      if (my !== seq) return;
      status.replaceChildren(h("span", { class: "error", role: "alert", text: "Could not compute agreement: " + e.message }));
    }
  };

  const syncURL = () => {
    const p = new URLSearchParams({ unit: st.unit });
    if (st.withConsensus) p.set("consensus", "1");
    if (st.cell) {
      p.set("code", st.cell.code);
      p.set("a", st.cell.a);
      p.set("b", st.cell.b);
    }
    history.replaceState(null, "", `/p/${encodeURIComponent(slug)}/agreement?${p}`);
  };

  const drawOverall = (r) => {
    const key = r.overall.coefficients[r.metric] ? r.metric : r.metric.replace(/_category$/, "");
    const c = r.overall.coefficients[key];
    const ci = r.overall.alpha_ci && r.overall.alpha_ci.defined
      ? ` (95% interval ${fmt(r.overall.alpha_ci.low)} to ${fmt(r.overall.alpha_ci.high)}${r.staleInterval ? ", from before the latest changes" : ""})` : "";
    const who = r.coders.map((c) => project.coderName(c.id)).join(", ");
    clear(overall).append(
      h("span", { class: "agr-big" + (c && c.defined ? "" : " undefined"), title: c && !c.defined ? c.reason : "", text: c && c.defined ? fmt(c.value) : "n/a" }),
      h("span", {}, h("strong", { text: "Overall " + (METRICS[key] || key) }), ci, h("br"),
        h("span", { class: "muted", title: r.method && r.method.compared || "", text: `${who} · ${plural(r.overall.counts.compared, overallWords(r.unit))} compared` })));
  };

  // drawBasis says which documents each coder is compared on, and warns
  // about documents assigned but not done or coded but not compared.
  const drawBasis = (r) => {
    const warnings = r.warnings || [];
    clear(basis).append(h("p", { class: "muted agr-basis-note", text: r.documents_note || "" }));
    if (warnings.length) {
      basis.append(h("ul", { class: "agr-warnings", role: "note" },
        warnings.map((w) => h("li", { class: "warning", "data-kind": w.kind, text: "⚠ " + w.message }))));
    }
  };

  const drawLegend = (r) => {
    const name = METRICS[r.pair_metric] || r.pair_metric;
    if (!CHANCE_CORRECTED.has(r.pair_metric)) {
      clear(legend).append(h("span", { class: "muted", title: r.method && r.method.coefficient || "",
        text: `Cells show ${name}, which is not corrected for chance, so they are not coloured on Krippendorff's α scale.` }));
      return;
    }
    const what = r.unit === "segments"
      ? `Colour: ${name} of the two coders on the code (segments have no Krippendorff's α), on α's scale`
      : `Colour: ${name} of the two coders on the code`;
    clear(legend).append(h("span", { class: "muted", title: r.method && r.method.coefficient || "", text: what + " ·" }),
      h("span", { class: "muted agr-source", title: r.method && r.method.thresholds || "", text: "thresholds from Krippendorff 2004: ≥ .800 reliable, ≥ .667 tentative:" }));
    for (const [, colour, label] of SCALE) {
      legend.append(h("span", { class: "agr-key" }, h("span", { class: "agr-swatch", style: { backgroundColor: colour } }), label));
    }
    legend.append(h("span", { class: "agr-key" }, h("span", { class: "agr-swatch undefined" }), "cannot be computed (hover for why)"));
  };

  const rowsOf = (r) => {
    const m = r.matrix;
    const rows = m.codes.map((code, i) => {
      const vals = m.cells[i].map((cell) => cell.coefficients[r.pair_metric]).filter((c) => c && c.defined).map((c) => c.value);
      return { code, i, path: project.codePath(code), worst: vals.length ? Math.min(...vals) : Infinity };
    });
    if (st.sort === "worst") rows.sort((x, y) => x.worst - y.worst || x.path.localeCompare(y.path));
    else if (st.sort === "name") rows.sort((x, y) => (project.codes.get(x.code)?.name || "").localeCompare(project.codes.get(y.code)?.name || ""));
    return rows;
  };

  const cellTitle = (r, cell, path, a, b) => {
    const c = cell.coefficients[r.pair_metric];
    const n = cell.counts;
    const [unit, either] = unitWords(r.unit);
    const lines = [`${path} — ${project.coderName(a)} and ${project.coderName(b)}`];
    lines.push(c && c.defined ? `${METRICS[r.pair_metric] || r.pair_metric}: ${fmt(c.value)}` : `Cannot be computed: ${c ? c.reason : "no figure"}`);
    for (const [k, v] of Object.entries(cell.coefficients)) {
      if (k !== r.pair_metric) lines.push(`${METRICS[k] || k}: ${v.defined ? fmt(v.value) : "n/a"}`);
    }
    if (r.unit === "unitized") {
      lines.push(`${plural(n.compared, unit)} compared`);
    } else {
      lines.push(`${plural(n.compared, unit)} compared: ${n.both.toLocaleString()} coded by both, ${n.either.toLocaleString()} ${either}, ${n.neither.toLocaleString()} by neither`);
    }
    for (const [id, k] of Object.entries(n.coded_by || {})) lines.push(`${project.coderName(id)}: ${k.toLocaleString()}`);
    lines.push("Enter or click: list the disagreements");
    return lines.join("\n");
  };

  const draw = () => {
    const r = st.report;
    if (!r) return;
    drawOverall(r);
    drawBasis(r);
    drawLegend(r);
    grid.dataset.unit = r.unit;
    const focused = document.activeElement && document.activeElement.dataset.cell;
    const m = r.matrix;
    if (!m.codes.length || !m.pairs.length) {
      clear(grid).append(h("p", { class: "muted", text: m.pairs.length ? "Nobody has applied a code yet." : "Agreement needs two coders who have coded something." }));
      return;
    }
    const table = h("table", { class: "agr-table" });
    table.append(h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Code" }),
      m.pairs.map(([a, b]) => h("th", { scope: "col", text: `${project.coderName(a)} × ${project.coderName(b)}` })))));
    const body = h("tbody");
    for (const row of rowsOf(r)) {
      const depth = st.sort === "codebook" ? row.path.split(" › ").length - 1 : 0;
      const tr = h("tr", {}, h("th", { scope: "row", class: "agr-code", title: row.path },
        h("span", { class: "swatch", style: { backgroundColor: project.codeColour(row.code), marginLeft: depth + "rem" } }),
        " ", st.sort === "codebook" ? project.codes.get(row.code)?.name || row.path : row.path));
      m.pairs.forEach(([a, b], j) => {
        const cell = m.cells[row.i][j];
        const c = cell.coefficients[r.pair_metric];
        const defined = c && c.defined;
        const key = `${row.code}|${a}|${b}`;
        const btn = h("button", {
          class: "agr-cell" + (defined ? (CHANCE_CORRECTED.has(r.pair_metric) && (c.value < 0 || c.value >= 0.8) ? "" : " light") : " undefined"),
          title: cellTitle(r, cell, row.path, a, b), "data-cell": key, "data-code": row.code,
          // A screen reader hears the row, the column and the figure, not just "0.23 249".
          "aria-label": `${row.path}, ${project.coderName(a)} and ${project.coderName(b)}: ${defined ? `${METRICS[r.pair_metric] || r.pair_metric} ${fmt(c.value)}` : "cannot be computed"}` +
            (r.unit === "unitized" ? "" : `; ${differ(r.unit, cell.counts.either)}`),
          "aria-pressed": st.cell && st.cell.code === row.code && st.cell.a === a && st.cell.b === b ? "true" : "false",
          on: { click: () => choose({ code: row.code, a, b }) },
        }, h("span", { class: "v", text: defined ? fmt(c.value) : "n/a" }),
          // The small number is labelled where it stands: a bare "249" said nothing.
          r.unit === "unitized" ? null : h("span", { class: "n", title: differ(r.unit, cell.counts.either), text: `${cell.counts.either.toLocaleString()} differ` }));
        if (defined && CHANCE_CORRECTED.has(r.pair_metric)) btn.style.backgroundColor = colourOf(c.value)[1];
        tr.append(h("td", {}, btn));
      });
      body.append(tr);
    }
    table.append(body);
    const [, either] = unitWords(r.unit);
    clear(grid).append(table, h("p", { class: "muted agr-note", text: r.unit === "unitized"
      ? "Each cell: the coefficient. Hover a cell for the counts behind it."
      : `Each cell: the coefficient, and below it how many ${unitWords(r.unit)[0]}s were ${either}. Hover a cell for every count.` }));
    if (focused) {
      const again = grid.querySelector(`[data-cell="${CSS.escape(focused)}"]`);
      if (again) again.focus();
    }
  };

  // Arrow keys move between cells, as in a spreadsheet.
  grid.addEventListener("keydown", (e) => {
    const cell = e.target.closest(".agr-cell");
    if (!cell) return;
    const td = cell.parentElement;
    const tr = td.parentElement;
    const col = [...tr.children].indexOf(td);
    let next = null;
    if (e.key === "ArrowDown" || e.key === "j") next = tr.nextElementSibling && tr.nextElementSibling.children[col];
    else if (e.key === "ArrowUp" || e.key === "k") next = tr.previousElementSibling && tr.previousElementSibling.children[col];
    else if (e.key === "ArrowRight") next = td.nextElementSibling;
    else if (e.key === "ArrowLeft") next = td.previousElementSibling;
    else return;
    const btn = next && next.querySelector(".agr-cell");
    if (btn) {
      e.preventDefault();
      btn.focus();
    }
  });

  const choose = (cell) => {
    st.cell = cell;
    syncURL();
    for (const b of grid.querySelectorAll(".agr-cell")) {
      b.setAttribute("aria-pressed", b.dataset.cell === `${cell.code}|${cell.a}|${cell.b}` ? "true" : "false");
    }
    loadList(true);
  };

  let listSeq = 0;
  const loadList = async (scroll) => {
    const { code, a, b } = st.cell;
    const my = ++listSeq;
    if (scroll) list.replaceChildren(h("p", { class: "muted" }, h("progress", { "aria-label": "Loading the disagreements" }), " Loading the disagreements…"));
    let r;
    try {
      r = await api("GET", projectPath(pid, "agreement", "disagreements") + "?" + new URLSearchParams({ code, a, b, unit: st.unit }));
    } catch (e) {
      if (my === listSeq) list.replaceChildren(h("p", { class: "error", role: "alert", text: "Could not list the disagreements: " + e.message }));
      return;
    }
    if (my !== listSeq) return;
    drawList(r, scroll);
  };

  const drawList = (r, scroll) => {
    const { code, a, b } = st.cell;
    const review = (d) => `/p/${encodeURIComponent(slug)}/agreement/review?` + new URLSearchParams({ code, a, b, unit: st.unit, ...(st.withConsensus ? { consensus: "1" } : {}), doc: d.document, at: String(d.start) });
    const ds = r.disagreements;
    const head = h("h2", { tabindex: "-1", text: `${project.codePath(code)}: where ${project.coderName(a)} and ${project.coderName(b)} differ` });
    // Every coding of the two behind this cell, in the retrieval view.
    const out = [head, h("p", {}, h("a", { id: "agr-segments", href: segmentsHref({ code, coder: a + "," + b }), "data-link": "",
      text: `Show the codings of this code by ${project.coderName(a)} and ${project.coderName(b)} in Coded segments →` }))];
    if (!ds.length) out.push(h("p", { class: "muted", text: `No disagreements: they agree on this code (${st.unit}).` }));
    else out.push(h("p", { class: "muted", text: `${plural(ds.length, "difference")} in ${plural(new Set(ds.map((d) => d.document)).size, "document")}. Open one to compare the two layers side by side and settle it.` }));
    const ul = h("ul", { class: "agr-diffs" });
    let lastDoc = "";
    for (const d of ds) {
      if (d.document !== lastDoc) {
        lastDoc = d.document;
        ul.append(h("li", { class: "agr-doc", text: d.title }));
      }
      const other = d.coder === a ? b : a;
      const what = st.unit === "segments"
        ? `${project.coderName(d.coder)}'s coding has no match in ${project.coderName(other)}'s`
        : `${project.coderName(d.coder)} coded this; ${project.coderName(other)} did not`;
      ul.append(h("li", {},
        h("a", { class: "card item agr-diff", href: review(d), "data-link": "", "data-item": "", "data-start": String(d.start) },
          h("span", { class: "meta" }, h("span", { class: "dot", style: { backgroundColor: project.coderColour(d.coder) } }), " ", what,
            ` · characters ${d.start.toLocaleString()}–${d.end.toLocaleString()}`),
          h("span", { class: "excerpt", text: "“" + d.excerpt + (d.truncated ? "…" : "") + "”" }),
          h("span", { class: "open", text: "Review side by side →" }))));
    }
    out.push(ul);
    list.replaceChildren(...out);
    if (scroll) {
      // Not smooth: a list that moves under the pointer takes clicks meant for another item.
      head.scrollIntoView({ block: "start" });
      head.focus({ preventScroll: true });
    }
  };
  list.addEventListener("keydown", (e) => {
    const items = [...list.querySelectorAll("[data-item]")];
    const i = items.indexOf(document.activeElement);
    if (e.key === "j" || e.key === "ArrowDown") items[Math.min(items.length - 1, i + 1)]?.focus();
    else if (e.key === "k" || e.key === "ArrowUp") items[Math.max(0, i - 1)]?.focus();
    else return;
    e.preventDefault();
  });

  unitSel.addEventListener("change", () => {
    st.unit = unitSel.value;
    syncURL();
    load(true);
  });
  consensusBox.addEventListener("change", () => {
    st.withConsensus = consensusBox.checked;
    syncURL();
    load(true);
  });
  sortSel.addEventListener("change", () => {
    st.sort = sortSel.value;
    localStorage.setItem("concord.agreementSort", st.sort);
    draw();
  });

  // Live: recompute quickly (without the bootstrap) within a second of a
  // change, and no more often than that while coders keep working (a
  // debounce that restarted on every event would never fire during a busy
  // session); once changes pause for a few seconds, recompute the interval.
  let timer = 0;
  let settle = 0;
  const later = () => {
    clearTimeout(settle);
    settle = setTimeout(() => load(false), 4000);
    if (timer) return;
    timer = setTimeout(() => {
      timer = 0;
      load(false, true);
    }, 250);
  };
  const offs = [
    project.on("event", (ev) => {
      if (ev.type.startsWith("coding.") || ev.type.startsWith("code.") || ev.type.startsWith("document.") || ev.type.startsWith("assignment.") || ev.type === "member.set") later();
    }),
    project.on("reload", later),
  ];
  if (project.live) project.live.setPresence("");
  syncURL();
  await load(true);
  const first = grid.querySelector(".agr-cell");
  if (first && !st.cell) first.focus();
  return () => {
    clearTimeout(timer);
    clearTimeout(settle);
    seq++;
    listSeq++;
    offs.forEach((f) => f());
    document.title = "Concord";
  };
}
