// memos.js: memos beyond a coding's own note: the project's journal, memos
// on a whole document or on a passage of it, and memos on a code. It keeps
// the open project's memos current from live events, and offers the memo
// card, the editor, a side panel of memos, the Memos page, the reader's
// passage markers and the codebook's link to a code's memos.
//
// Who may do what follows the server: members who code write memos; only
// the author changes one; the author or a lead deletes it. In a blind
// project the server sends a coder only their own memos.

import { api, projectPath } from "./api.js";
import { project } from "./state.js";
import { Emitter } from "./emitter.js";
import { h, clear, toast, modal, plural, fold, dateTime } from "./ui.js";
import { viewHeader, projectHref } from "./views.js";
import { cpSlice } from "./offsets.js";

// ---- the open project's memos ----

/**
 * MemoList holds the open project's memos as the server lets me see them.
 * Listeners of "change" get {before, after} (either may be null) for one
 * memo, or nothing when everything was reloaded.
 */
class MemoList extends Emitter {
  constructor() {
    super("memos");
    this.pid = null;
    this.live = null;
    this.byId = new Map();
    this.ready = null;
    this.early = null; // events that arrived while the list was loading
  }

  /** load fetches the project's memos once per open project; later calls wait for the same. */
  load(pid) {
    if (this.pid === pid && this.live === project.live && this.ready) return this.ready;
    this.pid = pid;
    this.live = project.live;
    this.byId = new Map();
    this.early = [];
    const ready = api("GET", projectPath(pid, "memos")).then((r) => {
      if (this.ready !== ready) return;
      this.byId = new Map(r.memos.map((m) => [m.id, whole(m)]));
      for (const ev of this.early) this.take(ev);
      this.early = null;
      this.emit("change");
    });
    this.ready = ready;
    ready.catch(() => {
      if (this.ready === ready) this.ready = null;
    });
    return ready;
  }

  /** reload fetches everything again (a reset, or the project turned blind or open). */
  reload() {
    if (!this.pid) return;
    this.ready = null;
    this.load(this.pid).catch((e) => toast("Could not reload the memos: " + e.message, "error"));
  }

  onEvent(ev) {
    if (!ev.type.startsWith("memo.") || !this.pid || this.live !== project.live) return;
    if (this.early) this.early.push(ev);
    else this.take(ev);
  }

  take(ev) {
    const m = ev.payload;
    if (!m || !m.id) return;
    if (ev.type === "memo.deleted") this.remove(m.id);
    else this.put(m);
  }

  /** put stores a memo as the server answered or announced it. */
  put(m) {
    m = whole(m);
    const before = this.byId.get(m.id) || null;
    if (before && Date.parse(before.updated) > Date.parse(m.updated)) return; // an older event after a newer answer
    this.byId.set(m.id, m);
    this.emit("change", { before, after: m });
  }

  remove(id) {
    const before = this.byId.get(id);
    if (!before) return;
    this.byId.delete(id);
    this.emit("change", { before, after: null });
  }

  get(id) { return this.byId.get(id); }

  /** list returns the memos that keep accepts, oldest first. */
  list(keep = () => true) {
    return [...this.byId.values()].filter(keep).sort((a, b) => Date.parse(a.created) - Date.parse(b.created));
  }
}

/** whole fills in what JSON leaves out: a passage at the document's start has no "start". */
function whole(m) {
  return { start: 0, end: 0, document: "", code: "", ...m };
}

/** memos is the open project's memo list. */
export const memos = new MemoList();
project.on("event", (ev) => memos.onEvent(ev));
project.on("reload", () => memos.reload());

/** kindOf names what a memo is about: "span", "document", "code" or "project". */
export function kindOf(m) {
  if (m.document && m.end > 0) return "span";
  if (m.document) return "document";
  if (m.code) return "code";
  return "project";
}

const KIND_LABEL = { project: "Journal", document: "Document", span: "Passage", code: "Code" };


/** mayEdit: only the author changes a memo (the server says the same). */
const mayEdit = (m) => m.author === project.me && project.canCode;
/** mayDelete: the author or a lead. */
const mayDelete = (m) => (m.author === project.me && project.canCode) || project.isLead;

