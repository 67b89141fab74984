package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concordqda/concord/cmd/internal/cli"
	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/server"
	"github.com/concordqda/concord/store"
	"github.com/concordqda/concord/webui"
)

// serveConfig is everything serve needs, validated in one place.
type serveConfig struct {
	DB     string
	Addr   string
	NoDemo bool
	// OpenProjects lets every signed-in user start projects.
	OpenProjects bool
	PublicURL    *url.URL
	// TrustedProxies may name the client in X-Forwarded-For.
	TrustedProxies []netip.Prefix
	TLSCert        string
	TLSKey         string
	LogLevel       slog.Level
	LiveQueue      int
	LiveTimeout    time.Duration
	// LivePerSession and LivePerUser cap the live connections one sign-in
	// and one person may hold open.
	LivePerSession int
	LivePerUser    int
	Backups        backupRotation
	KeepEvents     int
	Limits         limits
	// SessionLifetime bounds a sign-in, used or not; SessionIdle ends one
	// unused for that long (0: never).
	SessionLifetime time.Duration
	SessionIdle     time.Duration
}

// limits bound what one request or connection may ask of the server.
type limits struct {
	body, document, message int64
	batch                   int
	rate                    float64
}

func (m *Main) parseServe(args []string) (*serveConfig, error) {
	fs := m.flags("serve", "serve [flags]")
	db := m.dbFlag(fs)
	addr := fs.String("addr", m.env("CONCORD_ADDR", "127.0.0.1:8080"), "address to listen on (env CONCORD_ADDR)")
	noDemo := fs.Bool("no-demo", m.env("CONCORD_NO_DEMO", "") != "", "do not load the demo project into a new database; create an admin instead (env CONCORD_NO_DEMO)")
	public := fs.String("public-url", m.env("CONCORD_PUBLIC_URL", ""), "URL users reach this server at, e.g. https://coding.example.org (env CONCORD_PUBLIC_URL)")
	open := fs.Bool("open-projects", m.env("CONCORD_OPEN_PROJECTS", "") != "", "let every signed-in user start projects (and invite people to them); by default only administrators can (env CONCORD_OPEN_PROJECTS)")
	proxies := fs.String("trusted-proxy", m.env("CONCORD_TRUSTED_PROXY", ""), "reverse proxies whose X-Forwarded-For names the client, as addresses or CIDR ranges separated by commas, e.g. 127.0.0.1 (env CONCORD_TRUSTED_PROXY)")
	cert := fs.String("tls-cert", m.env("CONCORD_TLS_CERT", ""), "TLS certificate file, to serve HTTPS (env CONCORD_TLS_CERT)")
	key := fs.String("tls-key", m.env("CONCORD_TLS_KEY", ""), "TLS key file (env CONCORD_TLS_KEY)")
	level := fs.String("log-level", m.env("CONCORD_LOG_LEVEL", "info"), "debug, info, warn or error (env CONCORD_LOG_LEVEL)")
	queue := fs.Int("live-queue", 4096, "messages buffered for each live connection; a client that falls further behind is disconnected and resumes")
	perSession := fs.String("live-per-session", m.env("CONCORD_LIVE_PER_SESSION", "8"), "most live connections (open project windows) one sign-in may hold; more are refused with 429 (env CONCORD_LIVE_PER_SESSION)")
	perUser := fs.String("live-per-user", m.env("CONCORD_LIVE_PER_USER", "32"), "most live connections one person may hold over all their sign-ins (env CONCORD_LIVE_PER_USER)")
	liveTimeout := fs.Duration("live-timeout", time.Minute, "a live connection that answers no ping for this long is closed")
	every := fs.Duration("backup-every", 0, "write a backup this often while serving, e.g. 1h (needs --backup-dir)")
	backupDir := fs.String("backup-dir", m.env("CONCORD_BACKUP_DIR", ""), "where scheduled backups go (env CONCORD_BACKUP_DIR)")
	keep := fs.Int("keep", 24, "how many scheduled backups to keep")
	lifetime := fs.String("session-lifetime", m.env("CONCORD_SESSION_LIFETIME", "14d"), "how long a sign-in lasts at most, e.g. 14d or 8h (env CONCORD_SESSION_LIFETIME)")
	idle := fs.String("session-idle", m.env("CONCORD_SESSION_IDLE", "12h"), "sign out whoever made no request and had no project open for this long, e.g. 12h; 0 never does (env CONCORD_SESSION_IDLE)")
	keepEvents := fs.Int("keep-events", 1_000_000, "events of history to keep per project (older ones are compacted hourly; 0 keeps all)")
	var lim limits
	fs.Int64Var(&lim.body, "max-body", 1<<20, "largest JSON request body in bytes")
	fs.Int64Var(&lim.document, "max-document", 16<<20, "largest document upload in bytes")
	fs.Int64Var(&lim.message, "max-message", 16<<10, "largest websocket message a client may send, in bytes")
	fs.IntVar(&lim.batch, "max-batch", 1000, "most codings one request may add")
	fs.Float64Var(&lim.rate, "message-rate", 50, "websocket messages per second one connection may send (bursts of twice that)")
	rest, err := cli.Parse(fs, args)
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, cli.Usagef("serve takes no arguments (got %q)", rest[0])
	}
	c := &serveConfig{DB: *db, Addr: *addr, NoDemo: *noDemo, OpenProjects: *open, TLSCert: *cert, TLSKey: *key, LiveQueue: *queue}
	c.LiveTimeout = *liveTimeout
	c.Backups = backupRotation{every: *every, dir: *backupDir, keep: *keep}
	c.KeepEvents = *keepEvents
	c.Limits = lim
	if lim.body < 1024 || lim.document < 1024 || lim.message < 512 || lim.batch < 1 || lim.rate <= 0 {
		return nil, cli.Usagef("limits are too small: --max-body and --max-document at least 1024 bytes, --max-message at least 512, --max-batch and --message-rate above 0")
	}
	if c.SessionLifetime, err = parseDays(*lifetime); err != nil || c.SessionLifetime < time.Second {
		return nil, cli.Usagef("--session-lifetime %q must be a duration of at least 1s, e.g. 14d, 8h or 90m", *lifetime)
	}
	if c.SessionIdle, err = parseDays(*idle); err != nil || (c.SessionIdle != 0 && c.SessionIdle < time.Second) {
		return nil, cli.Usagef("--session-idle %q must be 0 (never) or a duration of at least 1s, e.g. 12h or 30m", *idle)
	}
	if c.KeepEvents < 0 {
		return nil, cli.Usagef("--keep-events must not be negative")
	}
	if err := c.Backups.validate(); err != nil {
		return nil, err
	}
	if c.LiveTimeout < time.Second || c.LiveTimeout > time.Hour {
		return nil, cli.Usagef("--live-timeout must be between 1s and 1h")
	}
	if c.LivePerSession, err = strconv.Atoi(*perSession); err != nil || c.LivePerSession < 1 || c.LivePerSession > 100000 {
		return nil, cli.Usagef("--live-per-session %q must be a whole number between 1 and 100000", *perSession)
	}
	if c.LivePerUser, err = strconv.Atoi(*perUser); err != nil || c.LivePerUser < 1 || c.LivePerUser > 100000 {
		return nil, cli.Usagef("--live-per-user %q must be a whole number between 1 and 100000", *perUser)
	}
	if c.LiveQueue < 16 || c.LiveQueue > 1<<20 {
		return nil, cli.Usagef("--live-queue must be between 16 and 1048576")
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return nil, cli.Usagef("--tls-cert and --tls-key go together")
	}
	if *public != "" {
		u, err := url.Parse(*public)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, cli.Usagef("--public-url %q must be an http:// or https:// URL", *public)
		}
		c.PublicURL = u
	}
	for _, p := range splitList(*proxies) {
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			a, aerr := netip.ParseAddr(p)
			if aerr != nil {
				return nil, cli.Usagef("--trusted-proxy %q must be an address or a CIDR range, e.g. 127.0.0.1 or 10.0.0.0/8", p)
			}
			prefix = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, prefix.Masked())
	}
	if err := c.LogLevel.UnmarshalText([]byte(*level)); err != nil {
		return nil, cli.Usagef("--log-level %q must be debug, info, warn or error", *level)
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return nil, cli.Usagef("--addr %q must be HOST:PORT, e.g. 127.0.0.1:8080", c.Addr)
	}
	return c, nil
}

