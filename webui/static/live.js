// live.js: the project's websocket. It keeps the last sequence number it
// has seen and, whenever the connection drops (the server's 4008 "too
// slow", 1001 "going away", or anything else), reconnects with backoff and
// ?since= that number, so no event is missed and none is applied twice.
// The one exception is 4001 "signed out": the session ended (sign-out,
// password change, expiry), so reconnecting with it would be refused; it
// asks over HTTP instead, whose 401 sends the page to sign in.
// A connection refused before it opened (a browser hides the HTTP status
// of a failed websocket handshake) is asked about over HTTP too: a 429
// means this person has too many windows open, which retrying fast cannot
// fix, so it says so and tries again only every minute.

import { api, ApiError, projectPath } from "./api.js";
import { Emitter } from "./emitter.js";

const PING_EVERY = 20000;
const SILENT_LIMIT = 50000; // no message for this long: the connection is dead
const SESSION_ENDED = 4001; // the server's close code for an ended session
const NOT_A_MEMBER = 1008; // closed because we were removed from the project
const REPLY_WAIT = 15000; // a change unanswered for this long is sent again later
const REFUSED_RETRY = 60000; // over the server's cap on open windows: try again this rarely

/** connections holds the open Live of each project, for liveFor. */
const connections = new Map();

/**
 * liveFor returns the project's live connection when it is up and can take
 * changes, or null (then the change goes over HTTP).
 */
export function liveFor(pid) {
  const l = connections.get(pid);
  return l && l.status === "connected" && l.ws && l.ws.readyState === WebSocket.OPEN ? l : null;
}

/**
 * Live is one project's live connection. Listeners:
 *   "event"    (ev)         every log event, replayed or new, in order
 *   "presence" (online)     who is connected, without this connection
 *   "status"   (status)     "connecting" | "connected" | "reconnecting" | "offline" | "refused"
 *   "refused"  (text)       the server refused the connection: too many open windows
 *   "reset"    (msg)        the log does not reach our position: reload state
 *   "ready"    ()           replay done after (re)connecting
 *   "error"    (text)       the server refused something we sent
 *   "removed"  ()           we are no longer a member of the project
 */
export class Live extends Emitter {
  constructor(pid, since) {
    super("live");
    this.pid = pid;
    this.seq = since || 0;
    this.status = "connecting";
    this.conn = "";
    this.online = [];
    this.peers = new Map(); // conn → presence, kept from the server's list and its changes
    this.attempt = 0;
    this.closed = false;
    this.ws = null;
    this.presence = null; // what we last told the server, resent on reconnect
    this.presenceTimer = 0;
    this.presenceSentAt = 0;
    this.lastMessage = 0;
    this.pending = new Map(); // req → the change waiting for its reply
    this.reqSeq = 0;
    connections.set(pid, this);
    this.onOnline = () => this.retryNow();
    this.onOffline = () => this.setStatus("offline");
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
    this.timer = setInterval(() => this.heartbeat(), PING_EVERY);
    this.open();
  }

  setStatus(s) {
    if (this.status === s) return;
    this.status = s;
    this.emit("status", s);
  }

  open() {
    if (this.closed) return;
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const url = `${proto}//${location.host}${projectPath(this.pid, "live")}?since=${encodeURIComponent(this.seq)}`;
    let ws;
    try {
      ws = new WebSocket(url);
    } catch {
      this.scheduleReconnect(0);
      return;
    }
    this.ws = ws;
    this.lastMessage = Date.now();
    let opened = false; // the server said hello: the connection was accepted
    ws.onmessage = (m) => {
      opened = true;
      if (ws !== this.ws) return;
      this.lastMessage = Date.now();
      for (const line of String(m.data).split("\n")) {
        if (!line) continue;
        let msg;
        try {
          msg = JSON.parse(line);
        } catch {
          continue;
        }
        this.handle(msg);
      }
    };
    ws.onclose = (e) => {
      this.failPending(ws);
      if (ws !== this.ws) return;
      this.ws = null;
      if (e.code === SESSION_ENDED) this.sessionEnded();
      else if (e.code === NOT_A_MEMBER) {
        // Coming back would be refused: say so instead of retrying.
        this.close();
        this.emit("removed");
      } else if (!opened) this.askWhyRefused(e.code);
      else this.scheduleReconnect(e.code);
    };
    ws.onerror = () => {}; // onclose follows and decides
  }

  handle(msg) {
    if (typeof msg.seq === "number" && msg.type && msg.type.includes(".")) {
      if (typeof this.seq === "number" && msg.seq <= this.seq) return; // already applied
      this.seq = msg.seq;
      this.emit("event", msg);
      return;
    }
    if (typeof msg.seq === "string" && msg.type && msg.type.includes(".")) {
      // A blinded coder's cursor: opaque, never compared. The server
      // sends each event once per connection (replay, then live), so
      // there is nothing to skip; the next connection resumes from it.
      this.seq = msg.seq;
      this.emit("event", msg);
      return;
    }
    switch (msg.type) {
      case "hello":
        this.conn = msg.conn;
        this.attempt = 0;
        break;
      case "reset":
        // Our position is not in the log (restored backup, or compacted
        // away): reload everything, then go on from the head.
        this.seq = msg.head ?? msg.seq ?? 0;
        this.emit("reset", msg);
        break;
      case "ready": {
        const last = msg.last ?? msg.seq ?? 0;
        // Cursors (blinded coders) cannot be ordered: the server's is
        // where this connection is.
        if (typeof last !== "number" || typeof this.seq !== "number" || last > this.seq) this.seq = last;
        this.setStatus("connected");
        if (this.presence) this.flushPresence();
        this.emit("ready");
        break;
      }
      case "presence":
        // The whole list once on joining, then only changes.
        if (msg.online) this.peers = new Map(msg.online.map((p) => [p.conn, p]));
        for (const p of msg.changed || []) this.peers.set(p.conn, p);
        for (const id of msg.left || []) this.peers.delete(id);
        this.online = [...this.peers.values()].filter((p) => p.conn !== this.conn);
        this.emit("presence", this.online);
        break;
      case "error":
        this.emit("error", msg.error);
        break;
      case "reply": {
        const p = this.pending.get(msg.req);
        if (!p) break;
        this.pending.delete(msg.req);
        clearTimeout(p.timer);
        if (msg.status >= 300) p.reject(new ApiError(msg.status, msg.code || "internal", msg.error || "The server refused the change."));
        else p.resolve(msg);
        break;
      }
    }
  }