/** memoHref is where a memo opens: its document in the reader, else the Memos page. */
export function memoHref(m) {
  if (m.document) {
    return projectHref("d/" + encodeURIComponent(m.document)) + "?memo=" + encodeURIComponent(m.id) + (m.end > 0 ? `&at=${m.start || 0}-${m.end}` : "");
  }
  return projectHref("memos") + "?memo=" + encodeURIComponent(m.id);
}

/** aboutLine says what a memo is about, from the names search and retrieval send or the open project's. */
export function aboutLine(m) {
  const kind = m.kind || kindOf(m);
  const badge = h("span", { class: "memo-kind kind-" + kind, text: KIND_LABEL[kind] });
  let what = "";
  if (kind === "code") what = m.code_path || project.codePath(m.code);
  else if (kind === "document" || kind === "span") what = m.document_title || "";
  return h("span", { class: "memo-about" }, badge, what ? h("span", { text: what }) : null);
}

// ---- one memo ----

/**
 * memoCard shows a memo: what it is about, its title, author and times,
 * its text, and Edit and Delete where I may. opts.excerpt is a passage
 * memo's text; opts.extra adds buttons (e.g. "Show in text", "Open").
 */
export function memoCard(m, opts = {}) {
  const edited = m.updated && m.updated !== m.created;
  const actions = h("div", { class: "row memo-actions" }, opts.extra ? opts.extra(m) : null);
  if (mayEdit(m)) actions.append(h("button", { class: "memo-edit", text: "Edit", on: { click: () => editMemo({ ...aboutOf(m), excerpt: opts.excerpt }, m) } }));
  if (mayDelete(m)) {
    const del = h("button", { class: "danger memo-delete", text: "Delete" });
    del.addEventListener("click", () => confirmDelete(m, del));
    actions.append(del);
  }
  return h("article", { class: "memo-card", "data-memo": m.id, tabindex: "-1", "aria-label": (m.title || "Memo") + " by " + project.coderName(m.author) },
    h("header", { class: "memo-head" }, aboutLine(m), m.title ? h("strong", { class: "memo-title", text: m.title }) : null),
    opts.excerpt ? h("blockquote", { class: "memo-excerpt", text: "“" + opts.excerpt + "”" }) : null,
    h("p", { class: "memo-text", text: m.text }),
    h("p", { class: "memo-meta" }, h("span", { class: "dot", style: { backgroundColor: project.coderColour(m.author) } }),
      ` ${project.coderName(m.author)} · written ${dateTime(m.created)}` + (edited ? ` · changed ${dateTime(m.updated)}` : "")),
    actions.childElementCount ? actions : null);
}

/** confirmDelete asks in place, so that a slip of the keyboard deletes nothing. */
function confirmDelete(m, del) {
  const keep = h("button", { text: "Keep it" });
  const yes = h("button", { class: "danger memo-delete-yes", text: "Delete this memo" });
  const ask = h("span", { class: "memo-confirm", role: "group", "aria-label": "Delete this memo?" }, "Delete for everyone? ", yes, " ", keep);
  del.replaceWith(ask);
  keep.addEventListener("click", () => {
    ask.replaceWith(del);
    del.focus();
  });
  yes.addEventListener("click", async () => {
    yes.disabled = true;
    try {
      await api("DELETE", projectPath(project.pid, "memos", m.id));
      memos.remove(m.id);
      toast("Memo deleted.", "ok");
    } catch (e) {
      yes.disabled = false;
      toast(e.message, "error");
    }
  });
  yes.focus();
}

/** aboutOf is what a memo is attached to, as the editor takes it. */
function aboutOf(m) {
  return { document: m.document || "", code: m.code || "", start: m.start || 0, end: m.end || 0 };
}

/**
 * editMemo opens the editor: a new memo about `about` ({document?, code?,
 * start?, end?, excerpt?, label?}) or, with old, a change to it. Ctrl+Enter
 * saves, Escape closes. Resolves with the saved memo, or null.
 */
