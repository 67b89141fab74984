package formats

import (
	"crypto/sha1"

	"github.com/concordqda/concord/coding"
)

// derivedID returns a name-based (version 5 style) UUID of name: exports
// use it for the ids a format needs but Concord does not store (a
// selection, a variable), so that the same project always exports to the
// same file.
func derivedID(name string) string {
	sum := sha1.Sum([]byte("concord:" + name))
	var b [16]byte
	copy(b[:], sum[:16])
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return string(coding.AppendUUID(nil, b))
}
