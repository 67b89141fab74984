package store

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
)

func TestCodingRoundTripAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := Open(path, Options{})
	must(t, err)
	f := newFixtureIn(t, db)
	c := f.coding(f.financial, f.ana, 29, 36) // "money 💸": the emoji is one code point
	c.Memo = "money worries — née 💸"
	if _, err := db.AddCoding(c, f.ana.ID); err != nil {
		t.Fatal(err)
	}
	if got := coding.Slice(fixtureText, c.Start, c.End); got != "money 💸" {
		t.Fatalf("Slice = %q", got)
	}
	must(t, db.Close())

	db, err = Open(path, Options{})
	must(t, err)
	defer db.Close()
	got, err := db.Coding(f.project.ID, c.ID)
	must(t, err)
	if got.Start != c.Start || got.End != c.End || got.Memo != c.Memo || got.CodeID != c.CodeID ||
		got.CoderID != c.CoderID || got.DocumentID != c.DocumentID || !got.Created.Equal(c.Created) {
		t.Fatalf("after reopen got %+v, want %+v", got, c)
	}
	doc, err := db.Document(f.project.ID, f.doc.ID)
	must(t, err)
	if doc.Text != fixtureText || doc.Attributes["site"] != "shelter" || doc.Length != len([]rune(fixtureText)) {
		t.Fatalf("document after reopen = %+v", doc)
	}
	u, err := db.UserByLogin("ana")
	must(t, err)
	if u.ID != f.ana.ID {
		t.Fatalf("UserByLogin(ana) = %s, want %s", u.ID, f.ana.ID)
	}
}

func TestCodingValidation(t *testing.T) {
	f := newFixture(t)
	other := &coding.User{Login: "stranger", Name: "Stranger"}
	must(t, f.db.CreateUser(other))
	good := func() *coding.Coding { return f.coding(f.financial, f.ana, 0, 5) }
	if _, err := f.db.AddCoding(good(), f.ana.ID); err != nil {
		t.Fatal(err)
	}
	n := len([]rune(fixtureText))
	tests := []struct {
		name   string
		mutate func(c *coding.Coding)
		code   string
		msg    string
	}{
		{"negative start", func(c *coding.Coding) { c.Start = -1 }, coding.EINVALID, "negative"},
		{"empty span", func(c *coding.Coding) { c.End = c.Start }, coding.EINVALID, "after its start"},
		{"end before start", func(c *coding.Coding) { c.Start, c.End = 5, 2 }, coding.EINVALID, "after its start"},
		{"past the end", func(c *coding.Coding) { c.End = n + 1 }, coding.EINVALID, "past the end"},
		{"huge offsets", func(c *coding.Coding) { c.Start, c.End = 1<<40, 1<<40+1 }, coding.EINVALID, "past the end"},
		{"unknown code", func(c *coding.Coding) { c.CodeID = "6f1c0f52-0000-4000-8000-000000000000" }, coding.ENOTFOUND, "code"},
		{"code not a uuid", func(c *coding.Coding) { c.CodeID = "../etc" }, coding.ENOTFOUND, "code"},
		{"category code", func(c *coding.Coding) { c.CodeID = f.stress.ID }, coding.EINVALID, "category"},
		{"unknown document", func(c *coding.Coding) { c.DocumentID = "6f1c0f52-0000-4000-8000-000000000001" }, coding.ENOTFOUND, "document"},
		{"unknown project", func(c *coding.Coding) { c.ProjectID = "6f1c0f52-0000-4000-8000-000000000002" }, coding.ENOTFOUND, "project"},
		{"invalid UTF-8 memo", func(c *coding.Coding) { c.Memo = "bad \xff" }, coding.EINVALID, "UTF-8"},
		{"oversize memo", func(c *coding.Coding) { c.Memo = strings.Repeat("a", coding.MaxMemoChars+1) }, coding.EINVALID, "too long"},
		{"not a member", func(c *coding.Coding) { c.CoderID = other.ID }, coding.EFORBIDDEN, "not a coder"},
		{"exact duplicate", func(c *coding.Coding) {}, coding.ECONFLICT, "already applied"},
	}
	before, err := f.db.LastSeq(f.project.ID)
	must(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good()
			tt.mutate(c)
			_, err := f.db.AddCoding(c, f.ana.ID)
			wantCode(t, err, tt.code)
			if !strings.Contains(coding.ErrorMessage(err), tt.msg) {
				t.Errorf("message %q does not mention %q", coding.ErrorMessage(err), tt.msg)
			}
		})
	}
	after, err := f.db.LastSeq(f.project.ID)
	must(t, err)
	if after != before {
		t.Fatalf("rejected codings changed the event log: seq %d → %d", before, after)
	}
	if n, _ := f.db.CountCodings(f.project.ID); n != 1 {
		t.Fatalf("CountCodings = %d, want 1", n)
	}
}

