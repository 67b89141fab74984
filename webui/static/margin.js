// margin.js: coding stripes in the reader's right margin, as ATLAS.ti and
// MAXQDA draw them: one stripe per coding, labelled with the code's name and
// the coder's initials, stacked in lanes so that codings on the same lines
// never cover each other (two coders' identical codings are two stripes).
// Hovering a stripe lights up its text, hovering text lights up its stripes.
//
// Speed: the reader draws only the blocks near the viewport; the margin
// measures each drawn block once (one getClientRects per highlighted piece
// of text, never per coding), packs the lanes from those numbers, and
// draws only the stripes within a screen of the viewport. All of it waits
// until scrolling or typing pauses for a moment (SETTLE), so a fast scroll
// through a long document costs nothing here.

import { project } from "./state.js";
import { h, initials } from "./ui.js";

const LANE = 120; // px per lane at most, label included
const NARROW = 40; // px per lane at least: the initials and a few letters of the code
const LABEL = 18; // px of height a label needs
const GAP = 3; // px kept free below a stripe in its lane
const PAD = 16; // px of padding under coded text (.seg.coded) that is not text
const SETTLE = 90; // ms without drawing or scrolling before the margin is laid out

/**
 * pack puts each item (sorted by top) in the first of at most max lanes
 * free at its top (it.lane; -1 when none is) and returns the lanes used.
 * A stripe holds its lane down to its end, and at least as far as its label.
 */
function pack(list, max) {
  const laneEnd = [];
  for (const it of list) {
    let l = laneEnd.findIndex((e) => e <= it.top);
    if (l < 0 && laneEnd.length < max) l = laneEnd.push(0) - 1;
    it.lane = l;
    if (l >= 0) laneEnd[l] = Math.max(it.bottom, it.top + LABEL) + GAP;
  }
  return laneEnd.length;
}

export class Margin {
  constructor(reader) {
    this.r = reader;
    this.el = h("div", { class: "margin", "aria-hidden": "true" });
    reader.scroller.classList.add("with-margin");
    reader.scroller.append(this.el);
    this.extents = new Map(); // block index -> Map(coding id -> [top, bottom]) from the block's top
    this.stale = new Set(); // blocks drawn again since they were measured
    this.laid = "";
    this.linked = []; // elements lit up by a hover
    this.offs = [];
    const on = (el, type, fn) => {
      el.addEventListener(type, fn);
      this.offs.push(() => el.removeEventListener(type, fn));
    };
    on(this.el, "mouseover", (e) => {
      const s = e.target.closest(".stripe");
      this.light(s ? [s.dataset.coding] : []);
    });
    on(this.el, "mouseleave", () => this.light([]));
    on(this.el, "click", (e) => {
      const s = e.target.closest(".stripe");
      if (s && this.r.coding(s.dataset.coding)) this.r.openPanel([s.dataset.coding], s.getBoundingClientRect());
    });
    on(reader.docEl, "mouseover", (e) => {
      const seg = e.target.closest(".seg.coded");
      this.light(seg ? seg.dataset.codings.split(" ") : []);
    });
    on(reader.docEl, "mouseleave", () => this.light([]));
    // A new width wraps the text differently: measure again.
    let width = reader.scroller.clientWidth;
    this.ro = new ResizeObserver(() => {
      if (reader.scroller.clientWidth === width) return;
      width = reader.scroller.clientWidth;
      for (const i of this.extents.keys()) this.stale.add(i);
      this.laid = "";
      reader.schedule();
    });
    this.ro.observe(reader.scroller);
    this.timer = 0;
    this.drawn = null; // the scroll positions the stripes drawn cover: [from, to]
    on(reader.scroller, "scroll", () => {
      if (!this.covers()) this.later();
    });
  }

  covers() {
    const d = this.drawn;
    const top = this.r.scroller.scrollTop;
    return !!d && top >= d[0] && top <= d[1];
  }

