package bench

import (
	"testing"
	"time"
)

// The load tool reads events by their layout, not by decoding JSON; these
// are the layouts the hub writes, and lines it must not misread.
func TestBenchRecordScansEvents(t *testing.T) {
	committed := time.Now().Add(-3 * time.Millisecond).UTC()
	stamp := committed.Format(time.RFC3339Nano)
	tests := []struct {
		name     string
		line     string
		mine     string // an id of the coder's own
		wantGot  int64
		wantLat  bool
		wantDups int64
	}{
		{"another coder's coding", `{"seq":5,"type":"coding.added","time":"2020-01-01T00:00:00Z","payload":{"id":"b"},"committed":"` + stamp + `"}`, "a", 1, true, 0},
		{"my own coding", `{"seq":5,"type":"coding.added","payload":{"id":"a"},"committed":"` + stamp + `"}`, "a", 1, false, 0},
		{"replayed, no stamp", `{"seq":5,"type":"coding.added","time":"` + stamp + `","payload":{"id":"b"}}`, "a", 1, true, 0},
		{"committed inside the payload only", `{"seq":5,"payload":{"id":"b","memo":"\"committed\":\"x"}}`, "a", 1, false, 0},
		{"not an event", `{"type":"presence"}`, "a", 0, false, 0},
		{"already seen", `{"seq":3,"payload":{"id":"b"}}`, "a", 0, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bc := &benchCoder{last: 4, mine: map[string]bool{tt.mine: true}}
			bc.record([]byte(tt.line), committed.Add(3*time.Millisecond))
			if bc.got != tt.wantGot || bc.dups != tt.wantDups {
				t.Errorf("got %d, dups %d; want %d, %d", bc.got, bc.dups, tt.wantGot, tt.wantDups)
			}
			if got := bc.lat.n > 0; got != tt.wantLat {
				t.Errorf("latency recorded: %v, want %v", got, tt.wantLat)
			}
			if tt.wantLat && bc.lat.max > time.Second {
				t.Errorf("latency %v, want about 3ms", bc.lat.max)
			}
		})
	}
}
