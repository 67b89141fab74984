// reader.js: the document reader. It shows the text with every visible
// coding as stacked coloured bars, lets me select text and code it from the
// keyboard, shows others' codings and selections live, and stays smooth on
// long documents by rendering only the blocks near the viewport.
//
// Offsets: each block knows its first code point, so a DOM position maps to
// a code point by counting only within its block (offsets.js does the
// UTF-16 to code point arithmetic).

import { api, projectPath } from "./api.js";
import { sideToggle } from "./sidepanel.js";
import { project } from "./state.js";
import { outbox } from "./outbox.js";
import { history } from "./undo.js";
import { navigate } from "./nav.js";
import { openPicker, closePicker } from "./picker.js";
import { splitBlocks, blockAt, utf16ToCp, cpToUtf16, cpSlice } from "./offsets.js";
import { h, clear, toast, avatar, plural, rgba } from "./ui.js";
import * as codebook from "./codebook.js";
import { doneControl } from "./assignments.js";
import { documentDeleted, neighbourLinks } from "./docmanage.js";
import { Margin } from "./margin.js";
import { Caret } from "./caret.js";
import { announce, announceSoon } from "./announce.js";
import { readerMemos } from "./memos.js";

const LANES = 4; // bars drawn under a piece of text; more overlaps show as a grey "more" bar
const BAR = 3; // px
const STEP = 4; // px between bar tops
const MARGIN = "1500px 0px"; // render blocks this far outside the viewport

export async function mount(root, { pid, did }) {
  await project.open(pid);
  const r = new Reader(root, pid, did);
  await r.load();
  return () => r.destroy();
}

function short(s, n = 40) {
  const a = [...s];
  return a.length > n ? a.slice(0, n - 1).join("") + "…" : s;
}

class Reader {
  constructor(root, pid, did) {
    this.root = root;
    this.pid = pid;
    this.did = did;
    this.text = "";
    this.blocks = [];
    this.server = new Map(); // id -> coding as the server has it
    this.buckets = []; // block index -> Set of server coding ids
    this.over = new Map(); // id -> coding (pending) or null (pending delete)
    this.expect = new Map(); // id -> [{kind, at}] own changes applied from HTTP answers whose events are still to come
    this.loadedSeq = 0;
    this.rendered = new Set();
    this.wanted = new Set();
    this.dirty = new Set();
    this.frame = 0;
    this.sel = null; // {start, end} in code points
    this.picking = null; // the range being coded while the picker is open
    this.others = []; // presence of others in this document
    this.panel = null;
    this.offs = [];
    this.layers = this.loadLayers();
    this.colourBy = localStorage.getItem("concord.colourBy") || "code";
    this.writeLayer = "me";
    this.build();
  }

  // ---- layout ----

  build() {
    const p = project.project;
    this.back = h("a", { class: "back", href: "/p/" + encodeURIComponent(p.slug), "data-link": "", text: "← Documents", title: "Back to the documents (b)" });
    this.titleEl = h("h1", { class: "doc-title", text: "Loading…" });
    this.nav = neighbourLinks(this.pid, this.did);
    this.here = h("span", { class: "here", "aria-label": "Who has this document open" });
    this.layerBar = h("div", { class: "layers", role: "toolbar", "aria-label": "Layers shown" });
    this.status = h("div", { class: "reader-status", role: "status", "aria-live": "polite" });
    this.progress = h("div", { class: "loading" }, h("p", { text: "Loading the document…" }), h("progress", { max: "1", "aria-label": "Loading the document" }));
    this.docEl = h("div", { class: "doc-text", "aria-label": "Document text. Select text and press c to code it.", lang: "" });
    this.scroller = h("div", { class: "scroller", tabindex: "-1" }, this.progress, this.docEl);
    this.codeBtn = h("button", { class: "code-btn", hidden: true, title: "Code the selection (c)", text: "Code  c" });
    // Mark done: "read and coded, possibly with nothing" (assignments.js).
    this.done = project.canCode ? doneControl(this.pid, this.did) : null;
    const main = h("section", { class: "reader", "aria-label": "Document" },
      h("header", { class: "reader-head" }, h("div", { class: "title-row" }, this.back, this.nav.el, this.titleEl, this.here, this.done && this.done.el), this.layerBar),
      this.scroller, this.status);
    this.side = h("aside", { class: "side", "aria-label": "Codebook" });
    this.page = h("div", { class: "layout reader-layout" }, main, this.side);
    // On a narrow window the codebook folds away behind a button (sidepanel.js).
    this.titleEl.after(sideToggle(this.page, this.side));
    this.root.append(this.page);
    document.body.append(this.codeBtn);
    this.codeBtn.addEventListener("mousedown", (e) => e.preventDefault());
    this.codeBtn.addEventListener("click", () => this.pick());
  }

