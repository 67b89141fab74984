package bench

import (
	"bufio"
	"bytes"
	"os"
	"runtime/metrics"
	"strconv"
	"sync"
	"time"
)

// memSampler watches this process's memory and, for a local benchmark
// server, its database file while a benchmark runs: a soak run shows
// whether memory stays steady and how fast the file grows. The figures
// cover the whole process, simulated coders included.
type memSampler struct {
	dbSize func() (int64, error) // nil when the server is elsewhere
	baseDB int64                 // the file's size before the run

	mu        sync.Mutex
	rssMax    int64
	first     memSample // after warm-up
	firstSet  bool
	last      memSample
	stop      chan struct{}
	done      chan struct{}
	warmUntil time.Time
}

type memSample struct {
	rss, heap, db int64
}

// startMemSampler samples every interval; samples before warm are not
// the "start" figure (caches and queues fill during the first seconds).
func startMemSampler(dbSize func() (int64, error), warm, interval time.Duration) *memSampler {
	s := &memSampler{dbSize: dbSize, stop: make(chan struct{}), done: make(chan struct{}), warmUntil: time.Now().Add(warm)}
	if dbSize != nil {
		s.baseDB, _ = dbSize()
	}
	go func() {
		defer close(s.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			s.sample()
			select {
			case <-t.C:
			case <-s.stop:
				s.sample()
				return
			}
		}
	}()
	return s
}

func (s *memSampler) sample() {
	// The heap marked live at the last collection: what the process
	// really holds, without the garbage not yet collected.
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(live)
	m := memSample{rss: processRSS()}
	if live[0].Value.Kind() == metrics.KindUint64 {
		m.heap = int64(live[0].Value.Uint64())
	}
	if s.dbSize != nil {
		m.db, _ = s.dbSize()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rssMax = max(s.rssMax, m.rss)
	if !s.firstSet && !time.Now().Before(s.warmUntil) {
		s.first, s.firstSet = m, true
	}
	s.last = m
}

// finish stops sampling and fills in res.
func (s *memSampler) finish(res *liveBenchResult) {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.firstSet {
		s.first = s.last
	}
	mb := func(b int64) float64 { return float64(b) / (1 << 20) }
	res.RSSStartMB, res.RSSEndMB, res.RSSMaxMB = mb(s.first.rss), mb(s.last.rss), mb(s.rssMax)
	res.HeapStartMB, res.HeapEndMB = mb(s.first.heap), mb(s.last.heap)
	if s.dbSize != nil {
		res.DBBytesStart, res.DBBytesEnd = s.baseDB, s.last.db
		if res.CodingsAcked > 0 {
			// bbolt grows its file in steps, so growth is read over the
			// whole run, from the fixture's size, not between samples.
			res.DBBytesPer1000 = float64(s.last.db-s.baseDB) / float64(res.CodingsAcked) * 1000
		}
	}
}

// processRSS reads VmRSS from /proc; 0 where there is no /proc.
func processRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Bytes()
		if rest, ok := bytes.CutPrefix(line, []byte("VmRSS:")); ok {
			fields := bytes.Fields(rest)
			if len(fields) > 0 {
				kb, _ := strconv.ParseInt(string(fields[0]), 10, 64)
				return kb << 10
			}
		}
	}
	return 0
}