// A failing request in a shared transaction must not take the others down.
func TestBatchIsolatesFailures(t *testing.T) {
	f := newFixture(t)
	var wg sync.WaitGroup
	errs := make([]error, 200)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := f.coding(f.financial, f.ana, i%50, i%50+1)
			if i%2 == 1 {
				c.End = 10_000 // invalid
			}
			_, errs[i] = f.db.AddCoding(c, f.ana.ID)
		}(i)
	}
	wg.Wait()
	ok := 0
	for i, err := range errs {
		switch {
		case i%2 == 1:
			wantCode(t, err, coding.EINVALID)
		case err == nil:
			ok++
		default:
			wantCode(t, err, coding.ECONFLICT) // i and i+50 share a span
		}
	}
	n, _ := f.db.CountCodings(f.project.ID)
	if ok != 25 { // 25 distinct valid spans, each tried four times
		t.Fatalf("%d codings acknowledged, want 25", ok)
	}
	if n != ok {
		t.Fatalf("acknowledged %d codings but the database holds %d", ok, n)
	}
}

// The event log stays gapless with many concurrent writers: 32 goroutines
// × 200 codings give sequence numbers after the setup's, with no gap and
// no duplicate, and every acknowledged coding is stored.
func TestEventLogGaplessUnderConcurrentWriters(t *testing.T) {
	var mu sync.Mutex
	var published []uint64
	db := openTest(t, Options{OnCommit: func(evs []coding.Event) {
		mu.Lock()
		for _, ev := range evs {
			published = append(published, ev.Seq)
		}
		mu.Unlock()
	}})
	f := newFixtureIn(t, db)
	base, err := db.LastSeq(f.project.ID)
	must(t, err)
	const writers, each = 32, 200
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			coder := f.ana
			if w%2 == 1 {
				coder = f.ben
			}
			for i := 0; i < each; i++ {
				c := f.coding(f.financial, coder, (w*each+i)%90, (w*each+i)%90+1+w)
				c.Memo = fmt.Sprintf("w%d i%d", w, i)
				c.CodeID = []string{f.financial.ID, f.housing.ID, f.trust.ID}[i%3]
				c.End = min(c.End, len([]rune(fixtureText)))
				if _, err := db.AddCoding(c, coder.ID); err != nil && coding.ErrorCode(err) != coding.ECONFLICT {
					t.Errorf("AddCoding: %v", err)
				}
			}
		}(w)
	}
	wg.Wait()
	events, err := db.Events(f.project.ID, base, 0)
	must(t, err)
	n, _ := db.CountCodings(f.project.ID)
	if len(events) != n {
		t.Fatalf("%d events after setup, %d codings stored", len(events), n)
	}
	for i, ev := range events {
		if ev.Seq != base+uint64(i)+1 {
			t.Fatalf("event %d has seq %d, want %d", i, ev.Seq, base+uint64(i)+1)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for i := 1; i < len(published); i++ {
		if published[i] != published[i-1]+1 {
			t.Fatalf("OnCommit published seq %d after %d", published[i], published[i-1])
		}
	}
}

// Distinct spans only: exactly 32 × 200 codings, sequence numbers 1..6400
// after the setup.
func TestEventLogExactCount(t *testing.T) {
	f := newFixture(t)
	long := &coding.Document{ProjectID: f.project.ID, Title: "Long", Text: strings.Repeat("x", 7000)}
	_, err := f.db.AddDocument(long, f.lead.ID)
	must(t, err)
	base, _ := f.db.LastSeq(f.project.ID)
	var wg sync.WaitGroup
	for w := 0; w < 32; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				s := w*200 + i
				c := &coding.Coding{ProjectID: f.project.ID, DocumentID: long.ID, CodeID: f.trust.ID, CoderID: f.ana.ID, Start: s, End: s + 1}
				if _, err := f.db.AddCoding(c, f.ana.ID); err != nil {
					t.Error(err)
				}
			}
		}(w)
	}
	wg.Wait()
	events, err := f.db.Events(f.project.ID, base, 0)
	must(t, err)
	if len(events) != 6400 {
		t.Fatalf("%d events, want 6400", len(events))
	}
	seen := map[uint64]bool{}
	for i, ev := range events {
		if ev.Seq != base+uint64(i)+1 || seen[ev.Seq] {
			t.Fatalf("event %d: seq %d", i, ev.Seq)
		}
		seen[ev.Seq] = true
	}
	got, _ := f.db.Codings(f.project.ID, coding.CodingFilter{DocumentID: long.ID})
	if len(got) != 6400 {
		t.Fatalf("%d codings on the long document, want 6400", len(got))
	}
}

