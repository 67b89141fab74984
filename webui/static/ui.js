// ui.js: small DOM helpers shared by the views. No inline handlers or
// styles: listeners are added with addEventListener and styles set through
// the CSSOM, which the Content-Security-Policy allows.

/**
 * h creates an element. attrs keys: class, text, style (object, set via the
 * CSSOM), dataset (object), on (object of listeners), and any attribute.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k === "style") Object.assign(el.style, v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k === "on") for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === "value") el.value = v;
    else if (k === "checked") el.checked = !!v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** clear removes every child of el. */
export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** toast shows a short message at the bottom; kind is "info", "ok" or "error". Errors stay until closed. */
export function toast(text, kind = "info") {
  let box = document.getElementById("toasts");
  if (!box) {
    box = h("div", { id: "toasts", role: "status", "aria-live": "polite" });
    document.body.append(box);
  }
  const close = h("button", { class: "link", "aria-label": "Close message", text: "×" });
  const t = h("div", { class: "toast " + kind }, h("span", { text }), close);
  close.addEventListener("click", () => t.remove());
  // A message already showing is not shown twice, and a burst of them
  // (a lead adjudicating case after case) keeps only the latest few
  // instead of covering the page.
  for (const old of [...box.children]) {
    if (old.firstChild && old.firstChild.textContent === text) old.remove();
  }
  box.append(t);
  while (box.childElementCount > 3) box.firstElementChild.remove();
  if (kind !== "error") setTimeout(() => t.remove(), 4000);
  return t;
}

/** initials gives "AR" for "Ana Ruiz" (a part in brackets left out). */
export function initials(name) {
  const parts = String(name || "?").replace(/\(.*?\)/g, "").trim().split(/\s+/);
  return ((parts[0] || "?")[0] + (parts.length > 1 ? parts[parts.length - 1][0] : "")).toUpperCase();
}

/** avatar is a coloured circle with a person's initials. */
export function avatar(name, colour, title) {
  const text = initials(name);
  return h("span", { class: "avatar", title: title || name, "aria-label": title || name, text, style: { backgroundColor: colour || "#777" } });
}

/**
 * modal opens a <dialog> with a title and content, returns {dialog, close}.
 * It closes on Escape and gives focus back to whatever had it.
 */
export function modal(title, content, { onClose, wide } = {}) {
  const before = document.activeElement;
  const closeBtn = h("button", { class: "link close", "aria-label": "Close", text: "×" });
  const d = h("dialog", { class: wide ? "wide" : "", "aria-label": title },
    h("header", {}, h("h2", { text: title }), closeBtn), content);
  document.body.append(d);
  const close = () => {
    if (d.open) d.close();
  };
  closeBtn.addEventListener("click", close);
  d.addEventListener("close", () => {
    d.remove();
    if (onClose) onClose();
    if (before && before.focus) before.focus();
  });
  d.showModal();
  return { dialog: d, close };
}

/**
 * listKeys makes a list keyboard-navigable: j/k or arrows move a visible
 * focus, Enter opens. items() returns the current item elements.
 */
export function listKeys(container, items, open) {
  container.addEventListener("keydown", (e) => {
    if (e.target.closest("input, textarea, select")) return;
    const list = items();
    if (!list.length) return;
    let i = list.indexOf(document.activeElement.closest ? document.activeElement.closest("[data-item]") : null);
    if (e.key === "j" || e.key === "ArrowDown") i = Math.min(list.length - 1, i + 1);
    else if (e.key === "k" || e.key === "ArrowUp") i = Math.max(0, i - 1);
    else if (e.key === "Enter" && i >= 0) {
      e.preventDefault();
      open(list[i], e);
      return;
    } else return;
    e.preventDefault();
    list[i].focus();
  });
}

/** fold strips accents and case so that "cafe" finds "Café". */
export function fold(s) {
  return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

/** plural: plural(3, "coding") is "3 codings". */
export function plural(n, word, many) {
  return `${n.toLocaleString()} ${n === 1 ? word : many || word + "s"}`;
}

/** rgba turns a #rrggbb colour into rgba() with alpha a (grey for anything else). */
export function rgba(hex, a) {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex || "");
  if (!m) return `rgba(120,120,120,${a})`;
  const n = parseInt(m[1], 16);
  return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${a})`;
}

/** dateTime is a time as people read it, in their own locale: "5 Dec 2026, 09:30". */
export function dateTime(t) {
  return new Date(t).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/**
 * clipWords shortens s to about n characters at a word boundary, with an
 * ellipsis where it was cut: at the end, or at the start when keepEnd (the
 * text just before something, whose end matters). A cut never splits a
 * word, unless one word alone is longer than n.
 */
export function clipWords(s, n, keepEnd = false) {
  const chars = [...String(s)];
  if (chars.length <= n) return chars.join("");
  if (keepEnd) {
    let from = chars.length - n;
    const at = /\s/u.test(chars[from - 1]) ? -1 : chars.slice(from).findIndex((c) => /\s/u.test(c));
    if (at >= 0 && at < n - 1) from += at + 1;
    return "…" + chars.slice(from).join("").trimStart();
  }
  let to = n;
  const head = chars.slice(0, n + 1);
  for (let i = n; i > 0; i--) {
    if (/\s/u.test(head[i])) {
      to = i;
      break;
    }
  }
  return chars.slice(0, to).join("").trimEnd() + "…";
}
