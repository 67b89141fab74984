package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

// verifyFixture is a closed database file with a project, a document,
// codes, a coding, a memo, a decision and a session, and the keys of
// what a test damages.
type verifyFixture struct {
	path                         string
	project, doc, ana, code, cod []byte
}

func newVerifyFixture(t testing.TB) *verifyFixture {
	t.Helper()
	// Not openTest: its cleanup reopens the file, which some damage
	// (a newer schema) refuses.
	db, err := Open(filepath.Join(t.TempDir(), "v.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := newFixtureIn(t, db)
	c := f.coding(f.financial, f.ana, 3, 10)
	if _, err := f.db.AddCoding(c, f.ana.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.SaveMemo(&coding.Memo{ProjectID: f.project.ID, CodeID: f.trust.ID, AuthorID: f.lead.ID, Text: "Define it."}, f.lead.ID); err != nil {
		t.Fatal(err)
	}
	d := &coding.Decision{Key: "k1", Document: f.doc.ID, Code: f.trust.ID, CoderA: f.ana.ID, CoderB: f.ben.ID, Start: 1, End: 4, Decided: coding.DecisionRejected}
	if _, err := f.db.SetDecision(f.project.ID, d, f.lead.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.db.SetDone(f.project.ID, f.doc.ID, f.ana.ID, true, f.ana.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.db.CreateSession(f.ben.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Close(); err != nil {
		t.Fatal(err)
	}
	k := func(id string) []byte { u := uuid.MustParse(id); return u[:] }
	return &verifyFixture{path: f.db.Path(), project: k(f.project.ID), doc: k(f.doc.ID), ana: k(f.ana.ID), code: k(f.financial.ID), cod: cat(k(f.doc.ID), k(c.ID))}
}

// damage changes the file directly, past the store's own checks.
func (f *verifyFixture) damage(t testing.TB, fn func(tx *bolt.Tx, pb *bolt.Bucket) error) {
	t.Helper()
	db, err := bolt.Open(f.path, 0o600, &bolt.Options{NoFreelistSync: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error {
		return fn(tx, tx.Bucket(bucketProjects).Bucket(f.project))
	}); err != nil {
		t.Fatal(err)
	}
}

// rewrite decodes a JSON record, lets change alter the decoded map and
// stores it again.
func rewrite(b *bolt.Bucket, key []byte, change func(m map[string]any)) error {
	var m map[string]any
	if err := decodeJSON(b.Get(key), &m); err != nil {
		return err
	}
	change(m)
	data, err := encodeJSON(m)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

func TestVerifyRefusesWhatTheServerCouldNotServe(t *testing.T) {
	t.Parallel()
	other := uuid.New()
	cases := []struct {
		name   string
		damage func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error
		want   string
	}{
		{"unknown top-level bucket", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			_, err := tx.CreateBucket([]byte("userz"))
			return err
		}, `the top level, record "userz": this Concord does not know this bucket`},
		{"missing top-level bucket", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return tx.DeleteBucket(bucketSessions)
		}, `record "sessions": the bucket is missing`},
		{"missing project bucket", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return pb.DeleteBucket(bucketCodes)
		}, `record "codes": missing`},
		{"unknown key in a project", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return pb.Put([]byte("projekt"), []byte("{}"))
		}, `record "projekt": this Concord does not know this key`},
		{"a bucket where a record belongs", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			_, err := pb.Bucket(bucketDocs).CreateBucket([]byte("nested"))
			return err
		}, `bucket docs, record "nested": a bucket where a record belongs`},
		{"newer schema", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint32(nil, schemaVersion+1))
		}, "written by a newer Concord"},
		{"user key of the wrong length", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return tx.Bucket(bucketUsers).Put([]byte("short"), []byte("{}"))
		}, `bucket users, record "short": the key is 5 bytes long, want 16`},
		{"login of another user", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return tx.Bucket(bucketLogins).Put([]byte("ana"), other[:])
		}, `the login "ana" does not lead to this user`},
		{"session of no user", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return tx.Bucket(bucketSessions).Put(bytes.Repeat([]byte{7}, 32), []byte(`{"user":"`+other.String()+`"}`))
		}, "does not exist"},
		{"member who is no user", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return pb.Bucket(bucketMembers).Put(other[:], []byte("coder"))
		}, "bucket members, record " + other.String() + ": the member is not a user"},
		{"unknown role", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return pb.Bucket(bucketMembers).Put(f.ana, []byte("coter"))
		}, `the role "\"coter\"" is not lead`},
		{"document length", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return rewrite(pb.Bucket(bucketDocs), f.doc, func(m map[string]any) { m["length"] = 3 })
		}, "says it is 3 characters long"},
		{"document id", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return rewrite(pb.Bucket(bucketDocs), f.doc, func(m map[string]any) { m["id"] = other.String() })
		}, "does not match where it is"},
		{"document without text", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return pb.Bucket(bucketTexts).Delete(f.doc)
		}, "the document has no text"},
		{"text without document", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return pb.Bucket(bucketTexts).Put(other[:], []byte("x"))
		}, "a text without its document"},
		{"code with a missing parent", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return rewrite(pb.Bucket(bucketCodes), f.code, func(m map[string]any) { m["parent"] = other.String() })
		}, "parent " + other.String() + " does not exist"},
		{"codes in a circle", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			var parent string
			if err := rewrite(pb.Bucket(bucketCodes), f.code, func(m map[string]any) { parent = m["parent"].(string) }); err != nil {
				return err
			}
			pk := uuid.MustParse(parent)
			return rewrite(pb.Bucket(bucketCodes), pk[:], func(m map[string]any) { m["parent"] = keyID(f.code) })
		}, "its own ancestor"},
		{"coding key of the wrong length", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return pb.Bucket(bucketCodings).Put(f.cod[:31], pb.Bucket(bucketCodings).Get(f.cod))
		}, "damaged coding record"},
		{"coding of no document", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return pb.Bucket(bucketCodings).Put(cat(other[:], f.cod[16:]), pb.Bucket(bucketCodings).Get(f.cod))
		}, "document " + other.String() + " does not exist"},
		{"coding past the end", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			c := coding.Coding{Start: 3, End: 1000}
			return pb.Bucket(bucketCodings).Put(f.cod, encodeCoding(&c, f.code, f.ana))
		}, "reaches past the end"},
		{"coding by no user", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			c := coding.Coding{Start: 3, End: 10}
			return pb.Bucket(bucketCodings).Put(f.cod, encodeCoding(&c, f.code, other[:]))
		}, "the coder " + other.String() + " is not a user"},
		{"coding missing from its index", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return pb.Bucket(bucketCodingDocs).Delete(f.cod[16:])
		}, "missing from the index"},
		{"index of no coding", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return pb.Bucket(bucketCodingDocs).Put(other[:], f.doc)
		}, "the index names a coding that does not exist"},
		{"event past the log", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			b := pb.Bucket(bucketEvents)
			return b.Put(u64(b.Sequence()+1), []byte(`{}`))
		}, "is outside the log"},
		{"event with a stray field", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return rewrite(pb.Bucket(bucketEvents), u64(1), func(m map[string]any) { m["tipe"] = m["type"] })
		}, `record 0000000000000001: damaged record (json: unknown field "tipe")`},
		{"decision under another key", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			b := pb.Bucket(bucketDecisions)
			return b.Put([]byte("k2"), b.Get([]byte("k1")))
		}, "the decision's key does not match"},
		{"assignment under another coder", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			b := pb.Bucket(bucketAssignments)
			k, v := b.Cursor().First()
			other := uuid.New()
			return b.Put(cat(k[:16], other[:]), v)
		}, "the assignment's document or coder does not match"},
		{"assignment of a missing document", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			b := pb.Bucket(bucketAssignments)
			other := uuid.New()
			return b.Put(cat(other[:], f.ana), []byte(`{"document":"`+other.String()+`","coder":"`+keyID(f.ana)+`","assigned":true,"done":false}`))
		}, "does not exist"},
		{"event floor", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return pb.Put(keyEventFloor, []byte{1})
		}, `record "event-floor": damaged`},
		{"trash of a missing document", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			b, err := pb.CreateBucketIfNotExists(bucketTrash)
			if err != nil {
				return err
			}
			return b.Put(other[:], []byte(`{"deleted":"2026-01-01T00:00:00Z","by":"x"}`))
		}, "the trash holds a document that does not exist"},
		{"trash record with a stray field", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			b, err := pb.CreateBucketIfNotExists(bucketTrash)
			if err != nil {
				return err
			}
			return b.Put(f.doc, []byte(`{"deleted":"2026-01-01T00:00:00Z","bye":"x"}`))
		}, `unknown field "bye"`},
		{"order naming a missing document", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return pb.Put(keyDocOrder, []byte(`["`+keyID(f.doc)+`","`+other.String()+`"]`))
		}, "which is not a document or is named twice"},
		{"order that is not a list", func(f *verifyFixture, tx *bolt.Tx, pb *bolt.Bucket) error {
			return pb.Put(keyDocOrder, []byte(`{}`))
		}, `record "document-order": damaged record`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newVerifyFixture(t)
			if _, err := Verify(f.path); err != nil {
				t.Fatalf("Verify(fixture) = %v, want nil", err)
			}
			f.damage(t, func(tx *bolt.Tx, pb *bolt.Bucket) error { return c.damage(f, tx, pb) })
			_, err := Verify(f.path)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Verify(%s) = %v, want an error containing %q", c.name, err, c.want)
			}
		})
	}
}

