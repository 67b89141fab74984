// app.js: boots the UI, routes between views by URL path, and draws the
// top bar with the connection indicator. Views are modules exporting
// mount(container, params) which returns a function that unmounts them.

import { api, onUnauthorized, onPasswordChangeRequired } from "./api.js";
import { session, project } from "./state.js";
import { outbox } from "./outbox.js";
import { history } from "./undo.js";
import { h, clear, toast, avatar, modal, plural } from "./ui.js";
import * as login from "./login.js";
import * as projects from "./projects.js";
import * as documents from "./documents.js";
import * as reader from "./reader.js";
import * as settings from "./settings.js";
import { showAccount, mountPasswordChange } from "./account.js";
import * as search from "./search.js";
import * as segments from "./segments.js";
import * as analysis from "./analysis.js";
import * as agreement from "./agreement.js";
import * as adjudicate from "./adjudicate.js";
import * as memos from "./memos.js";
import { setNavigator } from "./nav.js";
import { barLinks, pageForKey, projectHref } from "./views.js";
import { userMenu } from "./usermenu.js";

const routes = [
  [/^\/login$/, login, () => ({})],
  [/^\/$/, projects, () => ({})],
  [/^\/p\/([^/]+)\/?$/, documents, (m) => ({ pid: decodeURIComponent(m[1]) })],
  [/^\/p\/([^/]+)\/d\/([^/]+)\/?$/, reader, (m) => ({ pid: decodeURIComponent(m[1]), did: decodeURIComponent(m[2]) })],
  [/^\/p\/([^/]+)\/settings\/?$/, settings, (m) => ({ pid: decodeURIComponent(m[1]) })],
  // Research views: search and auto-code, coded segments, analysis.
  [/^\/p\/([^/]+)\/search\/?$/, search, (m) => ({ pid: decodeURIComponent(m[1]) })],
  [/^\/p\/([^/]+)\/segments\/?$/, segments, (m) => ({ pid: decodeURIComponent(m[1]) })],
  [/^\/p\/([^/]+)\/analysis\/?$/, analysis, (m) => ({ pid: decodeURIComponent(m[1]) })],
  [/^\/p\/([^/]+)\/memos\/?$/, memos, (m) => ({ pid: decodeURIComponent(m[1]) })],
  // Review of agreement (leads).
  [/^\/p\/([^/]+)\/agreement\/?$/, agreement, (m) => ({ pid: decodeURIComponent(m[1]) })],
  [/^\/p\/([^/]+)\/agreement\/review\/?$/, adjudicate, (m) => ({ pid: decodeURIComponent(m[1]) })],
];

const app = document.getElementById("app");
let unmount = null;
let routeId = 0;

function navigate(path, { replace } = {}) {
  if (replace) window.history.replaceState(null, "", path);
  else window.history.pushState(null, "", path);
  route();
}

async function route() {
  const id = ++routeId;
  const path = location.pathname;
  if (!session.user && path !== "/login") {
    navigate("/login?next=" + encodeURIComponent(path + location.search), { replace: true });
    return;
  }
  let found = null;
  if (session.user && session.user.must_change_password && path !== "/login") {
    // A password someone else chose opens nothing else: the server says
    // so too, with 403 password_change_required.
    found = [{ mount: (root) => mountPasswordChange(root, { onDone: passwordChosen, onSignedOut: signedOut }) }, {}];
  }
  for (const [re, view, params] of found ? [] : routes) {
    const m = path.match(re);
    if (m) {
      found = [view, params(m)];
      break;
    }
  }
  memos.closeMemoPanel(); // it floats over the page, so it belongs to none
  if (unmount) {
    try {
      unmount();
    } catch (e) {
      console.error(e);
    }
    unmount = null;
  }
  clear(app);
  if (!found) {
    app.append(h("section", { class: "page narrow" }, h("h1", { text: "Nothing here" }),
      h("p", {}, "This address does not lead anywhere in Concord. ", h("a", { href: "/", "data-link": "", text: "Go to your projects" }), ".")));
    drawTopbar();
    return;
  }
  const [view, params] = found;
  if (!params.pid && path !== "/login") project.close();
  drawTopbar();
  try {
    const u = await view.mount(app, params);
    if (id !== routeId) {
      if (u) u();
      return;
    }
    unmount = u;
  } catch (e) {
    if (id !== routeId) return;
    clear(app);
    app.append(h("section", { class: "page narrow" }, h("h1", { text: "Could not open this page" }),
      h("p", { class: "error", role: "alert", text: e.message }),
      h("p", {}, h("a", { href: "/", "data-link": "", text: "Back to your projects" }))));
  }
  drawTopbar();
}

// Links marked data-link stay inside the app.
document.addEventListener("click", (e) => {
  const a = e.target.closest("a[data-link]");
  if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  navigate(a.getAttribute("href"));
});
window.addEventListener("popstate", route);
setNavigator(navigate);

// ---- top bar ----

const bar = document.getElementById("topbar");

