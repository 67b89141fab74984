// account.js: the signed-in person's own account: their name and login,
// and changing their password (which signs them out everywhere).

import { api } from "./api.js";
import { session } from "./state.js";
import { h, modal, toast } from "./ui.js";

/** showAccount opens the account dialog; onSignedOut runs once the password changed. */
export function showAccount(onSignedOut) {
  const u = session.user;
  const current = h("input", { id: "pw-current", type: "password", required: true, autocomplete: "current-password" });
  const next = h("input", { id: "pw-new", type: "password", required: true, minlength: "8", autocomplete: "new-password" });
  const again = h("input", { id: "pw-again", type: "password", required: true, autocomplete: "new-password" });
  const err = h("p", { class: "error", role: "alert", hidden: true });
  const go = h("button", { type: "submit", class: "primary", text: "Change password" });
  const form = h("form", { class: "stack" },
    h("p", { text: `Signed in as ${u.name} (${u.login})${u.admin ? ", administrator" : ""}.` }),
    h("h3", { text: "Change password" }),
    h("label", {}, "Current password", current),
    h("label", {}, "New password (8 to 72 characters)", next),
    h("label", {}, "New password again", again), err,
    h("p", { class: "muted small", text: "Changing it signs you out on every device; sign in again with the new one." }),
    h("div", { class: "row" }, go));
  const m = modal("Your account", form);
  current.focus();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    err.hidden = true;
    if (next.value !== again.value) {
      err.textContent = "The two new passwords differ.";
      err.hidden = false;
      again.focus();
      return;
    }
    go.disabled = true;
    try {
      await api("POST", "/api/me/password", { current: current.value, new: next.value });
      m.close();
      toast("Password changed. Sign in with the new one.", "ok");
      onSignedOut();
    } catch (ex) {
      err.textContent = ex.message;
      err.hidden = false;
      go.disabled = false;
    }
  });
}
