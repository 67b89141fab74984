package formats

import (
	"bytes"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/concordqda/concord/coding"
)

// DecodeText turns the bytes of a text file into a UTF-8 string: UTF-8 with
// or without a byte order mark, or UTF-16 (little or big endian) with one.
// The mark is dropped; line ends are left as they are (NormalizeText
// changes them). Anything else is refused with an error that names the
// file and the line: Concord does not guess legacy encodings, because a
// wrong guess silently corrupts every quote.
func DecodeText(name string, data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE, 0, 0}), bytes.HasPrefix(data, []byte{0, 0, 0xFE, 0xFF}):
		return "", coding.Errorf(coding.EINVALID, "%s: is UTF-32 text, which Concord does not read; save it as UTF-8 and try again", name)
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeUTF16(name, data[2:], false)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(name, data[2:], true)
	}
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if line := invalidUTF8Line(data); line > 0 {
		return "", coding.Errorf(coding.EINVALID, "%s:%d: not valid UTF-8 text; save the file as UTF-8 and try again", name, line)
	}
	s := string(data)
	if err := checkNUL(name, s); err != nil {
		return "", err
	}
	return s, nil
}

func decodeUTF16(name string, data []byte, bigEndian bool) (string, error) {
	if len(data)%2 != 0 {
		return "", coding.Errorf(coding.EINVALID, "%s: the UTF-16 text ends in the middle of a character; is the file complete?", name)
	}
	units := make([]uint16, len(data)/2)
	for i := range units {
		a, b := uint16(data[2*i]), uint16(data[2*i+1])
		if bigEndian {
			units[i] = a<<8 | b
		} else {
			units[i] = b<<8 | a
		}
	}
	var sb strings.Builder
	sb.Grow(len(units))
	line := 1
	for i := 0; i < len(units); i++ {
		u := units[i]
		switch {
		case utf16.IsSurrogate(rune(u)):
			if u < 0xDC00 && i+1 < len(units) && units[i+1] >= 0xDC00 && units[i+1] <= 0xDFFF {
				sb.WriteRune(utf16.DecodeRune(rune(u), rune(units[i+1])))
				i++
				continue
			}
			return "", coding.Errorf(coding.EINVALID, "%s:%d: not valid UTF-16 text (a broken surrogate pair); save the file as UTF-8 and try again", name, line)
		case u == '\n':
			line++
		}
		sb.WriteRune(rune(u))
	}
	s := sb.String()
	if err := checkNUL(name, s); err != nil {
		return "", err
	}
	return s, nil
}

func checkNUL(name, s string) error {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return coding.Errorf(coding.EINVALID, "%s:%d: contains a NUL byte; is this a text file?", name, strings.Count(s[:i], "\n")+1)
	}
	return nil
}

// invalidUTF8Line returns the 1-based line of the first invalid UTF-8
// sequence in data, or 0 when data is valid.
func invalidUTF8Line(data []byte) int {
	if utf8.Valid(data) {
		return 0
	}
	line := 1
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		if r == utf8.RuneError && n <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[n:]
	}
	return line
}
