package main

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/store"
	"github.com/google/uuid"
)

// backupFixture is a backup of the demo database with a memo, a decision
// and a session added, and the ids a test needs to find records in it.
type backupFixture struct {
	dir, path             string
	project, doc, ana     []byte // keys
	coding                []byte // document + coding key
	memo, session, slugID []byte
	data                  []byte // the backup's bytes
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
