package coding

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// NewID returns a random (version 4) UUID in its lower-case textual form,
// the form of every id Concord stores.
func NewID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b)
}

func formatUUID(b [16]byte) string {
	var s [36]byte
	return string(AppendUUID(s[:0], b))
}

// AppendUUID appends the text of a UUID, lower case with dashes, to dst.
func AppendUUID(dst []byte, b [16]byte) []byte {
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return append(dst, s[:]...)
}

// CanonicalGUID turns a GUID as other tools write it (upper or lower case,
// with or without braces) into Concord's form: lower case, no braces. ok is
// false when s is not a GUID at all.
func CanonicalGUID(s string) (id string, ok bool) {
	if isCanonicalGUID(s) {
		return s, true
	}
	s = strings.TrimSpace(s)
	if len(s) == 38 && s[0] == '{' && s[37] == '}' {
		s = s[1:37]
	}
	if len(s) != 36 {
		return "", false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return "", false
			}
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		default:
			return "", false
		}
	}
	return strings.ToLower(s), true
}

// isCanonicalGUID reports whether s is already in Concord's form, the
// common case, without allocating.
func isCanonicalGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
		default:
			return false
		}
	}
	return true
}
