// projects.js: the list of projects I am a member of.

import { api } from "./api.js";
import { navigate } from "./nav.js";
import { h, listKeys, fold, modal } from "./ui.js";

export async function mount(root) {
  const head = h("div", { class: "panel-head" }, h("h1", { text: "Your projects" }));
  const page = h("section", { class: "page narrow" }, head, h("p", { class: "muted", text: "Loading…" }));
  root.append(page);
  const { projects, can_create_projects: canCreate } = await api("GET", "/api/projects");
  page.lastChild.remove();
  // Starting projects is for administrators unless the server is run
  // with --open-projects; the server refuses others either way.
  if (canCreate) head.append(h("button", { id: "new-project", class: "small", text: "+ New project", on: { click: newProject } }));
  if (!projects.length) {
    page.append(h("p", { text: canCreate
      ? "You are not a member of any project yet. Start one with “New project”, or ask a project lead to add you."
      : "You are not a member of any project yet. Ask a project lead to add you." }));
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

// newProject asks for a name and starts a project led by me.
function newProject() {
  const name = h("input", { id: "np-name", required: true, maxlength: "200", placeholder: "e.g. Peer support in shelters" });
  const desc = h("textarea", { id: "np-desc", rows: "3", placeholder: "What the project is about (optional)" });
  const blind = h("input", { id: "np-blind", type: "checkbox" });
  const err = h("p", { class: "error", role: "alert", hidden: true });
  const go = h("button", { type: "submit", class: "primary", text: "Create project" });
  const form = h("form", { class: "stack" }, h("label", {}, "Name", name), h("label", {}, "Description", desc),
    h("label", { class: "check" }, blind, " Blind coding (coders see only their own codings)"), err,
    h("p", { class: "muted small", text: "You will lead it: add documents, build the codebook and invite the team from its “Team” page." }),
    h("div", { class: "row" }, go));
  const m = modal("New project", form);
  name.focus();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    go.disabled = true;
    try {
      const r = await api("POST", "/api/projects", { name: name.value.trim(), description: desc.value, blind: blind.checked });
      m.close();
      navigate("/p/" + encodeURIComponent(r.project.slug));
    } catch (ex) {
      err.textContent = ex.message;
      err.hidden = false;
      go.disabled = false;
    }
  });
}
