// codebook.js: the codebook as a tree with colours. Everyone can browse it
// and read definitions; leads also create, rename, recolour, define, move,
// merge and delete codes (the server checks the role either way).

import { api, projectPath } from "./api.js";
import { project } from "./state.js";
import { h, clear, toast, modal, fold, plural } from "./ui.js";
import { codeOptions } from "./views.js";
import { codeMemosButton } from "./memos.js";

/**
 * mount draws the codebook panel into root. opts.counts, when given,
 * returns a Map of code id to a number shown beside the code (codings in
 * the open document). Returns an unmount function with a refresh method.
 */
export function mount(root, opts = {}) {
  let selected = "";
  const filter = h("input", { type: "search", placeholder: "Find a code", "aria-label": "Find a code in the codebook" });
  const tree = h("ul", { class: "tree", role: "tree", "aria-label": "Codebook" });
  const details = h("div", { class: "code-details", "aria-live": "polite" });
  const addBtn = project.isLead ? h("button", { class: "small", text: "+ New code", title: "Add a code (lead)" }) : null;
  const panel = h("section", { class: "codebook" },
    h("div", { class: "panel-head" }, h("h2", { text: "Codebook" }), addBtn), filter, tree, details);
  root.append(panel);
  // A new code goes into the selected category, or beside the selected code.
  const defaultParent = () => {
    const c = project.codes.get(selected);
    if (!c) return "";
    return c.codable ? c.parent || "" : c.id;
  };
  if (addBtn) addBtn.addEventListener("click", () => newCode(defaultParent()));

  // Live events redraw the panel often, mostly with nothing changed (the
  // echo of the lead's own edit, another coder's coding). Rebuilding the rows
  // then would swallow a click whose press landed on the old row, and
  // rebuilding the details would wipe a definition being typed; so the panel
  // is only redrawn when what it shows differs.
  let shownTree = null;
  let shownDetails = null;
  const draw = () => {
    const counts = opts.counts ? opts.counts() : null;
    const q = fold(filter.value.trim());
    const focusedId = document.activeElement && document.activeElement.dataset && document.activeElement.dataset.code;
    const next = h("ul");
    const walk = (parent, depth, into) => {
      for (const c of project.children.get(parent) || []) {
        const path = project.codePath(c.id);
        const kids = h("ul", { role: "group" });
        walk(c.id, depth + 1, kids);
        const match = !q || fold(path).includes(q);
        if (!match && !kids.childElementCount) continue;
        const n = counts ? counts.get(c.id) || 0 : null;
        const row = h("div", {
          class: "code-row" + (c.id === selected ? " selected" : "") + (c.codable ? "" : " category"),
          role: "treeitem", tabindex: "-1", "data-code": c.id, "aria-selected": c.id === selected ? "true" : "false",
          title: c.description || path,
        },
        h("span", { class: "swatch", style: { backgroundColor: project.codeColour(c.id) } }),
        h("span", { class: "name", text: c.name }),
        n ? h("span", { class: "count", title: "codings in this document", text: String(n) }) : null);
        row.style.paddingLeft = 0.4 + depth * 1.1 + "rem";
        into.append(h("li", {}, row, kids.childElementCount ? kids : null));
      }
    };
    walk("", 0, next);
    if (!next.childElementCount) next.append(h("li", { class: "muted", text: project.codes.size ? "No code matches." : "The codebook is empty." }));
    drawDetails();
    const shown = next.innerHTML; // compared, never assigned
    if (shown === shownTree) return;
    shownTree = shown;
    clear(tree);
    tree.append(...next.childNodes);
    const rows = rowsOf();
    const target = rows.find((r) => r.dataset.code === (focusedId || selected)) || rows[0];
    if (target) target.tabIndex = 0;
    if (focusedId && target && target.dataset.code === focusedId) target.focus();
  };
  const rowsOf = () => [...tree.querySelectorAll(".code-row")];

  tree.addEventListener("click", (e) => {
    const row = e.target.closest(".code-row");
    if (!row) return;
    select(row.dataset.code);
  });
  tree.addEventListener("keydown", (e) => {
    const rows = rowsOf();
    let i = rows.indexOf(document.activeElement);
    if (e.key === "j" || e.key === "ArrowDown") i = Math.min(rows.length - 1, i + 1);
    else if (e.key === "k" || e.key === "ArrowUp") i = Math.max(0, i - 1);
    else if ((e.key === "Enter" || e.key === " ") && i >= 0) {
      e.preventDefault();
      select(rows[i].dataset.code);
      return;
    } else return;
    e.preventDefault();
    rows.forEach((r) => (r.tabIndex = -1));
    rows[i].tabIndex = 0;
    rows[i].focus();
  });
  filter.addEventListener("input", draw);
  filter.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") {
      const r = rowsOf()[0];
      if (r) {
        e.preventDefault();
        r.focus();
      }
    }
  });

  const select = (id) => {
    selected = selected === id ? "" : id;
    draw();
    const row = tree.querySelector(`[data-code="${CSS.escape(id)}"]`);
    if (row) row.focus();
  };

  function drawDetails() {
    const c = project.codes.get(selected);
    // The parent list offers every code, so the codebook's shape counts too.
    const shape = c ? [...project.codes.values()].map((o) => o.id + "/" + o.parent + "/" + o.name) : [];
    const shown = JSON.stringify([c || null, c ? project.codeColour(c.id) : "", project.isLead, shape]);
    if (shown === shownDetails) return;
    shownDetails = shown;
    clear(details);
    if (!c) return;
    details.append(h("h3", {}, h("span", { class: "swatch", style: { backgroundColor: project.codeColour(c.id) } }), " ", project.codePath(c.id)),
      h("p", { class: "code-memos-row" }, codeMemosButton(c.id)));
    if (!project.isLead) {
      details.append(h("p", { class: c.description ? "" : "muted", text: c.description || "No definition yet." }));
      if (!c.codable) details.append(h("p", { class: "muted", text: "A category: it groups codes and is not applied to text itself." }));
      return;
    }
    const name = h("input", { value: c.name, "aria-label": "Name" });
    const colour = h("input", { type: "color", value: c.colour || project.codeColour(c.id), "aria-label": "Colour" });
    const desc = h("textarea", { rows: "3", "aria-label": "Definition", placeholder: "What this code means and when to apply it" });
    desc.value = c.description || "";
    const parent = h("select", { "aria-label": "Parent code" }, h("option", { value: "", text: "(top level)" }),
      codeOptions((o) => o.id !== c.id && !isWithin(o.id, c.id)));
    parent.value = c.parent || "";
    const codable = h("input", { type: "checkbox", id: "codable-" + c.id, checked: c.codable });
    const form = h("form", { class: "stack" },
      h("label", {}, "Name", name),
      h("label", {}, "Colour", colour),
      h("label", {}, "Definition", desc),
      h("label", {}, "Parent", parent),
      h("label", { class: "check" }, codable, " can be applied to text"),
      h("div", { class: "row" }, h("button", { type: "submit", class: "primary", text: "Save" })));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = {};
      if (name.value.trim() !== c.name) body.name = name.value.trim();
      if (colour.value !== (c.colour || "")) body.colour = colour.value;
      if (desc.value !== (c.description || "")) body.description = desc.value;
      if (parent.value !== (c.parent || "")) body.parent = parent.value;
      if (codable.checked !== c.codable) body.codable = codable.checked;
      if (!Object.keys(body).length) return;
      await save(() => api("PATCH", projectPath(project.pid, "codes", c.id), body), "Saved.");
    });
    const merge = h("button", { text: "Merge into…" });
    const del = h("button", { class: "danger", text: "Delete…" });
    merge.addEventListener("click", () => mergeCode(c));
    del.addEventListener("click", () => deleteCode(c));
    details.append(form, h("div", { class: "row" }, merge, del));
  }

  async function save(fn, done) {
    try {
      const r = await fn();
      if (r && r.code) {
        // Show it now; the live event brings the same.
        project.codes.set(r.code.id, r.code);
        project.setCodes([...project.codes.values()]);
        project.emit("codes");
      }
      if (done) toast(done, "ok");
      return r;
    } catch (e) {
      toast(e.message, "error");
      return null;
    }
  }

  function newCode(parentId) {
    const name = h("input", { required: true, "aria-label": "Name", placeholder: "e.g. Trust" });
    const parent = h("select", { "aria-label": "Parent code" }, h("option", { value: "", text: "(top level)" }), codeOptions(() => true));
    parent.value = parentId || "";
    const colour = h("input", { type: "color", value: PALETTE[project.codes.size % PALETTE.length], "aria-label": "Colour" });
    const desc = h("textarea", { rows: "3", "aria-label": "Definition" });
    const err = h("p", { class: "error", role: "alert", hidden: true });
    const form = h("form", { class: "stack" }, h("label", {}, "Name", name), h("label", {}, "Under", parent),
      h("label", {}, "Colour", colour), h("label", {}, "Definition (optional)", desc), err,
      h("div", { class: "row" }, h("button", { type: "submit", class: "primary", text: "Add code" })));
    const m = modal("New code", form);
    name.focus();
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = { name: name.value.trim(), colour: colour.value, description: desc.value };
      if (parent.value) body.parent = parent.value;
      try {
        const r = await api("POST", projectPath(project.pid, "codes"), body);
        project.codes.set(r.code.id, r.code);
        project.setCodes([...project.codes.values()]);
        selected = r.code.id;
        project.emit("codes");
        m.close();
        toast(`Added “${r.code.name}”.`, "ok");
      } catch (ex) {
        err.textContent = ex.message;
        err.hidden = false;
      }
    });
  }

  function mergeCode(c) {
    const into = h("select", { "aria-label": "Merge into" }, codeOptions((o) => o.id !== c.id && !isWithin(o.id, c.id) && o.codable));
    const err = h("p", { class: "error", role: "alert", hidden: true });
    const go = h("button", { type: "submit", class: "primary", text: "Merge" });
    const form = h("form", { class: "stack" },
      h("p", { text: `Every coding of “${project.codePath(c.id)}” moves to the code you choose, and “${c.name}” is removed. Codings that would become exact duplicates are dropped.` }),
      h("label", {}, "Merge into", into), err, h("div", { class: "row" }, go));
    const m = modal("Merge code", form);
    into.focus();
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      go.disabled = true;
      go.textContent = "Merging…";
      try {
        const r = await api("POST", projectPath(project.pid, "codes", c.id, "merge"), { into: into.value });
        m.close();
        // Shown at once: a click on the row before the reload would
        // otherwise find it unselected and toggle the selection off.
        selected = into.value;
        draw();
        await project.reloadCodes();
        toast(`Merged: ${plural(r.codings_moved, "coding")} moved, ${plural(r.codings_dropped, "duplicate")} dropped.`, "ok");
      } catch (ex) {
        err.textContent = ex.message;
        err.hidden = false;
        go.disabled = false;
        go.textContent = "Merge";
      }
    });
  }

  function deleteCode(c) {
    const kids = subtree(c.id).length - 1;
    const optDelete = h("input", { type: "radio", name: "what", value: "delete", id: "what-delete" });
    const optMove = h("input", { type: "radio", name: "what", value: "move", id: "what-move", checked: true });
    const moveTo = h("select", { "aria-label": "Move codings to" }, codeOptions((o) => !isWithin(o.id, c.id) && o.codable));
    if (!moveTo.options.length) {
      optMove.disabled = true;
      optMove.checked = false;
      optDelete.checked = true;
    }
    const err = h("p", { class: "error", role: "alert", hidden: true });
    const go = h("button", { type: "submit", class: "danger", text: "Delete code" });
    const form = h("form", { class: "stack" },
      h("p", { text: `Delete “${project.codePath(c.id)}”${kids ? ` and its ${plural(kids, "sub-code")}` : ""}? What should happen to its codings (by every coder)?` }),
      h("label", { class: "check" }, optMove, " Move them to ", moveTo),
      h("label", { class: "check" }, optDelete, " Delete them too"),
      err, h("div", { class: "row" }, go));
    const m = modal("Delete code", form);
    optMove.focus();
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const q = optDelete.checked ? "codings=delete" : "move_to=" + encodeURIComponent(moveTo.value);
      go.disabled = true;
      go.textContent = "Deleting…";
      try {
        const r = await api("DELETE", projectPath(project.pid, "codes", c.id) + "?" + q);
        m.close();
        selected = "";
        draw();
        await project.reloadCodes();
        toast(r.moved_to ? `Deleted; ${plural(r.codings_moved, "coding")} moved.` : `Deleted with ${plural(r.codings_deleted, "coding")}.`, "ok");
      } catch (ex) {
        err.textContent = ex.message;
        err.hidden = false;
        go.disabled = false;
        go.textContent = "Delete code";
      }
    });
  }

  const off = project.on("codes", draw);
  draw();
  const unmount = () => {
    off();
    panel.remove();
  };
  unmount.refresh = draw;
  return unmount;
}

// Colours offered for new codes, in turn: distinct, and readable as thin bars.
const PALETTE = ["#2a9d8f", "#e76f51", "#457b9d", "#8d5fd3", "#e9c46a", "#d1495b", "#3a86ff", "#6a994e", "#f4a261", "#7d8597"];

function subtree(id) {
  const out = [id];
  for (const c of project.children.get(id) || []) out.push(...subtree(c.id));
  return out;
}

/** isWithin reports whether code a is b or lies under it. */
function isWithin(a, b) {
  for (let c = project.codes.get(a), guard = 0; c && guard < 100; c = project.codes.get(c.parent), guard++) {
    if (c.id === b) return true;
  }
  return false;
}
