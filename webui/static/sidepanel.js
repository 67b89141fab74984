// sidepanel.js: the codebook beside the reader and the documents folds
// away on narrow windows. There it slides over the page from the right,
// opened and closed by a "Codebook" button (Escape or a click beside it
// closes it too); wide windows show it always and hide the button
// (app.css, "Narrow windows").

import { h } from "./ui.js";

/**
 * sideToggle returns the button that shows and hides side, the aside of
 * layout. Opening moves the focus into the panel; closing brings it back.
 */
export function sideToggle(layout, side) {
  if (!side.id) side.id = "side-panel";
  const btn = h("button", {
    id: "codebook-toggle", class: "side-toggle", type: "button", "aria-controls": side.id, "aria-expanded": "false",
    title: "Show or hide the codebook", text: "Codebook",
  });
  const set = (open) => {
    layout.classList.toggle("side-open", open);
    btn.setAttribute("aria-expanded", String(open));
    if (open) {
      const first = side.querySelector("input, button, [tabindex]");
      (first || side).focus({ preventScroll: true });
    }
  };
  btn.addEventListener("click", () => set(!layout.classList.contains("side-open")));
  // A click beside the open panel (on the text it covers) folds it away.
  layout.addEventListener("pointerdown", (e) => {
    if (layout.classList.contains("side-open") && !side.contains(e.target) && !btn.contains(e.target)) set(false);
  });
  side.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && layout.classList.contains("side-open")) {
      e.stopPropagation();
      set(false);
      btn.focus();
    }
  });
  return btn;
}
