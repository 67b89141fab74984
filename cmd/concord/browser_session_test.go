package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserOneTimePasswordAndEndedSession: a coder invited with a
// one-time password signs in and is asked to choose their own before
// anything else, then goes on to their projects. When their session ends
// elsewhere (a password change in another browser), the open project's
// live connection closes with 4001 and the page shows the sign-in form
// instead of reconnecting.
func TestBrowserOneTimePasswordAndEndedSession(t *testing.T) {
	exe := chromiumPath(t)
	t.Parallel()
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	var inv struct{ Password string }
	lead.mustDo(http.StatusCreated, "POST", "/api/projects/peer-support/invitations", map[string]string{"login": "noor", "name": "Noor Haddad", "role": "coder"}, &inv)
	b := newBrowser(t, exe, "noor", shotsDir(t, "session"))

	b.run("sign in with the one-time password", chromedp.Navigate(ts.URL+"/p/peer-support"), chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#login"), "noor"), chromedp.SendKeys(chromedp.CSS("#password"), inv.Password+"\r"))
	b.waitFor("the choose-a-password page", `document.activeElement && document.activeElement.id === "pw-current" && document.querySelector("#password-change")`,
		`location.pathname + " " + document.body.innerText.slice(0, 300)`, 10*time.Second)
	b.shot("choose-password")
	b.run("choose a password", keys(inv.Password), chromedp.SendKeys(chromedp.CSS("#pw-new"), "noor's own secret"),
		chromedp.SendKeys(chromedp.CSS("#pw-again"), "noor's own secret\r"))
	// Signed in again with the new password, where she was headed.
	b.waitFor("the project, live", `location.pathname === "/p/peer-support" && document.querySelector("#conn.connected")`,
		`location.pathname + " " + document.body.innerText.slice(0, 300)`, 15*time.Second)

	// Another browser changes her password: this one's session ends.
	other := ts.login(t, "noor", "noor's own secret")
	other.mustDo(http.StatusOK, "POST", "/api/me/password", map[string]string{"current": "noor's own secret", "new": "noor's newer secret"}, nil)
	b.waitFor("the sign-in page", `location.pathname === "/login" && document.querySelector("#login")`, `location.pathname`, 10*time.Second)
	b.shot("signed-out")
	b.checkClean()
}
