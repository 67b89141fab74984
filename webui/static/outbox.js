// outbox.js: every change to codings goes through this queue, in order. It
// is kept in localStorage, so codings made while the server cannot be
// reached (or the tab is closed) are sent when it can be. A change the
// server refuses is moved to the failed list and shown; nothing is dropped
// without telling the person.
//
// Ids are chosen here (crypto.randomUUID), so sending an addition twice is
// safe: the second answer is 409, and a 409 for an id that the server now
// holds means the first one was stored.

import { api, projectPath } from "./api.js";
import { liveFor } from "./live.js";

class Outbox {
  constructor() {
    this.key = "";
    this.ops = [];
    this.failed = [];
    this.running = false;
    this.blocked = false; // waiting for the connection to come back
    this.listeners = new Set();
    this.retryTimer = 0;
    this.backoff = 0;
    window.addEventListener("online", () => this.kick());
    window.addEventListener("storage", (e) => {
      if (e.key === this.key) this.load();
    });
  }

  /** useUser switches to a user's queue (each signed-in person has their own). */
  useUser(userId) {
    this.key = userId ? "concord.outbox.v1." + userId : "";
    this.load();
    this.kick();
  }

  load() {
    this.ops = [];
    this.failed = [];
    if (!this.key) return;
    try {
      const saved = JSON.parse(localStorage.getItem(this.key) || "{}");
      this.ops = (saved.ops || []).map((o) => ({ ...o, sending: false }));
      this.failed = saved.failed || [];
    } catch {
      // A damaged entry must not stop the UI; it is replaced on save.
    }
    this.emit();
  }

  save() {
    if (!this.key) return;
    try {
      localStorage.setItem(this.key, JSON.stringify({ ops: this.ops, failed: this.failed }));
    } catch (e) {
      console.error("outbox: cannot save", e);
    }
  }

  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(change) {
    for (const fn of this.listeners) {
      try {
        fn(change);
      } catch (e) {
        console.error("outbox listener", e);
      }
    }
  }

  /** add queues new codings (whole coding objects with client-chosen ids). */
  add(pid, codings) {
    for (const c of codings) this.push({ kind: "add", pid, id: c.id, doc: c.document, coding: c });
  }

  /** remove queues the deletion of a coding (the whole coding, so a failure can restore it). */
  remove(pid, coding) {
    this.push({ kind: "delete", pid, id: coding.id, doc: coding.document, coding });
  }

  /** patch queues a change to a coding: fields is {code?, memo?, start?, end?}. */
  patch(pid, coding, fields) {
    this.push({ kind: "patch", pid, id: coding.id, doc: coding.document, coding, fields });
  }

  push(op) {
    op.key = crypto.randomUUID();
    op.queued = Date.now();
    this.ops.push(op);
    this.save();
    this.emit({ type: "queued", op });
    this.kick();
  }

  /** pending lists queued ops for one document of one project, in order. */
  pending(pid, doc) {
    return this.ops.filter((o) => o.pid === pid && o.doc === doc);
  }

  get waiting() { return this.ops.length; }

  /** kick sends the queue now (after a reconnect, or when something is added). */
  kick() {
    this.blocked = false;
    this.backoff = 0;
    clearTimeout(this.retryTimer);
    this.run();
  }

  async run() {
    if (this.running || this.blocked) return;
    this.running = true;
    try {
      while (this.ops.length && !this.blocked) {
        const op = this.ops[0];
        op.sending = true;
        this.emit({ type: "sending", op });
        let outcome;
        try {
          outcome = await this.send(op);
        } catch (e) {
          outcome = { error: e };
        }
        op.sending = false;
        const err = outcome.error;
        if (err && (err.status === 0 || err.status >= 500 || err.status === 429)) {
          // Not refused, just not through: keep it, and try again later.
          this.blocked = true;
          op.lastError = err.message;
          this.emit({ type: "blocked", op, error: err });
          this.backoff = Math.min(30000, this.backoff ? this.backoff * 2 : 1000);
          this.retryTimer = setTimeout(() => {
            this.blocked = false;
            this.run();
          }, this.backoff);
          break;
        }
        if (err && err.status === 401) {
          this.blocked = true; // kept until the person signs in again
          break;
        }
        this.ops.shift();
        if (err) {
          this.failed.push({ ...op, error: err.message, at: Date.now() });
          this.save();
          this.emit({ type: "failed", op, error: err });
        } else {
          this.backoff = 0;
          this.save();
          this.emit({ type: "done", op, result: outcome.result });
        }
      }
    } finally {
      this.running = false;
    }
  }

  async send(op) {
    try {
      return { result: await this.transmit(op) };
    } catch (e) {
      if (op.kind === "add" && e.status === 409) {
        // Ours already (an earlier try got through) or a real duplicate?
        const stored = await this.lookup(op);
        if (stored) return { result: stored };
      }
      if (op.kind === "delete" && e.status === 404) return { result: op.coding }; // already gone
      return { error: e };
    }
  }

  /**
   * transmit sends one change and returns the coding the server answered
   * with: over the project's live connection when it is up (one frame each
   * way, answered after the change's own event), else over HTTP. Both
   * answer with the same statuses, so send() treats them alike.
   */
  async transmit(op) {
    // A change larger than the server reads from a websocket message
    // (--max-message, 16 KiB by default: a long memo) goes over HTTP; the
    // server would close the connection on it, and the retry would again.
    const live = liveSized(op) ? liveFor(op.pid) : null;
    if (op.kind === "add") {
      const c = op.coding;
      const body = { id: c.id, document: c.document, code: c.code, start: c.start, end: c.end, memo: c.memo || "" };
      if (c.coder) body.coder = c.coder;
      const r = live ? await live.request({ type: "coding.add", coding: body }) : await api("POST", projectPath(op.pid, "codings"), body);
      return r.coding;
    }
    const path = projectPath(op.pid, "codings", op.id);
    if (op.kind === "delete") {
      const r = live ? await live.request({ type: "coding.delete", id: op.id }) : await api("DELETE", path);
      return r.coding;
    }
    const r = live ? await live.request({ type: "coding.update", id: op.id, patch: op.fields }) : await api("PATCH", path, op.fields);
    return r.coding;
  }

  async lookup(op) {
    const r = await api("GET", projectPath(op.pid, "documents", op.doc, "codings"));
    return r.codings.find((c) => c.id === op.id) || null;
  }

  dismiss(key) {
    this.failed = key ? this.failed.filter((f) => f.key !== key) : [];
    this.save();
    this.emit({ type: "dismissed" });
  }
}

/** liveSized says whether op is small enough for the live connection (UTF-8 is at most 3 bytes per UTF-16 unit). */
function liveSized(op) {
  return JSON.stringify(op.coding || "").length + JSON.stringify(op.fields || "").length < 4000;
}

/** outbox is the signed-in person's queue of coding changes. */
export const outbox = new Outbox();
