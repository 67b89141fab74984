// api.js: the one way the UI talks HTTP to the server. Requests and answers
// are JSON; a failed request throws an ApiError whose message is the
// server's own sentence, ready to show a person.

/** ApiError is a request that failed; status 0 means the server was not reached. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
  get network() { return this.status === 0; }
}

let unauthorized = () => {};
let mustChangePassword = () => {};

/** onUnauthorized sets what happens when the session has ended (a 401). */
export function onUnauthorized(fn) { unauthorized = fn; }

/** onPasswordChangeRequired sets what happens when the server wants a new password first (a 403 password_change_required). */
export function onPasswordChangeRequired(fn) { mustChangePassword = fn; }

/**
 * api sends one request. body, when given, is sent as JSON. onProgress, when
 * given, is called with (bytesReceived, bytesExpected or 0) while a large
 * answer downloads.
 */
export async function api(method, path, body, { onProgress, signal } = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json" }, signal };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch(path, init);
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError(0, "network", "Could not reach the server. Check your connection; changes are kept and sent when it is back.");
  }
  let text;
  try {
    text = onProgress && resp.body ? await readWithProgress(resp, onProgress) : await resp.text();
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError(0, "network", "The connection broke while the answer was arriving. Please try again.");
  }
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      throw new ApiError(resp.status, "internal", `The server sent an answer that is not JSON (status ${resp.status}).`);
    }
  }
  if (!resp.ok) {
    const err = new ApiError(resp.status, (data && data.code) || "internal",
      (data && data.error) || `The server answered ${resp.status} ${resp.statusText}.`);
    if (resp.status === 401 && path !== "/api/login") unauthorized(err);
    if (resp.status === 403 && err.code === "password_change_required") mustChangePassword(err);
    throw err;
  }
  return data;
}

async function readWithProgress(resp, onProgress) {
  const total = Number(resp.headers.get("Content-Length")) || 0;
  const reader = resp.body.getReader();
  const chunks = [];
  let got = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    got += value.length;
    onProgress(got, total);
  }
  const all = new Uint8Array(got);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(all);
}

/** projectPath builds /api/projects/{pid}/… with each part escaped. */
export function projectPath(pid, ...parts) {
  return "/api/projects/" + [pid, ...parts].map(encodeURIComponent).join("/");
}
