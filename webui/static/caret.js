// caret.js: coding without a mouse. The reader's text gets a visible caret
// that the arrow keys move and that Shift turns into a selection (by
// character; Ctrl or Alt: by word; Alt+Shift+Up/Down: by sentence;
// Home/End: to the line's ends). The moving is Chromium's own
// Selection.modify, so words and sentences follow the browser's rules for
// every script. Tab and Shift+Tab step through the codings in text order;
// Enter opens the one in focus, as a click does.

import { project } from "./state.js";
import { h } from "./ui.js";
import { announce } from "./announce.js";
import { cpSlice } from "./offsets.js";

const KEEP = 40; // px the caret keeps from the top and bottom edges when it moves

function short(s, n = 50) {
  const a = [...s.replace(/\s+/g, " ")];
  return a.length > n ? a.slice(0, n - 1).join("") + "…" : a.join("");
}

export class Caret {
  constructor(reader) {
    this.r = reader;
    this.el = h("div", { class: "caret", hidden: true, "aria-hidden": "true" });
    reader.scroller.append(this.el);
    reader.scroller.tabIndex = 0; // Tab reaches the text
    reader.scroller.setAttribute("aria-label", "Document text. Arrow keys move the caret, Shift+arrows select, c codes the selection, Tab goes from coding to coding.");
    this.focusId = null; // the coding in keyboard focus
    this.cp = null; // where the caret last was, in code points
    this.offs = [];
    const on = (el, type, fn) => {
      el.addEventListener(type, fn);
      this.offs.push(() => el.removeEventListener(type, fn));
    };
    on(reader.scroller, "keydown", (e) => this.onKey(e));
    on(reader.scroller, "focusin", () => {
      this.ensure();
      this.draw();
    });
    on(reader.scroller, "focusout", (e) => {
      if (!reader.scroller.contains(e.relatedTarget)) this.el.hidden = true;
    });
    on(reader.docEl, "mousedown", () => this.unfocus());
    on(document, "selectionchange", () => {
      const s = getSelection();
      if (s.rangeCount && s.focusNode && this.r.docEl.contains(s.focusNode)) {
        const cp = this.r.pointToCp(s.focusNode, s.focusOffset, "floor");
        if (cp !== null) this.cp = cp;
      }
      this.draw();
    });
  }

  focused() {
    const a = document.activeElement;
    return !!a && this.r.scroller.contains(a);
  }

  inDoc(s) {
    return s.rangeCount > 0 && s.focusNode && this.r.docEl.contains(s.focusNode);
  }

  /** ensure puts the caret in the text if the selection is elsewhere: where it last was, or at the top of the view. */
  ensure() {
    const s = getSelection();
    if (this.inDoc(s) || !this.r.blocks.length) return;
    if (this.cp !== null) {
      this.collapse(this.cp);
      return;
    }
    const d = this.r.docEl.getBoundingClientRect();
    const box = this.r.scroller.getBoundingClientRect();
    const pad = parseFloat(getComputedStyle(this.r.docEl).paddingLeft) || 0;
    const r = document.caretRangeFromPoint && document.caretRangeFromPoint(d.left + pad + 1, Math.max(box.top, d.top + parseFloat(getComputedStyle(this.r.docEl).paddingTop)) + 20);
    const cp = r && this.r.docEl.contains(r.startContainer) ? this.r.pointToCp(r.startContainer, r.startOffset, "floor") : null;
    this.collapse(cp === null ? 0 : cp);
  }

  /** collapse puts the caret at code point cp, with nothing selected. */
  collapse(cp) {
    const [n, o] = this.r.cpToPoint(cp);
    getSelection().collapse(n, o);
    this.cp = cp;
  }

  onKey(e) {
    if (e.defaultPrevented || e.metaKey || document.querySelector("dialog[open]")) return;
    if (e.target.closest && e.target.closest("input, textarea, select")) return;
    const dirs = { ArrowLeft: "backward", ArrowRight: "forward", ArrowUp: "backward", ArrowDown: "forward", Home: "backward", End: "forward" };
    const dir = dirs[e.key];
    if (dir) {
      let unit = "character";
      if (e.key === "Home" || e.key === "End") unit = "lineboundary";
      else if (e.key === "ArrowUp" || e.key === "ArrowDown") unit = e.altKey && e.shiftKey ? "sentence" : e.ctrlKey ? "paragraph" : "line";
      else if (e.ctrlKey || e.altKey) unit = "word";
      e.preventDefault();
      this.unfocus();
      this.ensure();
      const s = getSelection();
      if (!e.shiftKey && !s.isCollapsed && unit === "character") {
        // Left/Right on a selection lands on its start/end, as in an editor.
        const r = s.getRangeAt(0);
        if (dir === "backward") s.collapse(r.startContainer, r.startOffset);
        else s.collapse(r.endContainer, r.endOffset);
      } else {
        s.modify(e.shiftKey ? "extend" : "move", dir, unit);
      }
      this.reveal();
      this.draw();
      return;
    }
    if (e.key === "Tab" && !e.ctrlKey && !e.altKey) {
      if (this.step(e.shiftKey ? -1 : 1)) e.preventDefault();
      return;
    }
    if ((e.key === "Enter" || e.key === " ") && this.focusId && !e.ctrlKey && !e.altKey) {
      const seg = this.segOf(this.focusId);
      if (!seg) return;
      e.preventDefault();
      e.stopPropagation();
      const ids = [this.focusId, ...seg.dataset.codings.split(" ").filter((id) => id !== this.focusId && this.r.coding(id))];
      this.r.openPanel(ids, seg.getBoundingClientRect());
    }
  }

