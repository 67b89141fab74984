// undo.js: undo and redo of my own coding changes in this tab.
//
// Each action records enough to reverse itself: undoing an addition deletes
// it, undoing a deletion adds the same coding back (its id is free again),
// undoing an edit patches the old values back. Redo does the reverse. All
// of it goes through the outbox, so it is queued like any other change.

import { outbox } from "./outbox.js";

const LIMIT = 200;

class History {
  constructor() {
    this.done = [];
    this.undone = [];
    this.listeners = new Set();
  }

  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(text) {
    for (const fn of this.listeners) fn(text);
  }

  clear() {
    this.done = [];
    this.undone = [];
  }

  /**
   * record remembers an action that was just done:
   *   {kind: "add", pid, codings}
   *   {kind: "delete", pid, codings}
   *   {kind: "edit", pid, coding, before, after}   (before/after: changed fields)
   */
  record(action) {
    this.done.push(action);
    if (this.done.length > LIMIT) this.done.shift();
    this.undone = [];
  }

  undo() {
    const a = this.done.pop();
    if (!a) {
      this.emit("Nothing to undo.");
      return null;
    }
    run(a, true);
    this.undone.push(a);
    this.emit("Undone: " + describe(a));
    return a;
  }

  redo() {
    const a = this.undone.pop();
    if (!a) {
      this.emit("Nothing to redo.");
      return null;
    }
    run(a, false);
    this.done.push(a);
    this.emit("Redone: " + describe(a));
    return a;
  }
}

function run(a, backwards) {
  switch (a.kind) {
    case "add":
      if (backwards) for (const c of a.codings) outbox.remove(a.pid, c);
      else outbox.add(a.pid, a.codings);
      break;
    case "delete":
      if (backwards) outbox.add(a.pid, a.codings);
      else for (const c of a.codings) outbox.remove(a.pid, c);
      break;
    case "edit": {
      const fields = backwards ? a.before : a.after;
      outbox.patch(a.pid, { ...a.coding, ...(backwards ? a.after : a.before) }, fields);
      break;
    }
  }
}

function describe(a) {
  const n = a.codings ? a.codings.length : 1;
  const what = n === 1 ? "coding" : `${n} codings`;
  switch (a.kind) {
    case "add": return `add ${what}`;
    case "delete": return `delete ${what}`;
    default: return "edit coding";
  }
}

/** history is this tab's undo history of coding changes. */
export const history = new History();
