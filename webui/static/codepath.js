// codepath.js: code paths as people read them. The server writes a path
// with every name escaped so that it parses back into the same names
// (`Stressors › Rejection \/ Antipathy`; see coding/codepath.go); a label
// shows the names as their authors typed them.

const SEP = " › ";

/** pathNames splits a path the server wrote into the names as typed. */
export function pathNames(path) {
  const s = String(path);
  const names = [];
  let name = "";
  for (let i = 0; i < s.length; ) {
    if (s[i] === "\\" && i + 1 < s.length && "\\/›".includes(s[i + 1])) {
      name += s[i + 1];
      i += 2;
    } else if (s.startsWith(SEP, i)) {
      names.push(name);
      name = "";
      i += SEP.length;
    } else {
      name += s[i++];
    }
  }
  names.push(name);
  return names;
}

/** displayPath is a server-written path for a label: names as typed, joined by " › ". */
export function displayPath(path) {
  return pathNames(path).join(SEP);
}

/** lastName is the code's own name in a server-written path. */
export function lastName(path) {
  const names = pathNames(path);
  return names[names.length - 1];
}
