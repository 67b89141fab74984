package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/store"
	"github.com/google/uuid"
)

// backupFixture is a backup of the demo database with a memo, a decision
// and a session added, and the ids a test needs to find records in it.
type backupFixture struct {
	dir, path         string
	project, doc, ana []byte // keys
	coding            []byte // document + coding key
	memo, session     []byte
	data              []byte // the backup's bytes
}

func uuidKey(t testing.TB, id string) []byte {
	t.Helper()
	u, err := uuid.Parse(id)
	if err != nil {
		t.Fatal(err)
	}
	return u[:]
}

// newBackupFixture serves the demo once, adds what the demo lacks and
// backs the database up with concord backup.
func newBackupFixture(t *testing.T) *backupFixture {
	t.Helper()
	f := &backupFixture{dir: t.TempDir()}
	db := filepath.Join(f.dir, "live.db")
	serveOnce(t, db, func(st *store.DB) {
		p, err := st.ProjectBySlug("peer-support")
		if err != nil {
			t.Fatal(err)
		}
		lead, err1 := st.UserByLogin("lead")
		ana, err2 := st.UserByLogin("ana")
		ben, err3 := st.UserByLogin("ben")
		docs, err4 := st.Documents(p.ID)
		codings, err5 := st.Codings(p.ID, coding.CodingFilter{})
		for _, err := range []error{err1, err2, err3, err4, err5} {
			if err != nil {
				t.Fatal(err)
			}
		}
		if len(codings) == 0 {
			t.Fatal("the demo has no codings")
		}
		c := codings[0]
		m := &coding.Memo{ProjectID: p.ID, DocumentID: c.DocumentID, AuthorID: lead.ID, Title: "Note", Text: "Read again."}
		if _, err := st.SaveMemo(m, lead.ID); err != nil {
			t.Fatal(err)
		}
		d := &coding.Decision{Key: "case-1", Document: c.DocumentID, Code: c.CodeID, CoderA: ana.ID, CoderB: ben.ID, Start: c.Start, End: c.End, Decided: coding.DecisionRejected}
		if _, err := st.SetDecision(p.ID, d, lead.ID); err != nil {
			t.Fatal(err)
		}
		token, _, err := st.CreateSession(lead.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256([]byte(token))
		f.session = h[:]
		f.project, f.doc, f.ana = uuidKey(t, p.ID), uuidKey(t, docs[0].ID), uuidKey(t, ana.ID)
		f.coding = append(uuidKey(t, c.DocumentID), uuidKey(t, c.ID)...)
		f.memo = uuidKey(t, m.ID)
	})
	f.path = filepath.Join(f.dir, "backup.db")
	mustRun(t, "backup", f.path, "--db", db)
	var err error
	if f.data, err = os.ReadFile(f.path); err != nil {
		t.Fatal(err)
	}
	return f
}

// withoutSum is the backup as it was before backups carried a checksum.
func (f *backupFixture) withoutSum(t testing.TB) []byte {
	t.Helper()
	const trailer = 88
	if !bytes.Contains(f.data[len(f.data)-trailer:], []byte("concord-backup sha256 ")) {
		t.Fatalf("the backup does not end in a checksum line: %q", f.data[len(f.data)-trailer:])
	}
	return f.data[:len(f.data)-trailer]
}

// restoreInto restores data (written to a file) into a new directory and
// returns the directory, the target, what restore printed and its error.
func restoreBytes(t *testing.T, data []byte) (dir, target, out string, err error) {
	t.Helper()
	src := filepath.Join(t.TempDir(), "in.db")
	if err := os.WriteFile(src, data, 0o600); err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	target = filepath.Join(dir, "restored.db")
	out, _, err = run(t, "", "restore", src, "--db", target)
	return dir, target, out, err
}

// leftovers lists what a refused restore left in its target directory.
func leftovers(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// change returns a copy of data with the byte at offset at, counted from
// each occurrence of find, replaced by to. bbolt leaves stale copies of
// records in freed pages; changing all of them changes the live one.
func change(t testing.TB, data, find []byte, at int, to byte) []byte {
	t.Helper()
	if !bytes.Contains(data, find) {
		t.Fatalf("%q does not occur in the backup", find)
	}
	out := bytes.Clone(data)
	for i := 0; ; {
		j := bytes.Index(out[i:], find)
		if j < 0 {
			return out
		}
		i += j
		if out[i+at] == to {
			t.Fatalf("the byte at %d of %q is already %q", at, find, to)
		}
		out[i+at] = to
		i += len(find)
	}
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// One changed byte inside a record: with the checksum, restore refuses the
// file at once; without one (an older backup), the walk over every record
// finds it and names it. Either way nothing is left behind.
func TestRestoreRefusesADamagedRecord(t *testing.T) {
	t.Parallel()
	f := newBackupFixture(t)
	pid := keyID(f.project)
	cases := []struct {
		name string
		find []byte
		at   int
		to   byte
		want []string // in the refusal of the backup without checksum
	}{
		{"project record", []byte(`project{"id":"`), 7, '[', []string{"project " + pid, `record "project"`, "damaged record"}},
		{"document record", cat(f.doc, []byte(`{"id":"`)), 16, 'x', []string{"bucket docs", keyID(f.doc), "damaged record"}},
		{"field name of a user", []byte(`"login":"ana"`), 5, 'm', []string{"bucket users", keyID(f.ana), `unknown field "logim"`}},
		{"login index", cat([]byte("ana"), f.ana), 3, f.ana[0] ^ 0x40, []string{"bucket users", keyID(f.ana), `the login "ana" does not lead to this user`}},
		{"slug index", cat([]byte("peer-support"), f.project), 12, f.project[0] ^ 0x40, []string{"project " + pid, `the slug "peer-support" does not lead to this project`}},
		{"event sequence", cat([]byte{0, 0, 0, 0, 0, 0, 0, 1}, []byte(`{"seq":1,`)), 15, '7', []string{`project "peer-support"`, "bucket events", "0000000000000001", "sequence number 7"}},
		{"coding version", cat(f.coding, []byte{1}), 32, 0x7f, []string{"bucket codings", "damaged coding record"}},
		{"coding's code", cat(f.coding, []byte{1}), 33, 0xee, []string{"bucket codings", "does not exist in this project"}},
		{"memo record", cat(f.memo, []byte(`{"id"`)), 16, '[', []string{"bucket memos", keyID(f.memo), "damaged record"}},
		{"decision record", []byte(`case-1{"key"`), 8, 'j', []string{"bucket decisions", `"case-1"`, "unknown field"}},
		{"session record", cat(f.session, []byte(`{"user"`)), 32, '[', []string{"bucket sessions", "damaged record"}},
	}
	bare := f.withoutSum(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			damaged := change(t, bare, c.find, c.at, c.to)
			dir, _, _, err := restoreBytes(t, damaged)
			if err == nil {
				t.Fatalf("restore of a backup with a damaged %s succeeded", c.name)
			}
			for _, w := range append(c.want, "is not a usable Concord backup") {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("restore = %q, want it to name %q", err, w)
				}
			}
			if left := leftovers(t, dir); len(left) > 0 {
				t.Errorf("restore left %q behind", left)
			}
			// The same change in a backup with its checksum.
			withSum := append(damaged, f.data[len(bare):]...)
			dir, _, _, err = restoreBytes(t, withSum)
			if err == nil || !strings.Contains(err.Error(), "checksum does not match") {
				t.Errorf("restore with checksum = %v, want a checksum mismatch", err)
			}
			if left := leftovers(t, dir); len(left) > 0 {
				t.Errorf("restore left %q behind", left)
			}
		})
	}
}