export function editMemo(about, old) {
  return new Promise((resolve) => {
    let saved = null;
    const title = h("input", { id: "memo-title", maxlength: "300", "aria-label": "Title", placeholder: "A title (optional)", value: old ? old.title : "" });
    const text = h("textarea", { id: "memo-text", rows: "7", "aria-label": "Memo", placeholder: "Your thoughts…" });
    text.value = old ? old.text : "";
    const err = h("p", { class: "error", role: "alert" });
    const save = h("button", { type: "submit", class: "primary", text: "Save memo" });
    const cancel = h("button", { type: "button", text: "Cancel" });
    const kind = kindOf(about);
    const label = about.label || (kind === "code" ? project.codePath(about.code) : kind === "project" ? "the project's journal" : "");
    const excerpt = about.excerpt || (old && old.excerpt) || "";
    const form = h("form", { class: "stack memo-form" },
      h("p", { class: "muted" }, aboutLine({ ...about, kind, document_title: label, code_path: label })),
      excerpt ? h("blockquote", { class: "memo-excerpt", text: "“" + excerpt + "”" }) : null,
      h("label", {}, "Title", title), h("label", {}, "Memo", text), err,
      h("div", { class: "row" }, save, cancel, h("span", { class: "muted small", text: "Ctrl+Enter saves" })));
    const m = modal(old ? "Edit memo" : "New memo", form, { onClose: () => resolve(saved), wide: true });
    m.dialog.classList.add("memo-dialog");
    cancel.addEventListener("click", m.close);
    form.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!title.value.trim() && !text.value.trim()) {
        err.textContent = "Write something first: a title or the memo itself.";
        text.focus();
        return;
      }
      save.disabled = true;
      err.textContent = "";
      const body = { document: about.document || "", code: about.code || "", start: about.start || 0, end: about.end || 0, title: title.value.trim(), text: text.value };
      try {
        const r = old
          ? await api("PUT", projectPath(project.pid, "memos", old.id), body)
          : await api("POST", projectPath(project.pid, "memos"), body);
        saved = r.memo;
        memos.put(r.memo);
        toast("Memo saved.", "ok");
        m.close();
      } catch (e2) {
        save.disabled = false;
        err.textContent = e2.message;
      }
    });
    (old ? text : title).focus();
  });
}

// ---- a side panel of memos ----

let drawer = null;

/** closeMemoPanel closes the open side panel of memos, if any. */
export function closeMemoPanel() {
  if (drawer) drawer.close();
}

/**
 * openMemoPanel opens a side panel listing the memos that keep accepts,
 * kept live. opts: title, keep, about (what "New memo" attaches to, or
 * null for none), newLabel, empty (text when there are none), hint,
 * focus (a memo id to show), excerpt(m), extra(m).
 */
export function openMemoPanel(opts) {
  closeMemoPanel();
  const before = document.activeElement;
  const list = h("div", { class: "memo-list", "aria-live": "polite" });
  const add = opts.about && project.canCode ? h("button", { class: "primary memo-new", text: opts.newLabel || "+ New memo" }) : null;
  const closeBtn = h("button", { class: "link close", "aria-label": "Close the memos", text: "×" });
  const box = h("aside", { class: "memo-drawer", role: "dialog", "aria-label": opts.title },
    h("div", { class: "panel-head" }, h("h2", { text: opts.title }), closeBtn),
    h("div", { class: "row" }, add), opts.hint ? h("p", { class: "muted small", text: opts.hint }) : null, list);
  const draw = () => {
    clear(list);
    const shown = memos.list(opts.keep);
    if (!shown.length) list.append(h("p", { class: "muted", text: opts.empty || "No memos yet." }));
    for (const m of shown) list.append(memoCard(m, { excerpt: opts.excerpt && opts.excerpt(m), extra: opts.extra }));
  };
  draw();
  const off = memos.on("change", draw);
  if (add) add.addEventListener("click", () => editMemo(opts.about));
  const close = () => {
    off();
    box.remove();
    if (drawer && drawer.box === box) drawer = null;
    if (before && before.focus && document.contains(before)) before.focus({ preventScroll: true });
  };
  closeBtn.addEventListener("click", close);
  box.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !document.querySelector("dialog[open]")) {
      e.stopPropagation();
      close();
    }
  });
  document.body.append(box);
  drawer = { box, close };
  const target = opts.focus && box.querySelector(`[data-memo="${CSS.escape(opts.focus)}"]`);
  if (target) showCard(target);
  else (add || closeBtn).focus();
  return drawer;
}

