// announce.js: what a screen reader should say about changes nobody
// focused: a coding made, a selection's length, a teammate's coding
// arriving. One polite live region for the whole page, so that messages
// queue instead of interrupting each other.

import { h } from "./ui.js";

let region = null;
let timer = 0;
let frame = 0;
let latest = "";

function live() {
  if (!region || !document.body.contains(region)) {
    region = h("div", { class: "sr-only", role: "status", "aria-live": "polite", "aria-atomic": "true", id: "announce" });
    document.body.append(region);
  }
  return region;
}

/**
 * announce says text now (the same text twice is said twice). Of a burst
 * (a teammate's hundred auto-codings) only the last is said.
 */
export function announce(text) {
  clearTimeout(timer);
  latest = text;
  if (frame) return;
  const r = live();
  // Emptying first makes a repeated message a change the reader notices.
  r.textContent = "";
  frame = requestAnimationFrame(() => {
    frame = 0;
    r.textContent = latest;
  });
}

/**
 * announceSoon says what text() returns once things have settled for a
 * moment: a selection growing key by key (or under a dragging mouse) is
 * said, and its text cut out of the document, once.
 */
export function announceSoon(text, ms = 500) {
  clearTimeout(timer);
  timer = setTimeout(() => announce(text()), ms);
}