function drawTopbar() {
  clear(bar);
  bar.append(h("a", { class: "brand", href: "/", "data-link": "", text: "Concord" }));
  if (project.project) {
    bar.append(h("span", { class: "sep", "aria-hidden": "true", text: "/" }),
      h("a", { class: "crumb", href: "/p/" + encodeURIComponent(project.project.slug), "data-link": "", text: project.project.name }));
    if (project.project.blind) bar.append(h("span", { class: "tag", title: "Coders see only their own codings", text: "blind" }));
    bar.append(barLinks());
  }
  bar.append(h("span", { class: "grow" }));
  if (project.live) {
    bar.append(h("span", { id: "online", class: "online", "aria-label": "People online in this project" }));
    bar.append(h("span", { id: "conn", class: "conn", role: "status", "aria-live": "polite" }));
    drawOnline(project.live.online);
    drawConn();
  }
  if (session.user) {
    bar.append(userMenu(session.user.name, [
      h("button", { class: "link me", id: "account", title: "Your account: change your password", text: session.user.name, on: { click: () => showAccount(signedOut) } }),
      h("button", { class: "link", id: "signout", text: "Sign out", on: { click: signOut } })]));
  }
  bar.append(h("button", { class: "help-btn", "aria-label": "Keyboard shortcuts", title: "Keyboard shortcuts (?)", text: "?", on: { click: showHelp } }));
}

function drawOnline(online) {
  const el = document.getElementById("online");
  if (!el) return;
  clear(el);
  const seen = new Map();
  for (const p of online) if (!seen.has(p.user)) seen.set(p.user, p);
  for (const p of seen.values()) {
    el.append(avatar(p.name, p.colour, p.name + " is online"));
  }
}

function drawConn() {
  const el = document.getElementById("conn");
  if (!el || !project.live) return;
  clear(el);
  const s = project.live.status;
  const label = { connecting: "Connecting…", connected: "Live", reconnecting: "Reconnecting…", offline: "Offline", refused: "Too many windows" }[s] || s;
  const title = {
    connected: "Connected: changes by others appear as they happen.",
    reconnecting: "The live connection dropped; trying again. Your codings are kept and sent when it is back.",
    offline: "No connection to the server. Keep working: your codings are kept and sent when it is back.",
    connecting: "Connecting to the server…",
    refused: "Too many Concord windows or tabs are open: close some and reload this one to see others' changes live. Your codings are still saved.",
  }[s];
  el.className = "conn " + s;
  el.title = title || "";
  el.append(h("span", { class: "dot", "aria-hidden": "true" }), h("span", { class: "conn-text", text: label }));
  if (outbox.waiting) {
    el.append(h("span", { class: "waiting", title: "Changes not yet confirmed by the server", text: plural(outbox.waiting, "change") + " waiting" }));
  }
  if (outbox.failed.length) {
    el.append(h("button", { class: "failed", text: plural(outbox.failed.length, "change") + " not saved", on: { click: showFailed } }));
  }
}

project.on("status", (s) => {
  drawConn();
  if (s === "connected") outbox.kick();
});
project.on("presence", drawOnline);
project.on("project", drawTopbar);
project.on("notice", (text) => toast(text, "error"));
project.on("removed", () => {
  const name = project.project ? project.project.name : "the project";
  project.close();
  toast(`You are no longer a member of “${name}”. A lead can add you again.`, "error");
  navigate("/");
});
outbox.subscribe((change) => {
  drawConn();
  if (change && change.type === "failed") {
    toast("A change could not be saved: " + change.error.message, "error");
  }
});
history.subscribe((text) => toast(text));

function showFailed() {
  const list = h("ul", { class: "failed-list" });
  const draw = () => {
    clear(list);
    if (!outbox.failed.length) list.append(h("li", { text: "Nothing left here." }));
    for (const f of outbox.failed) {
      const what = { add: "Add", delete: "Delete", patch: "Change" }[f.kind] + " a coding of " + project.codePath(f.coding.code);
      list.append(h("li", {},
        h("strong", { text: what }), h("br"), h("span", { class: "error", text: f.error }), h("br"),
        h("button", { text: "Try again", on: { click: () => { outbox.dismiss(f.key); outbox.push({ ...f, error: undefined }); draw(); } } }),
        " ", h("button", { text: "Dismiss", on: { click: () => { outbox.dismiss(f.key); draw(); } } })));
    }
  };
  draw();
  modal("Changes the server refused", h("div", {}, h("p", { text: "These changes were not saved. Try again, or dismiss them once you have redone them another way." }), list));
}

async function signOut() {
  if (outbox.waiting && !confirm(`${plural(outbox.waiting, "change")} not yet saved will be kept in this browser and sent when you sign in again. Sign out?`)) return;
  session.leaving = true;
  project.close(); // before the server closes it, which would look like a session ended elsewhere
  try {
    await api("POST", "/api/logout", {});
  } catch (e) {
    if (e.status !== 401) toast(e.message, "error"); // 401: it had ended already
  }
  signedOut();
}

