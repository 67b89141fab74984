package store

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// VerifyReport counts what a verified database holds.
type VerifyReport struct {
	Users, Sessions, Projects, Members, Documents, Codes, Codings, Memos, Events, Decisions int
}

// String sums the report up for a person.
func (r *VerifyReport) String() string {
	return fmt.Sprintf("%d users, %d projects, %d documents, %d codes, %d codings, %d memos, %d decisions, %d events",
		r.Users, r.Projects, r.Documents, r.Codes, r.Codings, r.Memos, r.Decisions, r.Events)
}

// DamageError names a record the server could not serve: where it is (a
// bucket, inside a project when it is a project's), its key and what is
// wrong with it.
type DamageError struct {
	Where   string
	Key     string
	Problem string
}

func (e *DamageError) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("%s: %s", e.Where, e.Problem)
	}
	return fmt.Sprintf("%s, record %s: %s", e.Where, e.Key, e.Problem)
}

// Verify checks that the database file at path is one the server can
// serve: bbolt's own consistency check, then every record of every bucket
// decoded with the decoders the store uses at run time, then the links
// between records that reads follow (a coding's document, code and coder,
// a login's user, a slug's project …). It opens the file read-only and
// changes nothing.
//
// Anything it does not know is refused, not skipped: a bucket or key this
// Concord never writes is either damage (a changed byte in a known name,
// which would hide that data from the server) or data of a newer Concord
// that this one would not keep.
//
// bbolt trusts the pages of the file it maps. A fault while reading them
// is turned into an error here, but a damaged file can still crash or
// hang the process inside bbolt (its check recurses without bound on a
// page that refers to itself), so restore runs Verify in a child process.
func Verify(path string) (rep *VerifyReport, err error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.Size() == 0 {
		return nil, fmt.Errorf("it is empty")
	}
	if err := checkFileAs(path, "it"); err != nil {
		return nil, err
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		if errors.Is(err, berrors.ErrInvalid) || errors.Is(err, berrors.ErrVersionMismatch) || errors.Is(err, berrors.ErrChecksum) {
			return nil, fmt.Errorf("it is not a Concord database or is damaged: %w", err)
		}
		return nil, err
	}
	defer bdb.Close()
	// Reads past the end of the map or into a hole fault; in this
	// goroutine they become panics, which the recover below reports.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			rep, err = nil, fmt.Errorf("it is damaged: reading it failed (%v)", r)
		}
	}()
	rep = &VerifyReport{}
	err = bdb.View(func(tx *bolt.Tx) error {
		// Drain the whole check: it runs on its own goroutine, which
		// must be done with the map before the file is closed.
		var first error
		for e := range tx.Check() {
			if first == nil {
				first = e
			}
		}
		if first != nil {
			return fmt.Errorf("it fails bbolt's consistency check: %w", first)
		}
		v := &verifier{tx: tx, rep: rep, users: map[string]bool{}}
		return v.walk()
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// verifier walks one read transaction.
type verifier struct {
	tx    *bolt.Tx
	rep   *VerifyReport
	users map[string]bool // keys of the users bucket
	// importing is the key of the project an unfinished import was
	// writing: its slug is not registered yet (see importchunks.go).
	importing []byte
}

// topBuckets are the top-level buckets, in the order they are checked:
// users before what refers to them.
var topBuckets = [][]byte{bucketMeta, bucketUsers, bucketLogins, bucketProjects, bucketSlugs, bucketSessions}

func (v *verifier) walk() error {
	known := map[string]bool{}
	for _, name := range topBuckets {
		known[string(name)] = true
	}
	c := v.tx.Cursor()
	for k, val := c.First(); k != nil; k, val = c.Next() {
		if !known[string(k)] {
			return &DamageError{Where: "the top level", Key: showKey(k), Problem: "this Concord does not know this bucket (a damaged name, or a newer Concord's data)"}
		}
		if val != nil {
			return &DamageError{Where: "the top level", Key: showKey(k), Problem: "a record where a bucket belongs"}
		}
	}
	for _, name := range topBuckets {
		if v.tx.Bucket(name) == nil {
			return &DamageError{Where: "the top level", Key: showKey(name), Problem: "the bucket is missing"}
		}
	}
	for _, step := range []func() error{v.meta, v.userRecords, v.logins, v.projects, v.slugs, v.sessions} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func (v *verifier) meta() error {
	return records(v.tx.Bucket(bucketMeta), "bucket meta", func(k, val []byte) string {
		if bytes.Equal(k, keyImport) {
			// An import the process did not finish: the next writable
			// open removes it.
			var j importJournal
			if p := decodeStrict(val, &j); p != "" {
				return p
			}
			key, err := idKey("project", j.Project)
			if err != nil {
				return fmt.Sprintf("the unfinished import names project %q, not a UUID", j.Project)
			}
			v.importing = key
			return ""
		}
		if !bytes.Equal(k, keySchema) {
			return "this Concord does not know this key"
		}
		if len(val) != 4 {
			return "the schema version is damaged"
		}
		if s := binary.BigEndian.Uint32(val); s > schemaVersion {
			return fmt.Sprintf("it was written by a newer Concord (schema %d, this one reads up to %d)", s, schemaVersion)
		}
		return ""
	})
}

func (v *verifier) userRecords() error {
	return records(v.tx.Bucket(bucketUsers), "bucket users", func(k, val []byte) string {
		if len(k) != 16 {
			return badKey(k, 16)
		}
		var r userRecord
		if p := decodeStrict(val, &r); p != "" {
			return p
		}
		if r.ID != keyID(k) {
			return fmt.Sprintf("the user's id %q does not match its key", r.ID)
		}
		if err := r.Validate(); err != nil {
			return coding.ErrorMessage(err)
		}
		if got := v.tx.Bucket(bucketLogins).Get([]byte(r.Login)); !bytes.Equal(got, k) {
			return fmt.Sprintf("the login %q does not lead to this user", r.Login)
		}
		v.users[string(k)] = true
		v.rep.Users++
		return ""
	})
}

func (v *verifier) logins() error {
	users := v.tx.Bucket(bucketUsers)
	return records(v.tx.Bucket(bucketLogins), "bucket logins", func(k, val []byte) string {
		if !v.users[string(val)] {
			return "the login names a user who does not exist"
		}
		var r userRecord
		decodeJSON(users.Get(val), &r) // checked above
		if r.Login != string(k) {
			return fmt.Sprintf("the login names user %s, whose login is %q", keyID(val), r.Login)
		}
		return ""
	})
}

func (v *verifier) slugs() error {
	projects := v.tx.Bucket(bucketProjects)
	return records(v.tx.Bucket(bucketSlugs), "bucket slugs", func(k, val []byte) string {
		if len(val) != 16 || projects.Bucket(val) == nil {
			return "the slug names a project that does not exist"
		}
		var p coding.Project
		decodeJSON(projects.Bucket(val).Get(keyProject), &p) // checked in projects
		if p.Slug != string(k) {
			return fmt.Sprintf("the slug names project %s, whose slug is %q", keyID(val), p.Slug)
		}
		return ""
	})
}

func (v *verifier) sessions() error {
	return records(v.tx.Bucket(bucketSessions), "bucket sessions", func(k, val []byte) string {
		if len(k) != 32 {
			return badKey(k, 32)
		}
		var s coding.Session
		if p := decodeStrict(val, &s); p != "" {
			return p
		}
		uk, err := idKey("user", s.UserID)
		if err != nil || !v.users[string(uk)] {
			return fmt.Sprintf("the session's user %q does not exist", s.UserID)
		}
		v.rep.Sessions++
		return ""
	})
}

func (v *verifier) projects() error {
	projects := v.tx.Bucket(bucketProjects)
	c := projects.Cursor()
	for k, val := c.First(); k != nil; k, val = c.Next() {
		if len(k) != 16 {
			return &DamageError{Where: "bucket projects", Key: showKey(k), Problem: badKey(k, 16)}
		}
		if val != nil {
			return &DamageError{Where: "bucket projects", Key: showKey(k), Problem: "a record where a project's bucket belongs"}
		}
		if err := v.project(k, projects.Bucket(k)); err != nil {
			return err
		}
		v.rep.Projects++
	}
	return nil
}

// projectParts are the keys of a project's bucket; required buckets must
// be there, the others may be missing in a project made before they
// existed (see projectBuckets).
var projectParts = map[string]struct{ bucket, required bool }{
	string(keyProject):        {false, true},
	string(keyEventFloor):     {false, false},
	string(bucketMembers):     {true, true},
	string(bucketDocs):        {true, true},
	string(bucketTexts):       {true, true},
	string(bucketCodes):       {true, true},
	string(bucketCodings):     {true, true},
	string(bucketCodingDocs):  {true, true},
	string(bucketMemos):       {true, true},
	string(bucketEvents):      {true, true},
	string(bucketDecisions):   {true, false},
	string(bucketAssignments): {true, false},
	string(bucketTrash):       {true, false},
	string(keyDocOrder):       {false, false},
}

// project checks one project's bucket.
func (v *verifier) project(key []byte, pb *bolt.Bucket) error {
	id := keyID(key)
	where := "project " + id
	c := pb.Cursor()
	for k, val := c.First(); k != nil; k, val = c.Next() {
		part, ok := projectParts[string(k)]
		switch {
		case !ok:
			return &DamageError{Where: where, Key: showKey(k), Problem: "this Concord does not know this key (a damaged name, or a newer Concord's data)"}
		case part.bucket && val != nil:
			return &DamageError{Where: where, Key: showKey(k), Problem: "a record where a bucket belongs"}
		case !part.bucket && val == nil:
			return &DamageError{Where: where, Key: showKey(k), Problem: "a bucket where a record belongs"}
		}
	}
	for name, part := range projectParts {
		if part.required && part.bucket && pb.Bucket([]byte(name)) == nil || part.required && !part.bucket && pb.Get([]byte(name)) == nil {
			return &DamageError{Where: where, Key: showKey([]byte(name)), Problem: "missing"}
		}
	}
	var p coding.Project
	if problem := decodeStrict(pb.Get(keyProject), &p); problem != "" {
		return &DamageError{Where: where, Key: `"project"`, Problem: problem}
	}
	if p.ID != id {
		return &DamageError{Where: where, Key: `"project"`, Problem: fmt.Sprintf("the project's id %q does not match its bucket", p.ID)}
	}
	if err := p.Validate(); err != nil {
		return &DamageError{Where: where, Key: `"project"`, Problem: coding.ErrorMessage(err)}
	}
	if got := v.tx.Bucket(bucketSlugs).Get([]byte(p.Slug)); !bytes.Equal(got, key) && (got != nil || !bytes.Equal(key, v.importing)) {
		return &DamageError{Where: where, Key: `"project"`, Problem: fmt.Sprintf("the slug %q does not lead to this project", p.Slug)}
	}
	if floor := pb.Get(keyEventFloor); floor != nil && len(floor) != 8 {
		return &DamageError{Where: where, Key: `"event-floor"`, Problem: "damaged"}
	}
	pv := &projectVerifier{verifier: v, pb: pb, id: id, name: fmt.Sprintf("project %q (%s)", p.Slug, id), docs: map[string]*coding.Document{}}
	for _, step := range []func() error{pv.members, pv.documents, pv.texts, pv.codes, pv.codings, pv.codingDocs, pv.memos, pv.decisions, pv.assignments, pv.trash, pv.order, pv.events} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// projectVerifier checks the buckets of one project.
type projectVerifier struct {
	*verifier
	pb       *bolt.Bucket
	id, name string
	docs     map[string]*coding.Document // by id, with Length
	codebook *coding.Codebook
	nCodings int
}

func (v *projectVerifier) where(bucket []byte) string { return v.name + ", bucket " + string(bucket) }

func (v *projectVerifier) members() error {
	return records(v.pb.Bucket(bucketMembers), v.where(bucketMembers), func(k, val []byte) string {
		if len(k) != 16 {
			return badKey(k, 16)
		}
		if !v.users[string(k)] {
			return "the member is not a user"
		}
		if !coding.Role(val).Valid() {
			return fmt.Sprintf("the role %q is not lead, coder or viewer", showKey(val))
		}
		v.rep.Members++
		return ""
	})
}

func (v *projectVerifier) documents() error {
	texts := v.pb.Bucket(bucketTexts)
	return records(v.pb.Bucket(bucketDocs), v.where(bucketDocs), func(k, val []byte) string {
		if len(k) != 16 {
			return badKey(k, 16)
		}
		d := new(coding.Document)
		if p := decodeStrict(val, d); p != "" {
			return p
		}
		if d.ID != keyID(k) || d.ProjectID != v.id {
			return fmt.Sprintf("the document's id %q or project %q does not match where it is", d.ID, d.ProjectID)
		}
		if d.Text != "" {
			return "the document's record holds text, which belongs in bucket texts"
		}
		text, ok := get(texts, k)
		if !ok {
			return "the document has no text"
		}
		// Validate computes the length from the text; the stored one
		// must agree, or codings are checked against the wrong end.
		stored := d.Length
		d.Text = string(text)
		if err := d.Validate(); err != nil {
			return coding.ErrorMessage(err)
		}
		if d.Length != stored {
			return fmt.Sprintf("the document says it is %d characters long, its text is %d", stored, d.Length)
		}
		d.Text = ""
		v.docs[d.ID] = d
		v.rep.Documents++
		return ""
	})
}

func (v *projectVerifier) texts() error {
	return records(v.pb.Bucket(bucketTexts), v.where(bucketTexts), func(k, val []byte) string {
		if len(k) != 16 || v.docs[keyID(k)] == nil {
			return "a text without its document"
		}
		return ""
	})
}

func (v *projectVerifier) codes() error {
	var codes []coding.Code
	err := records(v.pb.Bucket(bucketCodes), v.where(bucketCodes), func(k, val []byte) string {
		if len(k) != 16 {
			return badKey(k, 16)
		}
		var c coding.Code
		if p := decodeStrict(val, &c); p != "" {
			return p
		}
		if c.ID != keyID(k) || c.ProjectID != v.id {
			return fmt.Sprintf("the code's id %q or project %q does not match where it is", c.ID, c.ProjectID)
		}
		if err := c.Validate(); err != nil {
			return coding.ErrorMessage(err)
		}
		codes = append(codes, c)
		return ""
	})
	if err != nil {
		return err
	}
	parents := map[string]string{}
	for _, c := range codes {
		parents[c.ID] = c.ParentID
	}
	for _, c := range codes {
		// Up the tree: every parent exists and the walk ends at a root
		// within as many steps as there are codes.
		at := c.ParentID
		for steps := 0; at != ""; steps++ {
			parent, ok := parents[at]
			if !ok {
				return &DamageError{Where: v.where(bucketCodes), Key: c.ID, Problem: fmt.Sprintf("the code's parent %s does not exist", at)}
			}
			if steps > len(codes) {
				return &DamageError{Where: v.where(bucketCodes), Key: c.ID, Problem: "the code is its own ancestor"}
			}
			at = parent
		}
	}
	v.codebook = coding.NewCodebook(codes)
	v.rep.Codes += len(codes)
	return nil
}

func (v *projectVerifier) codings() error {
	codingDocs := v.pb.Bucket(bucketCodingDocs)
	return records(v.pb.Bucket(bucketCodings), v.where(bucketCodings), func(k, val []byte) string {
		var c coding.Coding
		if err := decodeCoding(k, val, v.id, &c, nil); err != nil {
			return "damaged coding record"
		}
		if err := coding.ValidateCoding(&c, v.docs[c.DocumentID], v.codebook); err != nil {
			return coding.ErrorMessage(err)
		}
		if ck, _ := idKey("coder", c.CoderID); c.CoderID != coding.ConsensusCoder && !v.users[string(ck)] {
			return fmt.Sprintf("the coder %s is not a user", c.CoderID)
		}
		if doc, _ := get(codingDocs, k[16:]); !bytes.Equal(doc, k[:16]) {
			return "the coding is missing from the index of codings by id"
		}
		v.nCodings++
		v.rep.Codings++
		return ""
	})
}

func (v *projectVerifier) codingDocs() error {
	codings := v.pb.Bucket(bucketCodings)
	n := 0
	err := records(v.pb.Bucket(bucketCodingDocs), v.where(bucketCodingDocs), func(k, val []byte) string {
		if len(k) != 16 || len(val) != 16 {
			return "damaged index entry"
		}
		if _, ok := get(codings, cat(val, k)); !ok {
			return "the index names a coding that does not exist"
		}
		n++
		return ""
	})
	if err == nil && n != v.nCodings {
		err = &DamageError{Where: v.where(bucketCodingDocs), Problem: fmt.Sprintf("the index holds %d codings, the project %d", n, v.nCodings)}
	}
	return err
}

func (v *projectVerifier) memos() error {
	return records(v.pb.Bucket(bucketMemos), v.where(bucketMemos), func(k, val []byte) string {
		if len(k) != 16 {
			return badKey(k, 16)
		}
		var m coding.Memo
		if p := decodeStrict(val, &m); p != "" {
			return p
		}
		if m.ID != keyID(k) || m.ProjectID != v.id {
			return fmt.Sprintf("the memo's id %q or project %q does not match where it is", m.ID, m.ProjectID)
		}
		if err := m.Validate(); err != nil {
			return coding.ErrorMessage(err)
		}
		v.rep.Memos++
		return ""
	})
}

func (v *projectVerifier) decisions() error {
	b := v.pb.Bucket(bucketDecisions)
	if b == nil {
		return nil // a project made before decisions were stored
	}
	return records(b, v.where(bucketDecisions), func(k, val []byte) string {
		var d coding.Decision
		if p := decodeStrict(val, &d); p != "" {
			return p
		}
		if d.Key != string(k) {
			return "the decision's key does not match where it is"
		}
		if err := d.Validate(); err != nil {
			return coding.ErrorMessage(err)
		}
		v.rep.Decisions++
		return ""
	})
}

// assignments checks the assignments and done marks: the server looks up
// each one's document when it lists them and compares agreement by them.
func (v *projectVerifier) assignments() error {
	b := v.pb.Bucket(bucketAssignments)
	if b == nil {
		return nil // a project made before assignments were stored
	}
	return records(b, v.where(bucketAssignments), func(k, val []byte) string {
		if len(k) != 32 {
			return badKey(k, 32)
		}
		var a coding.Assignment
		if p := decodeStrict(val, &a); p != "" {
			return p
		}
		if a.Document != keyID(k[:16]) || a.Coder != keyID(k[16:]) {
			return "the assignment's document or coder does not match where it is"
		}
		if v.docs[a.Document] == nil {
			return fmt.Sprintf("document %s does not exist", a.Document)
		}
		if !v.users[string(k[16:])] {
			return fmt.Sprintf("coder %s is not a user", a.Coder)
		}
		if !a.Counts() {
			return "an assignment that is neither assigned nor done is never stored"
		}
		return ""
	})
}

func (v *projectVerifier) events() error {
	b := v.pb.Bucket(bucketEvents)
	last := b.Sequence()
	return records(b, v.where(bucketEvents), func(k, val []byte) string {
		if len(k) != 8 {
			return badKey(k, 8)
		}
		seq := binary.BigEndian.Uint64(k)
		if seq == 0 || seq > last {
			return fmt.Sprintf("sequence number %d is outside the log (1 to %d)", seq, last)
		}
		var ev coding.Event
		if p := decodeStrict(val, &ev); p != "" {
			return p
		}
		if ev.Seq != seq || ev.ProjectID != v.id || ev.Type == "" {
			return fmt.Sprintf("the event's sequence number %d, project %q or type %q does not match where it is", ev.Seq, ev.ProjectID, ev.Type)
		}
		v.rep.Events++
		return ""
	})
}

// records runs check on every key of b and turns the first problem into
// a DamageError. A nested bucket where records belong is a problem too.
func records(b *bolt.Bucket, where string, check func(k, v []byte) string) error {
	c := b.Cursor()
	for k, val := c.First(); k != nil; k, val = c.Next() {
		problem := "a bucket where a record belongs"
		if val != nil {
			problem = check(k, val)
		}
		if problem != "" {
			return &DamageError{Where: where, Key: showKey(k), Problem: problem}
		}
	}
	return nil
}

// get returns the record under key and whether there is one (an empty
// value counts, a nested bucket does not).
func get(b *bolt.Bucket, key []byte) ([]byte, bool) {
	k, v := b.Cursor().Seek(key)
	return v, k != nil && v != nil && bytes.Equal(k, key)
}

// decodeStrict decodes a JSON record with the store's run-time decoder,
// then again refusing fields the type does not have: a changed byte in a
// field's name would otherwise lose that field without a word.
func decodeStrict(data []byte, v any) string {
	if err := decodeJSON(data, v); err != nil {
		return "damaged record (" + strings.TrimPrefix(err.Error(), "store: damaged record: ") + ")"
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return "damaged record (" + err.Error() + ")"
	}
	return ""
}

func badKey(k []byte, want int) string {
	return fmt.Sprintf("the key is %d bytes long, want %d", len(k), want)
}

// showKey prints a key for a person: an id as a UUID, text as text, other
// bytes in hex.
func showKey(k []byte) string {
	if utf8.Valid(k) && !bytes.ContainsFunc(k, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return fmt.Sprintf("%q", k)
	}
	if len(k) == 16 {
		return keyID(k)
	}
	return hex.EncodeToString(k)
}
