// settings.js: a project's team and settings. Everyone sees who is in the
// project and can download what their role allows; leads rename the
// project, switch blind coding, change roles and invite people. The page
// follows live changes (another lead's edits, new members).

import { api, projectPath } from "./api.js";
import { project, session } from "./state.js";
import { h, clear, toast, modal, avatar } from "./ui.js";
import { tabs } from "./views.js";
import { guardExports } from "./exportwarnings.js";

const ROLES = [
  ["lead", "Lead — manages the codebook, the team and the consensus"],
  ["coder", "Coder — codes documents"],
  ["viewer", "Viewer — reads, does not code"],
];

export async function mount(root, { pid }) {
  await project.open(pid);
  const page = h("section", { class: "page narrow settings" });
  root.append(page);

  // Each part of the page is rebuilt only when what it shows changed, so
  // a change elsewhere (a role, a new member) leaves the other parts'
  // elements, and whatever is being clicked or typed there, in place.
  const slots = { tabs: h("div"), head: h("div"), about: h("div"), team: h("div"), downloads: h("div") };
  const shown = {};
  page.append(...Object.values(slots));
  const part = (key, sig, build) => {
    if (shown[key] === sig) return;
    shown[key] = sig;
    const focusedId = slots[key].contains(document.activeElement) && document.activeElement.id;
    slots[key].replaceChildren(build());
    if (focusedId) {
      const again = document.getElementById(focusedId);
      if (again) again.focus();
    }
  };
  const draw = () => {
    const p = project.project;
    const who = [project.role, project.me, project.isLead, project.canCode].join("|");
    part("tabs", who, () => tabs("settings"));
    part("head", who + "|" + p.name, () => h("div", {}, h("h1", { text: "Team and settings" }),
      h("p", { class: "muted", text: `${p.name} · you are a ${project.role}` })));
    part("about", JSON.stringify([who, p.name, p.description, p.blind]), () => aboutSection(p));
    part("team", JSON.stringify([who, [...project.members.values()]]), () => teamSection());
    part("downloads", JSON.stringify([who, p.blind]), () => downloadsSection(p));
  };
  draw();
  // A redraw while a lead types would lose the text: only redraw for
  // changes made elsewhere, when no form field here has focus.
  const off = project.on("project", () => {
    if (page.contains(document.activeElement) && document.activeElement.matches("input, textarea, select")) return;
    draw();
  });
  return () => off();
}

function aboutSection(p) {
  const box = h("section", { class: "card", "aria-labelledby": "about-h" }, h("h2", { id: "about-h", text: "About the project" }));
  if (!project.isLead) {
    box.append(h("p", { text: p.description || "No description." }),
      h("p", { class: "muted", text: p.blind ? "Blind coding: coders see only their own codings until a lead turns it off." : "Open coding: everyone sees everyone's codings as they happen." }));
    return box;
  }
  const name = h("input", { id: "set-name", value: p.name, required: true, maxlength: "200" });
  const desc = h("textarea", { id: "set-desc", rows: "3", placeholder: "What the project is about, for the team" });
  desc.value = p.description || "";
  const blind = h("input", { id: "set-blind", type: "checkbox", checked: p.blind });
  const save = h("button", { type: "submit", class: "primary", text: "Save" });
  const form = h("form", { class: "stack" },
    h("label", {}, "Name", name),
    h("label", {}, "Description", desc),
    h("label", { class: "check" }, blind, " Blind coding"),
    h("p", { class: "muted small", text: "With blind coding on, coders see only their own codings (leads see all). Turning it off shows every coder everyone's work at once." }),
    h("div", { class: "row" }, save));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = {};
    if (name.value.trim() !== p.name) body.name = name.value.trim();
    if (desc.value !== (p.description || "")) body.description = desc.value;
    if (blind.checked !== !!p.blind) body.blind = blind.checked;
    if (!Object.keys(body).length) return toast("Nothing to save.");
    save.disabled = true;
    try {
      await api("PATCH", projectPath(project.pid), body);
      toast("Saved.", "ok");
      document.activeElement.blur();
      await project.reload();
    } catch (ex) {
      toast(ex.message, "error");
    } finally {
      save.disabled = false;
    }
  });
  box.append(form);
  return box;
}

function teamSection() {
  const box = h("section", { class: "card", "aria-labelledby": "team-h" }, h("h2", { id: "team-h", text: "Team" }));
  const members = [...project.members.values()].sort((a, b) => a.name.localeCompare(b.name));
  const table = h("table", { class: "team" },
    h("thead", {}, h("tr", {}, h("th", { text: "Person" }), h("th", { text: "Login" }), h("th", { text: "Role" }),
      project.isLead ? h("th", { "aria-label": "Remove" }) : null)));
  const body = h("tbody");
  for (const m of members) {
    let role = h("span", { text: m.role });
    if (project.isLead && m.id !== project.me) {
      role = h("select", { id: "role-" + m.login, "aria-label": `Role of ${m.name}` },
        ROLES.map(([r]) => h("option", { value: r, text: r })));
      role.value = m.role;
      role.addEventListener("change", async () => {
        try {
          await api("PUT", projectPath(project.pid, "members", m.login), { role: role.value });
          toast(`${m.name} is now ${role.value === "lead" ? "a lead" : "a " + role.value}.`, "ok");
          role.blur();
          await project.reload();
        } catch (ex) {
          role.value = m.role;
          toast(ex.message, "error");
        }
      });
    }
    let remove = null;
    if (project.isLead) {
      remove = h("td");
      if (m.id !== project.me) {
        remove.append(h("button", { class: "small link danger", text: "Remove", title: `Take ${m.name} out of the project (their codings stay)`,
          on: { click: () => removeMember(m) } }));
      }
    }
    body.append(h("tr", { "data-member": m.login },
      h("td", {}, avatar(m.name, m.colour), " ", m.name, m.id === project.me ? h("span", { class: "muted", text: " (you)" }) : null),
      h("td", { text: m.login }), h("td", {}, role), remove));
  }
  table.append(body);
  box.append(table);
  if (project.isLead) box.append(inviteForm());
  return box;
}

