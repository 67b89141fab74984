// views.js: what the project's research views (search, segments,
// analysis) share: a header with tabs between them and the documents,
// links into the reader at a passage, and code chips.

import { project } from "./state.js";
import { h } from "./ui.js";

const TABS = [
  ["documents", "Documents", ""],
  ["search", "Search", "search"],
  ["segments", "Coded segments", "segments"],
  ["analysis", "Analysis", "analysis"],
  ["agreement", "Agreement", "agreement", "lead"],
  ["settings", "Team", "settings"],
];

/** projectHref is the UI path of a project page: "" (documents), "search", "segments", "analysis", "agreement", "settings". */
export function projectHref(sub) {
  const base = "/p/" + encodeURIComponent(project.project.slug);
  return sub ? base + "/" + sub : base;
}

/** tabs links the project's pages; current is the one shown. */
export function tabs(current) {
  return h("nav", { class: "tabs", "aria-label": "Project pages" },
    TABS.filter(([, , , who]) => who !== "lead" || project.isLead).map(([id, label, sub]) => h("a", {
      href: projectHref(sub), "data-link": "", class: "tab" + (id === current ? " current" : ""),
      "aria-current": id === current ? "page" : undefined, text: label,
    })));
}

/** viewHeader is a view's tabs and title. */
export function viewHeader(title, current) {
  return h("header", { class: "view-head" }, tabs(current), h("h1", { text: title }));
}

/** readerHref opens a document in the reader with [start, end) (code points) selected. */
export function readerHref(did, start, end) {
  return projectHref("d/" + encodeURIComponent(did)) + `?at=${start}-${end}`;
}

/** codeChip shows a code's colour and path, and optionally who applied it. */
export function codeChip(code, who) {
  return h("span", { class: "chip", title: who ? `${project.codePath(code)}, by ${who}` : project.codePath(code) },
    h("span", { class: "swatch", style: { backgroundColor: project.codeColour(code) } }),
    h("span", { text: project.codePath(code) }), who ? h("span", { class: "muted", text: " · " + who }) : null);
}

/**
 * codeOptions lists the codebook as <option>s in tree order, indented by
 * depth, keeping the codes keep accepts; selected, if given, is chosen.
 */
export function codeOptions(keep = () => true, selected = "") {
  const out = [];
  const walk = (parent, depth) => {
    for (const c of project.children.get(parent) || []) {
      if (keep(c)) out.push(h("option", { value: c.id, selected: c.id === selected, text: "\u2003".repeat(depth) + c.name }));
      walk(c.id, depth + 1);
    }
  };
  walk("", 0);
  return out;
}