func keyID(k []byte) string {
	var u uuid.UUID
	copy(u[:], k)
	return u.String()
}

// serveCheckInChild reads a restored database as the server would, in a
// child process: if restore let something through that crashes bbolt,
// the child dies, not the test.
func serveCheckInChild(t *testing.T, path string) error {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), serveCheckEnv+"="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v: %s", err, out)
	}
	return nil
}

// Random byte flips in an older backup (no checksum, so the walk must do
// all the work): each variant either restores into a database the store
// serves, or is refused with a message. Never a crash, never a temp file
// left behind.
func TestRestoreSurvivesFlippedBytes(t *testing.T) {
	t.Parallel()
	f := newBackupFixture(t)
	bare := f.withoutSum(t)
	var used []int // offsets of bytes that are not zero: pages' content
	for i, b := range bare {
		if b != 0 {
			used = append(used, i)
		}
	}
	// Each variant starts two children; under the race detector each
	// costs seconds, so fewer variants run there (the parent's code is
	// the same, and the children are what the flips exercise). The 200
	// run without the race detector (go test -run FlippedBytes
	// ./cmd/concord), and FuzzRestore, go further.
	variants := 200
	if raceEnabled || testing.Short() {
		variants = 16
	}
	rng := rand.New(rand.NewPCG(11, 5))
	var restored, refused atomic.Int32
	t.Run("variants", func(t *testing.T) {
		for v := range variants {
			data := bytes.Clone(bare)
			var flips []string
			for range 1 + rng.IntN(4) {
				at := rng.IntN(len(data))
				if v%2 == 0 {
					at = used[rng.IntN(len(used))]
				}
				mask := byte(1 + rng.IntN(255))
				data[at] ^= mask
				flips = append(flips, fmt.Sprintf("%d^%#x", at, mask))
			}
			t.Run(fmt.Sprint(v), func(t *testing.T) {
				t.Parallel()
				dir, target, _, err := restoreBytes(t, data)
				if err != nil {
					if !strings.Contains(err.Error(), "is not a usable Concord backup: ") {
						t.Errorf("flips %v: restore = %v, want a refusal naming the backup", flips, err)
					}
					if left := leftovers(t, dir); len(left) > 0 {
						t.Errorf("flips %v: refused, but left %q behind", flips, left)
					}
					refused.Add(1)
					return
				}
				if left := leftovers(t, dir); len(left) != 1 || left[0] != filepath.Base(target) {
					t.Errorf("flips %v: restored, and the directory holds %q", flips, left)
				}
				if err := serveCheckInChild(t, target); err != nil {
					t.Errorf("flips %v: restored, but the store cannot serve it: %v", flips, err)
				}
				restored.Add(1)
			})
		}
	})
	t.Logf("%d variants: %d restored, %d refused", variants, restored.Load(), refused.Load())
}