func (m *Main) serve(ctx context.Context, args []string) error {
	cfg, err := m.parseServe(args)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	// Listen before the database is opened: a port already taken (or a
	// bad certificate) must not leave a new, empty database file behind.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w (is another server using that port? choose another with --addr)", cfg.Addr, err)
	}
	scheme := "http"
	if cfg.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
		if err != nil {
			ln.Close()
			return fmt.Errorf("TLS certificate %s / key %s: %w", cfg.TLSCert, cfg.TLSKey, err)
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
		scheme = "https"
	}
	defer ln.Close() // Serve closes it too; this covers the errors before
	// The store publishes every commit to the server's live clients.
	// Commits before the server exists (preparing the demo) reach nobody,
	// as nobody is connected yet.
	var live atomic.Pointer[server.Server]
	db, err := openServingDB(cfg.DB, log, func(events []coding.Event) {
		if s := live.Load(); s != nil {
			s.Publish(events)
		}
	})
	if err != nil {
		return err
	}
	defer db.Close()

	welcome, err := m.prepareDatabase(db, cfg.NoDemo)
	if err != nil {
		return err
	}
	srv := server.New(db, server.Options{
		BcryptCost:     m.BcryptCost,
		PublicURL:      cfg.PublicURL,
		TrustedProxies: cfg.TrustedProxies,
		OpenProjects:   cfg.OpenProjects,
		TLS:            cfg.TLSCert != "",
		WebUI:          webui.FS(),
		MaxBody:        cfg.Limits.body,
		MaxDocument:    cfg.Limits.document,
		ReadPDF:        m.pdf().Bytes,
		MaxBatch:       cfg.Limits.batch,
		Logger:         log,
		Live: server.HubOptions{
			SendQueue: cfg.LiveQueue, PongTimeout: cfg.LiveTimeout,
			PerSession: cfg.LivePerSession, PerUser: cfg.LivePerUser,
			MaxMessage: cfg.Limits.message, MessageRate: cfg.Limits.rate, MessageBurst: int(2 * cfg.Limits.rate),
		},
		SessionTTL:  cfg.SessionLifetime,
		SessionIdle: sessionIdle(cfg.SessionIdle),
	})
	live.Store(srv)
	httpSrv := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // large uploads; bodies are size-limited
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	addr := ln.Addr().String()
	where := scheme + "://" + browsable(addr)
	if cfg.PublicURL != nil {
		where = strings.TrimRight(cfg.PublicURL.String(), "/")
	}
	fmt.Fprintf(m.Stdout, "Concord is running at %s (database %s)\n%s", where, cfg.DB, welcome)
	fmt.Fprintln(m.Stdout, "Press Ctrl+C to stop.")

	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	// Compaction and scheduled backups use the database: serve waits for
	// them to stop before it returns and the database is closed, so that
	// no backup is cut off half written.
	bctx, stop := context.WithCancel(ctx)
	var background sync.WaitGroup
	defer func() {
		stop()
		background.Wait()
	}()
	if cfg.KeepEvents > 0 {
		background.Go(func() { compactLoop(bctx, db, cfg.KeepEvents, time.Hour, log.With("component", "compaction")) })
	}
	if cfg.Backups.every > 0 {
		background.Go(func() { cfg.Backups.run(bctx, db, log.With("component", "backup")) })
		fmt.Fprintf(m.Stdout, "Writing a backup to %s every %s (keeping %d).\n", cfg.Backups.dir, cfg.Backups.every, cfg.Backups.keep)
	}
	if m.Ready != nil {
		m.Ready(addr, db)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests and closing live connections")
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Stop taking requests and let in-flight writes finish, then tell the
	// websockets (which Shutdown does not track) to go away.
	err = httpSrv.Shutdown(shutCtx)
	srv.Shutdown(shutCtx)
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("shutdown", "err", err)
	}
	return nil
}

// parseDays reads a duration as time.ParseDuration does, and also whole
// days ("14d"), the unit people think of sign-ins in.
func parseDays(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 0 || days > 10_000 {
			return 0, fmt.Errorf("%q is not a number of days", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

// sessionIdle turns the flag's 0 ("never") into the server's negative.
func sessionIdle(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}

// browsable turns a listen address into one a browser can open.
func browsable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// serveForBench runs the real serve path for the load tool (bench live)
// on a new database, without the demo, quietly, on a port of its own.
func (m *Main) serveForBench(ctx context.Context, db string, flags []string, ready func(addr string, st *store.DB)) error {
	srv := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: m.Stderr, Getenv: func(string) string { return "" }, Ready: ready}
	return srv.Run(ctx, append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--no-demo", "--log-level", "warn"}, flags...))
}
