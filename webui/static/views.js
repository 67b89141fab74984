// views.js: what the project's pages share: the list of pages (tabs,
// top-bar links and shortcuts), a header with the tabs,
// links into the reader at a passage, and code chips.

import { project } from "./state.js";
import { h } from "./ui.js";

// The project's pages: id (also the path under /p/SLUG/, "" for the
// documents), tab label, top-bar label, keyboard shortcut, and whether
// only leads see it.
const PAGES = [
  { id: "documents", sub: "", tab: "Documents" },
  { id: "search", sub: "search", tab: "Search", bar: "Search", key: "s" },
  { id: "segments", sub: "segments", tab: "Coded segments", bar: "Segments", key: "g" },
  { id: "analysis", sub: "analysis", tab: "Analysis", bar: "Analysis", key: "a" },
  { id: "memos", sub: "memos", tab: "Memos", bar: "Memos", title: "The project's journal and every memo" },
  { id: "agreement", sub: "agreement", tab: "Agreement", bar: "Agreement", lead: true, title: "How well the coders agree, and adjudication" },
  { id: "settings", sub: "settings", tab: "Team", bar: "Team", title: "The team, settings and downloads" },
];

/** projectPages lists the pages of the open project I may see. */
export function projectPages() {
  return PAGES.filter((p) => !p.lead || project.isLead);
}

/** pageForKey is the page a keyboard shortcut opens, if any. */
export function pageForKey(key) {
  return PAGES.find((p) => p.key === key);
}

/** projectHref is the UI path of a project page: "" (documents), "search", "segments", "analysis", "memos", "agreement", "settings". */
export function projectHref(sub) {
  const base = "/p/" + encodeURIComponent(project.project.slug);
  return sub ? base + "/" + sub : base;
}

/** tabs links the project's pages; current is the one shown. */
export function tabs(current) {
  return h("nav", { class: "tabs", "aria-label": "Project pages" },
    projectPages().map((p) => h("a", {
      href: projectHref(p.sub), "data-link": "", class: "tab" + (p.id === current ? " current" : ""),
      "aria-current": p.id === current ? "page" : undefined, text: p.tab,
    })));
}

/** barLinks leads from anywhere in a project to its pages (the top bar). */
export function barLinks() {
  return h("nav", { class: "research", "aria-label": "Project pages" },
    projectPages().filter((p) => p.bar).map((p) => {
      const href = projectHref(p.sub);
      return h("a", {
        id: "nav-" + p.id, class: "nav-" + p.id, href, "data-link": "", title: p.key ? `${p.bar} (${p.key})` : p.title,
        "aria-current": location.pathname.startsWith(href) ? "page" : undefined, text: p.bar,
      });
    }));
}

/** viewHeader is a view's tabs and title. */
export function viewHeader(title, current) {
  return h("header", { class: "view-head" }, tabs(current), h("h1", { text: title }));
}

/** readerHref opens a document in the reader with [start, end) (code points) selected. */
export function readerHref(did, start, end) {
  return projectHref("d/" + encodeURIComponent(did)) + `?at=${start}-${end}`;
}

/** segmentsHref opens the coded segments filtered by params (an object of the segments API's filters). */
export function segmentsHref(params) {
  const p = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v !== undefined && v !== null));
  return projectHref("segments") + (p.size ? "?" + p : "");
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