/** removeMember asks, then takes m out of the project; their codings and memos stay. */
function removeMember(m) {
  const go = h("button", { type: "submit", class: "danger", text: `Remove ${m.name}` });
  const form = h("form", { class: "stack" },
    h("p", { text: `${m.name} will no longer be able to open this project, and their open windows of it close. Their codings and memos stay in the project, and a lead can add them again.` }),
    h("div", { class: "row" }, go));
  const dlg = modal("Remove from the project", form);
  go.focus();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    go.disabled = true;
    try {
      await api("DELETE", projectPath(project.pid, "members", m.login));
      dlg.close();
      toast(`${m.name} is no longer a member.`, "ok");
      await project.reload();
    } catch (ex) {
      go.disabled = false;
      toast(ex.message, "error");
    }
  });
}

function inviteForm() {
  const login = h("input", { id: "invite-login", required: true, autocomplete: "off", placeholder: "e.g. noor" });
  const name = h("input", { id: "invite-name", autocomplete: "off", placeholder: "Noor Haddad (for a new account)" });
  const role = h("select", { id: "invite-role" }, ROLES.map(([r, text]) => h("option", { value: r, text })));
  role.value = "coder";
  const go = h("button", { type: "submit", class: "primary", text: "Add to the project" });
  const form = h("form", { class: "stack invite" }, h("h3", { text: "Add someone" }),
    h("p", { class: "muted small", text: "Someone who already has an account joins with the role you choose. For anyone else an account is made, with a one-time password for you to pass on." }),
    h("label", {}, "Login", login), h("label", {}, "Name", name), h("label", {}, "Role", role), h("div", { class: "row" }, go));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    go.disabled = true;
    try {
      const body = { login: login.value.trim(), role: role.value };
      if (name.value.trim()) body.name = name.value.trim();
      const r = await api("POST", projectPath(project.pid, "invitations"), body);
      document.activeElement.blur();
      if (r.password) showPassword(r.member, r.password);
      else toast(`${r.member.login} joined as ${r.member.role}.`, "ok");
      await project.reload();
    } catch (ex) {
      toast(ex.message, "error");
    } finally {
      go.disabled = false;
    }
  });
  return form;
}

function showPassword(member, password) {
  const field = h("input", { id: "new-password", readonly: true, value: password, "aria-label": "One-time password" });
  const copy = h("button", { text: "Copy" });
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(password);
      toast("Copied.", "ok");
    } catch {
      field.select();
    }
  });
  modal("Account made", h("div", { class: "stack" },
    h("p", { text: `Pass this one-time password to ${member.login}. It is shown only now, and it works once: when they sign in with it, they are asked to choose their own password before anything else.` }),
    h("div", { class: "row" }, field, copy)));
  field.select();
}

function downloadsSection(p) {
  const box = h("section", { class: "card", "aria-labelledby": "dl-h" }, h("h2", { id: "dl-h", text: "Downloads and backups" }));
  const list = h("ul", { class: "downloads" });
  const link = (format, text, note) => list.append(h("li", {},
    h("a", { href: projectPath(project.pid, "export") + "?format=" + format, download: "", "data-format": format, text }),
    note ? h("span", { class: "muted", text: " — " + note }) : null));
  if (project.canCode) {
    link("qdpx", "Whole project (.qdpx)", "documents, codebook, every coder's codings, the consensus and memos, in the REFI-QDA format that ATLAS.ti, MAXQDA and NVivo open. It doubles as the project's backup: the concord import command brings it back, with everyone as coders (roles, settings and the change history stay behind).");
    link("csv", "Coded segments (.csv)", "one row per segment, opens in Excel");
    link("xlsx", "Coded segments (.xlsx)");
    link("json", "Coded segments (.json)");
    link("html", "Report (.html)", "codebook, frequencies, examples and agreement; prints well");
    link("codebook-md", "Codebook (Markdown)");
    link("qdc", "Codebook (.qdc)", "for other REFI-QDA tools");
  } else {
    list.append(h("li", { class: "muted", text: "Viewers cannot download the project's data; ask a lead." }));
  }
  guardExports(list);
  box.append(list);
  if (p.blind && !project.isLead && project.canCode) {
    box.append(h("p", { class: "muted small", text: "This project is blind: your downloads hold your own codings only." }));
  }
  if (session.user && session.user.admin) {
    box.append(h("h3", { text: "The whole database" }),
      h("p", { class: "muted small", text: "A consistent copy of every project and account on this server, taken while everyone keeps working. The concord restore command checks it and makes a database of it." }),
      h("p", {}, h("a", { class: "button", id: "backup-db", href: "/api/backup", download: "", text: "Download a database backup" })));
  }
  return box;
}
