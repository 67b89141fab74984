package coding

import (
	"reflect"
	"strings"
	"testing"
)

func TestFormatPath(t *testing.T) {
	tests := []struct {
		names []string
		want  string
	}{
		{[]string{"Stressors", "Housing"}, "Stressors › Housing"},
		{[]string{"Stressors", "Rejection / Antipathy"}, `Stressors › Rejection \/ Antipathy`},
		{[]string{`C:\path`}, `C:\\path`},
		{[]string{"a › b"}, `a \› b`},
		{[]string{"Économie", "😀/x"}, `Économie › 😀\/x`},
	}
	for _, tt := range tests {
		if got := FormatPath(tt.names); got != tt.want {
			t.Errorf("FormatPath(%q) = %q, want %q", tt.names, got, tt.want)
		}
	}
}

func TestParsePath(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr string
	}{
		{in: "Stressors › Housing", want: []string{"Stressors", "Housing"}},
		{in: "Stressors/Housing", want: []string{"Stressors", "Housing"}},
		{in: "Stressors / Housing", want: []string{"Stressors ", " Housing"}},
		{in: `Stressors › Rejection \/ Antipathy`, want: []string{"Stressors", "Rejection / Antipathy"}},
		{in: `Stressors/Rejection \/ Antipathy`, want: []string{"Stressors", "Rejection / Antipathy"}},
		{in: `a\\/b`, want: []string{`a\`, "b"}},
		{in: `a \› b`, want: []string{"a › b"}},
		{in: "a›b", want: []string{"a›b"}},
		{in: "", wantErr: "empty"},
		{in: "a//b", wantErr: "empty name at character 3"},
		{in: "a/", wantErr: "empty name"},
		{in: `a\b`, wantErr: "backslash at character 2"},
		{in: `a\`, wantErr: "backslash at character 2"},
	}
	for _, tt := range tests {
		got, err := ParsePath(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParsePath(%q) = %q, %v; want an error saying %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParsePath(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// Any names, separators and backslashes included, come back from their
// path string as they were.
func TestPathRoundTrip(t *testing.T) {
	for _, names := range [][]string{
		{"Stressors", "Rejection / Antipathy"},
		{`\`, `\\/`, "/", "›", " › ", "a ", " b"},
		{"x/", "/y", `\›\`},
		{"Rejection ∕ Antipathy"}, // old data with U+2215 stays as it is
	} {
		s := FormatPath(names)
		got, err := ParsePath(s)
		if err != nil || !reflect.DeepEqual(got, names) {
			t.Errorf("ParsePath(FormatPath(%q)) = %q, %v; want the names back", names, got, err)
		}
	}
}

func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"Stressors › Housing", `a\/b/c`, `\\`, "a//b", `x\`, " › ", "a›b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		names, err := ParsePath(s)
		if err != nil {
			return
		}
		for _, n := range names {
			if n == "" {
				t.Fatalf("ParsePath(%q) = %q: an empty name", s, names)
			}
		}
		again, err := ParsePath(FormatPath(names))
		if err != nil || !reflect.DeepEqual(again, names) {
			t.Fatalf("ParsePath(FormatPath(%q)) = %q, %v; want the names back", names, again, err)
		}
	})
}

// FuzzFormatPath builds a path of two names out of any text and reads it
// back.
func FuzzFormatPath(f *testing.F) {
	f.Add("Stressors", "Rejection / Antipathy")
	f.Add(`\`, "›")
	f.Add("a ", " b")
	f.Fuzz(func(t *testing.T, a, b string) {
		if a == "" || b == "" {
			return
		}
		names := []string{a, b}
		got, err := ParsePath(FormatPath(names))
		if err != nil || !reflect.DeepEqual(got, names) {
			t.Fatalf("ParsePath(FormatPath(%q)) = %q, %v; want the names back", names, got, err)
		}
	})
}

// Resolve finds codes whose names hold the separators, by path (escaped)
// and by their name as written.
func TestResolveNamesWithSlashes(t *testing.T) {
	cb := NewCodebook([]Code{
		{ID: "s", Name: "Stressors"},
		{ID: "r", ParentID: "s", Name: "Rejection / Antipathy"},
		{ID: "b", ParentID: "s", Name: `Back\slash`},
		{ID: "h", ParentID: "s", Name: "Housing"},
		{ID: "sh", Name: "Stressors/Housing"},
	})
	tests := []struct{ ref, want string }{
		{`Stressors › Rejection \/ Antipathy`, "r"},
		{`Stressors/Rejection \/ Antipathy`, "r"},
		{"Rejection / Antipathy", "r"},
		{`Stressors › Back\\slash`, "b"},
		{`Back\slash`, "b"},
		{"Stressors/Housing", "h"},
		{`Stressors\/Housing`, "sh"},
	}
	for _, tt := range tests {
		c, err := cb.Resolve(tt.ref)
		if err != nil || c.ID != tt.want {
			t.Errorf("Resolve(%q) = %+v, %v; want code %s", tt.ref, c, err, tt.want)
			continue
		}
		if back, err := cb.Resolve(cb.PathString(c.ID)); err != nil || back.ID != c.ID {
			t.Errorf("Resolve(PathString(%s) = %q) = %+v, %v; want the code back", c.ID, cb.PathString(c.ID), back, err)
		}
	}
}
