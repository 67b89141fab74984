// trash.js: the Trash, where deleted documents wait with their codings and
// memos until a lead restores them. Restoring brings a document back with
// everything it held; the list follows other leads' deletions live.

import { api, projectPath } from "./api.js";
import { project } from "./state.js";
import { h, modal, toast, plural } from "./ui.js";

/** openTrash shows the project's trash; restored runs after each restore. */
export function openTrash(pid, restored) {
  const list = h("ul", { class: "trash-list", "aria-label": "Deleted documents" });
  const status = h("p", { class: "muted", role: "status", "aria-live": "polite", text: "Loading the trash…" });
  const err = h("p", { class: "error", role: "alert" });
  let off = () => {};
  const m = modal("Trash", h("div", { class: "trash" },
    h("p", { class: "muted", text: "Deleted documents stay here with all their codings and memos. Restore brings one back exactly as it was." }),
    status, err, list), { wide: true, onClose: () => off() });
  m.dialog.id = "trash";

  let drawn = false;
  const draw = (items) => {
    list.replaceChildren();
    status.textContent = items.length ? `${plural(items.length, "deleted document")}.` : "The trash is empty.";
    for (const t of items) {
      const d = t.document;
      const restore = h("button", { class: "restore", text: "Restore", "aria-label": `Restore ${d.title}`, "data-doc": d.id });
      restore.addEventListener("click", async () => {
        restore.disabled = true;
        err.textContent = "";
        try {
          await api("POST", projectPath(pid, "documents", d.id, "restore"), {});
          toast(`“${d.title}” is back, with ${plural(t.codings || 0, "coding")}.`, "ok");
          restored();
          await load();
        } catch (ex) {
          err.textContent = ex.message;
          restore.disabled = false;
        }
      });
      const when = new Date(t.deleted);
      list.append(h("li", { class: "card trash-item", "data-doc": d.id },
        h("span", { class: "title", text: d.title }),
        h("span", { class: "meta muted", text: [
          `${plural(t.codings || 0, "coding")}, ${plural(t.memos || 0, "memo")}`,
          `deleted ${when.toLocaleString()} by ${project.coderName(t.by) || "a lead"}`,
        ].join(" · ") }),
        restore));
    }
    const first = list.querySelector("button.restore");
    if (first && !drawn) first.focus();
    drawn = true;
  };
  const load = async () => {
    try {
      const { trash } = await api("GET", projectPath(pid, "trash"));
      draw(trash);
    } catch (ex) {
      status.textContent = "";
      err.textContent = ex.message;
    }
  };
  off = project.on("event", (ev) => {
    if (ev.type === "document.deleted" || ev.type === "document.restored") load();
  });
  load();
  return m;
}
