package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/concordqda/concord/coding"
)

// Codings are the most numerous records, so they use a compact binary form
// instead of JSON (decoding JSON costs more than the rest of a read):
//
//	version(1) code(16) coder(16) start(uvarint) end(uvarint)
//	created(varint unix nanoseconds) memo length(uvarint) memo
//
// The coding's id and document come from its key, the project from its
// bucket.
const codingRecordV1 = 1

func encodeCoding(c *coding.Coding, code, coder []byte) []byte {
	b := make([]byte, 0, 1+32+3*binary.MaxVarintLen64+len(c.Memo)+2)
	b = append(b, codingRecordV1)
	b = append(b, code...)
	b = append(b, coder...)
	b = binary.AppendUvarint(b, uint64(c.Start))
	b = binary.AppendUvarint(b, uint64(c.End))
	b = binary.AppendVarint(b, c.Created.UnixNano())
	b = binary.AppendUvarint(b, uint64(len(c.Memo)))
	return append(b, c.Memo...)
}

// codingHead is the fixed part of a coding record and its span: what
// counting codings needs, read without making text of any id.
type codingHead struct {
	code, coder []byte // raw ids, pointing into the record
	start, end  uint64
	rest        []byte // created and memo
}

// decodeCodingHead reads a coding record up to its span.
func decodeCodingHead(key, v []byte) (codingHead, error) {
	if len(key) != 32 || len(v) < 33 || v[0] != codingRecordV1 {
		return codingHead{}, damagedCoding(key)
	}
	h := codingHead{code: v[1:17], coder: v[17:33]}
	v = v[33:]
	var n int
	if h.start, n = binary.Uvarint(v); n <= 0 {
		return codingHead{}, damagedCoding(key)
	}
	v = v[n:]
	if h.end, n = binary.Uvarint(v); n <= 0 {
		return codingHead{}, damagedCoding(key)
	}
	h.rest = v[n:]
	return h, nil
}

func damagedCoding(key []byte) error {
	return fmt.Errorf("store: damaged coding record %x", key)
}

// idReader makes the text of raw ids for one scan. A project's 200,000
// codings name only hundreds of documents, codes and coders, so those are
// made once each (shared); each coding's own id is written into a run of
// text shared by a thousand ids, one allocation instead of a thousand. A
// nil idReader makes a new string every time.
type idReader struct {
	shared map[[16]byte]string
	text   strings.Builder
}

func newIDReader() *idReader { return &idReader{shared: map[[16]byte]string{}} }

// id returns the text of an id that recurs across the scan.
func (r *idReader) id(k []byte) string {
	if r == nil {
		return keyID(k)
	}
	a := [16]byte(k)
	s, ok := r.shared[a]
	if !ok {
		s = keyID(k)
		r.shared[a] = s
	}
	return s
}

// idTextRun is how many ids share one allocation: small enough that a
// coding kept alone keeps little else alive.
const idTextRun = 1024

// unique returns the text of an id seen once in the scan. The builder
// only ever appends, so the strings already taken from it stay as they
// are; a full builder is replaced, not reused.
func (r *idReader) unique(k []byte) string {
	if r == nil {
		return keyID(k)
	}
	if r.text.Cap()-r.text.Len() < 36 {
		r.text = strings.Builder{}
		r.text.Grow(36 * idTextRun)
	}
	n := r.text.Len()
	var b [36]byte
	coding.AppendUUID(b[:0], [16]byte(k))
	r.text.Write(b[:])
	return r.text.String()[n:]
}

func decodeCoding(key, v []byte, projectID string, c *coding.Coding, ids *idReader) error {
	h, err := decodeCodingHead(key, v)
	if err != nil {
		return err
	}
	v = h.rest
	created, n := binary.Varint(v)
	if n <= 0 {
		return damagedCoding(key)
	}
	v = v[n:]
	ml, n := binary.Uvarint(v)
	if n <= 0 || uint64(len(v)-n) < ml {
		return damagedCoding(key)
	}
	c.ProjectID = projectID
	c.DocumentID = ids.id(key[:16])
	c.ID = ids.unique(key[16:])
	c.CodeID = ids.id(h.code)
	c.CoderID = ids.id(h.coder)
	c.Start, c.End = int(h.start), int(h.end)
	c.Created = time.Unix(0, created).UTC()
	c.Memo = ""
	if ml > 0 {
		c.Memo = string(v[n : n+int(ml)])
	}
	return nil
}

func encodeJSON(v any) ([]byte, error) {
	return json.Marshal(v)
}

// decodeJSON decodes a stored record. json.Unmarshal copies strings, so
// the result stays valid after the transaction ends.
func decodeJSON(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("store: damaged record: %w", err)
	}
	return nil
}