  async load() {
    const bar = this.progress.querySelector("progress");
    const { document: doc } = await api("GET", projectPath(this.pid, "documents", this.did), undefined, {
      onProgress: (got, total) => {
        if (total) bar.value = got / total;
      },
    });
    this.doc = doc;
    this.text = doc.text || "";
    this.titleEl.textContent = doc.title;
    document.title = doc.title + " · Concord";
    this.progress.querySelector("p").textContent = "Loading codings…";
    bar.removeAttribute("value");
    await this.loadCodings();
    this.memos = await readerMemos(this); // memos on the document and its passages (memos.js)
    this.progress.remove();
    this.blocks = splitBlocks(this.text, 3000);
    this.buckets = this.blocks.map(() => new Set());
    for (const c of this.server.values()) this.bucketAdd(c);
    this.computeOverlay(false);
    this.margin = new Margin(this); // first: it narrows the text that layout() measures
    this.layout();
    this.caret = new Caret(this);
    this.drawLayers();
    this.sideUnmount = codebook.mount(this.side, { counts: () => this.counts() });
    this.listen();
    this.presence();
    this.drawOthers(project.live ? project.live.online : []);
    this.drawStatus();
    this.scroller.focus({ preventScroll: true });
    // ?at=START-END (search, retrieval) selects a passage; ?at=N (the
    // review of a disagreement) scrolls to a position.
    const at = /^(\d+)(?:-(\d+))?$/.exec(new URLSearchParams(location.search).get("at") || "");
    if (at && at[2] !== undefined) this.reveal(Number(at[1]), Number(at[2]));
    else if (at) this.scrollToCp(Number(at[1]));
  }

  /** reveal scrolls to [start, end) and selects it. */
  reveal(start, end) {
    const length = this.blocks.length ? this.blocks[this.blocks.length - 1].cpEnd : 0;
    if (start >= end || end > length) return;
    this.scrollToCp(start);
    this.select(start, end);
  }

  /** scrollToCp brings code point cp into view, a third of the way down. */
  scrollToCp(cp) {
    if (!this.blocks.length || !(cp >= 0)) return;
    const i = blockAt(this.blocks, cp);
    this.els[i].scrollIntoView({ block: "start" });
    const [n, o] = this.cpToPoint(cp); // draws the block if it is not yet
    const r = document.createRange();
    r.setStart(n, o);
    const rect = r.getBoundingClientRect();
    const box = this.scroller.getBoundingClientRect();
    this.scroller.scrollTop += rect.top - box.top - box.height / 3;
  }

  async loadCodings() {
    const r = await api("GET", projectPath(this.pid, "documents", this.did, "codings"));
    this.server = new Map(r.codings.map((c) => [c.id, c]));
    this.loadedSeq = r.seq;
    this.expect.clear();
  }

  /** reload fetches every coding again (after a code was deleted or merged, a reset, or blind changed). */
  async reload() {
    try {
      await this.loadCodings();
    } catch (e) {
      toast("Could not reload the codings: " + e.message, "error");
      return;
    }
    this.buckets = this.blocks.map(() => new Set());
    for (const c of this.server.values()) this.bucketAdd(c);
    this.computeOverlay(false);
    this.drawLayers();
    this.invalidateAll();
  }

  layout() {
    // Estimate each block's height from a measured line height and average
    // character width; a block's real height replaces the estimate once it
    // has been drawn.
    const probe = h("div", { class: "block probe" }, h("span", { text: this.text.slice(0, 400).replace(/\s+/g, " ") || "x" }));
    this.docEl.append(probe);
    const span = probe.firstChild;
    span.style.whiteSpace = "nowrap";
    const charW = span.getBoundingClientRect().width / Math.max(1, span.textContent.length) || 8;
    const lineH = span.getBoundingClientRect().height ? parseFloat(getComputedStyle(probe).lineHeight) || 38 : 38;
    const width = probe.clientWidth || 700;
    probe.remove();
    const perLine = Math.max(10, Math.floor(width / charW));
    this.els = this.blocks.map((b) => {
      let lines = 0;
      for (const line of b.text.split("\n")) lines += Math.max(1, Math.ceil(line.length / perLine));
      if (b.text.endsWith("\n")) lines--;
      const el = h("div", { class: "block", "data-i": String(b.index) });
      el.style.height = Math.max(1, lines) * lineH + "px";
      return el;
    });
    this.docEl.append(...this.els);
    this.io = new IntersectionObserver((entries) => {
      for (const e of entries) {
        const i = +e.target.dataset.i;
        if (e.isIntersecting) this.wanted.add(i);
        else this.wanted.delete(i);
      }
      this.schedule();
    }, { root: this.scroller, rootMargin: MARGIN });
    for (const el of this.els) this.io.observe(el);
  }

  // ---- data ----

  blockRange(start, end) {
    if (!this.blocks.length) return [0, -1];
    return [blockAt(this.blocks, start), blockAt(this.blocks, Math.max(start, end - 1))];
  }

  bucketAdd(c) {
    const [a, b] = this.blockRange(c.start, c.end);
    for (let i = a; i <= b; i++) this.buckets[i].add(c.id);
  }

  bucketRemove(c) {
    const [a, b] = this.blockRange(c.start, c.end);
    for (let i = a; i <= b; i++) this.buckets[i].delete(c.id);
  }

