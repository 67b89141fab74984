// assignments.js: which documents a lead gave each coder and which each
// coder marked done ("read and coded, possibly with nothing"). Agreement
// compares each coder on exactly those documents. Here: reading them, the
// lead's "Assign…" dialog, and the reader's "Mark done" control.
//
// In a blind project the server sends a coder everyone's assignments but
// only their own done marks, so nothing here has to hide anything.

import { api, projectPath } from "./api.js";
import { project } from "./state.js";
import { h, clear, modal, plural, toast } from "./ui.js";

/** byDocument turns the server's list into a Map: document id → {assigned, done}, Sets of coder ids. */
export function byDocument(list) {
  const out = new Map();
  for (const a of list || []) {
    let e = out.get(a.document);
    if (!e) out.set(a.document, (e = { assigned: new Set(), done: new Set() }));
    if (a.assigned) e.assigned.add(a.coder);
    if (a.done) e.done.add(a.coder);
  }
  return out;
}

/** loadAssignments reads a project's assignments as byDocument gives them. */
export async function loadAssignments(pid) {
  const r = await api("GET", projectPath(pid, "assignments"));
  return byDocument(r.assignments);
}

/** isAssignmentEvent reports whether a live event changes assignments or done marks. */
export function isAssignmentEvent(ev) {
  return ev.type.startsWith("assignment.") || ev.type === "document.done" || ev.type === "document.undone";
}

/**
 * openAssign shows the lead's dialog: pick coders, then the documents —
 * chosen ones, all of them, or a random sample (the same documents for
 * every chosen coder, so that their work overlaps). docs are the
 * project's documents ({id, title}); onDone runs after a change.
 */
export function openAssign(pid, docs, onDone) {
  const coders = project.coders().filter((m) => m.id !== project.consensus);
  const coderBoxes = coders.map((m) => h("label", { class: "check" },
    h("input", { type: "checkbox", name: "assign-coder", value: m.id, checked: m.role === "coder" }), " " + m.name));
  const how = (value, label, checked) => h("label", { class: "check" },
    h("input", { type: "radio", name: "assign-how", value, checked }), " " + label);
  const docBoxes = docs.map((d) => h("label", { class: "check" },
    h("input", { type: "checkbox", name: "assign-doc", value: d.id }), " " + d.title));
  const percent = h("input", { type: "number", id: "assign-percent", min: "1", max: "100", step: "1", value: "20", "aria-label": "Sample size in percent" });
  const seed = h("input", { type: "number", id: "assign-seed", min: "0", step: "1", placeholder: "random", "aria-label": "Seed of the sample (optional)" });
  const docList = h("div", { class: "assign-docs", role: "group", "aria-label": "Documents" }, docBoxes);
  const status = h("div", { class: "assign-status", role: "status", "aria-live": "polite" });
  const go = h("button", { class: "primary", id: "assign-go", text: "Assign" });
  const back = h("button", { id: "assign-clear", text: "Take back", title: "Take the chosen documents (or, with “All documents”, every document) back from the chosen coders; done marks stay" });
  const body = h("div", { class: "assign" },
    h("fieldset", {}, h("legend", { text: "Coders" }), coderBoxes),
    h("fieldset", {}, h("legend", { text: "Documents" }),
      how("sample", "Random reliability sample of ", true), percent, h("span", { text: " % of the documents, seed " }), seed,
      h("p", { class: "muted", text: "The same documents go to every chosen coder so that their work overlaps; 10–25% is usual. The sample is drawn once and kept; its seed draws it again." }),
      how("all", "All documents", false), h("br"),
      how("chosen", "These documents:", false), docList),
    h("div", { class: "row" }, go, back), status);
  const m = modal("Assign documents", body, { wide: true });

  const choice = () => body.querySelector("input[name=assign-how]:checked").value;
  const chosenCoders = () => [...body.querySelectorAll("input[name=assign-coder]:checked")].map((i) => i.value);
  const chosenDocs = () => [...body.querySelectorAll("input[name=assign-doc]:checked")].map((i) => i.value);
  const syncEnabled = () => {
    const c = choice();
    for (const b of docList.querySelectorAll("input")) b.disabled = c !== "chosen";
    percent.disabled = seed.disabled = c !== "sample";
    back.disabled = c === "sample";
  };
  body.addEventListener("change", syncEnabled);
  syncEnabled();
  // Choosing a document chooses "These documents" too.
  docList.addEventListener("click", () => {
    body.querySelector("input[name=assign-how][value=chosen]").checked = true;
    syncEnabled();
  });

  const send = async (method, path, req, done) => {
    if (!req.coders.length) {
      clear(status).append(h("p", { class: "error", role: "alert", text: "Choose at least one coder." }));
      return;
    }
    go.disabled = back.disabled = true;
    try {
      const r = await api(method, projectPath(pid, ...path), req);
      const change = r.assigned || r.cleared;
      const text = done(change);
      clear(status).append(h("p", { class: "ok", text }));
      toast(text, "ok");
      if (onDone) onDone();
    } catch (e) {
      clear(status).append(h("p", { class: "error", role: "alert", text: e.message }));
    } finally {
      go.disabled = false;
      syncEnabled();
    }
  };
  go.addEventListener("click", () => {
    const req = { coders: chosenCoders() };
    const c = choice();
    if (c === "all") req.all = true;
    else if (c === "chosen") req.documents = chosenDocs();
    else {
      req.sample = { percent: Number(percent.value) };
      if (seed.value.trim() !== "") req.sample.seed = Number(seed.value);
    }
    send("PUT", ["assignments"], req, (ch) => {
      const sample = ch.sample ? ` (a ${ch.sample.percent}% sample, seed ${ch.sample.seed})` : "";
      return ch.documents.length
        ? `Assigned ${plural(ch.documents.length, "document")}${sample} to ${names(ch.coders)}.`
        : "Nothing changed: those documents were already assigned.";
    });
  });
  back.addEventListener("click", () => {
    const req = { coders: chosenCoders() };
    if (choice() === "chosen") req.documents = chosenDocs();
    send("POST", ["assignments", "clear"], req, (ch) => ch.documents.length
      ? `Took ${plural(ch.documents.length, "document")} back from ${names(ch.coders)}.`
      : "Nothing to take back.");
  });
  return m;
}

