package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concordqda/concord/cmd/internal/cli"
	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/store"
	"github.com/google/uuid"
	"github.com/gorilla/websocket"
)

// liveBenchResult is what bench live prints.
type liveBenchResult struct {
	Coders           int     `json:"coders"`
	Via              string  `json:"via"`
	DurationSec      float64 `json:"duration_sec"`
	RateTarget       float64 `json:"rate_target"`
	CodingsAcked     int64   `json:"codings_acked"`
	CodingsPerSec    float64 `json:"codings_per_sec"`
	Conflicts        int64   `json:"conflicts"`
	Errors           int64   `json:"errors"`
	FanoutP50ms      float64 `json:"fanout_p50_ms"`
	FanoutP99ms      float64 `json:"fanout_p99_ms"`
	FanoutMaxms      float64 `json:"fanout_max_ms"`
	Deliveries       int64   `json:"deliveries"`
	EventsMissing    int64   `json:"events_missing"`
	EventsDuplicated int64   `json:"events_duplicated"`
	Disconnects      int64   `json:"disconnects"`
	// Memory of this process (server and simulated coders together)
	// after a warm-up and at the end, and the database's growth; the
	// database figures only when the server runs in this process.
	RSSStartMB     float64 `json:"rss_start_mb"`
	RSSEndMB       float64 `json:"rss_end_mb"`
	RSSMaxMB       float64 `json:"rss_max_mb"`
	HeapStartMB    float64 `json:"heap_start_mb"`
	HeapEndMB      float64 `json:"heap_end_mb"`
	DBBytesStart   int64   `json:"db_bytes_start,omitempty"`
	DBBytesEnd     int64   `json:"db_bytes_end,omitempty"`
	DBBytesPer1000 float64 `json:"db_bytes_per_1000_codings,omitempty"`
}

// liveTarget is the server and project a live benchmark drives.
type liveTarget struct {
	base    string
	project string
	doc     string
	docLen  int
	codes   []string
	// clients are signed-in HTTP clients, one per simulated coder.
	clients []*http.Client
	// dbSize reads the database file's size; nil for a remote server.
	dbSize func() (int64, error)
}

