// state.js: what every view of an open project shares: the project, my
// role, the members, the codebook and the live connection. Views subscribe
// with on(); this module keeps it current from live events.

import { api, projectPath } from "./api.js";
import { Emitter } from "./emitter.js";
import { Live } from "./live.js";

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#bcbd22", "#7f7f7f"];

/**
 * session holds the signed-in user (null when signed out); leaving is set
 * while this tab itself ends the session (sign-out, password change), so
 * that the live connection closing is not taken for a session that ended
 * elsewhere.
 */
export const session = { user: null, leaving: false };

class ProjectState extends Emitter {
  constructor() {
    super("state");
    this.pid = null;
    this.live = null;
    this.reset();
  }

  reset() {
    this.project = null;
    this.role = "";
    this.me = "";
    this.consensus = "";
    this.members = new Map();
    this.codes = new Map();
    this.children = new Map();
    this.seq = 0;
  }

  /** open loads a project (by id or slug) and connects its live stream; reopening the same one is free. */
  async open(pid) {
    if (this.pid === pid && this.project) return;
    this.close();
    this.pid = pid;
    const p = await api("GET", projectPath(pid));
    const codes = await api("GET", projectPath(pid, "codes"));
    if (this.pid !== pid) return;
    this.setProject(p);
    this.setCodes(codes.codes);
    this.live = new Live(pid, p.seq);
    this.live.on("event", (ev) => this.apply(ev));
    this.live.on("reset", () => this.reload());
    this.live.on("presence", (online) => this.emit("presence", online));
    this.live.on("status", (s) => this.emit("status", s));
    this.live.on("ready", () => this.emit("ready"));
    this.live.on("error", (text) => this.emit("notice", text));
    this.live.on("refused", (text) => this.emit("notice", text));
    this.live.on("removed", () => this.emit("removed"));
    this.emit("status", this.live.status);
  }

  close() {
    if (this.live) this.live.close();
    this.live = null;
    this.pid = null;
    this.reset();
    this.emit("presence", []);
  }

  setProject(p) {
    this.project = p.project;
    this.role = p.role;
    this.me = p.me;
    this.consensus = p.consensus;
    this.seq = p.seq;
    this.members = new Map(p.members.map((m) => [m.id, m]));
  }

  setCodes(list) {
    this.codes = new Map(list.map((c) => [c.id, c]));
    this.children = new Map();
    for (const c of list) {
      const parent = c.parent && this.codes.has(c.parent) ? c.parent : "";
      if (!this.children.has(parent)) this.children.set(parent, []);
      this.children.get(parent).push(c);
    }
    for (const kids of this.children.values()) {
      kids.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
    }
  }

  async reload() {
    const pid = this.pid;
    const [p, codes] = await Promise.all([api("GET", projectPath(pid)), api("GET", projectPath(pid, "codes"))]);
    if (this.pid !== pid) return;
    this.setProject(p);
    this.setCodes(codes.codes);
    this.emit("project");
    this.emit("codes");
    this.emit("reload");
  }

  async reloadCodes() {
    const pid = this.pid;
    const codes = await api("GET", projectPath(pid, "codes"));
    if (this.pid !== pid) return;
    this.setCodes(codes.codes);
    this.emit("codes");
  }

  /** apply keeps shared state current with one live event, then passes it on to the views. */
  apply(ev) {
    const p = ev.payload;
    switch (ev.type) {
      case "code.created":
      case "code.updated":
        this.codes.set(p.id, p);
        this.setCodes([...this.codes.values()]);
        this.emit("codes");
        break;
      case "code.deleted":
      case "code.merged":
        // Codings moved or vanished: the views reload theirs too.
        this.reloadCodes().catch((e) => this.emit("notice", e.message));
        break;
      case "project.updated":
      case "member.set":
        this.reload().catch((e) => this.emit("notice", e.message));
        break;
    }
    this.emit("event", ev);
  }

  get isLead() { return this.role === "lead"; }
  get canCode() { return this.role === "lead" || this.role === "coder"; }
  /** blinded: other coders' layers are hidden from me. */
  get blinded() { return !!(this.project && this.project.blind && !this.isLead); }

  /** codePath is a code's names from the top, joined by " › ". */
  codePath(id) {
    const names = [];
    let c = this.codes.get(id);
    for (let guard = 0; c && guard < 100; guard++) {
      names.unshift(c.name);
      c = this.codes.get(c.parent);
    }
    return names.length ? names.join(" › ") : "(deleted code)";
  }

  codeColour(id) {
    const c = this.codes.get(id);
    return (c && c.colour) || hashColour(id);
  }

  coderName(id) {
    if (id === this.consensus) return "Consensus";
    const m = this.members.get(id);
    return m ? m.name : "a former member";
  }

  coderColour(id) {
    if (id === this.consensus) return "#333333";
    const m = this.members.get(id);
    return (m && m.colour) || hashColour(id);
  }

  /** coders lists the layers that can hold codings: members who code, then consensus. */
  coders() {
    const out = [...this.members.values()].filter((m) => m.role === "lead" || m.role === "coder");
    out.sort((a, b) => (a.id === this.me ? -1 : b.id === this.me ? 1 : a.name.localeCompare(b.name)));
    return out;
  }

  /** canEdit reports whether I may change a coding of this layer. */
  canEdit(coder) {
    return (coder === this.me && this.canCode) || (coder === this.consensus && this.isLead);
  }
}

/** project is the open project's shared state. */
export const project = new ProjectState();

/** hashColour gives an id a stable colour from the palette. */
export function hashColour(id) {
  let h = 0;
  for (let i = 0; i < (id || "").length; i++) h = (h * 31 + id.charCodeAt(i)) | 0;
  return PALETTE[Math.abs(h) % PALETTE.length];
}