  invalidate(start, end) {
    const [a, b] = this.blockRange(start, end);
    for (let i = a; i <= b; i++) if (this.rendered.has(i)) this.dirty.add(i);
    this.schedule();
  }

  invalidateAll() {
    for (const i of this.rendered) this.dirty.add(i);
    this.schedule();
  }

  setServer(c) {
    const old = this.server.get(c.id);
    if (old) {
      this.bucketRemove(old);
      this.invalidate(old.start, old.end);
    }
    this.server.set(c.id, c);
    this.bucketAdd(c);
    this.invalidate(c.start, c.end);
  }

  deleteServer(id) {
    const old = this.server.get(id);
    if (!old) return;
    this.bucketRemove(old);
    this.server.delete(id);
    this.invalidate(old.start, old.end);
  }

  /** computeOverlay lays my queued changes over the server's codings. */
  computeOverlay(redraw = true) {
    const before = this.over;
    const over = new Map();
    for (const op of outbox.pending(this.pid, this.did)) {
      if (op.kind === "add") {
        if (!this.server.has(op.id) || over.get(op.id) === null) over.set(op.id, { ...op.coding, pending: true });
      } else if (op.kind === "delete") {
        over.set(op.id, null);
      } else {
        const base = over.has(op.id) ? over.get(op.id) : this.server.get(op.id);
        if (base) over.set(op.id, { ...base, ...op.fields, pending: true });
      }
    }
    this.over = over;
    if (!redraw) return;
    for (const m of [before, over]) {
      for (const [id, c] of m) {
        if (c) this.invalidate(c.start, c.end);
        const s = this.server.get(id);
        if (s) this.invalidate(s.start, s.end);
      }
    }
    this.drawStatus();
  }

  /** coding returns what I should see for an id: the queued version if any, else the server's. */
  coding(id) {
    return this.over.has(id) ? this.over.get(id) : this.server.get(id);
  }

  visible(c) {
    return c && this.layers.has(c.coder);
  }

  /** codingsIn lists the visible codings that touch [start, end). */
  codingsIn(start, end) {
    const ids = new Set();
    const [a, b] = this.blockRange(start, end);
    for (let i = a; i <= b; i++) for (const id of this.buckets[i] || []) ids.add(id);
    for (const id of this.over.keys()) ids.add(id);
    const out = [];
    for (const id of ids) {
      const c = this.coding(id);
      if (this.visible(c) && c.start < end && c.end > start) out.push(c);
    }
    return out;
  }

  counts() {
    const m = new Map();
    const seen = new Set([...this.server.keys(), ...this.over.keys()]);
    for (const id of seen) {
      const c = this.coding(id);
      if (this.visible(c)) m.set(c.code, (m.get(c.code) || 0) + 1);
    }
    return m;
  }

