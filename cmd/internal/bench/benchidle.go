package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// idleBenchResult is what bench live --idle prints.
type idleBenchResult struct {
	Connections  int     `json:"connections"`
	Sessions     int     `json:"sessions"`
	RSSBeforeMB  float64 `json:"rss_before_mb"`
	RSSAfterMB   float64 `json:"rss_after_mb"`
	HeapBeforeMB float64 `json:"heap_before_mb"`
	HeapAfterMB  float64 `json:"heap_after_mb"`
	KBPerConn    float64 `json:"kb_per_connection"`
}

// runIdleBench opens n live connections spread over the target's signed-in
// clients, waits until each has its replay and the room's presence, and
// reports this process's memory before and after. For a local target the
// process holds the server and the clients; the clients are kept light
// (small buffers, one reader each) so the figure is mostly the server's.
func runIdleBench(ctx context.Context, out io.Writer, lt *liveTarget, n int, asJSON bool) error {
	wsBase := strings.Replace(strings.Replace(lt.base, "https://", "wss://", 1), "http://", "ws://", 1)
	u := wsBase + "/api/projects/" + lt.project + "/live?since=" + strconv.FormatUint(1<<62, 10)
	settle := func() (rss, heap int64) {
		runtime.GC()
		debug.FreeOSMemory() // RSS then counts what is held, not garbage not yet returned
		live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(live)
		return processRSS(), int64(live[0].Value.Uint64())
	}
	rss0, heap0 := settle()
	conns := make([]*websocket.Conn, 0, n)
	var readers sync.WaitGroup
	defer func() {
		for _, c := range conns {
			c.Close()
		}
		readers.Wait()
	}()
	for i := 0; i < n; i++ {
		client := lt.clients[i%len(lt.clients)]
		d := websocket.Dialer{Jar: client.Jar, HandshakeTimeout: 15 * time.Second, ReadBufferSize: 512, WriteBufferSize: 512}
		conn, _, err := d.DialContext(ctx, u, nil)
		if err != nil {
			return fmt.Errorf("idle connection %d of %d: %w", i+1, n, err)
		}
		conns = append(conns, conn)
		if _, err := awaitReady(conn); err != nil {
			return fmt.Errorf("idle connection %d of %d: %w", i+1, n, err)
		}
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				if _, _, err := conn.NextReader(); err != nil {
					return
				}
			}
		}()
	}
	// Let the room's presence changes (everyone joining) flush and drain.
	time.Sleep(2 * time.Second)
	rss1, heap1 := settle()
	mb := func(b int64) float64 { return float64(b) / (1 << 20) }
	res := idleBenchResult{Connections: n, Sessions: min(n, len(lt.clients)),
		RSSBeforeMB: mb(rss0), RSSAfterMB: mb(rss1), HeapBeforeMB: mb(heap0), HeapAfterMB: mb(heap1),
		KBPerConn: float64(rss1-rss0) / 1024 / float64(n)}
	if asJSON {
		return json.NewEncoder(out).Encode(res)
	}
	fmt.Fprintf(out, "%d idle live connections over %d sessions: RSS %.0f → %.0f MB (%.1f KB each), live Go heap %.0f → %.0f MB (this process)\n",
		res.Connections, res.Sessions, res.RSSBeforeMB, res.RSSAfterMB, res.KBPerConn, res.HeapBeforeMB, res.HeapAfterMB)
	return nil
}
