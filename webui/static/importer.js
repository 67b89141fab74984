// importer.js: the "Import documents…" dialog of a project's lead: choose
// or drop files, watch them upload, see what became of them. The server
// reads every file before it stores any, so a refused upload changes nothing.

import { projectPath } from "./api.js";
import { h, clear, modal, plural } from "./ui.js";

const ACCEPT = ".txt,.md,.markdown,.html,.htm,.docx,.odt,.pdf,.csv,.tsv,.qdc";

/** openImport shows the dialog; onDone runs after documents were added. */
export function openImport(pid, onDone) {
  let files = [];
  const input = h("input", { type: "file", id: "import-files", multiple: true, accept: ACCEPT, "aria-label": "Files to import" });
  const drop = h("div", { class: "dropzone", tabindex: "-1" },
    h("p", {}, "Drop files here, or ", h("label", { for: "import-files", class: "link-like", text: "choose files" }), "."),
    h("p", { class: "muted", text: "Text, Markdown, HTML, Word (.docx), OpenDocument (.odt), PDF, a CSV of survey answers (one document per answer) or a REFI-QDA codebook (.qdc)." }),
    input);
  const chosen = h("ul", { class: "import-files", "aria-label": "Chosen files" });
  const column = h("input", { type: "text", id: "import-column", placeholder: "the column with the most text", "aria-label": "Answer column of the CSV" });
  const columnField = h("label", { class: "field", hidden: true }, h("span", { text: "CSV answer column" }), column);
  const bar = h("progress", { max: "1", value: "0", hidden: true, "aria-label": "Upload progress" });
  const status = h("div", { class: "import-status", role: "status", "aria-live": "polite" });
  const go = h("button", { class: "primary", id: "import-go", text: "Import", disabled: true });
  const body = h("div", { class: "importer" }, drop, chosen, columnField, h("div", { class: "row" }, go, bar), status);
  const m = modal("Import documents", body, { wide: true });

  const choose = (list) => {
    files = [...list];
    clear(chosen);
    for (const f of files) chosen.append(h("li", { text: `${f.name} (${size(f.size)})` }));
    columnField.hidden = !files.some((f) => /\.(csv|tsv)$/i.test(f.name));
    go.disabled = !files.length;
    clear(status);
  };
  input.addEventListener("change", () => choose(input.files));
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    choose(e.dataTransfer.files);
  });
  go.addEventListener("click", async () => {
    const form = new FormData();
    if (column.value.trim()) form.append("text_column", column.value.trim());
    for (const f of files) form.append("file", f, f.name);
    go.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    clear(status).append(`Uploading ${plural(files.length, "file")}…`);
    try {
      const r = await upload(projectPath(pid, "import"), form, (sent, total) => {
        bar.value = total ? sent / total : 0;
        if (total && sent >= total) clear(status).append("Reading the files…");
      });
      clear(status).append(h("p", { class: "ok", text: `Imported ${plural(r.documents.length, "document")}` + (r.codes ? ` and ${plural(r.codes, "new code")}.` : ".") }),
        h("ul", {}, r.documents.map((d) => h("li", { text: `${d.title} (${plural(d.length, "character")})` }))));
      if (r.warnings.length) status.append(h("ul", { class: "warnings" }, r.warnings.map((w) => h("li", { text: w }))));
      files = [];
      input.value = "";
      clear(chosen);
      if (onDone) onDone(r);
    } catch (e) {
      clear(status).append(h("p", { class: "error", role: "alert", text: e.message + " Nothing was imported." }));
      go.disabled = false;
    } finally {
      bar.hidden = true;
    }
  });
  return m;
}

function size(n) {
  if (n < 1024) return plural(n, "byte");
  if (n < 1 << 20) return Math.round(n / 1024) + " KB";
  return (n / (1 << 20)).toFixed(1) + " MB";
}

// upload posts a form with XMLHttpRequest, which, unlike fetch, reports
// upload progress. It resolves to the JSON answer or rejects with the
// server's sentence.
function upload(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open("POST", path);
    x.setRequestHeader("X-Concord-Upload", "1");
    x.setRequestHeader("Accept", "application/json");
    x.upload.addEventListener("progress", (e) => onProgress(e.loaded, e.lengthComputable ? e.total : 0));
    x.addEventListener("load", () => {
      let data = null;
      try {
        data = JSON.parse(x.responseText);
      } catch {
        // Answered with something else than JSON: said below.
      }
      if (x.status >= 200 && x.status < 300 && data) resolve(data);
      else reject(new Error((data && data.error) || `The server answered ${x.status}.`));
    });
    x.addEventListener("error", () => reject(new Error("Could not reach the server. Check your connection and try again.")));
    x.send(form);
  });
}