  // ---- rendering ----

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.flush();
    });
  }

  flush() {
    if (!this.els) return;
    const keep = this.keepRange();
    for (const i of this.wanted) {
      if (!this.rendered.has(i) || this.dirty.has(i)) this.renderBlock(i);
    }
    for (const i of [...this.rendered]) {
      if (this.wanted.has(i)) continue;
      if (keep && i >= keep[0] && i <= keep[1]) {
        if (this.dirty.has(i)) this.renderBlock(i);
        continue;
      }
      const el = this.els[i];
      el.style.height = el.offsetHeight + "px";
      clear(el);
      this.rendered.delete(i);
    }
    this.dirty.clear();
    if (this.restore) {
      const r = this.restore;
      this.restore = null;
      this.select(r.start, r.end);
    }
    if (this.margin) this.margin.later();
    if (this.caret) this.caret.afterFlush();
    if (this.sideUnmount) this.sideUnmount.refresh();
    this.placeButton();
  }

  /** keepRange: blocks that hold the selection stay drawn, or it would be lost. */
  keepRange() {
    const s = this.picking || this.sel;
    if (!s || !this.blocks.length) return null;
    return this.blockRange(s.start, s.end);
  }

  renderBlock(i) {
    const b = this.blocks[i];
    const el = this.els[i];
    const s = this.picking || this.sel;
    const hadSelection = s && s.start < b.cpEnd && s.end > b.cpStart && this.rendered.has(i);
    // Ranges to draw: codings, others' selections, and mine while picking.
    const codings = this.codingsIn(b.cpStart, b.cpEnd);
    codings.sort((x, y) => x.start - y.start || y.end - x.end || (x.id < y.id ? -1 : 1));
    const laneEnd = [];
    const lane = new Map();
    for (const c of codings) {
      let l = laneEnd.findIndex((e) => e <= c.start);
      if (l < 0) {
        l = laneEnd.length;
        laneEnd.push(0);
      }
      laneEnd[l] = c.end;
      lane.set(c.id, l);
    }
    const marks = [];
    for (const o of this.others) {
      if (o.start < b.cpEnd && o.end > b.cpStart && o.end > o.start) marks.push({ start: o.start, end: o.end, colour: o.colour, name: o.name });
    }
    if (this.picking) marks.push({ start: this.picking.start, end: this.picking.end, colour: "#3b6fd8", name: "", mine: true });
    const cuts = new Set([b.cpStart, b.cpEnd]);
    for (const c of codings) {
      cuts.add(Math.max(b.cpStart, c.start));
      cuts.add(Math.min(b.cpEnd, c.end));
    }
    const anchors = this.memos ? this.memos.anchorsIn(b.cpStart, b.cpEnd) : [];
    for (const m of [...marks, ...anchors]) {
      cuts.add(Math.max(b.cpStart, m.start));
      cuts.add(Math.min(b.cpEnd, m.end));
    }
    const points = [...cuts].sort((x, y) => x - y);
    const frag = document.createDocumentFragment();
    let u = 0; // UTF-16 position in b.text of the current point
    let cpAt = b.cpStart;
    for (let k = 0; k + 1 < points.length; k++) {
      const from = points[k];
      const to = points[k + 1];
      if (to <= from) continue;
      const du = cpToUtf16(b.text.slice(u), to - cpAt);
      const text = b.text.slice(u, u + du);
      u += du;
      cpAt = to;
      const on = codings.filter((c) => c.start <= from && c.end >= to);
      const mk = marks.filter((m) => m.start <= from && m.end >= to);
      const am = anchors.filter((a) => a.start <= from && a.end >= to);
      if (am.length) this.memos.pinsAt(frag, am, from);
      if (!on.length && !mk.length && !am.length) {
        frag.append(text);
        continue;
      }
      const seg = h("span", { class: "seg" }, text);
      if (on.length) this.paint(seg, on, lane);
      if (mk.length) {
        const m = mk[mk.length - 1];
        seg.classList.add(m.mine ? "picking" : "presence");
        seg.style.backgroundColor = rgba(m.colour, m.mine ? 0.22 : 0.16);
        if (!m.mine) seg.dataset.presence = mk.map((x) => x.name).join(", ");
      }
      if (am.length) this.memos.mark(seg, am);
      frag.append(seg);
    }
    el.replaceChildren(frag);
    el.style.height = "";
    this.rendered.add(i);
    this.dirty.delete(i);
    if (this.margin) this.margin.touch(i);
    if (hadSelection && !this.picking && this.sel) this.restore = { ...this.sel };
  }

  paint(seg, on, lane) {
    seg.classList.add("coded");
    seg.dataset.codings = on.map((c) => c.id).join(" ");
    if (on.some((c) => c.pending)) seg.dataset.pending = "";
    const layers = [];
    const pos = [];
    const size = [];
    on.sort((x, y) => lane.get(x.id) - lane.get(y.id));
    let more = false;
    for (const c of on) {
      const l = lane.get(c.id);
      if (l >= LANES) {
        more = true;
        continue;
      }
      const col = this.colourBy === "coder" ? project.coderColour(c.coder) : project.codeColour(c.code);
      layers.push(c.pending
        ? `repeating-linear-gradient(90deg, ${col} 0 5px, transparent 5px 8px)`
        : `linear-gradient(${col}, ${col})`);
      pos.push(`0 calc(100% - ${(LANES - 1 - l) * STEP}px)`);
      size.push(`100% ${BAR}px`);
    }
    if (more) {
      layers.push("linear-gradient(#888, #888)");
      pos.push("0 100%");
      size.push(`100% ${BAR}px`);
    }
    // A light tint over the letters themselves, stronger where codings pile up.
    const first = on[0];
    const tint = rgba(this.colourBy === "coder" ? project.coderColour(first.coder) : project.codeColour(first.code), Math.min(0.32, 0.1 + 0.05 * (on.length - 1)));
    layers.push(`linear-gradient(${tint}, ${tint})`);
    pos.push("0 0");
    size.push(`100% calc(100% - ${LANES * STEP}px)`);
    seg.style.backgroundImage = layers.join(", ");
    seg.style.backgroundPosition = pos.join(", ");
    seg.style.backgroundSize = size.join(", ");
  }

  // ---- selection: DOM positions <-> code points ----

  /** pointToCp maps a DOM boundary point inside the document to a code point offset. */
  pointToCp(node, offset, round) {
    const elOf = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    if (!elOf) return null;
    let blockEl = elOf.closest(".block");
    if (!blockEl || !this.docEl.contains(blockEl)) {
      if (node !== this.docEl) return null;
      // A point between blocks: the start of the block after it.
      const next = this.docEl.children[offset];
      if (!next) return this.text.length ? this.blocks[this.blocks.length - 1].cpEnd : 0;
      blockEl = next;
      node = next;
      offset = 0;
    }
    const b = this.blocks[+blockEl.dataset.i];
    if (!this.rendered.has(b.index)) return round === "ceil" ? b.cpEnd : b.cpStart;
    const r = document.createRange();
    r.setStart(blockEl, 0);
    r.setEnd(node, offset);
    return b.cpStart + utf16ToCp(b.text, r.toString().length, round);
  }

  /** cpToPoint maps a code point offset to a DOM boundary point (its block must be drawn). */
  cpToPoint(cp) {
    const i = blockAt(this.blocks, cp);
    const b = this.blocks[i];
    const el = this.els[i];
    if (!this.rendered.has(i)) this.renderBlock(i);
    let left = cpToUtf16(b.text, cp - b.cpStart);
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let last = null;
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (left <= n.length) return [n, left];
      left -= n.length;
      last = n;
    }
    return last ? [last, last.length] : [el, 0];
  }

  select(start, end) {
    const [sn, so] = this.cpToPoint(start);
    const [en, eo] = this.cpToPoint(end);
    const r = document.createRange();
    r.setStart(sn, so);
    r.setEnd(en, eo);
    const s = getSelection();
    s.removeAllRanges();
    s.addRange(r);
  }

  onSelection() {
    if (this.picking) return;
    const s = getSelection();
    if (!s.rangeCount || s.isCollapsed) {
      if (this.sel) {
        this.sel = null;
        this.afterSelection();
      }
      return;
    }
    const r = s.getRangeAt(0);
    if (!this.docEl.contains(r.commonAncestorContainer)) return;
    const start = this.pointToCp(r.startContainer, r.startOffset, "floor");
    const end = this.pointToCp(r.endContainer, r.endOffset, "ceil");
    const sel = start !== null && end !== null && end > start ? { start, end } : null;
    if (sel && this.sel && sel.start === this.sel.start && sel.end === this.sel.end) {
      this.placeButton();
      return;
    }
    this.sel = sel;
    this.afterSelection();
  }

  afterSelection() {
    this.presence();
    this.placeButton();
    this.drawStatus();
    if (this.sel) {
      this.closePanel();
      const { start, end } = this.sel;
      announceSoon(() => `${plural(end - start, "character")} selected: “${short(cpSlice(this.text, start, end), 60)}”. Press c to code.`);
    }
  }

  placeButton() {
    const s = getSelection();
    if (!this.sel || this.picking || !project.canCode || !s.rangeCount) {
      this.codeBtn.hidden = true;
      return;
    }
    const rects = s.getRangeAt(0).getClientRects();
    const last = rects[rects.length - 1];
    const box = this.scroller.getBoundingClientRect();
    if (!last || last.bottom < box.top || last.top > box.bottom) {
      this.codeBtn.hidden = true;
      return;
    }
    this.codeBtn.hidden = false;
    this.codeBtn.style.left = Math.min(window.innerWidth - 90, last.right + 6) + "px";
    this.codeBtn.style.top = Math.max(box.top, last.bottom + 4) + "px";
  }

  presence() {
    if (!project.live) return;
    const s = this.picking || this.sel;
    project.live.setPresence(this.did, s ? s.start : 0, s ? s.end : 0);
  }

  // ---- coding ----

  /** pick opens the code picker for the current selection. */
  pick() {
    if (!this.sel) {
      toast("Select some text first, then press c.");
      return;
    }
    if (!project.canCode) {
      toast("Viewers cannot code. Ask a lead to make you a coder.", "error");
      return;
    }
    const range = { ...this.sel };
    const s = getSelection();
    const rects = s.rangeCount ? s.getRangeAt(0).getClientRects() : [];
    const rect = rects.length ? rects[rects.length - 1] : null;
    this.picking = range;
    this.codeBtn.hidden = true;
    this.invalidate(range.start, range.end);
    const into = this.writeLayer === "consensus" ? " (consensus)" : "";
    openPicker(rect, {
      title: `Code “${short(cpSlice(this.text, range.start, range.end))}”${into}`,
      onApply: (ids) => this.apply(ids, range),
      onClose: () => {
        this.picking = null;
        this.invalidate(range.start, range.end);
        this.presence();
      },
    });
  }

  apply(codeIds, range) {
    const coder = this.writeLayer === "consensus" && project.isLead ? project.consensus : project.me;
    const codings = [];
    for (const code of codeIds) {
      const dup = this.codingsIn(range.start, range.end).find((c) => c.code === code && c.coder === coder && c.start === range.start && c.end === range.end);
      if (dup) {
        toast(`“${project.codePath(code)}” is already on exactly this text.`);
        continue;
      }
      codings.push({
        id: crypto.randomUUID(), project: project.project.id, document: this.did, code, coder,
        start: range.start, end: range.end, memo: "", created: new Date().toISOString(),
      });
    }
    if (!codings.length) return;
    outbox.add(this.pid, codings);
    history.record({ kind: "add", pid: this.pid, codings });
    getSelection().removeAllRanges();
    this.sel = null;
    this.afterSelection();
    announce(`Coded ${codings.map((c) => `“${project.codePath(c.code)}”`).join(", ")} on “${short(cpSlice(this.text, range.start, range.end), 60)}”.`);
    // The caret waits at the start of what was coded: Tab goes to it.
    if (this.caret) this.caret.cp = range.start;
  }

  // ---- the panel of a highlight ----

  openPanel(ids, rect) {
    this.closePanel();
    const list = h("ul", { class: "coding-list" });
    const box = h("div", { class: "coding-panel", role: "dialog", "aria-label": "Codings here" },
      h("div", { class: "panel-head" }, h("strong", { text: ids.length === 1 ? "Coding" : `${ids.length} codings here` }),
        h("button", { class: "link close", "aria-label": "Close", text: "×", on: { click: () => this.closePanel() } })), list);
    for (const id of ids) {
      const c = this.coding(id);
      if (!c) continue;
      const mine = project.canEdit(c.coder);
      const memo = h("textarea", { rows: "2", "aria-label": "Memo", placeholder: mine ? "Add a memo…" : "" });
      memo.value = c.memo || "";
      memo.readOnly = !mine;
      const actions = mine ? h("div", { class: "row" },
        h("button", { text: "Change code", on: { click: () => this.changeCode(c, rect) } }),
        h("button", { text: "Save memo", on: { click: () => this.saveMemo(c, memo.value) } }),
        h("button", { class: "danger", text: "Delete", on: { click: () => this.remove(c) } })) : null;
      list.append(h("li", { "data-coding": c.id },
        h("div", { class: "code-line" }, h("span", { class: "swatch", style: { backgroundColor: project.codeColour(c.code) } }),
          h("span", { class: "path", text: project.codePath(c.code) })),
        h("div", { class: "meta" }, h("span", { class: "dot", style: { backgroundColor: project.coderColour(c.coder) } }),
          ` ${project.coderName(c.coder)} · “${short(cpSlice(this.text, c.start, c.end), 60)}”`, c.pending ? h("em", { text: " · saving…" }) : null),
        (mine || c.memo) ? memo : null, actions));
    }
    document.body.append(box);
    const w = Math.min(360, window.innerWidth - 16);
    box.style.width = w + "px";
    box.style.left = Math.max(8, Math.min(window.innerWidth - w - 8, rect.left)) + "px";
    const top = rect.bottom + 8;
    box.style.top = (top + box.offsetHeight > window.innerHeight - 8 ? Math.max(8, rect.top - box.offsetHeight - 8) : top) + "px";
    box.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        this.closePanel();
        this.scroller.focus({ preventScroll: true });
      }
    });
    this.panel = box;
    const first = box.querySelector("textarea:not([readonly]), .coding-list button");
    (first || box.querySelector("button")).focus();
  }

  closePanel() {
    if (this.panel) this.panel.remove();
    this.panel = null;
  }

  plain(c) {
    const { pending, ...rest } = c;
    return rest;
  }

  remove(c) {
    this.closePanel();
    const plain = this.plain(c);
    outbox.remove(this.pid, plain);
    history.record({ kind: "delete", pid: this.pid, codings: [plain] });
  }

  saveMemo(c, memo) {
    if (memo === (c.memo || "")) {
      this.closePanel();
      return;
    }
    this.closePanel();
    this.edit(c, { memo });
    toast("Memo saved.", "ok");
  }

  edit(c, fields) {
    const before = {};
    for (const k of Object.keys(fields)) before[k] = c[k];
    outbox.patch(this.pid, this.plain(c), fields);
    history.record({ kind: "edit", pid: this.pid, coding: this.plain(c), before, after: fields });
  }

  changeCode(c, rect) {
    this.closePanel();
    openPicker(rect, {
      title: `Change “${project.codePath(c.code)}” to…`, multi: false, current: c.code,
      onApply: ([code]) => this.edit(c, { code }),
    });
  }

  /** clicked opens the panel of the highlight at target, or closes it. */
  clicked(target) {
    const s = getSelection();
    if (s.rangeCount && !s.isCollapsed) return;
    const seg = target.closest(".seg.coded");
    if (!seg) {
      this.closePanel();
      return;
    }
    const ids = seg.dataset.codings.split(" ").filter((id) => this.coding(id));
    if (ids.length) this.openPanel(ids, seg.getBoundingClientRect());
  }

  // ---- live ----

  listen() {
    const onSel = () => this.onSelection();
    document.addEventListener("selectionchange", onSel);
    this.offs.push(() => document.removeEventListener("selectionchange", onSel));

    const onKey = (e) => this.onKey(e);
    document.addEventListener("keydown", onKey);
    this.offs.push(() => document.removeEventListener("keydown", onKey));

    const onScroll = () => {
      if (this.sel) this.placeButton();
    };
    this.scroller.addEventListener("scroll", onScroll, { passive: true });
    window.addEventListener("resize", onScroll);
    this.offs.push(() => window.removeEventListener("resize", onScroll));

    this.docEl.addEventListener("click", (e) => {
      if (!this.clickTaken) this.clicked(e.target);
    });
    // A live redraw can replace the highlight between the press and the
    // release of the mouse. The browser then sends the click to a parent, or
    // none at all, and the click would be lost; the release still lands on
    // the highlight drawn anew, so it opens from there.
    let pressed = null;
    this.docEl.addEventListener("mousedown", (e) => {
      pressed = e.target;
    });
    this.docEl.addEventListener("mouseup", (e) => {
      const replaced = pressed && !pressed.isConnected;
      pressed = null;
      if (!replaced || e.button !== 0) return;
      this.clicked(e.target);
      // The click that may follow in this same task is the one just handled.
      this.clickTaken = true;
      setTimeout(() => (this.clickTaken = false));
    });
    this.docEl.addEventListener("mouseover", (e) => {
      const seg = e.target.closest(".seg");
      if (!seg || seg.title) return;
      const lines = [];
      for (const id of (seg.dataset.codings || "").split(" ").filter(Boolean)) {
        const c = this.coding(id);
        if (!c) continue;
        lines.push(`${project.codePath(c.code)} — ${project.coderName(c.coder)}${c.memo ? ": " + short(c.memo, 120) : ""}${c.pending ? " (saving…)" : ""}`);
      }
      if (seg.dataset.presence) lines.push(`${seg.dataset.presence} selected this`);
      seg.title = lines.join("\n");
    });

    this.offs.push(project.on("event", (ev) => this.onEvent(ev)));
    this.offs.push(project.on("presence", (online) => this.drawOthers(online)));
    this.offs.push(project.on("codes", () => {
      this.invalidateAll();
    }));
    this.offs.push(project.on("reload", () => this.reload()));
    this.offs.push(project.on("ready", () => this.presence()));
    this.offs.push(outbox.subscribe((change) => this.onOutbox(change)));
  }

  onEvent(ev) {
    // Events up to the loaded codings are skipped by number. A blinded
    // coder's seq is an opaque cursor that cannot be compared: such an
    // event is applied anyway, which is harmless, since applying is
    // idempotent by coding id (setServer replaces, deleteServer of a
    // missing id does nothing) and events come in order.
    if (typeof ev.seq === "number" && typeof this.loadedSeq === "number" && ev.seq <= this.loadedSeq) return;
    const p = ev.payload || {};
    switch (ev.type) {
      case "coding.added":
      case "coding.updated":
      case "coding.deleted": {
        const c = ev.type === "coding.deleted" ? p.coding : p;
        if (!c || c.document !== this.did) return;
        const kind = { "coding.added": "add", "coding.updated": "patch", "coding.deleted": "delete" }[ev.type];
        const sending = outbox.ops.find((o) => o.sending);
        if (sending && sending.id === c.id && sending.kind === kind) sending.eventSeen = true;
        const exp = this.expect.get(c.id);
        if (exp && exp.length && exp[0].kind === kind && ev.actor === project.me) {
          // My own change, already shown from the server's answer.
          exp.shift();
          if (!exp.length) this.expect.delete(c.id);
          return;
        }
        if (kind === "delete") this.deleteServer(c.id);
        else this.setServer(c);
        this.computeOverlay();
        if (kind === "add" && ev.actor !== project.me && this.visible(c)) {
          announce(`${project.coderName(c.coder)} coded “${project.codePath(c.code)}” on “${short(cpSlice(this.text, c.start, c.end), 60)}”.`);
        }
        break;
      }
      case "code.deleted":
      case "code.merged":
      case "project.updated":
        this.reload();
        break;
      case "document.deleted":
        // Nothing can be coded in it now: say so, then leave.
        if (p.document && p.document.id === this.did) documentDeleted(ev, () => navigate(this.back.getAttribute("href")));
        break;
    }
  }

  onOutbox(change) {
    if (change && change.op && change.op.doc === this.did && change.type === "done") {
      const op = change.op;
      if (!op.eventSeen) {
        if (op.kind === "delete") this.deleteServer(op.id);
        else if (change.result) this.setServer(change.result);
        const exp = this.expect.get(op.id) || [];
        exp.push({ kind: op.kind, at: Date.now() });
        this.expect.set(op.id, exp.filter((x) => Date.now() - x.at < 30000));
      }
    }
    this.computeOverlay();
  }

  drawOthers(online) {
    const before = this.others;
    this.others = online.filter((o) => o.document === this.did).map((o) => ({ ...o, start: o.start || 0, end: o.end || 0 }));
    clear(this.here);
    const seen = new Set();
    for (const o of this.others) {
      if (seen.has(o.user)) continue;
      seen.add(o.user);
      const a = avatar(o.name, o.colour, `${o.name} is reading this document`);
      a.classList.add("small");
      this.here.append(a);
    }
    const key = (o) => `${o.conn}:${o.start}:${o.end}`;
    const a = new Set(before.map(key));
    const b = new Set(this.others.map(key));
    for (const o of [...before, ...this.others]) {
      if (a.has(key(o)) && b.has(key(o))) continue;
      if (o.end > o.start) this.invalidate(o.start, o.end);
    }
  }

  // ---- layers ----

  loadLayers() {
    const all = this.allLayers();
    try {
      const saved = JSON.parse(localStorage.getItem("concord.layers." + this.pid) || "null");
      if (Array.isArray(saved)) {
        const s = new Set(saved.filter((id) => all.includes(id)));
        if (s.size) return s;
      }
    } catch {
      // fall through to the default
    }
    return new Set(all);
  }

  allLayers() {
    if (project.blinded) return [project.me];
    return [...project.coders().map((m) => m.id), project.consensus];
  }

  setLayers(ids) {
    this.layers = new Set(ids);
    localStorage.setItem("concord.layers." + this.pid, JSON.stringify([...this.layers]));
    this.drawLayers();
    this.invalidateAll();
    this.drawStatus();
  }

  cycleLayers() {
    const all = this.allLayers();
    const presets = [all, [project.me], ...(project.blinded ? [] : [[project.consensus], ...all.filter((id) => id !== project.me && id !== project.consensus).map((id) => [id])])];
    const now = [...this.layers].sort().join();
    const i = presets.findIndex((p) => [...p].sort().join() === now);
    const next = presets[(i + 1) % presets.length];
    this.setLayers(next);
    toast("Showing: " + (next.length === all.length ? "all layers" : next.map((id) => project.coderName(id)).join(", ")));
  }

  drawLayers() {
    clear(this.layerBar);
    const all = this.allLayers();
    const same = (ids) => ids.length === this.layers.size && ids.every((id) => this.layers.has(id));
    const chip = (label, pressed, onClick, colour, title) => {
      const b = h("button", { class: "chip", "aria-pressed": pressed ? "true" : "false", title: title || label, on: { click: onClick } },
        colour ? h("span", { class: "dot", style: { backgroundColor: colour } }) : null, label);
      return b;
    };
    this.layerBar.append(h("span", { class: "label", text: "Show" }));
    if (project.blinded) {
      this.layerBar.append(chip("Mine", true, () => {}, project.coderColour(project.me), "Blind coding: you see only your own codings"),
        h("span", { class: "muted", text: "Blind coding: only your own codings are shown." }));
    } else {
      this.layerBar.append(
        chip("All", same(all), () => this.setLayers(all)),
        chip("Mine", same([project.me]), () => this.setLayers([project.me])),
        chip("Consensus", same([project.consensus]), () => this.setLayers([project.consensus]), project.coderColour(project.consensus)),
        h("span", { class: "sep" }));
      for (const m of project.coders()) {
        this.layerBar.append(chip(m.id === project.me ? m.name + " (me)" : m.name, this.layers.has(m.id), () => {
          const next = new Set(this.layers);
          if (next.has(m.id)) next.delete(m.id);
          else next.add(m.id);
          this.setLayers([...next]);
        }, m.colour, `Show or hide ${m.name}'s codings`));
      }
    }
    const by = h("select", { "aria-label": "Colour highlights by" }, h("option", { value: "code", text: "Colour by code" }), h("option", { value: "coder", text: "Colour by coder" }));
    by.value = this.colourBy;
    by.addEventListener("change", () => {
      this.colourBy = by.value;
      localStorage.setItem("concord.colourBy", by.value);
      this.invalidateAll();
    });
    this.layerBar.append(h("span", { class: "grow" }), by);
    if (project.isLead) {
      const into = h("select", { "aria-label": "New codings go into" }, h("option", { value: "me", text: "Code into my layer" }), h("option", { value: "consensus", text: "Code into consensus" }));
      into.value = this.writeLayer;
      into.addEventListener("change", () => {
        this.writeLayer = into.value;
        if (into.value === "consensus" && !this.layers.has(project.consensus)) this.setLayers([...this.layers, project.consensus]);
      });
      this.layerBar.append(into);
    }
  }

  drawStatus() {
    if (!this.status) return;
    const n = this.counts();
    let total = 0;
    for (const v of n.values()) total += v;
    const pending = outbox.pending(this.pid, this.did).length;
    const parts = [`${plural(total, "coding")} shown`];
    if (pending) parts.push(`${plural(pending, "change")} waiting to be saved`);
    if (this.sel) parts.push(`${plural(this.sel.end - this.sel.start, "character")} selected — press c to code, m for a memo`);
    else if (project.canCode) parts.push("Select text and press c to code it, or m for a memo");
    this.status.textContent = parts.join(" · ");
  }

  // ---- keys ----

  onKey(e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.target.closest && e.target.closest("input, textarea, select, .picker, .coding-panel, .memo-drawer, .memo-pin, dialog")) return;
    if (document.querySelector("dialog[open]")) return;
    switch (e.key) {
      case "c":
      case "Enter":
        // The selection as it is now: selectionchange comes a task later,
        // and a "c" pressed right after a mouse-up would code the previous one.
        this.onSelection();
        if (!this.sel) return;
        e.preventDefault();
        this.pick();
        break;
      case "Escape":
        if (this.panel) this.closePanel();
        else if (this.sel) getSelection().removeAllRanges();
        break;
      case "l":
        e.preventDefault();
        this.cycleLayers();
        break;
      case "b":
        e.preventDefault();
        navigate(this.back.getAttribute("href"));
        break;
      case "[":
      case "]":
        if (this.nav.go(e.key === "[" ? -1 : 1)) e.preventDefault();
        break;
      case "d":
        if (!this.done) return;
        e.preventDefault();
        this.done.toggle();
        break;
    }
  }

  destroy() {
    closePicker();
    this.closePanel();
    cancelAnimationFrame(this.frame);
    if (this.io) this.io.disconnect();
    this.offs.forEach((f) => f());
    if (this.done) this.done.destroy();
    if (this.margin) this.margin.destroy();
    if (this.caret) this.caret.destroy();
    if (this.sideUnmount) this.sideUnmount();
    if (this.memos) this.memos.destroy();
    this.codeBtn.remove();
    document.title = "Concord";
    if (project.live) project.live.setPresence("");
  }
}
