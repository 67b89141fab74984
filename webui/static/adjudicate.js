// adjudicate.js: the side-by-side review of two coders' layers for one
// code in one document, and adjudication into the consensus layer.
//
// The disagreements endpoint gives the stretches where the two coders
// differ. Here they are grouped into cases: each case is a run of
// overlapping codings (of the code or its descendants) by either coder
// that holds at least one differing stretch — the unit a lead decides on.
// A case is settled when the consensus layer has a coding of the code
// overlapping it, or when a lead rejected it or sided with a coder who
// coded nothing there. Every ruling is recorded on the server as a
// decision (/api/projects/{pid}/decisions), keyed by the case's key, with
// the lead's reason: every lead sees it, live (decision.set /
// decision.cleared events), with who decided, when and why. For a
// rejection, or siding with a coder who coded nothing, the decision is
// the only record, since nothing is written to the consensus layer — see
// README, "Reviewing agreement and adjudicating", and docs/API.md.

import { api, projectPath } from "./api.js";
import { project } from "./state.js";
import { leadsOnly } from "./agreement.js";
import { cpSlice, cpLength, utf16ToCp } from "./offsets.js";
import { h, clear, toast, plural, rgba, dateTime } from "./ui.js";
import { CASE_WORDS, decisionWords } from "./decisionwords.js";

const CONTEXT = 160; // code points of text shown around a case

export async function mount(root, { pid }) {
  await project.open(pid);
  if (!project.isLead) return leadsOnly(root, "Review");
  const v = new Review(root, pid, new URLSearchParams(location.search));
  await v.load();
  return () => v.destroy();
}

/**
 * applyDecision applies a decision.set or decision.cleared event to the
 * decisions of the document docId (a map of case key to decision), and
 * says whether it changed them.
 */
function applyDecision(decisions, ev, docId) {
  const d = ev.payload;
  if (!d || d.document !== docId) return false;
  if (ev.type === "decision.set") decisions.set(d.key, d);
  else if (ev.type === "decision.cleared") decisions.delete(d.key);
  else return false;
  return true;
}

/** mergeSpans merges overlapping or touching [start, end) spans. */
function mergeSpans(spans) {
  const s = [...spans].sort((x, y) => x.start - y.start);
  const out = [];
  for (const x of s) {
    const last = out[out.length - 1];
    if (last && x.start <= last.end) last.end = Math.max(last.end, x.end);
    else out.push({ start: x.start, end: x.end });
  }
  return out;
}

class Review {
  constructor(root, pid, q) {
    this.root = root;
    this.pid = pid;
    this.code = q.get("code") || "";
    this.a = q.get("a") || "";
    this.b = q.get("b") || "";
    this.unit = q.get("unit") || "characters";
    this.docId = q.get("doc") || "";
    this.at = q.has("at") ? +q.get("at") : -1;
    this.withConsensus = q.get("consensus") === "1";
    this.texts = new Map(); // document id -> text
    this.diffs = [];
    this.layers = { a: [], b: [], c: [] };
    this.cases = [];
    this.offs = [];
    this.editing = null; // the open span editor: {key, code, start, end}
    this.decisions = new Map(); // case key -> the server's decision, for the document shown
    this.reasons = new Map(); // case key -> the reason typed for it, not yet sent
    this.reasonEditing = ""; // the settled case whose reason is being changed
    this.decisionLog = null; // while decisions load: the decision events that arrive meanwhile
    this.timer = 0;
    this.seq = 0;
    this.build();
  }