func TestVerifyCountsASoundDatabase(t *testing.T) {
	t.Parallel()
	f := newVerifyFixture(t)
	rep, err := Verify(f.path)
	if err != nil {
		t.Fatal(err)
	}
	want := VerifyReport{Users: 3, Sessions: 1, Projects: 1, Members: 3, Documents: 1, Codes: 4, Codings: 1, Memos: 1, Decisions: 1}
	want.Events = rep.Events // the count of events is the store's business
	if *rep != want || rep.Events == 0 {
		t.Errorf("Verify = %+v, want %+v with events", *rep, want)
	}
}

// readAll reads everything the server reads through the store.
func readAll(db *DB) error {
	if _, err := db.Users(); err != nil {
		return err
	}
	projects, err := db.Projects()
	if err != nil {
		return err
	}
	for _, p := range projects {
		docs, err := db.Documents(p.ID)
		if err != nil {
			return err
		}
		for _, d := range docs {
			if _, err := db.Document(p.ID, d.ID); err != nil {
				return err
			}
		}
		members, err := db.Members(p.ID)
		if err != nil {
			return err
		}
		for _, m := range members {
			if _, err := db.User(m.UserID); err != nil {
				return err
			}
		}
		reads := []func() error{
			func() error { _, err := db.ProjectBySlug(p.Slug); return err },
			func() error { _, err := db.Codes(p.ID); return err },
			func() error { _, err := db.Codings(p.ID, coding.CodingFilter{}); return err },
			func() error { _, err := db.Memos(p.ID); return err },
			func() error { _, err := db.Events(p.ID, 0, 0); return err },
			func() error { _, err := db.Decisions(p.ID, ""); return err },
			func() error { _, err := db.Assignments(p.ID); return err },
			func() error { _, err := db.ProjectData(p.ID, coding.CodingFilter{}); return err },
			func() error { _, err := db.Progress(p.ID); return err },
		}
		for i, read := range reads {
			if err := read(); err != nil {
				return fmt.Errorf("read %d of project %s: %w", i, p.Slug, err)
			}
		}
	}
	return nil
}