func (r *runner) benchLive(ctx context.Context, args []string) error {
	fs := cli.Flags(r.Stderr, "bench live", "bench live [--coders N] [--duration D] [--rate R] [--json] [--via ws|http] [--url URL --project SLUG --user LOGIN --password PW] [--acked FILE]")
	coders := fs.Int("coders", 10, "simulated coders, each with its own websocket")
	dur := fs.Duration("duration", 10*time.Second, "how long to write")
	rate := fs.Float64("rate", 0, "codings per second in total (0: as fast as they are acknowledged)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	via := fs.String("via", "ws", "how coders send codings: ws (over their live connection, as the web UI does) or http (POST …/codings)")
	target := fs.String("url", "", "drive a running server instead of starting one on a temporary database")
	project := fs.String("project", "", "project slug, with --url")
	user := fs.String("user", "", "login of the coder to simulate, with --url")
	password := fs.String("password", r.Getenv("CONCORD_PASSWORD"), "password, with --url (env CONCORD_PASSWORD)")
	ackedPath := fs.String("acked", "", "append the id of every acknowledged coding to this file, one per line, before counting it")
	idle := fs.Int("idle", 0, "instead of writing, open this many idle live connections (spread over the coders) and report the memory they cost; a local server's caps are raised to allow them")
	profile := fs.String("cpuprofile", "", "write a CPU profile of this process (server and simulated coders) to this file")
	if _, err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *profile != "" {
		stop, err := startCPUProfile(*profile)
		if err != nil {
			return err
		}
		defer stop()
	}
	if *idle < 0 || *idle > 100000 {
		return cli.Usagef("--idle must be between 0 and 100000")
	}
	if *coders < 1 || *coders > 5000 {
		return cli.Usagef("--coders must be between 1 and 5000")
	}
	if *dur <= 0 || *dur > time.Hour {
		return cli.Usagef("--duration must be positive and at most an hour")
	}
	if *via != "ws" && *via != "http" {
		return cli.Usagef("--via must be ws or http")
	}
	if *rate < 0 {
		return cli.Usagef("--rate must not be negative")
	}
	var acked *os.File
	if *ackedPath != "" {
		f, err := os.OpenFile(*ackedPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return fmt.Errorf("%s: %w", *ackedPath, cli.UnwrapPath(err))
		}
		defer f.Close()
		acked = f
	}
	var lt *liveTarget
	if *target != "" {
		if *project == "" || *user == "" || *password == "" {
			return cli.Usagef("--url needs --project, --user and --password (or CONCORD_PASSWORD)")
		}
		var err error
		if lt, err = remoteTarget(ctx, *target, *project, *user, *password, *coders); err != nil {
			return err
		}
	} else {
		var extra []string
		if *idle > 0 {
			extra = []string{"--live-per-session", "100000", "--live-per-user", "100000"}
		}
		stop, t, err := r.localTarget(ctx, *coders, extra...)
		if err != nil {
			return err
		}
		defer stop()
		lt = t
	}
	if *idle > 0 {
		return runIdleBench(ctx, r.Stdout, lt, *idle, *asJSON)
	}
	res, err := runLiveBench(ctx, lt, *dur, *rate, *via, acked)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(r.Stdout).Encode(res)
	}
	fmt.Fprintf(r.Stdout, "%d coders (via %s), %.1fs: %d codings acknowledged (%.0f/s); fan-out p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d deliveries; %d missing, %d duplicated, %d errors\n",
		res.Coders, res.Via, res.DurationSec, res.CodingsAcked, res.CodingsPerSec, res.FanoutP50ms, res.FanoutP99ms, res.FanoutMaxms, res.Deliveries, res.EventsMissing, res.EventsDuplicated, res.Errors)
	fmt.Fprintf(r.Stdout, "memory (this process): RSS %.0f MB after warm-up, %.0f MB at the end, %.0f MB at most; live Go heap %.0f → %.0f MB\n",
		res.RSSStartMB, res.RSSEndMB, res.RSSMaxMB, res.HeapStartMB, res.HeapEndMB)
	if res.DBBytesEnd > 0 {
		fmt.Fprintf(r.Stdout, "database: %d → %d bytes, %.0f bytes per 1,000 codings\n", res.DBBytesStart, res.DBBytesEnd, res.DBBytesPer1000)
	}
	return nil
}

// localTarget serves a fresh temporary database through the real serve
// path and creates the project and coders directly in its store.
func (r *runner) localTarget(ctx context.Context, coders int, serveArgs ...string) (func(), *liveTarget, error) {
	if r.Serve == nil {
		return nil, nil, cli.Usagef("this program cannot start a server; drive a running one with --url")
	}
	dir, err := os.MkdirTemp("", "concord-bench-live-")
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	ready := make(chan *liveTarget, 1)
	failed := make(chan error, 1)
	done := make(chan error, 1)
	go func() {
		done <- r.Serve(ctx, filepath.Join(dir, "bench.db"), serveArgs, func(addr string, st *store.DB) {
			lt, err := benchLiveFixture(st, "http://"+addr, coders)
			if err != nil {
				failed <- err
				return
			}
			lt.dbSize = st.Size
			ready <- lt
		})
	}()
	stop := func() {
		cancel()
		<-done
		os.RemoveAll(dir)
	}
	select {
	case lt := <-ready:
		return stop, lt, nil
	case err := <-failed:
		stop()
		return nil, nil, err
	case err := <-done:
		os.RemoveAll(dir)
		cancel()
		return nil, nil, fmt.Errorf("the benchmark server stopped: %v", err)
	}
}

func benchLiveFixture(st *store.DB, base string, coders int) (*liveTarget, error) {
	bp, err := benchFixture(st, coders)
	if err != nil {
		return nil, err
	}
	lt := &liveTarget{base: base, project: bp.project, doc: bp.doc, docLen: bp.length, codes: bp.codes}
	u, _ := url.Parse(base)
	for _, id := range bp.coders {
		token, _, err := st.CreateSession(id, 24*time.Hour)
		if err != nil {
			return nil, err
		}
		jar, _ := cookiejar.New(nil)
		jar.SetCookies(u, []*http.Cookie{{Name: "concord_session", Value: token, Path: "/"}})
		lt.clients = append(lt.clients, benchHTTPClient(jar))
	}
	return lt, nil
}

