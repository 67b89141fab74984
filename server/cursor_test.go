package server

import (
	"bytes"
	"strings"
	"testing"
)

func TestCursorsSealAndOpen(t *testing.T) {
	cs, err := newCursors(nil)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := newCursors(nil)
	for _, seq := range []uint64{0, 1, 5, 1 << 40, ^uint64(0)} {
		a, b := cs.seal(seq), cs.seal(seq)
		if a == b {
			t.Errorf("seal(%d) twice = %q both times, want two different cursors", seq, a)
		}
		if got, err := cs.open(a); err != nil || got != seq {
			t.Errorf("open(seal(%d)) = %d, %v, want %d", seq, got, err, seq)
		}
		if _, err := other.open(a); err != errCursorStale {
			t.Errorf("another key's open(seal(%d)) = %v, want errCursorStale", seq, err)
		}
	}
}

func TestParseSince(t *testing.T) {
	cs, _ := newCursors(nil)
	other, _ := newCursors(nil)
	c7 := cs.seal(7)
	for _, tc := range []struct {
		name    string
		v       string
		blinded bool
		want    uint64
		stale   bool
		err     bool
	}{
		{"empty", "", false, 0, false, false},
		{"empty, blinded", "", true, 0, false, false},
		{"zero, blinded", "0", true, 0, false, false},
		{"number", "42", false, 42, false, false},
		{"number, blinded", "42", true, 0, true, true},
		{"cursor", c7, true, 7, false, false},
		{"cursor, not blinded", c7, false, 7, false, false},
		{"another server's cursor", other.seal(7), true, 0, true, false},
		{"garbage", "not a cursor", true, 0, false, true},
		{"negative", "-1", false, 0, false, true},
		{"too big", "99999999999999999999999", false, 0, false, true},
	} {
		got, err := cs.parseSince(tc.v, tc.blinded)
		if got.seq != tc.want || (got.stale != "") != tc.stale || (err != nil) != tc.err {
			t.Errorf("parseSince(%s) = %d, stale %q, %v; want %d, stale %v, error %v", tc.name, got.seq, got.stale, err, tc.want, tc.stale, tc.err)
		}
	}
}

func TestRestamp(t *testing.T) {
	cs, _ := newCursors(nil)
	for _, tc := range []struct {
		name string
		in   string
		seq  uint64
		ok   bool
	}{
		{"store's form", `{"seq":12,"project":"p","type":"coding.added"}`, 12, true},
		{"other order", `{"type":"coding.added","seq":12}`, 12, true},
		{"prefix of a longer number", `{"seq":123,"type":"x"}`, 12, true},
		{"not JSON", `{"seq":12`, 12, false},
	} {
		out := cs.restamp([]byte(tc.in), tc.seq)
		if !tc.ok {
			if out != nil {
				t.Errorf("restamp(%s) = %s, want nil", tc.name, out)
			}
			continue
		}
		if bytes.Contains(out, []byte(`"seq":1`)) || !bytes.Contains(out, []byte(`"seq":"`)) || !strings.Contains(string(out), `"type"`) {
			t.Errorf("restamp(%s) = %s, want the event with a cursor for seq", tc.name, out)
		}
	}
}

// FuzzParseSince feeds ?since= values from outside: parsing never panics,
// and whatever opens is a position a cursor was sealed for.
func FuzzParseSince(f *testing.F) {
	cs, _ := newCursors(nil)
	for _, s := range []string{"", "0", "17", "-3", "abc", cs.seal(3), cs.seal(1 << 50)} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, v string, blinded bool) {
		got, err := cs.parseSince(v, blinded)
		if err != nil && got.seq != 0 {
			t.Errorf("parseSince(%q) = %d with error %v, want 0", v, got.seq, err)
		}
		if blinded && err == nil && got.stale == "" && got.seq != 0 {
			if _, oerr := cs.open(v); oerr != nil {
				t.Errorf("parseSince(%q, blinded) = %d from something that is not a cursor", v, got.seq)
			}
		}
	})
}
