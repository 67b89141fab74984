// projects.js: the list of projects I am a member of.

import { api } from "./api.js";
import { navigate } from "./nav.js";
import { h, listKeys, fold } from "./ui.js";

export async function mount(root) {
  const page = h("section", { class: "page narrow" }, h("h1", { text: "Your projects" }), h("p", { class: "muted", text: "Loading…" }));
  root.append(page);
  const { projects } = await api("GET", "/api/projects");
  page.lastChild.remove();
  if (!projects.length) {
    page.append(h("p", { text: "You are not a member of any project yet. Ask a project lead to add you." }));
    return null;
  }
  const filter = h("input", { type: "search", placeholder: "Filter projects  ( / )", "aria-label": "Filter projects", "data-filter": "" });
  const list = h("ul", { class: "cards", role: "list" });
  const draw = () => {
    list.replaceChildren();
    const q = fold(filter.value.trim());
    for (const p of projects) {
      if (q && !fold(p.name + " " + p.description).includes(q)) continue;
      const href = "/p/" + encodeURIComponent(p.slug);
      list.append(h("li", {}, h("a", { class: "card item", href, "data-link": "", "data-item": "" },
        h("span", { class: "title", text: p.name }),
        h("span", { class: "meta", text: [p.role, p.blind ? "blind coding" : ""].filter(Boolean).join(" · ") }),
        p.description ? h("span", { class: "desc", text: p.description }) : null)));
    }
  };
  filter.addEventListener("input", draw);
  filter.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" || e.key === "Enter") {
      const first = list.querySelector("[data-item]");
      if (first) {
        e.preventDefault();
        if (e.key === "Enter") navigate(first.getAttribute("href"));
        else first.focus();
      }
    }
  });
  listKeys(list, () => [...list.querySelectorAll("[data-item]")], (a) => navigate(a.getAttribute("href")));
  page.append(filter, list);
  draw();
  const first = list.querySelector("[data-item]");
  if (first) first.focus();
  return null;
}