// The checksum catches what no record check can: a changed letter in a
// title is still a valid record. And a damaged checksum line is refused,
// not taken for an older backup without one.
func TestRestoreChecksTheChecksum(t *testing.T) {
	t.Parallel()
	f := newBackupFixture(t)
	bare := f.withoutSum(t)
	trailer := f.data[len(bare):]
	// A letter of the project's name, inside a JSON string.
	name := []byte(`"name":"Peer support`)
	sumHex := bytes.TrimSpace(trailer[bytes.LastIndexByte(trailer, ' '):])
	otherHex := bytes.Clone(sumHex)
	// Another hex digit in the first place (^1 would turn 'a' and 'f'
	// into characters that are not hex, a different refusal).
	if otherHex[0] == '0' {
		otherHex[0] = '1'
	} else {
		otherHex[0] = '0'
	}
	// withSum is the trailer with its digits replaced; the digits also
	// occur in the words before them ("sha256", "backup"), so a plain
	// replace could change those instead.
	head := trailer[:bytes.LastIndexByte(trailer, ' ')+1]
	withSum := func(hex []byte) []byte { return cat(head, hex, []byte("\n")) }
	cases := []struct {
		name string
		data []byte
		want string // "" for a restore that succeeds
	}{
		{"a changed letter", change(t, f.data, name, 9, 'p'), "checksum does not match"},
		{"a changed letter in an older backup", change(t, bare, name, 9, 'p'), ""},
		{"a changed checksum", cat(bare, withSum(otherHex)), "checksum does not match"},
		{"a damaged checksum line", cat(bare, bytes.Replace(trailer, []byte("sha256"), []byte("sha257"), 1)), "checksum line at the end is missing or damaged"},
		{"a checksum that is not hex", cat(bare, withSum(append([]byte("zz"), sumHex[2:]...))), "checksum line at the end is damaged"},
		{"the last byte cut", f.data[:len(f.data)-1], "checksum line at the end is missing or damaged"},
		{"half cut", f.data[:len(f.data)/2+1], "partly copied"},
		{"cut after a page", f.data[:len(f.data)/2/4096*4096], "it is truncated"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir, _, _, err := restoreBytes(t, c.data)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("restore = %v, want success", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("restore = %v, want a refusal saying %q", err, c.want)
			}
			if left := leftovers(t, dir); c.want != "" && len(left) > 0 {
				t.Errorf("restore left %q behind", left)
			}
		})
	}
}