/** showCard scrolls a memo card into view, marks it and gives it focus. */
function showCard(card) {
  card.classList.add("flash");
  card.scrollIntoView({ block: "nearest" });
  card.focus({ preventScroll: true });
  setTimeout(() => card.classList.remove("flash"), 2500);
}

// ---- the codebook: a code's memos ----

/** codeMemosButton opens the memos on a code (for the codebook's details). */
export function codeMemosButton(codeId) {
  return h("button", {
    class: "code-memos", text: "Memos on this code…", title: "Read and write memos about this code",
    on: {
      click: () => {
        memos.load(project.pid).catch((e) => toast(e.message, "error"));
        openMemoPanel({
          title: "Memos on " + project.codePath(codeId), keep: (m) => kindOf(m) === "code" && m.code === codeId,
          about: { code: codeId }, newLabel: "+ New memo on this code", empty: "No memos on this code yet.",
        });
      },
    },
  });
}

// ---- the reader: memos on the document and its passages ----

/**
 * readerMemos adds memos to a reader: a Memos button, a panel of the
 * document's memos, a dashed underline and a pin on passages with memos,
 * and the key m (a memo on the selection; with nothing selected, the
 * document's memos). The reader asks anchorsIn, pinsAt and mark while it
 * draws a block. Resolves once the memos are loaded.
 */
export async function readerMemos(reader) {
  const did = reader.did;
  let anchors = [];
  const offs = [];
  const docKeep = (m) => m.document === did;
  const excerpt = (m) => (m.end > 0 ? cpSlice(reader.text, m.start, Math.min(m.end, m.start + 300)) : "");
  const count = h("span", { class: "memo-count" });
  const button = h("button", { class: "memo-open", title: "Memos on this document (m)" }, "Memos ", count);
  const row = reader.page.querySelector(".title-row");
  if (row) row.append(button);
  const selBtn = project.canCode ? h("button", { class: "code-btn memo-btn", hidden: true, title: "Write a memo on the selection (m)", text: "Memo  m" }) : null;
  if (selBtn) {
    document.body.append(selBtn);
    selBtn.addEventListener("mousedown", (e) => e.preventDefault());
    selBtn.addEventListener("click", () => spanMemo());
    // The memo button rides beside the code button, which the reader
    // places as the selection and the scroll change.
    const mo = new MutationObserver(() => {
      const c = reader.codeBtn;
      selBtn.hidden = c.hidden;
      if (c.hidden) return;
      const r = c.getBoundingClientRect();
      selBtn.style.top = c.style.top;
      selBtn.style.left = Math.min(window.innerWidth - 80, r.right + 6) + "px";
    });
    mo.observe(reader.codeBtn, { attributes: true, attributeFilter: ["style", "hidden"] });
    offs.push(() => mo.disconnect(), () => selBtn.remove());
  }

  const refresh = (change) => {
    const next = memos.list((m) => docKeep(m) && m.end > 0).map((m) => ({ id: m.id, start: m.start, end: m.end, title: m.title, author: m.author }));
    count.textContent = String(memos.list(docKeep).length);
    if (!change) {
      anchors = next;
      // Before the text is first drawn there is nothing to redraw, and a
      // redraw scheduled then would come before the reader knows which
      // blocks are in view.
      if (reader.rendered.size) reader.invalidateAll();
      return;
    }
    anchors = next;
    for (const m of [change.before, change.after]) {
      if (m && m.document === did && m.end > 0) reader.invalidate(m.start, m.end);
    }
  };
  offs.push(memos.on("change", refresh));

  const openPanel = (focus) => openMemoPanel({
    title: "Memos on this document", keep: docKeep, about: { document: did, label: reader.doc ? reader.doc.title : "" },
    newLabel: "+ New memo on the document", empty: "No memos on this document yet.",
    hint: project.canCode ? "Select text and press m for a memo on a passage." : "",
    focus, excerpt,
    extra: (m) => (m.end > 0 ? h("button", { class: "memo-show", text: "Show in text", on: { click: () => reader.reveal(m.start, m.end) } }) : null),
  });
  button.addEventListener("click", () => openPanel());

  const spanMemo = () => {
    const sel = reader.sel;
    if (!sel) return;
    if (!project.canCode) {
      toast("Viewers cannot write memos. Ask a lead to make you a coder.", "error");
      return;
    }
    const range = { ...sel };
    editMemo({ document: did, start: range.start, end: range.end, excerpt: excerpt(range), label: reader.doc ? reader.doc.title : "" }).then((m) => {
      if (m) getSelection().removeAllRanges();
    });
  };

  const onKey = (e) => {
    if (e.key === "Escape" && drawer && !document.querySelector("dialog[open]") && !(e.target.closest && e.target.closest(".memo-drawer"))) {
      closeMemoPanel(); // the reader's own Escape (closing its panel, the selection) goes on too
      return;
    }
    if (e.key !== "m" || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.target.closest && e.target.closest("input, textarea, select, [contenteditable=true], .picker, .coding-panel, .memo-drawer, dialog")) return;
    if (document.querySelector("dialog[open]")) return;
    e.preventDefault();
    if (reader.sel) spanMemo();
    else openPanel();
  };
  document.addEventListener("keydown", onKey);
  offs.push(() => document.removeEventListener("keydown", onKey));

  // A click on a pin, or on underlined text that holds no coding, opens
  // the memo (a click on coded text opens its codings, as before).
  const onClick = (e) => {
    const pin = e.target.closest(".memo-pin");
    const seg = !pin && e.target.closest(".memo-anchor:not(.coded)");
    const s = getSelection();
    if (!pin && (!seg || (s.rangeCount && !s.isCollapsed))) return;
    openPanel(pin ? pin.dataset.memo : seg.dataset.memos.split(" ")[0]);
  };
  reader.docEl.addEventListener("click", onClick);
  offs.push(() => reader.docEl.removeEventListener("click", onClick));

  // Loaded before the text is first drawn, so that drawing the markers
  // later does not redraw (and unselect) a passage a link selected.
  try {
    await memos.load(reader.pid);
  } catch (e) {
    toast("Could not load the memos: " + e.message, "error");
  }
  refresh();
  const wanted = new URLSearchParams(location.search).get("memo");
  const linked = wanted && memos.get(wanted);
  if (linked && linked.document === did) {
    setTimeout(() => {
      openPanel(wanted);
      // Focusing the memo takes the selection away: select its passage again.
      if (linked.end > 0) reader.reveal(linked.start, linked.end);
    });
  }

  return {
    /** anchorsIn lists the passage memos that touch [start, end). */
    anchorsIn: (start, end) => anchors.filter((a) => a.start < end && a.end > start),
    /** pinsAt appends a pin for each passage memo that starts at cp. */
    pinsAt(frag, list, cp) {
      for (const a of list) {
        if (a.start !== cp) continue;
        const label = `Memo by ${project.coderName(a.author)}${a.title ? ": " + a.title : ""}`;
        frag.append(h("button", { type: "button", class: "memo-pin", "data-memo": a.id, title: label + " (Enter opens it)", "aria-label": label }));
      }
    },
    /** mark underlines a piece of text that passage memos are about. */
    mark(seg, list) {
      seg.classList.add("memo-anchor");
      seg.dataset.memos = list.map((a) => a.id).join(" ");
    },
    openPanel,
    destroy() {
      offs.forEach((f) => f());
      closeMemoPanel();
    },
  };
}

