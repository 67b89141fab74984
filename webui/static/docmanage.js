// docmanage.js: what a lead does to the documents themselves on the
// documents page — rename, move up and down, delete to the trash after a
// confirmation that says what goes with the document — and what everyone
// shares: folders as headings, a folder or set filter, and the notice an
// open reader gets when its document is deleted.

import { api, projectPath } from "./api.js";
import { project } from "./state.js";
import { h, modal, toast, plural } from "./ui.js";

/** isDocumentListEvent reports whether an event changes the documents list. */
export function isDocumentListEvent(ev) {
  return ev.type.startsWith("document.") || ev.type.startsWith("documents.");
}

/**
 * groups returns docs by folder, each folder where its first document is in
 * the project's order, documents in no folder last; [{folder, docs}].
 */
export function groups(docs) {
  const byFolder = new Map();
  for (const d of docs) {
    const f = d.folder || "";
    if (!byFolder.has(f)) byFolder.set(f, []);
    byFolder.get(f).push(d);
  }
  const out = [...byFolder].filter(([f]) => f).map(([folder, list]) => ({ folder, docs: list }));
  if (byFolder.has("")) out.push({ folder: "", docs: byFolder.get("") });
  return out;
}

/** groupFilter is a <select> of "every document", each folder and each set. */
export function groupFilter() {
  return h("select", { id: "doc-group", "aria-label": "Show documents of a folder or set", title: "Show only a folder or a set" });
}

/** fillGroupFilter lists the folders and sets of docs in sel, keeping its choice if it still exists. */
export function fillGroupFilter(sel, docs) {
  const keep = sel.value;
  const folders = [...new Set(docs.map((d) => d.folder).filter(Boolean))].sort();
  const sets = setOptions(docs);
  sel.replaceChildren(h("option", { value: "", text: "Every document" }),
    folders.length ? h("optgroup", { label: "Folders" }, folders.map((f) => h("option", { value: "folder:" + f, text: "Folder: " + f }))) : null,
    sets);
  sel.value = [...sel.options].some((o) => o.value === keep) ? keep : "";
  sel.hidden = !folders.length && !sets;
}

/** setOptions is an <optgroup> of the sets of docs, valued "set:NAME" (null without sets). */
export function setOptions(docs) {
  const sets = [...new Set(docs.flatMap((d) => d.sets || []))].sort();
  return sets.length ? h("optgroup", { label: "Sets" }, sets.map((s) => h("option", { value: "set:" + s, text: "Set: " + s }))) : null;
}

/** inGroup reports whether d passes the folder or set filter value. */
export function inGroup(d, value) {
  if (!value) return true;
  if (value.startsWith("folder:")) return (d.folder || "") === value.slice(7);
  if (value.startsWith("set:")) return (d.sets || []).includes(value.slice(4));
  return true;
}

/**
 * move moves document id one place up (-1) or down (+1) among the
 * documents of its folder, as the list shows them, and stores the order.
 * It returns false when the document is already at that end.
 */
export async function move(pid, docs, id, step) {
  const shown = groups(docs).flatMap((g) => g.docs);
  const i = shown.findIndex((d) => d.id === id);
  const j = i + step;
  if (i < 0 || j < 0 || j >= shown.length || (shown[j].folder || "") !== (shown[i].folder || "")) return false;
  [shown[i], shown[j]] = [shown[j], shown[i]];
  await api("PUT", projectPath(pid, "documents", "order"), { order: shown.map((d) => d.id) });
  return true;
}

/** docActions is a lead's row of buttons for one document of the list. */
export function docActions(d, { onMove, onRename, onDelete }) {
  const btn = (cls, text, label, fn) => h("button", { class: "link " + cls, text, title: label, "aria-label": label + ": " + d.title, on: { click: fn } });
  return h("span", { class: "doc-actions" },
    btn("move-up", "↑", "Move up (Alt+↑)", () => onMove(d, -1)),
    btn("move-down", "↓", "Move down (Alt+↓)", () => onMove(d, 1)),
    btn("rename", "Rename", "Rename (F2)", () => onRename(d)),
    btn("delete danger", "Delete", "Move to the trash (Delete)", () => onDelete(d)));
}

/** openRename asks for a document's new title and saves it; done runs after a save. */
export function openRename(pid, d, done) {
  const input = h("input", { id: "rename-title", value: d.title, "aria-label": "Title", maxlength: "300", required: true });
  const err = h("p", { class: "error", role: "alert" });
  const save = h("button", { class: "primary", type: "submit", text: "Rename" });
  const cancel = h("button", { type: "button", text: "Cancel" });
  const form = h("form", { class: "rename-form" }, h("label", { class: "field" }, h("span", { text: "Title" }), input), err,
    h("div", { class: "row" }, save, cancel));
  const m = modal("Rename document", form);
  cancel.addEventListener("click", m.close);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const title = input.value.trim();
    if (!title) {
      err.textContent = "A document needs a title.";
      return;
    }
    if (title === d.title) {
      m.close();
      return;
    }
    save.disabled = true;
    try {
      await api("PATCH", projectPath(pid, "documents", d.id), { title });
      m.close();
      toast(`Renamed to “${title}”.`, "ok");
      done();
    } catch (ex) {
      err.textContent = ex.message;
      save.disabled = false;
      input.focus();
    }
  });
  input.focus();
  input.select();
}

