package formats

import "io"

// HTML has no place for most C0 controls: a raw U+0001, U+000B or U+000C
// makes the report invalid, and browsers show them, or not, each in their
// own way. The report maps them by one rule, applied to everything it
// writes (the template itself holds none):
//
//   - tab, line feed and carriage return stay: they are whitespace;
//   - form feed (U+000C, which pdftotext puts between pages) becomes a
//     blank line, a paragraph break where the text keeps its line breaks;
//   - every other C0 control and DEL is shown as its symbol from the
//     Control Pictures block (U+0001 as ␁, DEL as ␡), so that it is seen
//     and not lost. NUL never gets here: no text may hold it.
//
// Byte-wise is safe: in UTF-8 these code points are single bytes and no
// byte of a longer sequence is below 0x80.
type reportControls struct{ w io.Writer }

func (rc reportControls) Write(p []byte) (int, error) {
	last := 0
	for i, c := range p {
		var rep string
		switch {
		case c == '\t' || c == '\n' || c == '\r':
			continue
		case c == '\f':
			rep = "\n\n"
		case c < 0x20:
			rep = string(rune(0x2400 + int(c)))
		case c == 0x7f:
			rep = "\u2421"
		default:
			continue
		}
		if _, err := rc.w.Write(p[last:i]); err != nil {
			return last, err
		}
		if _, err := io.WriteString(rc.w, rep); err != nil {
			return i, err
		}
		last = i + 1
	}
	if _, err := rc.w.Write(p[last:]); err != nil {
		return last, err
	}
	return len(p), nil
}
