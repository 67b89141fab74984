package server

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/concordqda/concord/coding"
)

// Options configure a Server.
type Options struct {
	// BcryptCost is the work factor of the password hashes the server
	// makes and of the one it checks unknown logins against; 0 means
	// BcryptCost. Tests lower it.
	BcryptCost int
	// PublicURL is the address users reach the server at; its scheme
	// decides whether cookies are Secure and its host is the only
	// accepted Origin besides the request's own host.
	PublicURL *url.URL
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (for sign-in throttling per address); none by default.
	TrustedProxies []netip.Prefix
	// OpenProjects lets every signed-in user start a project (and, as its
	// lead, invite new accounts); otherwise only administrators can.
	OpenProjects bool
	// TLS reports that the server itself serves HTTPS.
	TLS bool
	// SessionTTL is how long a sign-in lasts at most, used or not (14
	// days if 0).
	SessionTTL time.Duration
	// SessionIdle ends a session that made no request and held no live
	// connection for this long (12 hours if 0; negative: never).
	SessionIdle time.Duration
	// MaxBody bounds a JSON request body; MaxDocument an upload.
	MaxBody     int64
	MaxDocument int64
	// ReadPDF extracts a PDF's text for an import; nil refuses PDF files.
	// Errors name the file.
	ReadPDF func(name string, data []byte) (*coding.Document, error)
	// MaxBatch bounds how many codings one request may add.
	MaxBatch int
	// WebUI holds the static files of the browser UI.
	WebUI fs.FS
	// Logger receives operator messages.
	Logger *slog.Logger
	// Live tunes the live-sync hub (queues, timeouts, caps).
	Live HubOptions
}

// Server serves the API, the websocket and the web UI.
type Server struct {
	store  Store
	hub    *Hub
	opts   Options
	log    *slog.Logger
	mux    *http.ServeMux
	static *staticFiles
	limits *loginLimiter
	// heavyLimits bounds each user's expensive requests in flight.
	heavyLimits *heavyLimiter
	// dummyHash is checked when there is no password to check.
	dummyHash func() []byte
	// hashing holds a slot per bcrypt computation in flight: a burst of
	// sign-ins waits here instead of taking every core.
	hashing chan struct{}

	routeList []Route
}

// New returns a server over st. Call Publish (or wire it as the store's
// commit callback) so that committed events reach live clients.
func New(st Store, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.SessionTTL == 0 {
		opts.SessionTTL = 14 * 24 * time.Hour
	}
	if opts.SessionIdle == 0 {
		opts.SessionIdle = 12 * time.Hour
	}
	if opts.MaxBody == 0 {
		opts.MaxBody = 1 << 20
	}
	if opts.MaxDocument == 0 {
		opts.MaxDocument = 16 << 20
	}
	if opts.MaxBatch == 0 {
		opts.MaxBatch = 1000
	}
	if opts.BcryptCost == 0 {
		opts.BcryptCost = BcryptCost
	}
	s := &Server{
		store:  st,
		opts:   opts,
		log:    opts.Logger.With("component", "http"),
		mux:    http.NewServeMux(),
		limits: newLoginLimiter(),

		dummyHash: newDummyHash(opts.BcryptCost),

		heavyLimits: newHeavyLimiter(),
		// Half the cores, but at least two: a class signing in at once
		// is served as fast as the cores allow (one slot halved that on
		// two cores), while a burst of hundreds runs two or so at a time,
		// so the scheduler still gives every other request its turn.
		hashing: make(chan struct{}, max(2, runtime.GOMAXPROCS(0)/2)),
	}
	s.hub = newHub(opts.Live, opts.Logger.With("component", "hub"), hubDeps{
		store:       st,
		write:       s.liveWrite,
		keepSession: func(id string) error { return st.KeepSession(id, s.opts.SessionIdle) },
	})
	if opts.WebUI != nil {
		s.static = newStaticFiles(opts.WebUI)
	}
	s.routes()
	return s
}

// Hub returns the server's live-sync hub.
func (s *Server) Hub() *Hub { return s.hub }

// Publish delivers committed events to the live clients allowed to see
// them; the store calls it from its commit loop (store.Options.OnCommit).
// It never blocks.
func (s *Server) Publish(events []coding.Event) { s.hub.Publish(events) }