/**
 * openDelete asks a lead to confirm moving a document to the trash, naming
 * how many codings and memos go with it, and deletes it; done runs after.
 */
export async function openDelete(pid, d, done) {
  const what = h("p", { id: "delete-what", text: "Counting what goes with it…" });
  const err = h("p", { class: "error", role: "alert" });
  const ok = h("button", { class: "danger", id: "delete-confirm", text: "Move to the trash", disabled: true });
  const cancel = h("button", { text: "Cancel" });
  const m = modal(`Delete “${d.title}”?`, h("div", { class: "delete-doc" }, what,
    h("p", { class: "muted", text: "Nothing is lost: the trash keeps it with all its codings and memos, and a lead can restore it from there. Until then it is left out of the list, agreement, search, segments and exports, and nobody can code it." }),
    err, h("div", { class: "row" }, ok, cancel)));
  cancel.addEventListener("click", m.close);
  cancel.focus();
  try {
    const [{ codings }, { memos }] = await Promise.all([
      api("GET", projectPath(pid, "documents", d.id, "codings")),
      api("GET", projectPath(pid, "memos")),
    ]);
    const withMemo = codings.filter((c) => c.memo).length;
    const docMemos = memos.filter((x) => x.document === d.id).length;
    const coders = new Set(codings.map((c) => c.coder)).size;
    what.textContent = codings.length || docMemos
      ? `It goes to the trash with ${plural(codings.length, "coding")}${coders ? ` by ${plural(coders, "coder")}` : ""}` +
        `${withMemo ? ` (${withMemo} with a memo)` : ""}${docMemos ? ` and ${plural(docMemos, "document memo")}` : ""}.`
      : "It has no codings or memos yet.";
    ok.disabled = false;
  } catch (ex) {
    what.textContent = "Could not count its codings: " + ex.message;
    ok.disabled = false;
  }
  ok.addEventListener("click", async () => {
    ok.disabled = true;
    try {
      await api("DELETE", projectPath(pid, "documents", d.id));
      m.close();
      toast(`“${d.title}” is in the trash.`, "ok");
      done();
    } catch (ex) {
      err.textContent = ex.message;
      ok.disabled = false;
    }
  });
}

/**
 * listShortcuts lets a lead act on the focused document of the list:
 * Alt+↑/↓ moves it, F2 renames it, Delete deletes it. It listens in the
 * capture phase, before the list's own arrow keys.
 */
export function listShortcuts(list, find, { onMove, onRename, onDelete }) {
  list.addEventListener("keydown", (e) => {
    const item = e.target.closest && e.target.closest("[data-doc]");
    if (!item || e.target.closest("input, textarea, select")) return;
    const d = find(item.dataset.doc);
    if (!d) return;
    let act = null;
    if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) act = () => onMove(d, e.key === "ArrowUp" ? -1 : 1);
    else if (e.key === "F2" && !e.altKey && !e.ctrlKey && !e.metaKey) act = () => onRename(d);
    else if (e.key === "Delete" && !e.altKey && !e.ctrlKey && !e.metaKey) act = () => onDelete(d);
    if (!act) return;
    e.preventDefault();
    e.stopPropagation();
    act();
  }, true);
}

/**
 * documentDeleted tells a reader that the document it shows was moved to
 * the trash, then leads back to the documents; back runs on closing.
 */
export function documentDeleted(ev, back) {
  const who = ev.actor === project.me ? "You" : project.coderName(ev.actor) || "A lead";
  const title = (ev.payload && ev.payload.document && ev.payload.document.title) || "This document";
  const ok = h("button", { class: "primary", id: "deleted-back", text: "Back to the documents" });
  const m = modal("This document was deleted", h("div", { class: "doc-deleted" },
    h("p", { text: `${who} moved “${title}” to the trash.` }),
    h("p", { class: "muted", text: "The codings saved in it are kept with it and come back if a lead restores it." }),
    h("div", { class: "row" }, ok)), { onClose: back });
  ok.addEventListener("click", m.close);
  ok.focus();
}

/**
 * neighbourLinks leads from the reader to the previous and next document
 * in the project's order: {el, go(step)}, where go follows one link if
 * there is one.
 */
export function neighbourLinks(pid, did) {
  const base = "/p/" + encodeURIComponent(project.project.slug) + "/d/";
  const prev = h("a", { class: "doc-prev", "data-link": "", hidden: true, text: "‹", title: "Previous document ([)", "aria-label": "Previous document" });
  const next = h("a", { class: "doc-next", "data-link": "", hidden: true, text: "›", title: "Next document (])", "aria-label": "Next document" });
  const set = (a, d) => {
    if (!d) return;
    a.href = base + encodeURIComponent(d.id);
    a.title = `${a.getAttribute("aria-label")}: ${d.title} (${a === prev ? "[" : "]"})`;
    a.hidden = false;
  };
  api("GET", projectPath(pid, "documents")).then(({ documents }) => {
    const i = documents.findIndex((d) => d.id === did);
    if (i < 0) return;
    set(prev, documents[i - 1]);
    set(next, documents[i + 1]);
  }).catch(() => {});
  return {
    el: h("span", { class: "doc-nav" }, prev, next),
    go(step) {
      const a = step < 0 ? prev : next;
      if (a.hidden) return false;
      a.click();
      return true;
    },
  };
}