function names(ids) {
  return ids.map((id) => project.coderName(id)).join(", ");
}

/**
 * doneControl is the reader's "Mark done" button for the document did: it
 * shows whether I marked it done and toggles the mark (also with the d
 * key, through toggle). It follows my marks made elsewhere, live.
 */
export function doneControl(pid, did) {
  const btn = h("button", { class: "done-btn", id: "mark-done", "aria-pressed": "false" });
  const ctl = { el: btn, done: false, assigned: false, busy: false };
  const draw = () => {
    btn.textContent = ctl.done ? "Done ✓ (undo)" : "Mark done";
    btn.setAttribute("aria-pressed", String(ctl.done));
    btn.classList.toggle("is-done", ctl.done);
    btn.title = ctl.done
      ? "You marked this document done: read and coded. Press d (or this button) to take the mark back."
      : (ctl.assigned ? "Assigned to you. " : "") + "Mark this document done when you have read it and coded what applies — even if nothing did (d).";
  };
  const refresh = async () => {
    const all = await loadAssignments(pid);
    const e = all.get(did);
    ctl.done = !!(e && e.done.has(project.me));
    ctl.assigned = !!(e && e.assigned.has(project.me));
    draw();
  };
  ctl.toggle = async () => {
    if (ctl.busy) return;
    ctl.busy = true;
    const want = !ctl.done;
    try {
      const r = await api(want ? "PUT" : "DELETE", projectPath(pid, "documents", did, "done"), want ? {} : undefined);
      ctl.done = r.assignment.done;
      draw();
      toast(ctl.done ? "Marked done." : "Done mark taken back.", "ok");
    } catch (e) {
      toast(e.message, "error");
    } finally {
      ctl.busy = false;
    }
  };
  btn.addEventListener("click", () => ctl.toggle());
  const off = project.on("event", (ev) => {
    const p = ev.payload || {};
    if (isAssignmentEvent(ev) && (ev.type.startsWith("assignment.") || (p.document === did && p.coder === project.me))) refresh().catch(() => {});
  });
  ctl.destroy = off;
  draw();
  refresh().catch(() => {});
  return ctl;
}
