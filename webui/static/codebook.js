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
        n ? h("span", { class: "count", title: "codings in this document", text: String(n) }) : null,
        // The editor opens from the row itself, where the lead is looking.
        project.isLead && c.id === selected ? h("button", { type: "button", class: "small code-edit", "data-act": "edit", tabindex: "-1", text: "Edit…", title: "Rename, define, move, merge or delete this code (e)" }) : null);
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
    if (e.target.closest("[data-act=edit]")) editCode(row.dataset.code);
    else select(row.dataset.code);
  });
  tree.addEventListener("dblclick", (e) => {
    const row = e.target.closest(".code-row");
    if (row && project.isLead) editCode(row.dataset.code);
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
    } else if (e.key === "e" && i >= 0 && project.isLead && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      e.stopPropagation();
      editCode(rows[i].dataset.code);
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
    // The path shows the codebook's shape, so that counts too.
    const shape = c ? [...project.codes.values()].map((o) => o.id + "/" + o.parent + "/" + o.name) : [];
    const shown = JSON.stringify([c || null, c ? project.codeColour(c.id) : "", project.isLead, shape]);
    if (shown === shownDetails) return;
    shownDetails = shown;
    clear(details);
    if (!c) return;
    details.append(h("h3", {}, h("span", { class: "swatch", style: { backgroundColor: project.codeColour(c.id) } }), " ", project.codePath(c.id)),
      h("p", { class: "code-memos-row" }, codeMemosButton(c.id)));
    details.append(h("p", { class: c.description ? "" : "muted", text: c.description || "No definition yet." }));
    if (!c.codable) details.append(h("p", { class: "muted", text: "A category: it groups codes and is not applied to text itself." }));
    if (project.isLead) details.append(h("div", { class: "row" }, h("button", { type: "button", text: "Edit…", on: { click: () => editCode(c.id) } })));
  }

  /**
   * editCode opens a code's editor in a dialog: in view wherever the code
   * was clicked, however long the codebook (a form below the tree was
   * out of sight for codes low in the list).
   */
  function editCode(id) {
    const c = project.codes.get(id);
    if (!c) return;
    const name = h("input", { value: c.name, "aria-label": "Name", required: true });
    const colour = h("input", { type: "color", value: c.colour || project.codeColour(c.id), "aria-label": "Colour" });
    const desc = h("textarea", { rows: "4", "aria-label": "Definition", placeholder: "What this code means and when to apply it" });
    desc.value = c.description || "";
    const parent = h("select", { "aria-label": "Parent code" }, h("option", { value: "", text: "(top level)" }),
      codeOptions((o) => o.id !== c.id && !isWithin(o.id, c.id)));
    parent.value = c.parent || "";
    const codable = h("input", { type: "checkbox", id: "codable-" + c.id, checked: c.codable });
    const merge = h("button", { type: "button", text: "Merge into…" });
    const del = h("button", { type: "button", class: "danger", text: "Delete…" });
    const cancel = h("button", { type: "button", text: "Cancel" });
    const form = h("form", { class: "stack code-editor" },
      h("label", {}, "Name", name),
      h("label", {}, "Colour", colour),
      h("label", {}, "Definition", desc),
      h("label", {}, "Parent", parent),
      h("label", { class: "check" }, codable, " can be applied to text"),
      h("div", { class: "row" }, h("button", { type: "submit", class: "primary", text: "Save" }), cancel,
        h("span", { class: "spacer" }), merge, del));
    const m = modal(`Edit “${project.codePath(c.id)}”`, form);
    name.focus();
    cancel.addEventListener("click", () => m.close());
    merge.addEventListener("click", () => { m.close(); mergeCode(c); });
    del.addEventListener("click", () => { m.close(); deleteCode(c); });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = {};
      if (name.value.trim() !== c.name) body.name = name.value.trim();
      if (colour.value !== (c.colour || "")) body.colour = colour.value;
      if (desc.value !== (c.description || "")) body.description = desc.value;
      if (parent.value !== (c.parent || "")) body.parent = parent.value;
      if (codable.checked !== c.codable) body.codable = codable.checked;
      if (!Object.keys(body).length) return m.close();
      if (await save(() => api("PATCH", projectPath(project.pid, "codes", c.id), body), "Saved.")) m.close();
    });
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
    // The colour the server would give the code (the least-used code
    // colour); sent only if the lead picks another, so that two leads adding
    // codes at once still get distinct ones.
    const colour = h("input", { type: "color", value: "#777777", "aria-label": "Colour" });
    let picked = false;
    colour.addEventListener("input", () => { picked = true; });
    api("GET", projectPath(project.pid, "codes")).then((r) => {
      if (!picked && r.next_colour) colour.value = r.next_colour;
    }, () => {});
    const desc = h("textarea", { rows: "3", "aria-label": "Definition" });
    const err = h("p", { class: "error", role: "alert", hidden: true });
    const form = h("form", { class: "stack" }, h("label", {}, "Name", name), h("label", {}, "Under", parent),
      h("label", {}, "Colour", colour), h("label", {}, "Definition (optional)", desc), err,
      h("div", { class: "row" }, h("button", { type: "submit", class: "primary", text: "Add code" })));
    const m = modal("New code", form);
    name.focus();
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = { name: name.value.trim(), description: desc.value };
      if (picked) body.colour = colour.value;
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
    const into = h("select", { "aria-label": "Merge into", required: true }, h("option", { value: "", text: "Choose a code…" }),
      codeOptions((o) => o.id !== c.id && !isWithin(o.id, c.id) && o.codable));
    const err = h("p", { class: "error", role: "alert", hidden: true });
    const go = h("button", { type: "submit", class: "primary", text: "Merge" });
    const form = h("form", { class: "stack" },
      h("p", { text: `Every coding of “${project.codePath(c.id)}” moves to the code you choose, and “${c.name}” is removed. Codings that would become exact duplicates are dropped.` }),
      h("label", {}, "Merge into", into), err, h("div", { class: "row" }, go));
    const usage = h("div", { class: "code-usage", role: "status" });
    form.insertBefore(usage, form.children[1]);
    api("GET", projectPath(project.pid, "codes", c.id, "usage")).then((u) => clear(usage).append(...usageLines(u, true)), () => usage.remove());
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

  /**
   * deleteCode asks what becomes of a code's codings, with no answer
   * chosen in advance: a pre-selected "move to" sent codings into whatever
   * code came first. It says first how many codings (by whom), sub-codes
   * and memos the deletion touches.
   */
  function deleteCode(c) {
    const kids = subtree(c.id).length - 1;
    const optMove = h("input", { type: "radio", name: "what", value: "move", id: "what-move" });
    const optDelete = h("input", { type: "radio", name: "what", value: "delete", id: "what-delete" });
    const moveTo = h("select", { id: "move-to", "aria-label": "Move codings to" }, h("option", { value: "", text: "Choose a code…" }),
      codeOptions((o) => !isWithin(o.id, c.id) && o.codable));
    const usage = h("div", { class: "code-usage", role: "status", "aria-live": "polite" },
      h("progress", { "aria-label": "Counting its codings" }), " Counting its codings…");
    const choices = h("fieldset", { class: "code-delete-choices", hidden: true },
      h("legend", { text: "What should happen to them?" }),
      h("label", { class: "check" }, optMove, h("span", { class: "what-move-text", text: " Move them to " }), moveTo),
      h("label", { class: "check" }, optDelete, h("span", { class: "what-delete-text", text: " Delete them with the code" })));
    if (moveTo.options.length === 1) optMove.disabled = moveTo.disabled = true;
    const err = h("p", { class: "error", role: "alert", hidden: true });
    const go = h("button", { type: "submit", class: "danger", text: "Delete code", disabled: true });
    const cancel = h("button", { type: "button", text: "Cancel" });
    const form = h("form", { class: "stack" },
      h("p", { text: `Delete “${project.codePath(c.id)}”${kids ? ` and its ${plural(kids, "sub-code")}` : ""}?` }),
      usage, choices, err, h("div", { class: "row" }, go, cancel));
    const m = modal("Delete code", form);
    cancel.focus();
    cancel.addEventListener("click", () => m.close());
    let count = -1; // codings affected, once known
    const decide = () => {
      if (count < 0) return;
      if (count === 0) {
        go.disabled = false;
        go.textContent = "Delete code";
        return;
      }
      const ok = optDelete.checked || (optMove.checked && moveTo.value);
      go.disabled = !ok;
      go.textContent = optDelete.checked ? `Delete code and ${plural(count, "coding")}`
        : optMove.checked && moveTo.value ? `Move ${plural(count, "coding")} and delete code` : "Delete code";
    };
    moveTo.addEventListener("change", () => {
      if (moveTo.value) optMove.checked = true;
      decide();
    });
    optMove.addEventListener("change", () => {
      decide();
      if (!moveTo.value) moveTo.focus();
    });
    optDelete.addEventListener("change", decide);
    api("GET", projectPath(project.pid, "codes", c.id, "usage")).then((u) => {
      count = u.codings;
      clear(usage).append(...usageLines(u));
      choices.hidden = count === 0;
      if (count) {
        choices.querySelector(".what-move-text").textContent = ` Move ${count === 1 ? "it" : `all ${count.toLocaleString()}`} to `;
        choices.querySelector(".what-delete-text").textContent = ` Delete ${count === 1 ? "it" : `all ${count.toLocaleString()}`} with the code`;
      }
      decide();
    }, (ex) => {
      clear(usage).append(h("span", { class: "error", text: "Could not count its codings: " + ex.message }));
    });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (go.disabled) return;
      const q = count === 0 || optDelete.checked ? "codings=delete" : "move_to=" + encodeURIComponent(moveTo.value);
      go.disabled = true;
      go.textContent = "Deleting…";
      try {
        const r = await api("DELETE", projectPath(project.pid, "codes", c.id) + "?" + q);
        m.close();
        selected = "";
        draw();
        await project.reloadCodes();
        toast(r.moved_to ? `Deleted; ${plural(r.codings_moved, "coding")} moved to ${project.codePath(r.moved_to)}.` : `Deleted with ${plural(r.codings_deleted, "coding")}.`, "ok");
      } catch (ex) {
        err.textContent = ex.message;
        err.hidden = false;
        decide();
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

/**
 * usageLines says what deleting (or, with merging, merging) a code
 * touches: its codings by layer, and for a deletion its sub-codes and the
 * memos about it.
 */
function usageLines(u, merging) {
  const layers = u.by_layer.map((l) => `${l.codings.toLocaleString()} ${l.coder === project.consensus ? "in the consensus layer" : "by " + project.coderName(l.coder)}`);
  const lines = [h("p", { class: "usage-codings" }, u.codings
    ? ["It has ", h("strong", { text: plural(u.codings, "coding") }), `${u.sub_codes ? ", counting its sub-codes'" : ""}: ${layers.join(", ")}.`]
    : `Nobody has applied it${u.sub_codes ? " or its sub-codes" : ""} yet: no coding is affected.`)];
  if (merging) return lines;
  if (u.sub_codes) lines.push(h("p", { text: `Its ${plural(u.sub_codes, "sub-code")} ${u.sub_codes === 1 ? "is" : "are"} deleted with it.` }));
  if (u.memos) lines.push(h("p", { text: `${plural(u.memos, "memo")} about it ${u.memos === 1 ? "stays" : "stay"}, no longer linked to a code.` }));
  return lines;
}

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