  /** order lists the codings I see in text order. */
  order() {
    const seen = new Set([...this.r.server.keys(), ...this.r.over.keys()]);
    const list = [];
    for (const id of seen) {
      const c = this.r.coding(id);
      if (this.r.visible(c)) list.push(c);
    }
    list.sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : 1));
    return list;
  }

  /** step moves the keyboard focus to the next (dir 1) or previous (-1) coding; false when there is none. */
  step(dir) {
    const list = this.order();
    let k = this.focusId ? list.findIndex((c) => c.id === this.focusId) : -1;
    if (k >= 0) k += dir;
    else {
      const p = this.cp === null ? 0 : this.cp;
      if (dir > 0) k = list.findIndex((c) => c.start >= p);
      else for (k = list.length - 1; k >= 0 && list[k].start >= p; k--);
    }
    if (k < 0 || k >= list.length) {
      this.unfocus();
      return false;
    }
    this.focusCoding(list[k], k, list.length);
    return true;
  }

  segOf(id) {
    return this.r.docEl.querySelector(`.seg[data-codings~="${CSS.escape(id)}"]`);
  }

  focusCoding(c, k, n) {
    this.unfocus();
    this.focusId = c.id;
    let seg = this.segOf(c.id);
    const box = this.r.scroller.getBoundingClientRect();
    const rect = seg && seg.getBoundingClientRect();
    if (!rect || rect.top < box.top || rect.bottom > box.bottom) {
      this.r.scrollToCp(c.start);
      seg = this.segOf(c.id);
    }
    this.collapse(c.start);
    this.label = `${project.codePath(c.code)} by ${project.coderName(c.coder)}: “${short(cpSlice(this.r.text, c.start, c.end))}”. Coding ${k + 1} of ${n}. Enter opens it.`;
    this.mark();
    if (seg) seg.focus({ preventScroll: true });
    announce(this.label);
  }

  /** mark shows the focused coding's text (its pieces are drawn anew whenever a block is). */
  mark() {
    if (!this.focusId) return;
    const segs = this.r.docEl.querySelectorAll(`.seg[data-codings~="${CSS.escape(this.focusId)}"]`);
    segs.forEach((s, i) => {
      s.classList.add("kbd-focus");
      if (i === 0) {
        s.tabIndex = -1;
        s.setAttribute("aria-label", this.label);
      }
    });
    for (const s of this.r.margin ? this.r.margin.el.querySelectorAll(`[data-coding="${CSS.escape(this.focusId)}"]`) : []) s.classList.add("kbd-focus");
  }

  unfocus() {
    if (!this.focusId) return;
    for (const s of document.querySelectorAll(".kbd-focus")) {
      s.classList.remove("kbd-focus");
      s.removeAttribute("tabindex");
      s.removeAttribute("aria-label");
    }
    this.focusId = null;
  }

  /** afterFlush keeps focus, mark and caret when blocks were drawn anew. */
  afterFlush() {
    if (this.focusId) {
      if (!this.r.coding(this.focusId)) this.unfocus();
      else {
        this.mark();
        const a = document.activeElement;
        if (!a || a === document.body) {
          const seg = this.segOf(this.focusId);
          if (seg) seg.focus({ preventScroll: true });
        }
      }
    } else if (this.focused() && !this.inDoc(getSelection()) && this.cp !== null && !this.r.picking) {
      this.collapse(this.cp);
    }
    // Drawn text may have moved the caret; measuring it at once would cost
    // a layout in every frame of a fast scroll.
    clearTimeout(this.timer);
    if (!this.el.hidden || this.focused()) this.timer = setTimeout(() => this.draw(), 90);
  }

  reveal() {
    const rect = this.caretRect();
    if (!rect) return;
    const box = this.r.scroller.getBoundingClientRect();
    if (rect.top < box.top + KEEP) this.r.scroller.scrollTop -= box.top + KEEP - rect.top;
    else if (rect.bottom > box.bottom - KEEP) this.r.scroller.scrollTop += rect.bottom - (box.bottom - KEEP);
  }

  caretRect() {
    const s = getSelection();
    if (!this.inDoc(s)) return null;
    let node = s.focusNode;
    let off = s.focusOffset;
    if (node.nodeType !== Node.TEXT_NODE) {
      // Between elements a collapsed range has no box: use the text that follows.
      const w = document.createTreeWalker(this.r.docEl, NodeFilter.SHOW_TEXT);
      w.currentNode = node.childNodes[off] || node;
      const next = node.childNodes[off] && node.childNodes[off].nodeType === Node.TEXT_NODE ? node.childNodes[off] : w.nextNode();
      if (!next) return null;
      node = next;
      off = 0;
    }
    const r = document.createRange();
    r.setStart(node, off);
    r.collapse(true);
    const rects = r.getClientRects();
    if (rects.length) return rects[rects.length - 1];
    if (off < node.length) {
      r.setEnd(node, off + 1);
      const b = r.getClientRects()[0];
      if (b) return new DOMRect(b.left, b.top, 0, b.height);
    }
    return null;
  }

  draw() {
    const rect = this.focused() && !this.r.picking ? this.caretRect() : null;
    if (!rect) {
      this.el.hidden = true;
      return;
    }
    const sc = this.r.scroller;
    const box = sc.getBoundingClientRect();
    this.el.hidden = false;
    this.el.style.left = rect.left - box.left + sc.scrollLeft + "px";
    this.el.style.top = rect.top - box.top + sc.scrollTop + "px";
    this.el.style.height = Math.max(12, rect.height) + "px";
    // Restart the blink, so a moving caret is always visible.
    this.el.classList.remove("blink");
    void this.el.offsetWidth;
    this.el.classList.add("blink");
  }

  destroy() {
    clearTimeout(this.timer);
    this.offs.forEach((f) => f());
    this.unfocus();
    this.el.remove();
  }
}
