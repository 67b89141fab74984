// casesheet.js: the attribute sheet. Every document is a row and every
// attribute a column, beside each document's title, folder and sets, like
// a case sheet in a spreadsheet: cells and column names are edited in
// place, columns added, renamed and removed, and a block copied from a
// spreadsheet (tab-separated or CSV) pasted at the focused cell. Save sends
// the whole sheet in one request, which the server stores in one
// transaction or refuses with nothing changed.

import { api, projectPath } from "./api.js";
import { h, modal, toast, plural } from "./ui.js";

// The fixed columns before the attributes.
const FIXED = [
  { key: "title", label: "Title" },
  { key: "folder", label: "Folder" },
  { key: "sets", label: "Sets (comma-separated)" },
];

/** parseGrid reads pasted text as rows of cells: tab-separated if it has a tab, else CSV with quotes. */
export function parseGrid(text) {
  text = text.replace(/\r\n?/g, "\n").replace(/\n$/, "");
  if (text.includes("\t")) return text.split("\n").map((line) => line.split("\t"));
  const rows = [[]];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === "") quoted = true;
    else if (ch === ",") {
      rows[rows.length - 1].push(cell);
      cell = "";
    } else if (ch === "\n") {
      rows[rows.length - 1].push(cell);
      rows.push([]);
      cell = "";
    } else cell += ch;
  }
  rows[rows.length - 1].push(cell);
  return rows;
}

/** looksLikeGrid reports whether pasted text is more than one cell. */
function looksLikeGrid(text) {
  const t = text.replace(/\r?\n$/, "");
  return t.includes("\t") || t.includes("\n") || (t.includes(",") && t.includes('"'));
}

