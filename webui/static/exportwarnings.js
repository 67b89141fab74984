// exportwarnings.js: before a project export downloads, asks the server
// what the format cannot carry (?dry_run=1). When it names anything, a
// dialog lists it and the person chooses to download anyway or to cancel;
// when it names nothing, the download goes ahead at once.

import { api } from "./api.js";
import { h, modal } from "./ui.js";

/**
 * guardExports checks every export link inside root (or root itself) on
 * click, Enter included. A click with a modifier key (open in a new tab)
 * is left to the browser.
 */
export function guardExports(root) {
  root.addEventListener("click", (e) => {
    const a = e.target.closest("a[href*='/export?']");
    if (!a || a.dataset.checked || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    check(a);
  });
}

async function check(a) {
  if (a.getAttribute("aria-busy") === "true") return;
  a.setAttribute("aria-busy", "true");
  let warnings = [];
  try {
    const r = await api("GET", a.getAttribute("href") + "&dry_run=1");
    warnings = r.warnings || [];
  } catch {
    // The download itself says what is wrong, as it did before.
  } finally {
    a.removeAttribute("aria-busy");
  }
  if (!warnings.length) {
    download(a);
    return;
  }
  const go = h("button", { class: "primary", id: "export-anyway", text: "Download anyway" });
  const cancel = h("button", { id: "export-cancel", text: "Cancel" });
  const m = modal("Before you download", h("div", { class: "stack export-warnings" },
    h("p", { text: warnings.length === 1 ? "This file cannot hold everything in the project:" : `This file cannot hold everything in the project (${warnings.length} things to know):` }),
    h("ul", {}, warnings.map((w) => h("li", { text: w }))),
    h("div", { class: "row" }, go, cancel)), { wide: true });
  go.addEventListener("click", () => {
    m.close();
    download(a);
  });
  cancel.addEventListener("click", m.close);
  go.focus();
}

// download follows the link as the browser would have, past the guard.
function download(a) {
  a.dataset.checked = "1";
  try {
    a.click();
  } finally {
    delete a.dataset.checked;
  }
}