// benchHTTPClient gives up on a request after 15 s: a server that stopped
// answering must end the run with an error, not hang it.
func benchHTTPClient(jar http.CookieJar) *http.Client {
	return &http.Client{Jar: jar, Timeout: 15 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}}
}

// A live connection of the load tool is dead when nothing, not even the
// pong to its own ping, arrived for benchSilence: the server was killed,
// stopped or cut off, and the run ends with an error instead of waiting.
const (
	benchPingEvery = 2 * time.Second
	benchSilence   = 6 * time.Second
)

// remoteTarget signs in to a running server and finds the project's
// longest document and its codable codes.
func remoteTarget(ctx context.Context, base, project, user, password string, coders int) (*liveTarget, error) {
	base = strings.TrimRight(base, "/")
	lt := &liveTarget{base: base}
	jar, _ := cookiejar.New(nil)
	c := benchHTTPClient(jar)
	if err := benchCall(ctx, c, "POST", base+"/api/login", map[string]string{"login": user, "password": password}, nil); err != nil {
		return nil, fmt.Errorf("sign in to %s as %s: %w", base, user, err)
	}
	var p struct {
		Project coding.Project  `json:"project"`
		Seq     json.RawMessage `json:"seq"`
	}
	if err := benchCall(ctx, c, "GET", base+"/api/projects/"+project, nil, &p); err != nil {
		return nil, err
	}
	// A coder of a blind project is given cursors, not sequence numbers,
	// and sees only their own codings: there is no fan-out to count.
	if _, err := strconv.ParseUint(string(p.Seq), 10, 64); err != nil {
		return nil, fmt.Errorf("project %s is blind and %s codes in it, so the server shows %s only their own codings and no fan-out to measure; sign in as the project's lead, or use a project that is not blind", project, user, user)
	}
	lt.project = p.Project.ID
	var docs struct{ Documents []coding.Document }
	if err := benchCall(ctx, c, "GET", base+"/api/projects/"+lt.project+"/documents", nil, &docs); err != nil {
		return nil, err
	}
	for _, d := range docs.Documents {
		if d.Length > lt.docLen {
			lt.doc, lt.docLen = d.ID, d.Length
		}
	}
	var codes struct{ Codes []coding.Code }
	if err := benchCall(ctx, c, "GET", base+"/api/projects/"+lt.project+"/codes", nil, &codes); err != nil {
		return nil, err
	}
	for _, cd := range codes.Codes {
		if cd.Codable {
			lt.codes = append(lt.codes, cd.ID)
		}
	}
	if lt.docLen < 100 || len(lt.codes) == 0 {
		return nil, fmt.Errorf("project %s needs a document of at least 100 characters and a codable code", project)
	}
	// Every simulated coder shares the one session; each has its own
	// connections.
	for i := 0; i < coders; i++ {
		lt.clients = append(lt.clients, benchHTTPClient(jar))
	}
	return lt, nil
}