/** openCaseSheet shows the sheet for docs; done runs after a save. */
export function openCaseSheet(pid, docs, done) {
  // The sheet's model: attribute columns (name as typed, and the name it
  // had, for renames) and one row per document.
  const names = [...new Set(docs.flatMap((d) => Object.keys(d.attributes || {})))].sort();
  const cols = names.map((n) => ({ name: n }));
  const rows = docs.map((d) => ({
    id: d.id, title: d.title, folder: d.folder || "", sets: (d.sets || []).join(", "),
    attrs: new Map(names.map((n) => [n, (d.attributes || {})[n] || ""])),
  }));
  let colSeq = 0;
  for (const c of cols) c.key = "c" + colSeq++;
  for (const r of rows) r.cells = new Map(cols.map((c) => [c.key, r.attrs.get(c.name)]));

  const table = h("table", { class: "casesheet", role: "grid", "aria-label": "Document attributes" });
  const status = h("p", { class: "sheet-status", role: "status", "aria-live": "polite" });
  const err = h("p", { class: "error", role: "alert" });
  const addCol = h("button", { id: "sheet-add-col", type: "button", text: "Add column", title: "Add an attribute column" });
  const save = h("button", { id: "sheet-save", class: "primary", type: "button", text: "Save" });
  const cancel = h("button", { type: "button", text: "Cancel" });
  const wrap = h("div", { class: "casesheet-wrap" }, table);
  const m = modal("Document attributes", h("div", { class: "casesheet-box" },
    h("p", { class: "muted", text: "Edit cells in place; arrow keys, Tab and Enter move between them. Paste a block copied from a spreadsheet (or CSV) at a cell to fill the sheet from there; paste into the column names to name several at once. Nothing is saved until you press Save." }),
    wrap, h("div", { class: "row" }, addCol), err, status, h("div", { class: "row" }, save, cancel)), { wide: true });
  m.dialog.classList.add("sheet");
  cancel.addEventListener("click", m.close);

  // cell is the input of row r (−1 for the column names) and column c.
  const cell = (r, c) => table.querySelector(`[data-r="${r}"][data-c="${c}"]`);
  const ncols = () => FIXED.length + cols.length;

  const draw = (focus) => {
    table.replaceChildren();
    const head = h("tr", {}, FIXED.map((f) => h("th", { scope: "col", text: f.label })));
    cols.forEach((c, i) => {
      const input = h("input", { value: c.name, "aria-label": `Name of column ${i + 1}`, placeholder: "attribute name", "data-r": "-1", "data-c": String(FIXED.length + i), class: "colname" });
      input.addEventListener("input", () => { c.name = input.value; });
      const remove = h("button", { type: "button", class: "link remove-col", text: "×", title: "Remove this column", "aria-label": `Remove column ${c.name || i + 1}` });
      remove.addEventListener("click", () => {
        cols.splice(i, 1);
        draw({ r: -1, c: FIXED.length + Math.max(0, Math.min(i, cols.length - 1)) });
      });
      head.append(h("th", { scope: "col" }, h("span", { class: "colhead" }, input, remove)));
    });
    table.append(h("thead", {}, head));
    const body = h("tbody");
    rows.forEach((r, ri) => {
      const tr = h("tr");
      FIXED.forEach((f, ci) => {
        const input = h("input", { value: r[f.key], "aria-label": `${f.label} of ${r.title}`, "data-r": String(ri), "data-c": String(ci) });
        input.addEventListener("input", () => { r[f.key] = input.value; });
        tr.append(h(ci === 0 ? "th" : "td", ci === 0 ? { scope: "row" } : {}, input));
      });
      cols.forEach((c, i) => {
        const input = h("input", { value: r.cells.get(c.key) || "", "aria-label": `${c.name || "column " + (i + 1)} of ${r.title}`, "data-r": String(ri), "data-c": String(FIXED.length + i) });
        input.addEventListener("input", () => { r.cells.set(c.key, input.value); });
        tr.append(h("td", {}, input));
      });
      body.append(tr);
    });
    table.append(body);
    if (focus) {
      const el = cell(focus.r, focus.c);
      if (el) el.focus();
    }
  };

  const addColumn = (name = "") => {
    const c = { name, key: "c" + colSeq++ };
    cols.push(c);
    return c;
  };
  addCol.addEventListener("click", () => {
    addColumn();
    draw({ r: -1, c: ncols() - 1 });
  });

  // Keyboard: arrows move between cells (left and right once the caret
  // is at the edge of the text), Enter moves down; Tab is the browser's.
  table.addEventListener("keydown", (e) => {
    const el = e.target;
    if (!el.dataset || el.dataset.r === undefined || e.altKey || e.ctrlKey || e.metaKey) return;
    const r = Number(el.dataset.r), c = Number(el.dataset.c);
    let to = null;
    const atStart = el.selectionStart === 0 && el.selectionEnd === 0;
    const atEnd = el.selectionStart === el.value.length && el.selectionEnd === el.value.length;
    if (e.key === "ArrowUp") to = { r: r - 1, c };
    else if (e.key === "ArrowDown" || (e.key === "Enter" && !e.shiftKey)) to = { r: r + 1, c };
    else if (e.key === "Enter" && e.shiftKey) to = { r: r - 1, c };
    else if (e.key === "ArrowLeft" && atStart) to = { r, c: c - 1 };
    else if (e.key === "ArrowRight" && atEnd) to = { r, c: c + 1 };
    if (!to) return;
    const target = cell(to.r, to.c);
    e.preventDefault();
    if (target) {
      target.focus();
      target.select();
    }
  });

  // Paste: a block fills the sheet from the focused cell, adding columns
  // as needed; rows past the last document are left out, and said so.
  table.addEventListener("paste", (e) => {
    const el = e.target;
    if (!el.dataset || el.dataset.r === undefined) return;
    const text = (e.clipboardData || window.clipboardData).getData("text");
    if (!looksLikeGrid(text)) return;
    e.preventDefault();
    const grid = parseGrid(text);
    const r0 = Number(el.dataset.r), c0 = Number(el.dataset.c);
    const width = Math.max(...grid.map((g) => g.length));
    while (ncols() < c0 + width) addColumn();
    let left = 0;
    grid.forEach((line, i) => {
      const r = r0 + i;
      if (r >= rows.length) {
        left++;
        return;
      }
      line.forEach((value, j) => {
        const c = c0 + j;
        if (r < 0) {
          if (c >= FIXED.length) cols[c - FIXED.length].name = value.trim();
        } else if (c < FIXED.length) rows[r][FIXED[c].key] = value;
        else rows[r].cells.set(cols[c - FIXED.length].key, value);
      });
    });
    draw({ r: r0, c: c0 });
    const filled = Math.min(grid.length, rows.length - r0);
    status.textContent = `Pasted ${plural(filled, "row")} of ${plural(width, "cell")}.` +
      (left ? ` ${plural(left, "row")} did not fit: the sheet has ${plural(rows.length, "document")}.` : "") + " Press Save to keep it.";
  });

  // check returns the request, or a sentence saying what to fix.
  const build = () => {
    const seen = new Map();
    for (const [i, c] of cols.entries()) {
      const name = c.name.trim();
      const used = rows.some((r) => (r.cells.get(c.key) || "").trim() !== "");
      if (!name && used) return { problem: `Column ${i + 1} has values but no name: name it or remove it.`, focus: { r: -1, c: FIXED.length + i } };
      if (!name) continue;
      if (seen.has(name)) return { problem: `Two columns are called “${name}”: rename one.`, focus: { r: -1, c: FIXED.length + i } };
      seen.set(name, c);
    }
    const documents = [];
    for (const [ri, r] of rows.entries()) {
      if (!r.title.trim()) return { problem: `Row ${ri + 1} has no title: every document needs one.`, focus: { r: ri, c: 0 } };
      const attributes = {};
      for (const [name, c] of seen) {
        const v = (r.cells.get(c.key) || "").trim();
        if (v !== "") attributes[name] = v;
      }
      const sets = [...new Set(r.sets.split(",").map((s) => s.trim()).filter(Boolean))];
      documents.push({ id: r.id, title: r.title.trim(), folder: r.folder.trim(), sets, attributes });
    }
    return { documents };
  };

  save.addEventListener("click", async () => {
    err.textContent = "";
    const b = build();
    if (b.problem) {
      err.textContent = b.problem;
      status.textContent = "";
      const el = cell(b.focus.r, b.focus.c);
      if (el) el.focus();
      return;
    }
    save.disabled = true;
    status.textContent = `Saving ${plural(b.documents.length, "document")}…`;
    try {
      await api("PATCH", projectPath(pid, "documents"), { documents: b.documents });
      m.close();
      toast("Attributes saved.", "ok");
      done();
    } catch (ex) {
      err.textContent = ex.message + " Nothing was saved.";
      status.textContent = "";
      save.disabled = false;
    }
  });

  draw({ r: 0, c: FIXED.length < ncols() ? FIXED.length : 0 });
  return m;
}