func TestCodingsByDocumentUsesKeyOrder(t *testing.T) {
	f := newFixture(t)
	other := &coding.Document{ProjectID: f.project.ID, Title: "Interview 2", Text: "Another text entirely."}
	_, err := f.db.AddDocument(other, f.lead.ID)
	must(t, err)
	for i := 0; i < 20; i++ {
		_, err := f.db.AddCoding(f.coding(f.trust, f.ana, i, i+3), f.ana.ID)
		must(t, err)
		c := f.coding(f.trust, f.ben, i, i+2)
		c.DocumentID = other.ID
		_, err = f.db.AddCoding(c, f.ben.ID)
		must(t, err)
	}
	got, err := f.db.Codings(f.project.ID, coding.CodingFilter{DocumentID: other.ID})
	must(t, err)
	if len(got) != 20 {
		t.Fatalf("%d codings on document 2, want 20", len(got))
	}
	// IDs are time-ordered, so key order is creation order.
	if !sort.SliceIsSorted(got, func(i, j int) bool { return got[i].ID < got[j].ID }) {
		t.Fatal("codings of a document are not in key (creation) order")
	}
	for _, c := range got {
		if c.DocumentID != other.ID || c.CoderID != f.ben.ID {
			t.Fatalf("filter leaked %+v", c)
		}
	}
	mine, _ := f.db.Codings(f.project.ID, coding.CodingFilter{CoderID: f.ana.ID})
	if len(mine) != 20 {
		t.Fatalf("coder filter: %d, want 20", len(mine))
	}
}

func TestKeyEncodingSortsNumerically(t *testing.T) {
	for _, pair := range [][2]uint64{{1, 2}, {9, 10}, {255, 256}, {1 << 32, 1<<32 + 1}} {
		if bytes.Compare(u64(pair[0]), u64(pair[1])) >= 0 {
			t.Errorf("u64(%d) does not sort before u64(%d)", pair[0], pair[1])
		}
	}
}

func TestUpdateAndDeleteCoding(t *testing.T) {
	f := newFixture(t)
	c := f.coding(f.financial, f.ana, 0, 5)
	_, err := f.db.AddCoding(c, f.ana.ID)
	must(t, err)
	d := f.coding(f.housing, f.ana, 0, 5)
	_, err = f.db.AddCoding(d, f.ana.ID)
	must(t, err)

	upd := *c
	upd.CodeID = f.housing.ID
	_, err = f.db.UpdateCoding(&upd, f.ana.ID)
	wantCode(t, err, coding.ECONFLICT) // would duplicate d

	upd = *c
	upd.Start, upd.End, upd.Memo = 2, 8, "moved"
	_, err = f.db.UpdateCoding(&upd, f.ana.ID)
	must(t, err)
	got, _ := f.db.Coding(f.project.ID, c.ID)
	if got.Start != 2 || got.End != 8 || got.Memo != "moved" || !got.Created.Equal(c.Created) {
		t.Fatalf("after update: %+v", got)
	}
	// The old span is free again.
	_, err = f.db.AddCoding(f.coding(f.financial, f.ana, 0, 5), f.ana.ID)
	must(t, err)

	deleted, ev, err := f.db.DeleteCoding(f.project.ID, c.ID, f.ana.ID)
	must(t, err)
	if deleted.ID != c.ID || ev.Type != coding.EventCodingDeleted || ev.Owner != f.ana.ID {
		t.Fatalf("delete returned %+v %+v", deleted, ev)
	}
	_, err = f.db.Coding(f.project.ID, c.ID)
	wantCode(t, err, coding.ENOTFOUND)
	_, _, err = f.db.DeleteCoding(f.project.ID, c.ID, f.ana.ID)
	wantCode(t, err, coding.ENOTFOUND)
	// Deleting freed the span for a new coding.
	_, err = f.db.AddCoding(f.coding(f.financial, f.ana, 2, 8), f.ana.ID)
	must(t, err)
}

func TestLockTimeout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locked.db")
	db, err := Open(path, Options{})
	must(t, err)
	defer db.Close()
	start := time.Now()
	_, err = Open(path, Options{LockTimeout: 100 * time.Millisecond})
	if err == nil {
		t.Fatal("second Open succeeded")
	}
	if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("error %q does not name the file and say it is in use", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Fatal("second Open hung")
	}
}