/** signedOut forgets the session in this tab and shows the sign-in page. */
function signedOut() {
  session.user = null;
  session.leaving = false;
  project.close();
  outbox.useUser(null);
  history.clear();
  navigate("/login");
}

// ---- keyboard ----

const helpSections = [
  ["Everywhere", [["?", "show these shortcuts"], ["/", "search or filter the list"], ["j / k or ↓ / ↑", "move in a list"], ["Enter", "open"], ["Ctrl+Z", "undo my last coding change"], ["Ctrl+Shift+Z or Ctrl+Y", "redo"]]],
  ["Reading a document", [["select text, then c or Enter", "code the selection"], ["select text, then m", "write a memo on the selection"], ["m (nothing selected)", "the document's memos"], ["Escape", "close a panel, clear the selection"], ["l", "cycle the layers shown"], ["b", "back to the document list"], ["[ / ]", "previous / next document"]]],
  ["Reading without a mouse", [["Tab", "into the text: a caret shows"], ["← → ↑ ↓, Home / End", "move the caret"], ["Shift + arrows", "select by character or line"], ["Ctrl+Shift+← / → (or Alt+Shift)", "select by word"], ["Alt+Shift+↓ / ↑", "select to the end / start of the sentence"], ["Tab / Shift+Tab", "next / previous coding in the text"], ["Enter", "open the coding in focus"]]],
  ["Documents page (leads)", [["Alt+↑ / Alt+↓", "move the focused document up / down"], ["F2", "rename it"], ["Delete", "move it to the trash"], ["arrow keys, Tab, Enter", "move between cells of the attribute sheet"]]],
  ["In a project", [["s", "search and auto-code"], ["g", "coded segments"], ["a", "analysis"]]],
  ["Code picker", [["type", "filter codes by name or path"], ["↓ / ↑", "move"], ["Space or Ctrl+Enter", "tick several codes"], ["Enter", "apply the ticked codes (or the highlighted one)"], ["Escape", "close"]]],
  ["Reviewing agreement (leads)", [["arrow keys", "move between cells of the heatmap"], ["Enter", "list the cell's disagreements"], ["j / k", "next / previous case"], ["a / b", "side with A or B (code as they did, or keep no coding where they coded nothing)"], ["o", "code what either coded"], ["r", "neither: leave it uncoded"], ["e", "edit the span"]]],
  ["Codebook (leads)", [["e on a code", "edit it in a dialog (also: double-click, or Edit… on the selected row)"]]],
];

function showHelp() {
  if (document.querySelector("dialog.help")) return;
  const body = h("div", { class: "help" });
  for (const [title, keys] of helpSections) {
    body.append(h("h3", { text: title }), h("dl", {}, keys.map(([k, what]) => [h("dt", {}, h("kbd", { text: k })), h("dd", { text: what })])));
  }
  const m = modal("Keyboard shortcuts", body);
  m.dialog.classList.add("help");
}

function typing(target) {
  return target.closest && target.closest("input, textarea, select, [contenteditable=true]");
}

document.addEventListener("keydown", (e) => {
  if (e.defaultPrevented) return;
  const mod = e.ctrlKey || e.metaKey;
  if (mod && !e.altKey && (e.key === "z" || e.key === "Z" || e.key === "y")) {
    if (typing(e.target) || document.querySelector("dialog[open]")) return;
    e.preventDefault();
    if (e.key === "y" || e.shiftKey) history.redo();
    else history.undo();
    return;
  }
  if (mod || e.altKey || typing(e.target) || document.querySelector("dialog[open]")) return;
  if (e.key === "?") {
    e.preventDefault();
    showHelp();
  } else if (project.project && pageForKey(e.key)) {
    e.preventDefault();
    navigate(projectHref(pageForKey(e.key).sub));
  } else if (e.key === "/") {
    const f = document.querySelector("[data-filter]");
    if (f) {
      e.preventDefault();
      f.focus();
      f.select();
    }
  }
});

// ---- boot ----

onUnauthorized(() => {
  if (!session.user || session.leaving) return;
  session.user = null;
  project.close();
  toast("Your session has ended. Please sign in again; unsaved changes are kept.", "error");
  navigate("/login?next=" + encodeURIComponent(location.pathname));
});

onPasswordChangeRequired(() => {
  if (!session.user || session.user.must_change_password) return;
  session.user = { ...session.user, must_change_password: true };
  project.close();
  route();
});

function signedIn(user) {
  session.user = user;
  outbox.useUser(user.id);
}

/** passwordChosen goes on where the user was headed, signed in with the password they chose. */
function passwordChosen(user) {
  session.leaving = false;
  signedIn(user);
  route();
}

async function boot() {
  try {
    const me = await api("GET", "/api/me");
    signedIn(me.user);
  } catch (e) {
    if (e.status !== 401) {
      toast(e.message, "error");
    }
  }
  route();
}

boot();
