// documents.js: a project's documents, each with how far every coder has
// got, who is assigned it and who marked it done, and who has it open
// right now; the codebook sits beside the list.

import { api, projectPath } from "./api.js";
import { project } from "./state.js";
import { navigate } from "./nav.js";
import { h, clear, listKeys, fold, plural, avatar, toast } from "./ui.js";
import * as codebook from "./codebook.js";
import { tabs } from "./views.js";
import { sideToggle } from "./sidepanel.js";
import { openImport } from "./importer.js";
import { loadAssignments, openAssign, isAssignmentEvent } from "./assignments.js";
import * as manage from "./docmanage.js";
import { openCaseSheet } from "./casesheet.js";
import { openTrash } from "./trash.js";

export async function mount(root, { pid }) {
  await project.open(pid);
  const page = h("div", { class: "layout" });
  const main = h("section", { class: "page docs", "aria-label": "Documents" });
  const side = h("aside", { class: "side", "aria-label": "Codebook" });
  page.append(main, side);
  root.append(page);

  const p = project.project;
  const filter = h("input", { type: "search", placeholder: "Filter documents  ( / )", "aria-label": "Filter documents", "data-filter": "" });
  const list = h("ul", { class: "doclist", role: "list" });
  const status = h("p", { class: "muted", text: "Loading documents…" });
  const importBtn = project.isLead ? h("button", { id: "import-open", text: "Import documents…", title: "Add documents from files" }) : null;
  const assignBtn = project.isLead ? h("button", { id: "assign-open", text: "Assign…", title: "Give coders documents to read and code, or a random reliability sample" }) : null;
  const sheetBtn = project.isLead ? h("button", { id: "sheet-open", text: "Attributes…", title: "Edit every document's attributes, folder and sets in one sheet" }) : null;
  const trashBtn = project.isLead ? h("button", { id: "trash-open", text: "Trash", title: "Deleted documents, to restore" }) : null;
  const group = manage.groupFilter();
  // "Assigned to you" narrows the list to my documents; it shows once I
  // have any.
  const mineBox = h("input", { type: "checkbox", id: "mine-only" });
  const mine = h("label", { class: "check", hidden: true, title: "Show only the documents assigned to you" }, mineBox, " Assigned to you");
  // Element.append writes null as the text "null": leave the line out.
  main.append(tabs("documents"), h("h1", { text: p.name }), ...(p.description ? [h("p", { class: "desc", text: p.description })] : []),
    h("div", { class: "toolbar" }, filter, group, mine, importBtn, assignBtn, sheetBtn, trashBtn, sideToggle(page, side)), status, list);

  let docs = [];
  let assignments = new Map();
  // A lead's own changes reload the list at once; others' come as events.
  const reload = () => load().catch(() => {});
  const actions = {
    onMove: async (d, step) => {
      try {
        if (!(await manage.move(pid, docs, d.id, step))) return;
        await load();
        const again = list.querySelector(`a[data-doc="${CSS.escape(d.id)}"]`);
        if (again) again.focus();
      } catch (ex) {
        toast(ex.message, "error");
      }
    },
    onRename: (d) => manage.openRename(pid, d, reload),
    onDelete: (d) => manage.openDelete(pid, d, reload),
  };
  // progressLine says who is assigned a document and who marked it done
  // (a blind coder only learns their own done marks from the server).
  const progressLine = (d) => {
    const a = assignments.get(d.id);
    if (!a || (!a.assigned.size && !a.done.size)) return null;
    const line = h("span", { class: "assigned-row" });
    if (a.assigned.has(project.me)) line.append(h("span", { class: "badge mine", text: "Assigned to you" }));
    const who = [...new Set([...a.assigned, ...a.done])].sort((x, y) => project.coderName(x).localeCompare(project.coderName(y)));
    for (const id of who) {
      const done = a.done.has(id);
      const text = project.coderName(id) + (done ? " ✓" : "");
      const title = `${project.coderName(id)}: ${a.assigned.has(id) ? "assigned" : "not assigned"}, ${done ? "marked done" : "not marked done"}`;
      line.append(h("span", { class: "badge" + (done ? " done" : ""), "data-coder": id, "data-done": done ? "1" : "", title, "aria-label": title, text }));
    }
    return line;
  };
  const drawPresence = () => {
    const online = project.live ? project.live.online : [];
    for (const li of list.querySelectorAll("[data-doc]")) {
      const box = li.querySelector(".here");
      clear(box);
      const seen = new Set();
      for (const o of online) {
        if (o.document !== li.dataset.doc || seen.has(o.user)) continue;
        seen.add(o.user);
        box.append(avatar(o.name, o.colour, o.name + " has this document open"));
      }
    }
  };
  const draw = () => {
    const focused = document.activeElement && document.activeElement.closest("[data-doc]");
    const focusedId = focused && focused.dataset.doc;
    clear(list);
    const q = fold(filter.value.trim());
    const coders = project.coders();
    // Folders are headings over their documents, in the project's order.
    const foldered = docs.some((d) => d.folder);
    let heading = null;
    for (const d of manage.groups(docs).flatMap((g) => g.docs)) {
      const attrs = Object.entries(d.attributes || {}).map(([k, v]) => `${k}: ${v}`).join(" · ");
      if (!manage.inGroup(d, group.value)) continue;
      if (q && !fold(d.title + " " + attrs + " " + (d.sets || []).join(" ")).includes(q)) continue;
      if (mineBox.checked && !(assignments.get(d.id) && assignments.get(d.id).assigned.has(project.me))) continue;
      const bars = h("div", { class: "progress-list" });
      // A blinded coder gets only their own progress and how many coders
      // have started; the others' progress would show where they coded.
      const blinded = project.blinded;
      const layers = blinded ? [project.me] : [...coders.map((m) => m.id), project.consensus];
      if (blinded) bars.append(h("p", { class: "muted started", text: `${d.started || 0} of ${plural(coders.length, "coder")} started` }));
      for (const id of layers) {
        const pr = d.progress[id];
        if (!pr && id === project.consensus) continue;
        const frac = pr && d.length ? Math.min(1, pr.reached / d.length) : 0;
        const pct = Math.round(frac * 100);
        const label = `${project.coderName(id)}: ${pr ? plural(pr.codings, "coding") : "not started"}, ${pct}% of the text reached`;
        bars.append(h("div", { class: "progress-row", title: label },
          h("span", { class: "who", text: project.coderName(id) }),
          h("span", { class: "bar", role: "progressbar", "aria-label": label, "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": String(pct) },
            h("span", { class: "fill", style: { width: pct + "%", backgroundColor: project.coderColour(id) } })),
          h("span", { class: "num", text: pr ? String(pr.codings) : "–" })));
      }
      if (foldered && (d.folder || "") !== heading) {
        heading = d.folder || "";
        list.append(h("li", { class: "folder-head" }, h("h2", { text: heading || "Not in a folder" })));
      }
      const href = `/p/${encodeURIComponent(p.slug)}/d/${encodeURIComponent(d.id)}`;
      list.append(h("li", { "data-doc": d.id },
        h("a", { class: "card item doc", href, "data-link": "", "data-item": "", "data-doc": d.id },
          h("span", { class: "title-row" }, h("span", { class: "title", text: d.title }), h("span", { class: "here" })),
          h("span", { class: "meta", text: [plural(d.length, "character"), attrs].filter(Boolean).join(" · ") }),
          (d.sets || []).length ? h("span", { class: "sets-row" }, d.sets.map((s) => h("span", { class: "badge set", text: s, title: "In set " + s }))) : null,
          progressLine(d),
          bars),
        project.isLead ? manage.docActions(d, actions) : null));
    }
    if (!list.childElementCount) list.append(h("li", { class: "muted", text: docs.length ? "No document matches the filter." : "This project has no documents yet." }));
    drawPresence();
    if (focusedId) {
      const again = list.querySelector(`a[data-doc="${CSS.escape(focusedId)}"]`);
      if (again) again.focus();
    }
  };
  const load = async () => {
    const [r, a] = await Promise.all([api("GET", projectPath(pid, "documents")), loadAssignments(pid)]);
    docs = r.documents;
    manage.fillGroupFilter(group, docs);
    assignments = a;
    mine.hidden = ![...assignments.values()].some((e) => e.assigned.has(project.me));
    status.remove();
    draw();
  };
  const loadAssigned = async () => {
    assignments = await loadAssignments(pid);
    mine.hidden = ![...assignments.values()].some((e) => e.assigned.has(project.me));
    draw();
  };
  // The toolbar shows before the list has loaded: a click on it then
  // waits for the list instead of being lost.
  const loaded = load();
  const afterLoad = (open) => () => loaded.then(open, () => {});
  if (importBtn) importBtn.addEventListener("click", afterLoad(() => openImport(pid, reload)));
  if (assignBtn) assignBtn.addEventListener("click", afterLoad(() => openAssign(pid, docs, () => loadAssigned().catch(() => {}))));
  if (sheetBtn) sheetBtn.addEventListener("click", afterLoad(() => openCaseSheet(pid, docs, reload)));
  if (trashBtn) trashBtn.addEventListener("click", afterLoad(() => openTrash(pid, reload)));
  await loaded;
  filter.addEventListener("input", draw);
  group.addEventListener("change", draw);
  if (project.isLead) manage.listShortcuts(list, (id) => docs.find((d) => d.id === id), actions);
  mineBox.addEventListener("change", draw);
  filter.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") {
      const first = list.querySelector("[data-item]");
      if (first) {
        e.preventDefault();
        first.focus();
      }
    }
  });
  listKeys(list, () => [...list.querySelectorAll("[data-item]")], (a) => navigate(a.getAttribute("href")));
  const first = list.querySelector("[data-item]");
  if (first) first.focus();

  let timer = 0;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => load().catch(() => {}), 1200);
  };
  const offs = [
    project.on("presence", drawPresence),
    project.on("event", (ev) => {
      // Assignments and done marks are small and shown at once.
      if (isAssignmentEvent(ev)) loadAssigned().catch(() => {});
      else if (ev.type.startsWith("coding.") || manage.isDocumentListEvent(ev) || ev.type === "code.deleted" || ev.type === "code.merged") later();
    }),
    project.on("reload", later),
  ];
  const unCodebook = codebook.mount(side, {});
  if (project.live) project.live.setPresence("");
  return () => {
    clearTimeout(timer);
    offs.forEach((f) => f());
    unCodebook();
  };
}