  /** later lays the margin out once drawing and scrolling have paused. */
  later() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), SETTLE);
  }

  /** touch notes that block i was drawn (again) and must be measured. */
  touch(i) {
    this.stale.add(i);
  }

  /** update measures what was drawn since the last call and lays the stripes out if anything changed. */
  update() {
    clearTimeout(this.timer);
    let changed = false;
    for (const i of [...this.extents.keys()]) {
      if (!this.r.rendered.has(i)) {
        this.extents.delete(i);
        changed = true;
      }
    }
    for (const i of this.stale) {
      if (!this.r.rendered.has(i)) continue;
      this.extents.set(i, this.measure(i));
      changed = true;
    }
    this.stale.clear();
    // The margin is the room right of the text, as wide as the gap left of it allows.
    const d = this.r.docEl;
    const left = d.offsetLeft + d.offsetWidth;
    const width = Math.max(0, this.r.scroller.clientWidth - left - d.offsetLeft);
    const key = `${left}:${width}`;
    if (changed || key !== this.laid) {
      this.laid = key;
      this.el.style.left = left + "px";
      this.el.style.top = d.offsetTop + "px";
      this.el.style.width = width + "px";
      this.pack(width);
    }
    if (!this.covers()) this.draw();
  }

  measure(i) {
    const el = this.r.els[i];
    const top0 = el.getBoundingClientRect().top;
    const m = new Map();
    for (const seg of el.querySelectorAll(".seg.coded")) {
      const rects = seg.getClientRects();
      if (!rects.length) continue;
      const top = rects[0].top - top0;
      const bottom = rects[rects.length - 1].bottom - PAD - top0;
      for (const id of seg.dataset.codings.split(" ")) {
        const e = m.get(id);
        if (!e) m.set(id, [top, bottom]);
        else {
          if (top < e[0]) e[0] = top;
          if (bottom > e[1]) e[1] = bottom;
        }
      }
    }
    return m;
  }

  /** pack gives every measured coding its lane. */
  pack(width) {
    const items = new Map();
    for (const i of [...this.extents.keys()].sort((a, b) => a - b)) {
      const off = this.r.els[i].offsetTop;
      for (const [id, [t, b]] of this.extents.get(i)) {
        const it = items.get(id);
        if (it) it.bottom = Math.max(it.bottom, off + b);
        else items.set(id, { id, top: off + t, bottom: off + b });
      }
    }
    const list = [];
    for (const it of items.values()) {
      it.c = this.r.coding(it.id);
      if (this.r.visible(it.c)) list.push(it);
    }
    // Longer codings first on a line, so they take the inner lanes; equal
    // spans in a stable order (code, then coder) so stripes do not swap.
    list.sort((a, b) => a.top - b.top || a.c.start - b.c.start || b.c.end - a.c.end ||
      (a.c.code + a.c.coder < b.c.code + b.c.coder ? -1 : 1));
    // Lanes as wide as the margin allows for as many as the codings drawn
    // need, down to NARROW; past that, a "+N" marker counts the rest.
    const need = pack(list, Infinity);
    this.laneW = Math.max(NARROW, Math.min(LANE, Math.floor(width / Math.max(1, need))));
    pack(list, Math.max(1, Math.floor(width / this.laneW)));
    this.list = list;
    this.drawn = null;
  }

  /** draw draws the stripes within a screen of the viewport. */
  draw() {
    const sc = this.r.scroller;
    const at = sc.scrollTop;
    const hh = sc.clientHeight;
    const top = at - this.el.offsetTop - hh;
    const bottom = top + 3 * hh;
    const frag = document.createDocumentFragment();
    let more = null;
    for (const it of this.list || []) {
      if (it.bottom < top || it.top > bottom) continue;
      if (it.lane < 0) {
        // Every lane is taken here: count it on a "+N" marker instead.
        if (more && it.top < more.top + LABEL) more.n++;
        else {
          more = { top: it.top, n: 1 };
          more.el = h("div", { class: "stripe-more" });
          more.el.style.top = it.top + "px";
          frag.append(more.el);
        }
        more.el.textContent = "+" + more.n;
        more.el.title = `${more.n} more ${more.n === 1 ? "coding" : "codings"} here than the margin has room for`;
        continue;
      }
      frag.append(this.stripe(it, this.laneW));
    }
    this.linked = [];
    this.el.replaceChildren(frag);
    // Drawn again once the viewport has moved half a screen.
    this.drawn = [at - hh / 2, at + hh / 2];
  }

  stripe(it, laneW) {
    const c = it.c;
    const colour = project.codeColour(c.code);
    const name = project.coderName(c.coder);
    const code = project.codes.get(c.code);
    const path = project.codePath(c.code);
    const who = h("span", { class: "stripe-who", text: initials(name) });
    who.style.backgroundColor = project.coderColour(c.coder);
    const s = h("div", { class: "stripe" + (c.pending ? " pending" : ""), "data-coding": c.id, title: `${path} — ${name}${c.pending ? " (saving…)" : ""}` },
      h("span", { class: "stripe-label" }, h("span", { class: "stripe-code", text: code ? code.name : path }), who));
    s.style.setProperty("--c", colour);
    s.style.top = it.top + "px";
    s.style.height = Math.max(4, it.bottom - it.top) + "px";
    s.style.left = it.lane * laneW + "px";
    s.style.width = laneW - 6 + "px";
    return s;
  }

  /** light lights up the text and stripes of the given codings (none: all off). */
  light(ids) {
    for (const el of this.linked) el.classList.remove("linked");
    this.linked = [];
    for (const id of ids) {
      if (!id) continue;
      const q = `[data-coding="${CSS.escape(id)}"]`;
      this.linked.push(...this.el.querySelectorAll(q), ...this.r.docEl.querySelectorAll(`.seg[data-codings~="${CSS.escape(id)}"]`));
    }
    for (const el of this.linked) el.classList.add("linked");
  }

  destroy() {
    clearTimeout(this.timer);
    this.ro.disconnect();
    this.offs.forEach((f) => f());
    this.el.remove();
    this.r.scroller.classList.remove("with-margin");
  }
}