// FuzzVerifyRecord stores any key and value in one of the record buckets
// of a sound database. Verify must never panic, and whatever it lets
// through the store must read without an error.
func FuzzVerifyRecord(f *testing.F) {
	fx := newVerifyFixture(f)
	pristine, err := os.ReadFile(fx.path)
	if err != nil {
		f.Fatal(err)
	}
	buckets := [][]byte{bucketUsers, bucketLogins, bucketSlugs, bucketSessions, bucketMembers, bucketDocs, bucketTexts, bucketCodes, bucketCodings, bucketCodingDocs, bucketMemos, bucketEvents, bucketDecisions, bucketAssignments}
	f.Add(uint8(8), fx.cod, []byte{1})
	f.Add(uint8(5), fx.doc, []byte(`{"id":"`+keyID(fx.doc)+`","project":"`+keyID(fx.project)+`","title":"T","length":1,"attributes":{}}`))
	f.Add(uint8(4), fx.ana, []byte("lead"))
	f.Add(uint8(11), u64(1), []byte(`{"seq":1}`))
	f.Add(uint8(0), fx.ana, []byte(`{"id":"`+keyID(fx.ana)+`","login":"ana","name":"A","hash":"eA=="}`))
	f.Fuzz(func(t *testing.T, which uint8, key, value []byte) {
		if len(key) == 0 || len(key) > bolt.MaxKeySize {
			return
		}
		path := filepath.Join(t.TempDir(), "f.db")
		if err := os.WriteFile(path, pristine, 0o600); err != nil {
			t.Fatal(err)
		}
		name := buckets[int(which)%len(buckets)]
		v := &verifyFixture{path: path, project: fx.project}
		v.damage(t, func(tx *bolt.Tx, pb *bolt.Bucket) error {
			b := tx.Bucket(name)
			if b == nil {
				b = pb.Bucket(name)
			}
			if b.Bucket(key) != nil {
				return nil
			}
			return b.Put(key, value)
		})
		if _, err := Verify(path); err != nil {
			return
		}
		db, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("Verify passed %s[%x] = %q, but Open fails: %v", name, key, value, err)
		}
		defer db.Close()
		if err := readAll(db); err != nil {
			t.Fatalf("Verify passed %s[%x] = %q, but the store fails: %v", name, key, value, err)
		}
	})
}