// benchCall sends a JSON request and decodes the answer.
func benchCall(ctx context.Context, c *http.Client, method, u string, body, out any) error {
	var rd io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		var e struct{ Error, Code string }
		json.Unmarshal(data, &e)
		return &benchHTTPError{status: resp.StatusCode, msg: e.Error}
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

type benchHTTPError struct {
	status int
	msg    string
}

func (e *benchHTTPError) Error() string { return fmt.Sprintf("status %d: %s", e.status, e.msg) }

// benchCoder is one simulated coder: a live connection that records every
// event it receives, and a writer that adds codings.
type benchCoder struct {
	id     int
	client *http.Client
	conn   *websocket.Conn
	first  uint64 // the head when it connected
	last   uint64
	got    int64
	dups   int64
	mu     sync.Mutex
	mine   map[string]bool // ids of its own codings not yet seen back
	lat    latencyHist
	closed atomic.Bool
	// replies carries the answers to codings sent over the connection.
	replies chan benchReply
}

// benchReply is the server's answer to a change sent over the live
// connection.
type benchReply struct {
	Req    string `json:"req"`
	Status int    `json:"status"`
	Error  string `json:"error"`
}

// send adds a coding over the coder's live connection and waits for the
// server's answer, which comes on the same stream as the events, until
// ctx ends (the run is over, or a connection died).
func (bc *benchCoder) send(ctx context.Context, id string, coding map[string]any) error {
	msg, _ := json.Marshal(map[string]any{"type": "coding.add", "req": id, "coding": coding})
	if err := bc.conn.WriteMessage(websocket.TextMessage, msg); err != nil {
		return err
	}
	timeout := time.NewTimer(30 * time.Second)
	defer timeout.Stop()
	for {
		select {
		case r := <-bc.replies:
			if r.Req != id {
				continue // the answer to an earlier send that timed out
			}
			if r.Status >= 300 {
				return &benchHTTPError{status: r.Status, msg: r.Error}
			}
			return nil
		case <-timeout.C:
			return fmt.Errorf("no answer to coding %s within 30s", id)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func runLiveBench(ctx context.Context, lt *liveTarget, dur time.Duration, rate float64, via string, acked *os.File) (*liveBenchResult, error) {
	n := len(lt.clients)
	coders := make([]*benchCoder, n)
	wsBase := strings.Replace(strings.Replace(lt.base, "https://", "wss://", 1), "http://", "ws://", 1)
	var disconnects atomic.Int64
	var readers sync.WaitGroup
	// run ends, with its cause, as soon as a live connection dies for any
	// reason but the end of the run (closing) or the server finding a
	// coder too slow (which is counted, and part of what is measured).
	run, abort := context.WithCancelCause(ctx)
	defer abort(nil)
	var closing atomic.Bool
	defer func() {
		// On every way out: no reader or pinger outlives the run.
		closing.Store(true)
		abort(nil) // a cause set before stays
		for _, bc := range coders {
			if bc != nil {
				bc.conn.Close()
			}
		}
		readers.Wait()
	}()
	for i := range coders {
		bc := &benchCoder{id: i, client: lt.clients[i], mine: map[string]bool{}, replies: make(chan benchReply, 1)}
		d := websocket.Dialer{Jar: bc.client.Jar, HandshakeTimeout: 15 * time.Second}
		conn, _, err := d.DialContext(ctx, wsBase+"/api/projects/"+lt.project+"/live?since="+strconv.FormatUint(1<<62, 10), nil)
		if err != nil {
			return nil, fmt.Errorf("coder %d: open the live connection: %w", i, err)
		}
		bc.conn = conn
		// Asking for a future sequence number skips the replay: the hello,
		// a reset and the ready marker (with the head) come first.
		if bc.first, err = awaitReady(conn); err != nil {
			return nil, fmt.Errorf("coder %d: %w", i, err)
		}
		bc.last = bc.first
		coders[i] = bc
		readers.Add(2)
		go func() {
			defer readers.Done()
			err := bc.read(&disconnects)
			if err != nil && !closing.Load() {
				abort(fmt.Errorf("coder %d: the live connection to %s ended: %w", bc.id, lt.base, err))
			}
		}()
		go func() {
			defer readers.Done()
			bc.ping(run)
		}()
	}

	// Each run starts the coders' spans at a place of its own, so that
	// runs against the same server (--url) add codings rather than
	// collide with the last run's.
	offset := rand.IntN(lt.docLen)
	var ackN, conflicts, errs atomic.Int64
	var ackMu sync.Mutex
	wctx, cancel := context.WithTimeout(run, dur)
	defer cancel()
	var writers sync.WaitGroup
	start := time.Now()
	mem := startMemSampler(lt.dbSize, dur/10, min(time.Second, max(dur/50, 100*time.Millisecond)))
	for _, bc := range coders {
		writers.Add(1)
		go func(bc *benchCoder) {
			defer writers.Done()
			var tick *time.Ticker
			if rate > 0 {
				// Coders start their tickers spread over one interval:
				// started together, they would all write in the same
				// instant, and the bench would measure bursts of n
				// codings rather than a steady rate.
				every := time.Duration(float64(time.Second) * float64(n) / rate)
				select {
				case <-time.After(every * time.Duration(bc.id) / time.Duration(n)):
				case <-wctx.Done():
					return
				}
				tick = time.NewTicker(every)
				defer tick.Stop()
			}
			for j := 0; wctx.Err() == nil; j++ {
				if tick != nil && j > 0 {
					select {
					case <-tick.C:
					case <-wctx.Done():
						return
					}
				}
				id := uuid.Must(uuid.NewV7()).String()
				s := (offset + bc.id*7919 + j*131) % (lt.docLen - 60)
				body := map[string]any{"id": id, "document": lt.doc, "code": lt.codes[(bc.id+j)%len(lt.codes)], "start": s, "end": s + 1 + j%50}
				bc.mu.Lock()
				bc.mine[id] = true
				bc.mu.Unlock()
				var err error
				if via == "ws" {
					err = bc.send(run, id, body)
				} else {
					err = benchCall(run, bc.client, "POST", lt.base+"/api/projects/"+lt.project+"/codings", body, nil)
				}
				var he *benchHTTPError
				switch {
				case err == nil:
					if acked != nil {
						ackMu.Lock()
						_, werr := acked.WriteString(id + "\n")
						ackMu.Unlock()
						if werr != nil {
							errs.Add(1)
							continue
						}
					}
					ackN.Add(1)
				case asHTTP(err, &he) && he.status == http.StatusConflict:
					conflicts.Add(1)
				default:
					errs.Add(1)
					if wctx.Err() == nil {
						time.Sleep(10 * time.Millisecond)
					}
				}
			}
		}(bc)
	}
	writers.Wait()
	elapsed := time.Since(start)
	if run.Err() != nil {
		mem.finish(&liveBenchResult{}) // stops the sampler
		return nil, context.Cause(run)
	}

	// Wait until every coder has caught up with the head, or give up.
	var head struct{ Seq uint64 }
	if err := benchCall(run, coders[0].client, "GET", lt.base+"/api/projects/"+lt.project, nil, &head); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && run.Err() == nil {
		behind := false
		for _, bc := range coders {
			if bc.closed.Load() {
				continue
			}
			bc.mu.Lock()
			if bc.last < head.Seq {
				behind = true
			}
			bc.mu.Unlock()
		}
		if !behind {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	res := &liveBenchResult{
		Coders: n, Via: via, DurationSec: elapsed.Seconds(), RateTarget: rate,
		CodingsAcked: ackN.Load(), CodingsPerSec: float64(ackN.Load()) / elapsed.Seconds(),
		Conflicts: conflicts.Load(), Errors: errs.Load(), Disconnects: disconnects.Load(),
	}
	mem.finish(res)
	if run.Err() != nil {
		return nil, context.Cause(run)
	}
	var all latencyHist
	closing.Store(true)
	abort(nil)
	for _, bc := range coders {
		bc.conn.Close()
	}
	readers.Wait()
	for _, bc := range coders {
		want := int64(head.Seq - bc.first)
		if missing := want - bc.got; missing > 0 {
			res.EventsMissing += missing
		}
		res.EventsDuplicated += bc.dups
		all.merge(&bc.lat)
	}
	res.Deliveries = int64(all.n)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1e3 }
	res.FanoutP50ms, res.FanoutP99ms, res.FanoutMaxms = ms(all.quantile(0.5)), ms(all.quantile(0.99)), ms(all.max)
	return res, nil
}

func awaitReady(conn *websocket.Conn) (uint64, error) {
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			return 0, err
		}
		for _, line := range bytes.Split(data, []byte("\n")) {
			var m struct {
				Type string
				Last uint64
			}
			if json.Unmarshal(line, &m) == nil && m.Type == "ready" {
				return m.Last, nil
			}
		}
	}
}

func asHTTP(err error, target **benchHTTPError) bool {
	he, ok := err.(*benchHTTPError)
	if ok {
		*target = he
	}
	return ok
}

// read records every event: its sequence number (for gaps and
// duplicates) and, for codings of other coders, the time from the commit
// to now. It scans the known event layout into one reused buffer instead
// of decoding JSON, so that the load generator stays light next to the
// server it measures (on two shared cores, every microsecond it spends is
// one the server does not get).
//
// It returns why the connection ended, nil when the server dropped the
// coder for being too slow (counted in disconnects). Nothing arriving for
// benchSilence, not even a pong, ends it too.
func (bc *benchCoder) read(disconnects *atomic.Int64) error {
	defer bc.closed.Store(true)
	alive := func() { bc.conn.SetReadDeadline(time.Now().Add(benchSilence)) }
	alive()
	bc.conn.SetPongHandler(func(string) error { alive(); return nil })
	var buf bytes.Buffer
	for {
		_, r, err := bc.conn.NextReader()
		if err == nil {
			buf.Reset()
			_, err = buf.ReadFrom(r)
		}
		if err != nil {
			if ce, ok := err.(*websocket.CloseError); ok {
				disconnects.Add(1)
				if ce.Code == 4008 {
					return nil
				}
			}
			return err
		}
		alive()
		now := time.Now()
		data := buf.Bytes()
		for len(data) > 0 {
			line := data
			if i := bytes.IndexByte(data, '\n'); i >= 0 {
				line, data = data[:i], data[i+1:]
			} else {
				data = nil
			}
			bc.record(line, now)
		}
	}
}

// ping asks the server for a pong every benchPingEvery until ctx ends or
// the connection fails, so that read notices a server that went silent.
// WriteControl may run beside the coder's writer.
func (bc *benchCoder) ping(ctx context.Context) {
	t := time.NewTicker(benchPingEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if bc.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(benchPingEvery)) != nil {
				return
			}
		}
	}
}

// record counts one event line received at now.
func (bc *benchCoder) record(line []byte, now time.Time) {
	seq, ok := scanUint(line, `{"seq":`)
	if !ok {
		if bytes.HasPrefix(line, []byte(`{"type":"reply"`)) {
			var r benchReply
			if json.Unmarshal(line, &r) == nil {
				select {
				case bc.replies <- r:
				default: // nobody waits: its sender gave up
				}
			}
		}
		return
	}
	id := scanBytes(line, `"payload":{"id":"`)
	bc.mu.Lock()
	if seq <= bc.last {
		bc.dups++
		bc.mu.Unlock()
		return
	}
	bc.last = seq
	bc.got++
	own := bc.mine[string(id)] // no allocation: the compiler sees the lookup
	if own {
		delete(bc.mine, string(id))
	}
	bc.mu.Unlock()
	if own {
		return
	}
	// Fan-out latency runs from the commit, which the hub stamps last on
	// live events; "time" (the transaction's start) is the fallback for a
	// server that does not stamp.
	ts := committedStamp(line)
	if ts == nil {
		ts = scanBytes(line, `"time":"`)
	}
	if ts != nil {
		if t, err := time.Parse(time.RFC3339Nano, string(ts)); err == nil {
			bc.lat.add(now.Sub(t))
		}
	}
}

// committedStamp returns the value of the "committed" field the hub
// appends as the last field of a live event, looking only at the line's
// tail.
func committedStamp(line []byte) []byte {
	const key = `,"committed":"`
	if !bytes.HasSuffix(line, []byte(`"}`)) {
		return nil
	}
	body := line[:len(line)-2]
	i := bytes.LastIndexByte(body, '"')
	if i < len(key)-1 || !bytes.HasSuffix(body[:i+1], []byte(key)) {
		return nil
	}
	return body[i+1:]
}

func scanUint(b []byte, prefix string) (uint64, bool) {
	if !bytes.HasPrefix(b, []byte(prefix)) {
		return 0, false
	}
	b = b[len(prefix):]
	var n uint64
	i := 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		n = n*10 + uint64(b[i]-'0')
	}
	return n, i > 0
}

// scanBytes returns the string value that follows key, or nil.
func scanBytes(b []byte, key string) []byte {
	i := bytes.Index(b, []byte(key))
	if i < 0 {
		return nil
	}
	b = b[i+len(key):]
	j := bytes.IndexByte(b, '"')
	if j < 0 {
		return nil
	}
	return b[:j]
}
