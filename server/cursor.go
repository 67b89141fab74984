package server

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/concordqda/concord/coding"
)

// A coder blinded to the other coders' work must not be able to count it,
// and every event carries the project's global sequence number: the gaps
// between the numbers a blinded coder sees would count the hidden events,
// and so would the head number in a project's or a document's answer.
// Blinded callers are given cursors instead: the sequence number sealed
// with AES-GCM under a key made when the server starts, with a fresh
// random nonce every time. Two cursors for the same position differ, and
// nothing can be learnt from a cursor but by handing it back as "since".
// A server that restarts has a new key, so old cursors no longer open:
// the client is told to reload, as for a position the log no longer
// reaches.

// cursorKeySize is the AES-256 key length.
const cursorKeySize = 32

// cursors seals sequence numbers into cursors and opens them again.
type cursors struct {
	aead cipher.AEAD
}

// newCursors returns cursors sealed under key, or under a fresh random key
// when key is empty.
func newCursors(key []byte) (*cursors, error) {
	if len(key) == 0 {
		key = make([]byte, cursorKeySize)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &cursors{aead: aead}, nil
}

// cursorLen is the length of a decoded cursor: nonce, sealed 8 bytes, tag.
func (cs *cursors) cursorLen() int {
	return cs.aead.NonceSize() + 8 + cs.aead.Overhead()
}

// seal returns a new cursor for seq.
func (cs *cursors) seal(seq uint64) string {
	buf := make([]byte, cs.aead.NonceSize(), cs.cursorLen())
	if _, err := rand.Read(buf); err != nil {
		// crypto/rand does not fail on the systems Go supports; a
		// repeated nonce would be worse than stopping.
		panic("server: no randomness for a cursor: " + err.Error())
	}
	var plain [8]byte
	binary.BigEndian.PutUint64(plain[:], seq)
	buf = cs.aead.Seal(buf, buf, plain[:], nil)
	return base64.RawURLEncoding.EncodeToString(buf)
}

// errCursorShape says a since value is neither a number nor shaped like a
// cursor; errCursorStale that it is shaped like one but this server did
// not seal it (it restarted since, or the cursor was made up).
var (
	errCursorShape = coding.Errorf(coding.EINVALID, "since must be a sequence number or a cursor this server gave you (the seq of an event, a project or a document's codings)")
	errCursorStale = errors.New("cursor not sealed by this server")
)

// open returns the sequence number sealed in cursor.
func (cs *cursors) open(cursor string) (uint64, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(raw) != cs.cursorLen() {
		return 0, errCursorShape
	}
	n := cs.aead.NonceSize()
	plain, err := cs.aead.Open(nil, raw[:n], raw[n:], nil)
	if err != nil || len(plain) != 8 {
		return 0, errCursorStale
	}
	return binary.BigEndian.Uint64(plain), nil
}

// position is how a caller is shown the sequence number seq: the number
// itself, or a fresh cursor for a blinded caller.
func (cs *cursors) position(seq uint64, blinded bool) any {
	if blinded {
		return cs.seal(seq)
	}
	return seq
}

// since is where a caller asked to resume from.
type since struct {
	seq uint64
	// stale is set, with a reason for the person, when the position
	// cannot be served and the client must reload: a cursor sealed
	// before the server restarted, or a number from a blinded caller.
	stale string
}

// errNumberBlinded refuses a plain number from a blinded caller, who could
// otherwise probe the log with numbers of their choosing.
var errNumberBlinded = coding.Errorf(coding.EINVALID, "in a blind project you resume from the cursor you were given (the seq you received), not from a number")

// parseSince reads a ?since= value: empty or 0 is the start of the log, a
// whole number is a sequence number (not for blinded callers), anything
// else a cursor.
func (cs *cursors) parseSince(v string, blinded bool) (since, error) {
	if v == "" || v == "0" {
		return since{}, nil
	}
	if v[0] >= '0' && v[0] <= '9' && len(v) <= 20 {
		n, err := strconv.ParseUint(v, 10, 64)
		if err == nil {
			if blinded {
				return since{stale: errNumberBlinded.Error()}, errNumberBlinded
			}
			return since{seq: n}, nil
		}
	}
	seq, err := cs.open(v)
	switch {
	case errors.Is(err, errCursorStale):
		return since{stale: "your position is from before the server restarted; reload the project"}, nil
	case err != nil:
		return since{}, err
	}
	return since{seq: seq}, nil
}

// restamp returns an event's JSON with its "seq" number replaced by a
// fresh cursor, or nil if data is not an event's JSON (never sent then: a
// number would leak). data is shared with other clients and is not
// changed.
func (cs *cursors) restamp(data []byte, seq uint64) []byte {
	// The store writes every event starting with its seq (appendEvent),
	// so the number is swapped without decoding the event.
	prefix := strconv.AppendUint([]byte(`{"seq":`), seq, 10)
	if bytes.HasPrefix(data, prefix) && len(data) > len(prefix) && (data[len(prefix)] == ',' || data[len(prefix)] == '}') {
		c := cs.seal(seq)
		out := make([]byte, 0, len(data)-len(prefix)+len(c)+10)
		out = append(out, `{"seq":"`...)
		out = append(out, c...)
		out = append(out, '"')
		return append(out, data[len(prefix):]...)
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(data, &fields) != nil {
		return nil
	}
	fields["seq"], _ = json.Marshal(cs.seal(seq))
	out, err := json.Marshal(fields)
	if err != nil {
		return nil
	}
	return out
}
