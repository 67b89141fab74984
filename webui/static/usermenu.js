// usermenu.js: your account and sign-out in the top bar. Wide windows show
// both as they are; on narrow ones (app.css, "Narrow windows") they fold
// into a menu behind one button, so that the top bar stays on one line.

import { h } from "./ui.js";

/** userMenu holds items (buttons) behind a button named after the user. */
export function userMenu(name, items) {
  const list = h("span", { class: "user-items", id: "user-items", role: "group", "aria-label": "Your account" }, items);
  const btn = h("button", {
    id: "user-menu", class: "link user-menu", type: "button", "aria-haspopup": "true", "aria-expanded": "false", "aria-controls": list.id,
    title: "Your account and signing out", text: name + " ▾",
  });
  const wrap = h("span", { class: "user" }, btn, list);
  const set = (open) => {
    wrap.classList.toggle("open", open);
    btn.setAttribute("aria-expanded", String(open));
  };
  btn.addEventListener("click", () => {
    set(!wrap.classList.contains("open"));
    if (wrap.classList.contains("open")) list.querySelector("button").focus();
  });
  // Choosing an item, Escape, or focus going elsewhere (a click outside) closes it.
  list.addEventListener("click", () => set(false));
  wrap.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && wrap.classList.contains("open")) {
      e.stopPropagation();
      set(false);
      btn.focus();
    }
  });
  wrap.addEventListener("focusout", (e) => {
    if (!wrap.contains(e.relatedTarget)) set(false);
  });
  return wrap;
}