// Every producer writes a checksum, and its backup restores: concord
// backup of a stopped database, concord backup --url of a running one,
// the scheduled backups (the administrator's download through the
// browser is in TestBrowserTeamAndSettings), and an older backup without
// a checksum, which restores with a note.
func TestRestoreGoodBackupsFromEveryProducer(t *testing.T) {
	t.Parallel()
	f := newBackupFixture(t)
	ts := startServer(t)
	rotated := filepath.Join(t.TempDir(), "rotated")
	startServer(t, "--backup-every", "1s", "--backup-dir", rotated, "--keep", "2")
	producers := []struct {
		name   string
		backup func(t *testing.T) string
		noSum  bool
	}{
		{"concord backup", func(t *testing.T) string { return f.path }, false},
		{"concord backup --url", func(t *testing.T) string {
			out := filepath.Join(t.TempDir(), "hot.db")
			if _, errOut, err := run(t, DemoPassword+"\n", "backup", "--url", ts.URL, "--user", "lead", out); err != nil {
				t.Fatalf("backup --url: %v %s", err, errOut)
			}
			return out
		}, false},
		{"--backup-every", func(t *testing.T) string {
			// A scheduled backup is written to a dot-named temp file and
			// renamed when whole; --keep 2 may prune it a second later, so
			// the test restores its own copy of a finished one.
			deadline := time.Now().Add(30 * time.Second)
			for time.Now().Before(deadline) {
				entries, _ := os.ReadDir(rotated)
				for _, e := range entries {
					if strings.HasPrefix(e.Name(), ".") || !strings.HasSuffix(e.Name(), ".db") {
						continue
					}
					if data, err := os.ReadFile(filepath.Join(rotated, e.Name())); err == nil {
						out := filepath.Join(t.TempDir(), e.Name())
						if err := os.WriteFile(out, data, 0o600); err != nil {
							t.Fatal(err)
						}
						return out
					}
				}
				time.Sleep(100 * time.Millisecond)
			}
			t.Fatal("no scheduled backup after 30s")
			return ""
		}, false},
		{"an older backup", func(t *testing.T) string {
			out := filepath.Join(t.TempDir(), "old.db")
			if err := os.WriteFile(out, f.withoutSum(t), 0o600); err != nil {
				t.Fatal(err)
			}
			return out
		}, true},
	}
	for _, p := range producers {
		t.Run(p.name, func(t *testing.T) {
			src := p.backup(t)
			dir := t.TempDir()
			target := filepath.Join(dir, "restored.db")
			out, _, err := run(t, "", "restore", src, "--db", target)
			if err != nil {
				t.Fatalf("restore: %v", err)
			}
			if note := strings.Contains(out, "no checksum to verify"); note != p.noSum {
				t.Errorf("restore said %q; a note about a missing checksum: %v, want %v", out, note, p.noSum)
			}
			if !strings.Contains(out, "Restored") || !strings.Contains(out, "codings") {
				t.Errorf("restore said %q, want what it restored", out)
			}
			if left := leftovers(t, dir); len(left) != 1 {
				t.Errorf("the directory holds %q, want only the database", left)
			}
			if info, err := os.Stat(target); err != nil || info.Size()%512 != 0 {
				t.Errorf("the restored file: %v, %v; want a database without the checksum line", info, err)
			}
			if got := mustRun(t, "projects", "list", "--db", target); !strings.Contains(got, "peer-support") {
				t.Errorf("the restored database lists %q", got)
			}
		})
	}
}

// FuzzRestore restores any bytes: restore must refuse them with a message
// or produce a database the store serves, and never leave a temporary
// file behind. The seeds are the demo's backup with and without its
// checksum. Every input is a whole file and starts the check in a child
// process, so this is slow (inputs per minute, not per second); the record
// checks are fuzzed fast in store.FuzzVerifyRecord.
// Run: go test -run XXX -fuzz FuzzRestore ./cmd/concord
func FuzzRestore(f *testing.F) {
	dir := f.TempDir()
	db := filepath.Join(dir, "live.db")
	st, err := openDB(db)
	if err != nil {
		f.Fatal(err)
	}
	if err := loadDemo(st, testBcryptCost); err != nil {
		f.Fatal(err)
	}
	if err := st.Close(); err != nil {
		f.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	mustRun(f, "backup", backup, "--db", db)
	data, err := os.ReadFile(backup)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:len(data)-88])
	f.Fuzz(func(t *testing.T, data []byte) {
		dir, target, _, err := restoreBytes(t, data)
		if err != nil {
			if !strings.Contains(err.Error(), "is not a usable Concord backup: ") {
				t.Errorf("restore = %v, want a refusal naming the backup", err)
			}
			if left := leftovers(t, dir); len(left) > 0 {
				t.Errorf("refused, but left %q behind", left)
			}
			return
		}
		if err := serveCheckInChild(t, target); err != nil {
			t.Errorf("restored, but the store cannot serve it: %v", err)
		}
	})
}