  scheduleReconnect(code) {
    if (this.closed) return;
    this.attempt++;
    this.setStatus(!navigator.onLine || this.attempt > 3 ? "offline" : "reconnecting");
    this.online = [];
    this.peers = new Map();
    this.emit("presence", this.online);
    // 4008 means only that we were slow: come straight back. Anything else
    // backs off, with jitter so that a restarted server is not stormed.
    const base = code === 4008 && this.attempt === 1 ? 100 : Math.min(15000, 500 * 2 ** (this.attempt - 1));
    const delay = base * (0.75 + Math.random() / 2);
    clearTimeout(this.retry);
    this.retry = setTimeout(() => this.reconnect(), delay);
  }

  /**
   * askWhyRefused asks over HTTP why a connection closed before the server
   * said hello: 401 (api.js sends the page to sign in), 429 (too many
   * windows: say so, retry rarely), or anything else (retry as usual).
   */
  async askWhyRefused(code) {
    try {
      await api("GET", projectPath(this.pid, "live"));
    } catch (e) {
      if (this.closed) return;
      if (e.status === 401) return;
      if (e.status === 429) {
        this.online = [];
        this.peers = new Map();
        this.emit("presence", this.online);
        this.setStatus("refused");
        this.emit("refused", e.message);
        clearTimeout(this.retry);
        this.retry = setTimeout(() => this.open(), REFUSED_RETRY * (0.75 + Math.random() / 2));
        return;
      }
    }
    this.scheduleReconnect(code);
  }

  async reconnect() {
    if (this.closed) return;
    if (this.attempt >= 2) {
      // A websocket refused for an ended session looks like any other
      // drop; ask over HTTP, which answers 401 and sends us to sign in.
      try {
        await api("GET", "/api/me");
      } catch (e) {
        if (e.status === 401) return;
      }
    }
    this.open();
  }

  /** sessionEnded checks at once whether this browser still has a session (it may have signed in again meanwhile). */
  async sessionEnded() {
    this.setStatus("offline");
    this.online = [];
    this.emit("presence", this.online);
    try {
      await api("GET", "/api/me");
    } catch (e) {
      if (e.status === 401) {
        this.close(); // api.js has sent the page to sign in
        return;
      }
    }
    this.scheduleReconnect(SESSION_ENDED);
  }

  retryNow() {
    if (this.closed || this.ws) return;
    clearTimeout(this.retry);
    this.attempt = 0;
    this.open();
  }

  heartbeat() {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastMessage > SILENT_LIMIT) {
      this.ws = null;
      this.failPending(ws);
      ws.close();
      this.scheduleReconnect(0);
      return;
    }
    ws.send(JSON.stringify({ type: "ping" }));
  }

  /**
   * request sends a change to a coding ({type: "coding.add", coding} or
   * "coding.update"/"coding.delete" with an id) and resolves with the
   * server's reply, which comes after the change's own event. It rejects
   * with an ApiError as api() would: the HTTP status the same request would
   * have had, or 0 when the connection dropped before the answer (the
   * change may or may not be stored; the outbox finds out on its retry).
   */
  request(msg) {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new ApiError(0, "network", "The live connection is closed."));
    }
    const req = String(++this.reqSeq);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(req);
        reject(new ApiError(0, "network", "The server did not answer in time."));
      }, REPLY_WAIT);
      this.pending.set(req, { resolve, reject, timer, ws });
      ws.send(JSON.stringify({ ...msg, req }));
    });
  }

  /** failPending rejects the changes sent over ws that it will never answer. */
  failPending(ws) {
    for (const [req, p] of this.pending) {
      if (p.ws !== ws) continue;
      this.pending.delete(req);
      clearTimeout(p.timer);
      p.reject(new ApiError(0, "network", "The live connection dropped before the server answered."));
    }
  }

  /** setPresence tells others which document we have open and what we select (sent at most ~6 times a second). */
  setPresence(document, start = 0, end = 0) {
    const p = { type: "presence", document: document || "", start, end };
    if (this.presence && this.presence.document === p.document && this.presence.start === p.start && this.presence.end === p.end) return;
    this.presence = p;
    const wait = 160 - (Date.now() - this.presenceSentAt);
    if (wait <= 0) this.flushPresence();
    else if (!this.presenceTimer) this.presenceTimer = setTimeout(() => this.flushPresence(), wait);
  }

  flushPresence() {
    clearTimeout(this.presenceTimer);
    this.presenceTimer = 0;
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN || !this.presence) return;
    this.presenceSentAt = Date.now();
    this.ws.send(JSON.stringify(this.presence));
  }

  close() {
    this.closed = true;
    if (connections.get(this.pid) === this) connections.delete(this.pid);
    clearTimeout(this.retry);
    clearTimeout(this.presenceTimer);
    clearInterval(this.timer);
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.onOffline);
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      this.failPending(ws);
      ws.close(1000, "leaving the project");
    }
  }
}
