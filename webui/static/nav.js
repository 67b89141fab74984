// nav.js: how views move to another page of the UI without importing the
// router (which imports them).

let go = (path) => { location.href = path; };

/** setNavigator is called once by app.js with its router. */
export function setNavigator(fn) { go = fn; }

/** navigate goes to a path of the UI without reloading the page. */
export function navigate(path, opts) { go(path, opts); }