  build() {
    const slug = project.project.slug;
    const back = `/p/${encodeURIComponent(slug)}/agreement?` + new URLSearchParams({ unit: this.unit, ...(this.withConsensus ? { consensus: "1" } : {}), code: this.code, a: this.a, b: this.b });
    this.docSel = h("select", { "aria-label": "Document" });
    this.docSel.addEventListener("change", () => {
      this.docId = this.docSel.value;
      this.at = -1;
      this.syncURL();
      this.loadDoc(true);
    });
    this.hideSettled = h("input", { type: "checkbox", checked: localStorage.getItem("concord.hideSettled") === "1" });
    this.hideSettled.addEventListener("change", () => {
      localStorage.setItem("concord.hideSettled", this.hideSettled.checked ? "1" : "0");
      this.draw();
    });
    this.summary = h("p", { class: "muted", role: "status", "aria-live": "polite" });
    this.list = h("div", { class: "adj-cases" });
    const nameA = project.coderName(this.a);
    const nameB = project.coderName(this.b);
    this.page = h("section", { class: "page adjudicate" },
      h("a", { class: "back", href: back, "data-link": "", text: "← Agreement" }),
      h("h1", { text: `${project.codePath(this.code)}` }),
      h("p", { class: "desc" }, "Side by side: ", h("strong", { text: "A · " + nameA }), " and ", h("strong", { text: "B · " + nameB }),
        `, compared by ${this.unit}. Dotted outlines mark where they differ. Each decision is written into the consensus layer, which everyone sees live.`),
      h("div", { class: "toolbar adj-tools" }, h("label", {}, "Document ", this.docSel),
        h("label", { class: "check" }, this.hideSettled, " Hide settled"),
        h("span", { class: "muted", text: "Keys: j / k move · a side with A · b side with B · o code what either coded · r neither · e edit span" }),
        h("a", { class: "adj-download", href: projectPath(this.pid, "decisions") + "?format=csv", download: "", text: "Download all decisions (CSV)", title: "Every decision of this project, with its reason, who decided and when" })),
      this.summary, this.list);
    this.root.append(h("div", { class: "layout" }, this.page));
    document.title = "Review · Concord";
    this.list.addEventListener("keydown", (e) => this.onKey(e));
  }

  syncURL() {
    const p = new URLSearchParams({ code: this.code, a: this.a, b: this.b, unit: this.unit, ...(this.withConsensus ? { consensus: "1" } : {}), doc: this.docId });
    history.replaceState(null, "", `/p/${encodeURIComponent(project.project.slug)}/agreement/review?${p}`);
  }

  async load() {
    this.summary.replaceChildren(h("progress", { "aria-label": "Loading the disagreements" }), " Loading the disagreements…");
    await this.loadDiffs();
    if (!this.docId || !this.diffs.some((d) => d.document === this.docId)) this.docId = this.diffs.length ? this.diffs[0].document : this.docId;
    this.drawDocs();
    await this.loadDoc(true);
    this.offs.push(project.on("event", (ev) => this.onEvent(ev)));
    this.offs.push(project.on("reload", () => this.later()));
    if (project.live) project.live.setPresence(this.docId);
    this.migrateLocal();
  }

  async loadDiffs() {
    const r = await api("GET", projectPath(this.pid, "agreement", "disagreements") + "?" + new URLSearchParams({ code: this.code, a: this.a, b: this.b, unit: this.unit }));
    this.diffs = r.disagreements;
    this.a = r.a;
    this.b = r.b;
    this.code = r.code;
    this.titles = new Map(this.diffs.map((d) => [d.document, d.title]));
  }

  drawDocs() {
    const counts = new Map();
    for (const d of this.diffs) counts.set(d.document, (counts.get(d.document) || 0) + 1);
    clear(this.docSel);
    for (const [id, n] of counts) this.docSel.append(h("option", { value: id, text: `${this.titles.get(id)} (${plural(n, "difference")})` }));
    if (this.docId && !counts.has(this.docId)) this.docSel.append(h("option", { value: this.docId, text: this.docTitle || "This document (no differences left)" }));
    this.docSel.value = this.docId;
  }