func TestBackupIsAConsistentDatabase(t *testing.T) {
	f := newFixture(t)
	_, err := f.db.AddCoding(f.coding(f.trust, f.ana, 0, 4), f.ana.ID)
	must(t, err)
	var buf bytes.Buffer
	_, err = f.db.Backup(&buf)
	must(t, err)
	path := filepath.Join(t.TempDir(), "copy.db")
	must(t, writeFile(path, buf.Bytes()))
	cp, err := Open(path, Options{})
	must(t, err)
	defer cp.Close()
	must(t, cp.Check())
	n, err := cp.CountCodings(f.project.ID)
	must(t, err)
	if n != 1 {
		t.Fatalf("backup holds %d codings, want 1", n)
	}
}

// A batch that fails after writing rolls back, and so does the in-memory
// duplicate index: the good coding of the failed batch can be added after.
// After a reopen, the index is rebuilt from disk and still finds duplicates.
func TestDuplicateIndexFollowsRollbackAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db")
	db, err := Open(path, Options{})
	must(t, err)
	f := newFixtureIn(t, db)
	good := *f.coding(f.trust, f.ana, 1, 4)
	bad := *f.coding(f.trust, f.ana, 1, 999)
	_, err = db.AddCodings([]coding.Coding{good, bad}, f.ana.ID)
	wantCode(t, err, coding.EINVALID)
	if _, err := db.AddCoding(&good, f.ana.ID); err != nil {
		t.Fatalf("the good coding of a failed batch: %v", err)
	}
	again := *f.coding(f.trust, f.ana, 1, 4)
	_, err = db.AddCoding(&again, f.ana.ID)
	wantCode(t, err, coding.ECONFLICT)
	must(t, db.Close())

	db, err = Open(path, Options{})
	must(t, err)
	defer db.Close()
	again = *f.coding(f.trust, f.ana, 1, 4)
	_, err = db.AddCoding(&again, f.ana.ID)
	wantCode(t, err, coding.ECONFLICT)
	other := *f.coding(f.trust, f.ben, 1, 4) // another coder may code the same span
	if _, err := db.AddCoding(&other, f.ben.ID); err != nil {
		t.Fatal(err)
	}
}

func TestSchemaVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := Open(path, Options{})
	must(t, err)
	must(t, db.Close())
	// A file from a newer Concord is refused, not damaged.
	raw, err := bolt.Open(path, 0o600, nil)
	must(t, err)
	must(t, raw.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchema, []byte{0, 0, 0, 99})
	}))
	must(t, raw.Close())
	_, err = Open(path, Options{})
	if err == nil || !strings.Contains(err.Error(), "newer Concord") {
		t.Fatalf("opening a newer schema: %v", err)
	}
}

func TestOpenRefusesTruncatedAndForeignFiles(t *testing.T) {
	dir := t.TempDir()
	f := newFixture(t)
	for i := 0; i < 200; i++ {
		_, err := f.db.AddCoding(f.coding(f.trust, f.ana, i%80, i%80+1+i/80), f.ana.ID)
		must(t, err)
	}
	var buf bytes.Buffer
	_, err := f.db.Backup(&buf)
	must(t, err)
	for name, data := range map[string][]byte{
		"truncated": buf.Bytes()[:buf.Len()/2],
		"foreign":   []byte("PK\x03\x04 not a database, a zip file perhaps"),
		"tiny":      []byte{1, 2, 3},
	} {
		path := filepath.Join(dir, name+".db")
		must(t, writeFile(path, data))
		if _, err := Open(path, Options{}); err == nil {
			t.Errorf("Open(%s) succeeded", name)
		} else if !strings.Contains(err.Error(), path) {
			t.Errorf("Open(%s) = %v, want the path named", name, err)
		}
	}
}

func TestCompactEventsKeepsTheNewest(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < 30; i++ {
		_, err := f.db.AddCoding(f.coding(f.trust, f.ana, i, i+2), f.ana.ID)
		must(t, err)
	}
	head, _ := f.db.LastSeq(f.project.ID)
	removed, err := f.db.CompactEvents(f.project.ID, 10, f.lead.ID)
	must(t, err)
	if want := int(head) - 10; removed != want {
		t.Fatalf("removed %d events, want %d", removed, want)
	}
	floor, _ := f.db.EventFloor(f.project.ID)
	if floor != head-10 {
		t.Fatalf("floor %d, want %d", floor, head-10)
	}
	events, _ := f.db.Events(f.project.ID, 0, 0)
	// The 10 kept, plus the compaction's own event.
	if len(events) != 11 || events[0].Seq != floor+1 || events[10].Type != coding.EventLogCompacted {
		t.Fatalf("after compaction: %d events from seq %d", len(events), events[0].Seq)
	}
	// Codings are untouched.
	if n, _ := f.db.CountCodings(f.project.ID); n != 30 {
		t.Fatalf("compaction changed the codings: %d", n)
	}
}
