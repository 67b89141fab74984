// account.js: the signed-in person's own account: their name and login,
// and changing their password (which signs them out everywhere). A user
// whose password someone else chose (an invitation, the first admin) sees
// the same form as a page of its own, before anything else.

import { api } from "./api.js";
import { session } from "./state.js";
import { h, modal, toast } from "./ui.js";

/**
 * passwordForm builds the change-password form. onChanged(newPassword)
 * runs once the server accepted it; every session of the user, this one
 * included, has then ended.
 */
function passwordForm({ intro, currentLabel, button, note, onChanged }) {
  const current = h("input", { id: "pw-current", type: "password", required: true, autocomplete: "current-password" });
  const next = h("input", { id: "pw-new", type: "password", required: true, minlength: "8", autocomplete: "new-password" });
  const again = h("input", { id: "pw-again", type: "password", required: true, autocomplete: "new-password" });
  const err = h("p", { class: "error", role: "alert", hidden: true });
  const go = h("button", { type: "submit", class: "primary", text: button });
  const form = h("form", { class: "stack" }, intro,
    h("label", {}, currentLabel, current),
    h("label", {}, "New password (8 to 72 characters)", next),
    h("label", {}, "New password again", again), err,
    h("p", { class: "muted small", text: note }),
    h("div", { class: "row" }, go));
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
    // The change ends this session too, and with it the live connection:
    // that is expected here, not a session that ended under our feet.
    session.leaving = true;
    try {
      await api("POST", "/api/me/password", { current: current.value, new: next.value });
    } catch (ex) {
      session.leaving = false;
      err.textContent = ex.message;
      err.hidden = false;
      go.disabled = false;
      return;
    }
    onChanged(next.value);
  });
  return { form, current };
}

/** showAccount opens the account dialog; onSignedOut runs once the password changed. */
export function showAccount(onSignedOut) {
  const u = session.user;
  let m = null;
  const { form, current } = passwordForm({
    intro: [h("p", { text: `Signed in as ${u.name} (${u.login})${u.admin ? ", administrator" : ""}.` }), h("h3", { text: "Change password" })],
    currentLabel: "Current password",
    button: "Change password",
    note: "Changing it signs you out on every device; sign in again with the new one.",
    onChanged: () => {
      m.close();
      toast("Password changed. Sign in with the new one.", "ok");
      onSignedOut();
    },
  });
  m = modal("Your account", form);
  current.focus();
}

/**
 * mountPasswordChange shows the page a user with a one-time password gets
 * instead of anything else. Once they chose their own, it signs them in
 * with it and calls onDone(user); if that fails, onSignedOut().
 */
export function mountPasswordChange(root, { onDone, onSignedOut }) {
  const u = session.user;
  const { form, current } = passwordForm({
    intro: [h("h1", { text: "Choose your own password" }),
      h("p", { text: `Welcome, ${u.name}. The password you signed in with was chosen for you, so someone else has seen it. Please choose a new password before you go on; from then on only you know it.` })],
    currentLabel: "The password you were given",
    button: "Save my password",
    note: "Your other sign-ins with the old password end.",
    onChanged: async (password) => {
      try {
        const r = await api("POST", "/api/login", { login: u.login, password });
        toast("Thank you: your new password is saved.", "ok");
        onDone(r.user);
      } catch {
        onSignedOut();
      }
    },
  });
  form.classList.add("card", "login");
  form.id = "password-change";
  root.append(h("section", { class: "page login-page" }, form));
  current.focus();
  return null;
}