  async loadDoc(first) {
    const my = ++this.seq;
    if (!this.docId) {
      this.summary.textContent = "No disagreements on this code: nothing to review.";
      clear(this.list);
      return;
    }
    if (first) this.summary.replaceChildren(h("progress", { "aria-label": "Loading the document" }), " Loading the document and both layers…");
    const codings = (coder) => api("GET", projectPath(this.pid, "codings") + "?" + new URLSearchParams({ document: this.docId, coder, code: this.code })).then((r) => r.codings);
    // A decision event that arrives while the load is out may or may not
    // be in its answer, so the events of that time are applied again on
    // top of it: each sets or removes one key, so applying one twice is
    // harmless, and none is lost. The log lasts until the answer replaces
    // this.decisions, not just until the decisions' own request returns:
    // an event that came between the two would be applied to the map
    // about to be replaced, and lost (an undone rejection came back).
    const log = (this.decisionLog = []);
    try {
      if (!this.texts.has(this.docId)) {
        const { document: doc } = await api("GET", projectPath(this.pid, "documents", this.docId));
        this.texts.set(this.docId, doc.text || "");
        this.docTitle = doc.title;
      }
      const [a, b, c, decisions] = await Promise.all([codings(this.a), codings(this.b), codings(project.consensus), this.fetchDecisions(this.docId)]);
      if (my !== this.seq) return;
      for (const ev of log) applyDecision(decisions, ev, this.docId);
      this.layers = { a, b, c };
      this.decisions = decisions;
    } catch (e) {
      if (my === this.seq) this.summary.replaceChildren(h("span", { class: "error", role: "alert", text: "Could not load the review: " + e.message }));
      return;
    } finally {
      if (this.decisionLog === log) this.decisionLog = null;
    }
    this.text = this.texts.get(this.docId);
    this.computeCases();
    this.draw();
    if (first) this.focusAt();
  }

  /** computeCases groups both coders' codings into runs of overlapping ones and keeps the runs where they differ. */
  computeCases() {
    const diffs = this.diffs.filter((d) => d.document === this.docId);
    const all = [...this.layers.a.map((c) => ({ ...c, side: "a" })), ...this.layers.b.map((c) => ({ ...c, side: "b" }))];
    all.sort((x, y) => x.start - y.start || x.end - y.end);
    const runs = [];
    for (const c of all) {
      const last = runs[runs.length - 1];
      if (last && c.start < last.end) {
        last.end = Math.max(last.end, c.end);
        last[c.side].push(c);
      } else {
        runs.push({ start: c.start, end: c.end, a: c.side === "a" ? [c] : [], b: c.side === "b" ? [c] : [] });
      }
    }
    this.cases = [];
    for (const r of runs) {
      r.diffs = diffs.filter((d) => d.start < r.end && d.end > r.start);
      if (!r.diffs.length) continue;
      r.key = [this.docId, this.code, this.a, this.b, r.start, r.end].join("|");
      this.cases.push(r);
    }
  }

  /** fetchDecisions fetches the leads' decisions on a document's cases, by case key. */
  async fetchDecisions(docId) {
    const r = await api("GET", projectPath(this.pid, "decisions") + "?" + new URLSearchParams({ document: docId }));
    return new Map(r.decisions.map((d) => [d.key, d]));
  }

  /**
   * uncodedBy says whether the case's decision leaves it uncoded: a
   * rejection, or siding with a coder who coded nothing there.
   */
  uncodedBy(cs) {
    const d = this.decisions.get(cs.key);
    if (!d) return null;
    if (d.decided === "rejected" || (d.decided === "accepted_a" && !cs.a.length) || (d.decided === "accepted_b" && !cs.b.length)) return d;
    return null;
  }

  /** settled says how a case was decided: the consensus codings over it, "uncoded", or "" while open. */
  settled(cs) {
    const over = this.layers.c.filter((c) => c.start < cs.end && c.end > cs.start);
    if (over.length) return over;
    return this.uncodedBy(cs) ? "uncoded" : "";
  }

  draw() {
    const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest("[data-case]");
    const focusedKey = focused && focused.dataset.case;
    const field = document.activeElement && document.activeElement.closest && document.activeElement.closest(".adj-edit, .adj-reason-form") ? document.activeElement.dataset.field : "";
    let done = 0;
    const cards = [];
    this.cases.forEach((cs, i) => {
      const how = this.settled(cs);
      if (how) done++;
      if (how && this.hideSettled.checked && cs.key !== focusedKey) return;
      cards.push(this.card(cs, i, how));
    });
    this.list.replaceChildren(...cards);
    const n = this.cases.length;
    this.summary.textContent = n
      ? `${plural(n, "case")} in this document, ${done} settled${done === n ? " — all done here." : "."}`
      : "The two coders no longer differ in this document.";
    if (focusedKey) {
      const again = this.list.querySelector(`[data-case="${CSS.escape(focusedKey)}"]`);
      const input = again && field && again.querySelector(`[data-field="${field}"]`);
      if (input || again) (input || again).focus({ preventScroll: true });
    }
  }

