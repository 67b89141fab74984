// picker.js: the code picker. Keyboard first: type to filter by code path,
// arrows move, Enter applies, Space (or Ctrl+Enter) ticks several codes,
// Escape closes. Recently used codes come first.

import { project } from "./state.js";
import { h, clear, fold } from "./ui.js";

const RECENT = 8;

function recentKey() { return "concord.recent." + project.pid; }

/** recentCodes returns the ids of recently applied codes, newest first. */
export function recentCodes() {
  try {
    return JSON.parse(localStorage.getItem(recentKey()) || "[]").filter((id) => project.codes.has(id));
  } catch {
    return [];
  }
}

/** rememberCodes puts codes at the front of the recent list. */
export function rememberCodes(ids) {
  const list = [...ids, ...recentCodes().filter((id) => !ids.includes(id))].slice(0, RECENT);
  try {
    localStorage.setItem(recentKey(), JSON.stringify(list));
  } catch {
    // Recent codes are a convenience; a full storage must not block coding.
  }
}

let open = null;

/** closePicker closes the picker if it is open. */
export function closePicker() {
  if (open) open();
}

/**
 * openPicker shows the picker near rect (a DOMRect). opts:
 *   title      heading, e.g. "Code “share 🙂 hope”"
 *   multi      allow ticking several codes (default true)
 *   current    a code id to leave out (when changing a coding's code)
 *   onApply    called with the chosen code ids
 *   onClose    called when the picker closes, applied or not
 */
