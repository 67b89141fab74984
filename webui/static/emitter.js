// emitter.js — one tiny event emitter for the live connection and the
// project state: listeners per event type, and a failing listener never
// stops the others.

export class Emitter {
  constructor(label) {
    this.label = label;
    this.listeners = new Map();
  }

  /** on subscribes fn to type and returns the function that unsubscribes it. */
  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(fn);
    return () => this.listeners.get(type).delete(fn);
  }

  emit(type, ...args) {
    for (const fn of this.listeners.get(type) || []) {
      try {
        fn(...args);
      } catch (e) {
        console.error(this.label + " listener", type, e);
      }
    }
  }
}