  focusAt() {
    const cards = [...this.list.querySelectorAll("[data-case]")];
    const i = this.at >= 0 ? this.cases.findIndex((c) => c.start <= this.at && this.at < c.end) : -1;
    const el = (i >= 0 && this.list.querySelector(`[data-case="${CSS.escape(this.cases[i].key)}"]`)) || cards[0];
    if (el) {
      el.scrollIntoView({ block: "center" });
      el.focus({ preventScroll: true });
    }
  }

  /** passage draws the text of [from, to) with codings tinted and the differing stretches outlined. */
  passage(from, to, codings, diffs) {
    const text = cpSlice(this.text, from, to);
    const cuts = new Set([from, to]);
    for (const x of [...codings, ...diffs]) {
      if (x.start > from && x.start < to) cuts.add(x.start);
      if (x.end > from && x.end < to) cuts.add(x.end);
    }
    const points = [...cuts].sort((x, y) => x - y);
    const el = h("div", { class: "adj-text" });
    if (from > 0) el.append(h("span", { class: "muted", text: "… " }));
    for (let k = 0; k + 1 < points.length; k++) {
      const s = points[k];
      const e = points[k + 1];
      const on = codings.filter((c) => c.start <= s && c.end >= e);
      const diff = diffs.some((d) => d.start <= s && d.end >= e);
      const span = h("span", { "data-from": String(s), text: cpSlice(text, s - from, e - from) });
      if (on.length) {
        span.classList.add("hl");
        const col = project.codeColour(on[0].code);
        span.style.backgroundColor = rgba(col, 0.28);
        span.style.borderBottomColor = col;
        span.title = on.map((c) => project.codePath(c.code)).join("\n");
      }
      if (diff) span.classList.add("diff");
      el.append(span);
    }
    if (to < cpLength(this.text)) el.append(h("span", { class: "muted", text: " …" }));
    return el;
  }

  /**
   * around returns the passage shown for a case: the case with about
   * CONTEXT code points either side, cut between words (a cut mid-word
   * read as a different word).
   */
  around(cs) {
    const len = cpLength(this.text);
    let from = Math.max(0, cs.start - CONTEXT);
    let to = Math.min(len, cs.end + CONTEXT);
    const space = (c) => /\s/u.test(c);
    if (from > 0) {
      const before = [...cpSlice(this.text, from - 1, cs.start)];
      const i = space(before[0]) ? 0 : before.findIndex(space);
      if (i > 0) from += i;
    }
    if (to < len) {
      const after = [...cpSlice(this.text, cs.end, to + 1)];
      if (!space(after[after.length - 1])) {
        let j = after.length - 1;
        while (j > 0 && !space(after[j])) j--;
        if (j > 0) to = cs.end + j;
      }
    }
    return [from, to];
  }