export function openPicker(rect, opts) {
  closePicker();
  const multi = opts.multi !== false;
  const before = document.activeElement;
  const input = h("input", {
    type: "text", class: "picker-input", placeholder: "Type to find a code…", role: "combobox",
    "aria-expanded": "true", "aria-controls": "picker-list", "aria-autocomplete": "list", "aria-label": "Find a code",
    autocomplete: "off", spellcheck: "false",
  });
  const list = h("ul", { id: "picker-list", class: "picker-list", role: "listbox", "aria-multiselectable": multi ? "true" : "false", "aria-label": "Codes" });
  const hint = h("p", { class: "picker-hint", text: multi ? "↑↓ move · Enter apply · Space tick several · Esc close" : "↑↓ move · Enter choose · Esc close" });
  const box = h("div", { class: "picker", role: "dialog", "aria-label": opts.title || "Choose a code" },
    opts.title ? h("div", { class: "picker-title", text: opts.title }) : null, input, list, hint);
  document.body.append(box);

  const recent = recentCodes();
  const ticked = [];
  let items = [];
  let active = 0;
  let navigated = false;

  const candidates = () => {
    const all = [];
    const walk = (parent) => {
      for (const c of project.children.get(parent) || []) {
        if (c.codable && c.id !== opts.current) all.push(c);
        walk(c.id);
      }
    };
    walk("");
    return all;
  };
  const all = candidates();

  const filter = () => {
    const terms = fold(input.value).split(/\s+/).filter(Boolean);
    const scored = [];
    all.forEach((c, order) => {
      const path = fold(project.codePath(c.id));
      if (!terms.every((t) => path.includes(t))) return;
      const r = recent.indexOf(c.id);
      const name = fold(c.name);
      let score = order;
      if (terms.length && name.startsWith(terms[0])) score -= 1e5;
      if (r >= 0) score -= 1e6 * (RECENT - r);
      scored.push([score, c]);
    });
    scored.sort((a, b) => a[0] - b[0]);
    items = scored.map((s) => s[1]);
    active = Math.min(active, Math.max(0, items.length - 1));
    draw();
  };

  const draw = () => {
    clear(list);
    items.forEach((c, i) => {
      const path = project.codePath(c.id);
      const cut = path.lastIndexOf(" › ");
      const isTicked = ticked.includes(c.id);
      const li = h("li", {
        id: "picker-opt-" + i, role: "option", class: "picker-item" + (i === active ? " active" : "") + (isTicked ? " ticked" : ""),
        "aria-selected": isTicked || (!ticked.length && i === active) ? "true" : "false", "data-code": c.id,
      },
      multi ? h("span", { class: "tick", "aria-hidden": "true", text: isTicked ? "☑" : "☐" }) : null,
      h("span", { class: "swatch", style: { backgroundColor: project.codeColour(c.id) } }),
      cut >= 0 ? h("span", { class: "parent", text: path.slice(0, cut + 3) }) : null,
      h("span", { class: "name", text: c.name }),
      recent.includes(c.id) ? h("span", { class: "recent", text: "recent" }) : null);
      list.append(li);
    });
    if (!items.length) list.append(h("li", { class: "muted", text: "No code matches. Leads can add codes in the codebook." }));
    input.setAttribute("aria-activedescendant", items.length ? "picker-opt-" + active : "");
    const a = list.querySelector(".active");
    if (a) a.scrollIntoView({ block: "nearest" });
    hint.textContent = ticked.length
      ? `${ticked.length} ticked · Enter applies them · Space ticks more · Esc close`
      : multi ? "↑↓ move · Enter apply · Space tick several · Esc close" : "↑↓ move · Enter choose · Esc close";
  };

  const toggle = (i) => {
    const c = items[i];
    if (!c || !multi) return;
    const k = ticked.indexOf(c.id);
    if (k >= 0) ticked.splice(k, 1);
    else ticked.push(c.id);
    draw();
  };

  const apply = (ids) => {
    if (!ids.length) return;
    rememberCodes(ids);
    close();
    opts.onApply(ids);
  };

  const close = () => {
    if (open !== close) return;
    open = null;
    box.remove();
    document.removeEventListener("mousedown", outside, true);
    if (opts.onClose) opts.onClose();
    if (before && before.focus && document.contains(before)) before.focus({ preventScroll: true });
  };
  const outside = (e) => {
    if (!box.contains(e.target)) close();
  };

  input.addEventListener("input", () => {
    navigated = false;
    active = 0;
    filter();
  });
  input.addEventListener("keydown", (e) => {
    switch (e.key) {
      case "ArrowDown":
        active = Math.min(items.length - 1, active + 1);
        navigated = true;
        break;
      case "ArrowUp":
        active = Math.max(0, active - 1);
        navigated = true;
        break;
      case "PageDown":
        active = Math.min(items.length - 1, active + 8);
        navigated = true;
        break;
      case "PageUp":
        active = Math.max(0, active - 8);
        navigated = true;
        break;
      case "Escape":
        e.preventDefault();
        e.stopPropagation();
        close();
        return;
      case "Enter":
        e.preventDefault();
        e.stopPropagation();
        if (e.ctrlKey || e.metaKey) {
          toggle(active);
          return;
        }
        apply(ticked.length ? [...ticked] : items[active] ? [items[active].id] : []);
        return;
      case " ":
        if (!multi || (input.value.trim() && !navigated && !e.ctrlKey)) return; // a space in the search text
        e.preventDefault();
        toggle(active);
        return;
      default:
        return;
    }
    e.preventDefault();
    draw();
  });
  list.addEventListener("mousedown", (e) => e.preventDefault()); // keep focus in the input
  list.addEventListener("click", (e) => {
    const li = e.target.closest("[data-code]");
    if (!li) return;
    const i = items.findIndex((c) => c.id === li.dataset.code);
    if (multi && (e.ctrlKey || e.metaKey || e.target.closest(".tick"))) {
      active = i;
      toggle(i);
      return;
    }
    apply(ticked.length ? [...new Set([...ticked, items[i].id])] : [items[i].id]);
  });
  document.addEventListener("mousedown", outside, true);

  // Place it under the selection, inside the window.
  const w = Math.min(420, window.innerWidth - 16);
  box.style.width = w + "px";
  const left = Math.max(8, Math.min(window.innerWidth - w - 8, rect ? rect.left : (window.innerWidth - w) / 2));
  box.style.left = left + "px";
  filter();
  const height = box.offsetHeight;
  let top = rect ? rect.bottom + 8 : window.innerHeight / 4;
  if (top + height > window.innerHeight - 8) top = Math.max(8, (rect ? rect.top : window.innerHeight) - height - 8);
  box.style.top = top + "px";
  open = close;
  input.focus({ preventScroll: true });
  return close;
}
