package main

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/concordqda/concord/coding"
)

func TestParseDocument(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, data, title, text, err string
	}{
		{"p1.txt", "\ufeffHello\r\nthere\r\n", "p1", "Hello\nthere\n", ""},
		{"notes.md", "intro\n## Focus group 3  \ntext", "Focus group 3", "intro\n## Focus group 3  \ntext", ""},
		{"bad.txt", "ok\n\xc3\x28", "", "", "bad.txt:2: not valid UTF-8"},
		{"nul.txt", "a\nb\x00", "", "", "nul.txt:2: contains a NUL byte"},
		{"blank.md", " \n\t", "", "", "blank.md: the file is empty"},
	}
	for _, tt := range tests {
		d, err := parseDocument(tt.name, []byte(tt.data))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("parseDocument(%s) error %v, want %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil || d.Title != tt.title || d.Text != tt.text {
			t.Errorf("parseDocument(%s) = %+v, %v", tt.name, d, err)
		}
	}
}

// FuzzParseDocument: any bytes give a valid document or an error naming
// the file; never a panic, never invalid text in the store.
func FuzzParseDocument(f *testing.F) {
	for _, s := range []string{"hello", "# Title\nbody", "\ufeffa\r\nb", "\xff\xfe", "a\x00b", "🙂\u0301"} {
		f.Add("x.md", []byte(s))
		f.Add("x.txt", []byte(s))
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		d, err := parseDocument(name, data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), name) {
				t.Fatalf("error %q does not start with the file name %q", err, name)
			}
			return
		}
		if !utf8.ValidString(d.Text) || strings.Contains(d.Text, "\r") || d.Length != utf8.RuneCountInString(d.Text) {
			t.Fatalf("accepted a bad document: %+v", d)
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("accepted document fails validation: %v", coding.ErrorMessage(err))
		}
	})
}