  card(cs, i, how) {
    const [from, to] = this.around(cs);
    const col = (side, name, codings) => h("div", { class: "adj-col" },
      h("div", { class: "adj-who" }, h("span", { class: "dot", style: { backgroundColor: project.coderColour(side) } }), " ", name,
        h("span", { class: "muted", text: codings.length ? " · " + [...new Set(codings.map((c) => project.codePath(c.code)))].join(", ") : " · did not code this" })),
      this.passage(from, to, codings, cs.diffs));
    const d = this.decisions.get(cs.key);
    const nameA = "A · " + project.coderName(this.a);
    const nameB = "B · " + project.coderName(this.b);
    const byline = (x) => {
      const who = x.by === project.me ? "you" : project.coderName(x.by);
      return { short: `decided by ${who}`, long: `Decided by ${who} on ${dateTime(x.at)}. Every lead sees this.` };
    };
    let status;
    if (how === "uncoded") {
      const by = byline(d);
      status = h("span", { class: "adj-badge uncoded" + (d.decided === "rejected" ? " rejected" : ""), text: `${decisionWords(d.decided, nameA, nameB, true)} — ${by.short}`, title: by.long });
    } else if (how) {
      // A decision to leave the case uncoded that the consensus has since
      // coded (from the reader) no longer says how it was settled.
      const by = d && !this.uncodedBy(cs) ? byline(d) : null;
      status = h("span", { class: "adj-badge settled", text: "Settled: the consensus codes " + how.map((c) => `${c.start.toLocaleString()}–${c.end.toLocaleString()}`).join(", ") +
        (by ? ` (${decisionWords(d.decided, nameA, nameB, false)}) — ${by.short}` : ""), title: by ? by.long : "" });
    } else status = h("span", { class: "adj-badge open", text: "Open" });
    const consensus = how && how !== "uncoded"
      ? h("div", { class: "adj-col adj-consensus" }, h("div", { class: "adj-who" }, h("span", { class: "dot", style: { backgroundColor: project.coderColour(project.consensus) } }), " Consensus"),
        this.passage(from, to, this.layers.c.filter((c) => c.start < to && c.end > from), []))
      : null;
    const btn = (act, text, title, fn, cls) => h("button", { class: cls || "", text, title, "data-act": act, on: { click: () => fn() } });
    const words = (kind) => CASE_WORDS[kind](cs, nameA, nameB);
    const actions = h("div", { class: "row adj-actions" },
      how
        ? btn("undo", how === "uncoded" ? "Undo this decision" : "Undo: clear the consensus here", "Reopen this case", () => this.reopen(cs, how))
        : [
          btn("a", ...words("accepted_a"), () => this.accept(cs, "a"), "primary"),
          btn("b", ...words("accepted_b"), () => this.accept(cs, "b"), "primary"),
          btn("both", ...words("accepted_both"), () => this.accept(cs, "both")),
          btn("reject", ...words("rejected"), () => this.reject(cs)),
          btn("edit", ...words("edited"), () => this.editForm(cs, card)),
        ],
      h("a", { class: "adj-open", href: `/p/${encodeURIComponent(project.project.slug)}/d/${encodeURIComponent(this.docId)}?at=${cs.start}`, "data-link": "", text: "Open in the reader" }));
    const reason = this.reasonRow(cs, how, d);
    const card = h("article", { class: "card adj-case" + (how ? " done" : ""), tabindex: "0", "data-case": cs.key, "data-start": String(cs.start),
      "aria-label": `Case ${i + 1} of ${this.cases.length}` },
    h("header", {}, h("strong", { text: `Case ${i + 1} of ${this.cases.length}` }),
      h("span", { class: "muted", text: ` · characters ${cs.start.toLocaleString()}–${cs.end.toLocaleString()}` }), status),
    h("div", { class: "adj-cols" }, col(this.a, nameA, cs.a), col(this.b, nameB, cs.b)),
    consensus, reason, actions);
    if (this.editing && this.editing.key === cs.key) card.append(this.form(cs));
    return card;
  }

