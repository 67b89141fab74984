package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concordqda/concord/cmd/internal/cli"
	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/store"
)

// storeBenchResult is what bench store prints.
type storeBenchResult struct {
	Writers       int     `json:"writers"`
	DurationSec   float64 `json:"duration_sec"`
	Codings       int64   `json:"codings"`
	CodingsPerSec float64 `json:"codings_per_sec"`
	P50us         float64 `json:"p50_us"`
	P99us         float64 `json:"p99_us"`
	MaxUs         float64 `json:"max_us"`
	DBBytes       int64   `json:"db_bytes"`
}

// benchStore measures durable coding writes through the store's public
// API on a temporary database: latency runs from the call to its durable
// acknowledgement.
func (r *runner) benchStore(ctx context.Context, args []string) error {
	fs := cli.Flags(r.Stderr, "bench store", "bench store [--writers N] [--duration D] [--json] [--cpuprofile FILE]")
	writers := fs.Int("writers", 64, "concurrent writers")
	dur := fs.Duration("duration", 5*time.Second, "how long to write")
	asJSON := fs.Bool("json", false, "print one JSON object")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the run to `FILE`")
	if _, err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *writers < 1 || *writers > 10000 {
		return cli.Usagef("--writers must be between 1 and 10000")
	}
	if *dur <= 0 || *dur > time.Hour {
		return cli.Usagef("--duration must be positive and at most an hour")
	}
	dir, err := os.MkdirTemp("", "concord-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(filepath.Join(dir, "bench.db"), store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	fx, err := benchFixture(st, *writers)
	if err != nil {
		return err
	}
	if *cpuprofile != "" {
		stop, err := startCPUProfile(*cpuprofile)
		if err != nil {
			return err
		}
		defer stop()
	}
	res, err := runStoreBench(ctx, st, fx, *writers, *dur)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(r.Stdout).Encode(res)
	}
	fmt.Fprintf(r.Stdout, "%d writers, %.1fs: %d durable codings, %.0f/s; latency p50 %.0fµs, p99 %.0fµs, max %.0fµs; database %d bytes\n",
		res.Writers, res.DurationSec, res.Codings, res.CodingsPerSec, res.P50us, res.P99us, res.MaxUs, res.DBBytes)
	return nil
}

// benchProject is a project with one coder per writer and one long
// document, so writers never collide on a span.
type benchProject struct {
	project string
	doc     string
	codes   []string
	coders  []string
	length  int
}

func benchFixture(st *store.DB, coders int) (*benchProject, error) {
	lead := &coding.User{Login: "bench-lead", Name: "Bench lead"}
	if err := st.CreateUser(lead); err != nil {
		return nil, err
	}
	p := &coding.Project{Slug: "bench", Name: "Benchmark"}
	if _, err := st.CreateProject(p, lead.ID); err != nil {
		return nil, err
	}
	bp := &benchProject{project: p.ID, length: 1_000_000}
	for i := 0; i < coders; i++ {
		u := &coding.User{Login: fmt.Sprintf("coder%d", i), Name: fmt.Sprintf("Coder %d", i)}
		if err := st.CreateUser(u); err != nil {
			return nil, err
		}
		if _, err := st.SetMember(coding.Member{ProjectID: p.ID, UserID: u.ID, Role: coding.RoleCoder}, lead.ID); err != nil {
			return nil, err
		}
		bp.coders = append(bp.coders, u.ID)
	}
	d := &coding.Document{ProjectID: p.ID, Title: "Long transcript", Text: strings.Repeat("We talked about work. ", bp.length/22+1)[:bp.length]}
	if _, err := st.AddDocument(d, lead.ID); err != nil {
		return nil, err
	}
	bp.doc = d.ID
	for i := 0; i < 20; i++ {
		c := &coding.Code{ProjectID: p.ID, Name: fmt.Sprintf("Code %d", i), Codable: true}
		if _, err := st.CreateCode(c, lead.ID); err != nil {
			return nil, err
		}
		bp.codes = append(bp.codes, c.ID)
	}
	return bp, nil
}

func runStoreBench(ctx context.Context, st *store.DB, bp *benchProject, writers int, dur time.Duration) (*storeBenchResult, error) {
	ctx, cancel := context.WithTimeout(ctx, dur)
	defer cancel()
	var total atomic.Int64
	lats := make([][]time.Duration, writers)
	errc := make(chan error, writers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				s := (i * 37) % (bp.length - 100)
				c := &coding.Coding{ProjectID: bp.project, DocumentID: bp.doc, CodeID: bp.codes[i%len(bp.codes)], CoderID: bp.coders[w], Start: s, End: s + 1 + i/(bp.length-100)%50}
				t0 := time.Now()
				if _, err := st.AddCoding(c, bp.coders[w]); err != nil {
					errc <- err
					return
				}
				lats[w] = append(lats[w], time.Since(t0))
				total.Add(1)
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	select {
	case err := <-errc:
		return nil, err
	default:
	}
	var all []time.Duration
	for _, l := range lats {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	size, _ := st.Size()
	res := &storeBenchResult{
		Writers: writers, DurationSec: elapsed.Seconds(), Codings: total.Load(),
		CodingsPerSec: float64(total.Load()) / elapsed.Seconds(), DBBytes: size,
	}
	if len(all) > 0 {
		us := func(q float64) float64 { return float64(all[int(q*float64(len(all)-1))].Nanoseconds()) / 1e3 }
		res.P50us, res.P99us, res.MaxUs = us(0.5), us(0.99), us(1)
	}
	return res, nil
}

// startCPUProfile profiles the process until the returned stop is called.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, cli.UnwrapPath(err))
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