// ---- memos in search and retrieval ----

/** memoHitList fills box with search hits in memos (memo + kind, names, before, match, after), or hides it. */
export function memoHitList(box, hits) {
  clear(box);
  box.hidden = !hits.length;
  if (!hits.length) return;
  box.append(h("h2", { text: `Memos (${hits.length})` }), h("ol", { class: "hits memo-hit-list", "aria-label": "Memos" }, hits.map((x) => h("li", { class: "card hit memo-hit", "data-memo": x.id },
    h("div", { class: "hit-head" }, aboutLine(x), x.title ? h("strong", { class: "memo-title", text: x.title }) : null,
      h("a", { href: memoHref(x), "data-link": "", class: "doc-link memo-goto", text: "Open the memo" })),
    h("p", { class: "kwic" }, h("span", { class: "before", text: x.before }), h("mark", { text: x.match }), h("span", { class: "after", text: x.after }),
      x.field === "title" ? h("span", { class: "muted", text: " (in the title)" }) : null),
    h("p", { class: "memo-meta", text: `${project.coderName(x.author)} · ${dateTime(x.updated)}` })))));
}

/** memoSegmentList fills box with the memos the coded-segments view lists beside its segments, or hides it. */
export function memoSegmentList(box, list) {
  clear(box);
  box.hidden = !list;
  if (!list) return;
  box.append(h("h2", { text: `Memos (${list.length})` }));
  if (!list.length) box.append(h("p", { class: "muted", text: "No memo goes with this filter." }));
  const open = (m) => h("a", { class: "button-like memo-goto", href: memoHref(m), "data-link": "", text: "Open" });
  box.append(h("div", { class: "memo-list" }, list.map((m) => memoCard(m, { excerpt: m.excerpt ? m.excerpt + (m.truncated ? "…" : "") : "", extra: open }))));
}