  /**
   * reasonRow is where a case's reason is written: a field while the case
   * is open (sent with the decision), the reason itself once decided,
   * with a way to change it.
   */
  reasonRow(cs, how, d) {
    const field = (value, label) => {
      const input = h("input", { class: "adj-reason", "data-field": "reason", "aria-label": label, placeholder: "Why? (optional; saved with your decision, every lead sees it)", maxlength: "2000", value });
      input.addEventListener("input", () => this.reasons.set(cs.key, input.value));
      return input;
    };
    if (!how) {
      return h("label", { class: "adj-reason-form" }, h("span", { class: "adj-reason-label", text: "Reason" }), field(this.reasons.get(cs.key) || "", "Reason for your decision (optional)"));
    }
    if (!d) return null; // settled in the reader, without a decision here
    if (this.reasonEditing === cs.key) {
      const input = field(this.reasons.has(cs.key) ? this.reasons.get(cs.key) : d.reason || "", "Reason for this decision");
      const done = () => {
        this.reasonEditing = "";
        this.reasons.delete(cs.key);
        this.draw();
      };
      const form = h("form", { class: "row adj-reason-form" }, h("span", { class: "adj-reason-label", text: "Reason" }), input,
        h("button", { type: "submit", class: "primary", text: "Save reason" }), h("button", { type: "button", text: "Cancel", on: { click: done } }));
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        if (await this.record(cs, d.decided, input.value)) done();
      });
      form.addEventListener("keydown", (e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          done();
        }
      });
      return form;
    }
    return h("p", { class: "adj-reason-shown" },
      d.reason ? [h("span", { class: "adj-reason-label", text: "Reason: " }), h("span", { class: "adj-reason-text", text: d.reason })] : h("span", { class: "muted", text: "No reason given." }),
      " ", h("button", { type: "button", class: "link", "data-act": "reason", text: d.reason ? "Change the reason" : "Add a reason", on: { click: () => {
        this.reasonEditing = cs.key;
        this.draw();
        const again = this.list.querySelector(`[data-case="${CSS.escape(cs.key)}"] .adj-reason`);
        if (again) again.focus();
      } } }));
  }

  // ---- decisions ----

  // Decisions show in their case's badge, and the summary (a live region)
  // counts what is settled: a toast saying so again covered the next
  // case's buttons. Only failures get a toast, which stays until closed.

  /** write adds spans to the consensus layer and reports whether the consensus now has them. */
  async write(spans) {
    const have = new Set(this.layers.c.map((c) => `${c.code}|${c.start}|${c.end}`));
    const seen = new Set();
    const codings = [];
    for (const s of spans) {
      const k = `${s.code}|${s.start}|${s.end}`;
      if (have.has(k) || seen.has(k) || s.end <= s.start) continue;
      seen.add(k);
      codings.push({ id: crypto.randomUUID(), document: this.docId, code: s.code, coder: project.consensus, start: s.start, end: s.end });
    }
    if (!codings.length) {
      toast("The consensus layer already has exactly this.");
      return true;
    }
    try {
      const r = await api("POST", projectPath(this.pid, "codings"), { codings });
      const ids = new Set(this.layers.c.map((c) => c.id));
      for (const c of r.codings) if (!ids.has(c.id)) this.layers.c.push(c);
      this.draw();
      return true;
    } catch (e) {
      toast("Could not write to the consensus layer: " + e.message, "error");
      return false;
    }
  }

  async accept(cs, side) {
    if (side === "both") {
      const byCode = new Map();
      for (const c of [...cs.a, ...cs.b]) {
        if (!byCode.has(c.code)) byCode.set(c.code, []);
        byCode.get(c.code).push(c);
      }
      const spans = [];
      for (const [code, list] of byCode) for (const s of mergeSpans(list)) spans.push({ code, ...s });
      if (await this.write(spans)) await this.record(cs, "accepted_both");
      return;
    }
    const kind = side === "a" ? "accepted_a" : "accepted_b";
    // A coder who coded nothing here: siding with them writes nothing,
    // and the decision alone keeps the case settled.
    if (!cs[side].length) {
      await this.record(cs, kind);
      return;
    }
    if (await this.write(cs[side].map((c) => ({ code: c.code, start: c.start, end: c.end })))) await this.record(cs, kind);
  }

  /** decisionFor is the body that records a decision on a case of the document shown. */
  decisionFor(cs, decided, reason) {
    return { key: cs.key, document: this.docId, code: this.code, coder_a: this.a, coder_b: this.b, start: cs.start, end: cs.end, decided, reason };
  }

  /**
   * record stores the lead's decision on a case with its reason (the one
   * typed into the case, unless given), and reports whether it was stored.
   */
  async record(cs, decided, reason) {
    const why = (reason !== undefined ? reason : this.reasons.get(cs.key) || "").trim();
    try {
      const r = await api("PUT", projectPath(this.pid, "decisions"), this.decisionFor(cs, decided, why));
      if (r.decision.document === this.docId) this.decisions.set(r.decision.key, r.decision);
      this.reasons.delete(cs.key);
      this.draw();
      return true;
    } catch (e) {
      toast("Could not record the decision: " + e.message, "error");
      return false;
    }
  }

  reject(cs) {
    return this.record(cs, "rejected");
  }

  async reopen(cs, how) {
    if (how !== "uncoded") {
      try {
        await api("POST", projectPath(this.pid, "codings", "delete"), { ids: how.map((c) => c.id) });
        const gone = new Set(how.map((c) => c.id));
        this.layers.c = this.layers.c.filter((c) => !gone.has(c.id));
      } catch (e) {
        toast("Could not change the consensus layer: " + e.message, "error");
        return;
      }
    }
    if (this.decisions.has(cs.key)) {
      try {
        await api("DELETE", projectPath(this.pid, "decisions") + "?" + new URLSearchParams({ key: cs.key }));
      } catch (e) {
        // 404: another lead took it back first, which is what was wanted.
        if (e.status !== 404) {
          toast("Could not undo the decision: " + e.message, "error");
          return;
        }
      }
      this.decisions.delete(cs.key);
    }
    this.draw();
  }

  /** editForm opens the span editor of a case. Its state lives in this.editing, so a live redraw keeps it open. */
  editForm(cs, card) {
    if (!this.editing || this.editing.key !== cs.key) {
      const old = card.querySelector(".adj-edit");
      if (old) old.remove();
      const codes = this.editCodes(cs);
      this.editing = { key: cs.key, code: codes.includes(this.code) ? this.code : codes[0], start: cs.start, end: cs.end };
    }
    if (!card.querySelector(".adj-edit")) card.append(this.form(cs));
    card.querySelector(".adj-edit input").focus();
  }

  /** editCodes are the codes a consensus coding of a case may have: the coders' codes there and the row's code. */
  editCodes(cs) {
    const codes = new Set([...cs.a, ...cs.b].map((c) => c.code));
    const row = project.codes.get(this.code);
    if (row && row.codable !== false) codes.add(this.code);
    return [...codes];
  }

  form(cs) {
    const ed = this.editing;
    const codeSel = h("select", { "aria-label": "Code", "data-field": "code" }, this.editCodes(cs).map((id) => h("option", { value: id, text: project.codePath(id) })));
    codeSel.value = ed.code;
    const len = cpLength(this.text);
    const num = (field, label) => h("input", { type: "number", min: "0", max: String(len), value: String(ed[field]), "aria-label": label, "data-field": field });
    const start = num("start", "Start (character)");
    const end = num("end", "End (character)");
    const preview = h("p", { class: "adj-preview" });
    const valid = () => ed.end > ed.start && ed.start >= 0 && ed.end <= len;
    const update = () => {
      ed.code = codeSel.value;
      ed.start = +start.value;
      ed.end = +end.value;
      preview.textContent = valid() ? "“" + cpSlice(this.text, ed.start, ed.end) + "”" : "Choose a start before the end, inside the document.";
    };
    const useSel = () => {
      const r = this.selectionIn(form.closest("[data-case]"));
      if (!r) {
        toast("Select some text in this case first.");
        return;
      }
      start.value = String(r.start);
      end.value = String(r.end);
      update();
    };
    const close = () => {
      this.editing = null;
      form.remove();
    };
    const form = h("form", { class: "adj-edit stack" },
      h("div", { class: "row" }, h("label", {}, "Code ", codeSel), h("label", {}, "Start ", start), h("label", {}, "End ", end),
        h("button", { type: "button", text: "Use the selected text", on: { mousedown: (e) => e.preventDefault(), click: useSel } })),
      preview,
      h("div", { class: "row" }, h("button", { type: "submit", class: "primary", text: "Save to consensus" }),
        h("button", { type: "button", text: "Cancel", on: { click: close } })));
    for (const el of [codeSel, start, end]) el.addEventListener("input", update);
    form.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        const card = form.closest("[data-case]");
        close();
        if (card) card.focus();
      }
    });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      update();
      if (!valid()) return;
      if (await this.write([{ code: ed.code, start: ed.start, end: ed.end }])) {
        this.editing = null;
        await this.record(cs, "edited");
      }
    });
    update();
    return form;
  }

  /** selectionIn maps the text selected inside a case's passages to code points. */
  selectionIn(card) {
    const s = getSelection();
    if (!s.rangeCount || s.isCollapsed) return null;
    const r = s.getRangeAt(0);
    const point = (node, off, round) => {
      const el = (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
      const span = el && el.closest("[data-from]");
      if (!span || !card.contains(span)) return null;
      const u = node.nodeType === Node.TEXT_NODE ? off : (off ? span.textContent.length : 0);
      return +span.dataset.from + utf16ToCp(span.textContent, u, round);
    };
    const a = point(r.startContainer, r.startOffset, "floor");
    const b = point(r.endContainer, r.endOffset, "ceil");
    return a !== null && b !== null && b > a ? { start: a, end: b } : null;
  }

  // ---- keys and live ----

  onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.target.closest("input, select, textarea, form")) return;
    const card = e.target.closest("[data-case]");
    if (!card) return;
    const cards = [...this.list.querySelectorAll("[data-case]")];
    const i = cards.indexOf(card);
    const cs = this.cases.find((c) => c.key === card.dataset.case);
    const how = cs && this.settled(cs);
    const act = { a: () => this.accept(cs, "a"), b: () => this.accept(cs, "b"), o: () => this.accept(cs, "both"), r: () => this.reject(cs), e: () => this.editForm(cs, card) }[e.key];
    if (e.key === "j" || e.key === "ArrowDown") cards[Math.min(cards.length - 1, i + 1)].focus();
    else if (e.key === "k" || e.key === "ArrowUp") cards[Math.max(0, i - 1)].focus();
    else if (act) {
      // A settled case ignores the decision keys, but still takes them:
      // "a" would otherwise fall through to the project's shortcut.
      if (cs && !how) act();
    } else return;
    e.preventDefault();
  }

  onEvent(ev) {
    const p = ev.payload || {};
    if (ev.type.startsWith("coding.")) {
      const c = ev.type === "coding.deleted" ? p.coding : p;
      if (c && c.document === this.docId && [this.a, this.b, project.consensus].includes(c.coder)) this.later();
    } else if (ev.type === "code.deleted" || ev.type === "code.merged") {
      this.later();
    } else if (ev.type === "decision.set" || ev.type === "decision.cleared") {
      // Another lead's decision (or this tab's own, again): shown at once.
      if (this.decisionLog) this.decisionLog.push(ev);
      if (applyDecision(this.decisions, ev, this.docId)) this.draw();
    }
  }

  /**
   * migrateLocal hands over the rejections this browser kept before the
   * server recorded them (localStorage "concord.rejected.<project id>", a
   * list of case keys), once, then removes the list. A key holds all a
   * decision needs (document|code|a|b|start|end), so each one is sent,
   * whether its case is on screen or not; the server refuses those whose
   * document or code is gone, and they are dropped. Only a failure to
   * reach the server keeps the list, to try again next time.
   */
  async migrateLocal() {
    const name = "concord.rejected." + project.project.id;
    let keys;
    try {
      keys = JSON.parse(localStorage.getItem(name) || "[]");
    } catch {
      keys = [];
    }
    if (!Array.isArray(keys) || !keys.length) {
      try { localStorage.removeItem(name); } catch { /* storage may be off */ }
      return;
    }
    let sent = 0;
    for (const key of keys) {
      if (this.closed) return; // the review was left: the rest goes next time
      const [document, code, a, b, start, end, ...rest] = String(key).split("|");
      if (rest.length || !/^\d+$/.test(start || "") || !/^\d+$/.test(end || "")) continue;
      try {
        const r = await api("PUT", projectPath(this.pid, "decisions"), { key, document, code, coder_a: a, coder_b: b, start: +start, end: +end, decided: "rejected" });
        sent++;
        if (r.decision.document === this.docId) this.decisions.set(r.decision.key, r.decision);
      } catch (e) {
        if (e.network) return; // offline: keep the list for the next review
      }
    }
    try { localStorage.removeItem(name); } catch { /* storage may be off */ }
    if (sent) {
      toast(`${plural(sent, "rejection")} kept in this browser ${sent === 1 ? "is" : "are"} now shared with every lead.`, "ok");
      this.draw();
    }
  }

  /** later refreshes soon after a change, at most every 400 ms while changes keep coming. */
  later() {
    if (this.timer) return;
    this.timer = setTimeout(async () => {
      this.timer = 0;
      try {
        await this.loadDiffs();
        this.drawDocs();
      } catch (e) {
        toast("Could not refresh the disagreements: " + e.message, "error");
        return;
      }
      this.loadDoc(false);
    }, 400);
  }

  destroy() {
    this.closed = true;
    clearTimeout(this.timer);
    this.seq++;
    this.offs.forEach((f) => f());
    document.title = "Concord";
    if (project.live) project.live.setPresence("");
  }
}