// Handler returns the server's root handler with its security headers.
func (s *Server) Handler() http.Handler {
	mux := compress(s.mux)
	scripts := "'self'"
	if s.static != nil && s.static.scriptHash != "" {
		scripts += " " + s.static.scriptHash // the UI's import map (static.go)
	}
	csp := "default-src 'self'; script-src " + scripts + "; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", csp)
		if s.opts.TLS || (s.opts.PublicURL != nil && s.opts.PublicURL.Scheme == "https") {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		mux.ServeHTTP(w, r)
	})
}

// Shutdown tells every live client the server is going away and waits for
// their connections to close (http.Server.Shutdown does not wait for
// hijacked connections).
func (s *Server) Shutdown(ctx context.Context) { s.hub.Shutdown(ctx) }

// Route is one API route and who may use it: "public", "user" (any
// signed-in user), "admin", or, for project routes, the least role:
// "read" (any member), "code" (lead or coder) or "lead".
type Route struct {
	Pattern string
	Access  string
}

// Routes lists every API route, so that a test can check each against an
// authorization table: a route added without a row there fails it.
func (s *Server) Routes() []Route { return append([]Route(nil), s.routeList...) }

// routes lists every route in one place. Handlers under /api/ take the
// signed-in user from the session; project routes also resolve the
// caller's role and check it before anything else. Register routes only
// through handle, user and p, so that Routes stays complete.
func (s *Server) routes() {
	handle := func(pattern, access string, h http.Handler) {
		s.routeList = append(s.routeList, Route{pattern, access})
		s.mux.Handle(pattern, h)
	}
	user := func(pattern string, h func(http.ResponseWriter, *http.Request, *coding.User)) {
		handle(pattern, "user", s.authed(h))
	}
	p := func(pattern string, min access, h projectHandler) {
		handle(pattern, [...]string{read: "read", code: "code", lead: "lead"}[min], s.project(min, h))
	}
	// Expensive routes: at most maxHeavyPerUser in flight per user.
	heavy := func(pattern string, min access, h projectHandler) { p(pattern, min, s.heavy(h)) }
	handle("GET /api/health", "public", http.HandlerFunc(s.handleHealth))
	handle("GET /healthz", "public", http.HandlerFunc(s.handleHealth))
	handle("POST /api/login", "public", http.HandlerFunc(s.handleLogin))
	// Sign-out needs a session but not the user: it answers 401 itself,
	// clearing the cookie, and works with a one-time password too.
	handle("POST /api/logout", "user", http.HandlerFunc(s.handleLogout))

	// The routes a user with a one-time password may use.
	oneTime := func(pattern string, h func(http.ResponseWriter, *http.Request, *coding.User)) {
		handle(pattern, "user", s.authedOneTime(h))
	}
	oneTime("GET /api/me", s.handleMe)
	oneTime("POST /api/me/password", s.handleChangePassword)
	user("GET /api/projects", s.handleProjects)
	// Starting a project is for administrators unless OpenProjects; the
	// handler checks, and the declared access says which applies.
	createAccess := "admin"
	if s.opts.OpenProjects {
		createAccess = "user"
	}
	handle("POST /api/projects", createAccess, s.authed(s.handleCreateProject))
	handle("GET /api/backup", "admin", s.authed(s.handleBackup))

	p("GET /api/projects/{pid}", read, s.handleProject)
	p("PATCH /api/projects/{pid}", lead, s.handleUpdateProject)
	p("GET /api/projects/{pid}/members", read, s.handleMembers)
	p("PUT /api/projects/{pid}/members/{login}", lead, s.handleSetMember)
	p("DELETE /api/projects/{pid}/members/{login}", lead, s.handleRemoveMember)
	p("POST /api/projects/{pid}/invitations", lead, s.handleInvite)
	p("GET /api/projects/{pid}/documents", read, s.handleDocuments)
	p("POST /api/projects/{pid}/documents", lead, s.handleAddDocument)
	p("GET /api/projects/{pid}/documents/{did}", read, s.handleDocument)
	p("PATCH /api/projects/{pid}/documents/{did}", lead, s.handleUpdateDocument)
	p("PATCH /api/projects/{pid}/documents", lead, s.handleUpdateDocuments)
	p("PUT /api/projects/{pid}/documents/order", lead, s.handleSetDocumentOrder)
	p("DELETE /api/projects/{pid}/documents/{did}", lead, s.handleDeleteDocument)
	p("POST /api/projects/{pid}/documents/{did}/restore", lead, s.handleRestoreDocument)
	p("GET /api/projects/{pid}/trash", lead, s.handleTrash)
	p("GET /api/projects/{pid}/documents/{did}/codings", read, s.handleDocumentCodings)
	p("GET /api/projects/{pid}/codes", read, s.handleCodes)
	p("POST /api/projects/{pid}/codes", lead, s.handleCreateCode)
	p("PATCH /api/projects/{pid}/codes/{cid}", lead, s.handleUpdateCode)
	p("DELETE /api/projects/{pid}/codes/{cid}", lead, s.handleDeleteCode)
	p("POST /api/projects/{pid}/codes/{cid}/merge", lead, s.handleMergeCode)
	p("GET /api/projects/{pid}/codes/{cid}/usage", lead, s.handleCodeUsage)
	p("GET /api/projects/{pid}/codings", read, s.handleCodings)
	p("POST /api/projects/{pid}/codings", code, s.handleAddCodings)
	p("PATCH /api/projects/{pid}/codings/{id}", code, s.handleUpdateCoding)
	p("DELETE /api/projects/{pid}/codings/{id}", code, s.handleDeleteCoding)
	p("POST /api/projects/{pid}/codings/delete", code, s.handleDeleteCodings)
	heavy("GET /api/projects/{pid}/search", read, s.handleSearch)
	p("GET /api/projects/{pid}/segments", read, s.handleSegments)
	heavy("GET /api/projects/{pid}/analysis/frequencies", read, s.handleFrequencies)
	heavy("GET /api/projects/{pid}/analysis/cooccurrence", read, s.handleCooccurrence)
	heavy("POST /api/projects/{pid}/autocode", code, s.handleAutocode)
	p("GET /api/projects/{pid}/memos", read, s.handleMemos)
	p("POST /api/projects/{pid}/memos", code, s.handleSaveMemo)
	p("PUT /api/projects/{pid}/memos/{id}", code, s.handleSaveMemo)
	p("DELETE /api/projects/{pid}/memos/{id}", code, s.handleDeleteMemo)
	heavy("GET /api/projects/{pid}/agreement", lead, s.handleAgreement)
	heavy("GET /api/projects/{pid}/agreement/disagreements", lead, s.handleDisagreements)
	p("GET /api/projects/{pid}/decisions", lead, s.handleDecisions)
	p("PUT /api/projects/{pid}/decisions", lead, s.handleSetDecision)
	p("DELETE /api/projects/{pid}/decisions", lead, s.handleClearDecision)
	p("GET /api/projects/{pid}/assignments", read, s.handleAssignments)
	p("PUT /api/projects/{pid}/assignments", lead, s.handleAssign)
	p("POST /api/projects/{pid}/assignments/clear", lead, s.handleClearAssignments)
	p("PUT /api/projects/{pid}/documents/{did}/done", code, s.handleDone)
	p("DELETE /api/projects/{pid}/documents/{did}/done", code, s.handleDone)
	heavy("GET /api/projects/{pid}/export", code, s.handleExport)
	p("GET /api/projects/{pid}/events", read, s.handleEvents)
	p("GET /api/projects/{pid}/live", read, s.handleLive)
	p("POST /api/projects/{pid}/import", lead, s.handleImport)

	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, errorBody{Error: "there is no API route " + r.Method + " " + r.URL.Path, Code: "not_found"})
	})
	s.mux.HandleFunc("/", s.handleStatic)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// sameOrigin reports whether a browser request comes from our own pages:
// its Origin (when sent) must be our host or the public URL's.
func (s *Server) sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		// Browsers send Origin on every cross-site state-changing
		// request and on websocket upgrades; its absence means a
		// same-origin navigation or a non-browser client.
		return r.Header.Get("Sec-Fetch-Site") == "" || r.Header.Get("Sec-Fetch-Site") == "same-origin" || r.Header.Get("Sec-Fetch-Site") == "none"
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	return s.opts.PublicURL != nil && strings.EqualFold(u.Host, s.opts.PublicURL.Host)
}
