// login.js: the sign-in page.

import { api } from "./api.js";
import { session } from "./state.js";
import { outbox } from "./outbox.js";
import { navigate } from "./nav.js";
import { h } from "./ui.js";

export function mount(root) {
  if (session.user) {
    navigate("/", { replace: true });
    return null;
  }
  const error = h("p", { class: "error", role: "alert", id: "login-error", hidden: true });
  const loginInput = h("input", { id: "login", name: "login", autocomplete: "username", required: true, autocapitalize: "none", spellcheck: "false" });
  const pw = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const submit = h("button", { type: "submit", class: "primary", text: "Sign in" });
  const form = h("form", { class: "card login", "aria-describedby": "login-error" },
    h("h1", { text: "Sign in to Concord" }),
    h("label", { for: "login", text: "Login" }), loginInput,
    h("label", { for: "password", text: "Password" }), pw,
    error, submit);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.hidden = true;
    submit.disabled = true;
    submit.textContent = "Signing in…";
    try {
      const r = await api("POST", "/api/login", { login: loginInput.value.trim(), password: pw.value });
      session.user = r.user;
      outbox.useUser(r.user.id);
      const next = new URLSearchParams(location.search).get("next");
      navigate(next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/login") ? next : "/", { replace: true });
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
      submit.disabled = false;
      submit.textContent = "Sign in";
      pw.select();
    }
  });
  root.append(h("section", { class: "page login-page" }, form,
    h("p", { class: "hint", text: "Concord is a shared workbench for coding qualitative data. Ask your project lead for an account." })));
  loginInput.focus();
  return null;
}