// ---- the Memos page: the journal and every memo ----

/** mount draws the Memos page: the project's journal, then the memos on documents and codes. */
export async function mount(root, { pid }) {
  await project.open(pid);
  await memos.load(pid);
  const page = h("section", { class: "page memos-page", "aria-label": "Memos" });
  root.append(page);
  const newEntry = project.canCode ? h("button", { id: "journal-new", class: "primary", text: "+ New journal entry" }) : null;
  const journal = h("div", { class: "memo-list journal", "aria-label": "Journal" });
  const kind = h("select", { id: "memo-kind", "aria-label": "Which memos" },
    h("option", { value: "", text: "Documents, passages and codes" }), h("option", { value: "document", text: "Whole documents" }),
    h("option", { value: "span", text: "Passages" }), h("option", { value: "code", text: "Codes" }));
  const filter = h("input", { type: "search", id: "memo-filter", placeholder: "Filter memos  ( / )", "aria-label": "Filter memos", "data-filter": "" });
  const others = h("div", { class: "memo-list others", "aria-label": "Memos on documents and codes" });
  const summary = h("p", { class: "muted", role: "status", "aria-live": "polite" });
  page.append(viewHeader("Memos", "memos"),
    h("p", { class: "desc", text: "The journal holds thoughts about the whole project. Memos on a document, a passage or a code are written in the reader and the codebook, and all of them are listed here." }),
    h("section", { class: "memo-section", "aria-label": "Project journal" }, h("div", { class: "row" }, h("h2", { text: "Project journal" }), newEntry), journal),
    h("section", { class: "memo-section", "aria-label": "Memos on documents and codes" },
      h("h2", { text: "On documents, passages and codes" }), h("div", { class: "toolbar row" }, kind, filter), summary, others));
  if (project.blinded) page.querySelector(".desc").append(" Blind coding: you see only your own memos.");

  let titles = new Map();
  try {
    const r = await api("GET", projectPath(pid, "documents"));
    titles = new Map(r.documents.map((d) => [d.id, d.title]));
  } catch (e) {
    toast(e.message, "error");
  }
  const open = (m) => h("a", { class: "button-like memo-goto", href: memoHref(m), "data-link": "", text: "Open in the document" });
  const draw = () => {
    clear(journal);
    const entries = memos.list((m) => kindOf(m) === "project").reverse();
    if (!entries.length) journal.append(h("p", { class: "muted", text: "No journal entries yet." + (project.canCode ? " Write the first one." : "") }));
    for (const m of entries) journal.append(memoCard(m));
    clear(others);
    const q = fold(filter.value.trim());
    const shown = memos.list((m) => kindOf(m) !== "project" && (!kind.value || kindOf(m) === kind.value)).map((m) => ({ ...m, document_title: titles.get(m.document) || "" }))
      .filter((m) => !q || fold([m.title, m.text, m.document_title, m.code ? project.codePath(m.code) : ""].join(" ")).includes(q));
    summary.textContent = shown.length ? plural(shown.length, "memo") + "." : "No memos here yet.";
    for (const m of shown) others.append(memoCard(m, { extra: m.document ? open : null }));
  };
  draw();
  const off = memos.on("change", draw);
  kind.addEventListener("change", draw);
  filter.addEventListener("input", draw);
  if (newEntry) newEntry.addEventListener("click", () => editMemo({ label: "the project's journal" }));
  const wanted = new URLSearchParams(location.search).get("memo");
  const target = wanted && page.querySelector(`[data-memo="${CSS.escape(wanted)}"]`);
  if (target) showCard(target);
  else if (newEntry) newEntry.focus();
  return () => off();
}
