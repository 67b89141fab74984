package coding

import (
	"strings"
	"testing"
)

func TestValidateCoding(t *testing.T) {
	doc := &Document{ID: "d", Title: "Interview", Text: "née 👩🏽‍⚕️ said: trust"}
	if err := doc.Validate(); err != nil {
		t.Fatal(err)
	}
	cb := NewCodebook([]Code{
		{ID: "cat", Name: "Benefits"},
		{ID: "trust", Name: "Trust", ParentID: "cat", Codable: true},
	})
	good := Coding{DocumentID: "d", CodeID: "trust", CoderID: "ana", Start: 0, End: 3}
	tests := []struct {
		name   string
		mutate func(*Coding)
		doc    *Document
		code   string
	}{
		{"valid", func(c *Coding) {}, doc, ""},
		{"whole text", func(c *Coding) { c.End = doc.Length }, doc, ""},
		{"negative start", func(c *Coding) { c.Start = -1 }, doc, EINVALID},
		{"empty span", func(c *Coding) { c.End = 0 }, doc, EINVALID},
		{"reversed", func(c *Coding) { c.Start, c.End = 3, 1 }, doc, EINVALID},
		{"past the end", func(c *Coding) { c.End = doc.Length + 1 }, doc, EINVALID},
		{"missing document", func(c *Coding) {}, nil, ENOTFOUND},
		{"other document", func(c *Coding) { c.DocumentID = "x" }, doc, ENOTFOUND},
		{"unknown code", func(c *Coding) { c.CodeID = "nope" }, doc, ENOTFOUND},
		{"category", func(c *Coding) { c.CodeID = "cat" }, doc, EINVALID},
		{"no coder", func(c *Coding) { c.CoderID = "" }, doc, EINVALID},
		{"bad memo", func(c *Coding) { c.Memo = "\xc3\x28" }, doc, EINVALID},
		{"NUL memo", func(c *Coding) { c.Memo = "a\x00b" }, doc, EINVALID},
		{"long memo", func(c *Coding) { c.Memo = strings.Repeat("é", MaxMemoChars+1) }, doc, EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.mutate(&c)
			err := ValidateCoding(&c, tt.doc, cb)
			if got := ErrorCode(err); got != tt.code {
				t.Fatalf("ValidateCoding = %v (code %q), want code %q", err, got, tt.code)
			}
			if err != nil && ErrorMessage(err) == "" {
				t.Fatal("error without a message")
			}
		})
	}
}

func TestDocumentLengthCountsCodePoints(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"abc", 3},
		{"née", 3},
		{"e\u0301", 2},    // combining accent: two code points
		{"👩🏽‍⚕️", 5},      // woman, skin tone, ZWJ, medical symbol, VS16
		{"a\r\nb", 4},     // Validate does not normalize; NormalizeText does
		{"\U0001F600", 1}, // one non-BMP code point, two UTF-16 units
	}
	for _, tt := range tests {
		d := Document{Title: "t", Text: tt.text}
		if err := d.Validate(); err != nil {
			t.Fatal(err)
		}
		if d.Length != tt.want {
			t.Errorf("Length(%q) = %d, want %d", tt.text, d.Length, tt.want)
		}
	}
	if got := NormalizeText("\ufeffa\r\nb\rc"); got != "a\nb\nc" {
		t.Errorf("NormalizeText = %q", got)
	}
	if got := UTF16Len("a\U0001F600"); got != 3 {
		t.Errorf("UTF16Len = %d, want 3", got)
	}
}

func TestSlice(t *testing.T) {
	s := "we share 🙂 hope"
	tests := []struct {
		start, end int
		want       string
	}{
		{3, 12, "share 🙂 h"},
		{9, 10, "🙂"},
		{0, 0, ""},
		{-5, 2, "we"},
		{13, 99, "pe"},
		{99, 100, ""},
	}
	for _, tt := range tests {
		if got := Slice(s, tt.start, tt.end); got != tt.want {
			t.Errorf("Slice(%d, %d) = %q, want %q", tt.start, tt.end, got, tt.want)
		}
	}
}

func TestCodebookPlaceAndMerge(t *testing.T) {
	cb := NewCodebook([]Code{
		{ID: "s", Name: "Stressors", Order: 2},
		{ID: "b", Name: "Benefits", Order: 1},
		{ID: "f", Name: "Financial", ParentID: "s"},
		{ID: "r", Name: "Rent", ParentID: "f"},
	})
	if got := cb.Children("")[0].Name; got != "Benefits" {
		t.Errorf("first root = %q, want Benefits (by order)", got)
	}
	if got := cb.PathString("r"); got != "Stressors › Financial › Rent" {
		t.Errorf("PathString = %q", got)
	}
	if d := cb.Descendants("s"); len(d) != 2 {
		t.Errorf("Descendants(s) = %v", d)
	}
	tests := []struct {
		name   string
		code   Code
		parent string
		want   string
	}{
		{"new child", Code{Name: "Housing"}, "s", ""},
		{"sibling name taken", Code{Name: "financial"}, "s", ECONFLICT},
		{"same name elsewhere", Code{Name: "Financial"}, "b", ""},
		{"missing parent", Code{Name: "X"}, "zzz", ENOTFOUND},
		{"under itself", Code{ID: "s", Name: "Stressors"}, "s", EINVALID},
		{"under its grandchild", Code{ID: "s", Name: "Stressors"}, "r", EINVALID},
		{"rename in place", Code{ID: "f", Name: "Financial"}, "s", ""},
	}
	for _, tt := range tests {
		if got := ErrorCode(cb.CheckPlace(&tt.code, tt.parent)); got != tt.want {
			t.Errorf("%s: CheckPlace = %q, want %q", tt.name, got, tt.want)
		}
	}
	for _, tt := range []struct{ src, dst, want string }{
		{"f", "b", ""}, {"s", "r", EINVALID}, {"f", "f", EINVALID}, {"x", "b", ENOTFOUND},
	} {
		if got := ErrorCode(cb.CheckMerge(tt.src, tt.dst)); got != tt.want {
			t.Errorf("CheckMerge(%s, %s) = %q, want %q", tt.src, tt.dst, got, tt.want)
		}
	}
}

// LooksLikeID agrees with a UUID parser on every form a slug can take.
func TestLooksLikeID(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{"6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c", true},
		{"00000000-0000-0000-0000-000000000000", true},
		{"6f1c2a3b0d4e4f5a8b6c7d8e9f0a1b2c", true},
		{"6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2", false},
		{"6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2cd", false},
		{"6f1c2a3b00d4e-4f5a-8b6c-7d8e9f0a1b2c", false},
		{"6f1c2a3b0d4e4f5a8b6c7d8e9f0a1b2x", false},
		{"peer-support", false},
		{"", false},
	} {
		if got := LooksLikeID(tt.s); got != tt.want {
			t.Errorf("LooksLikeID(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestEntityValidation(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"good project", (&Project{Slug: "peer-support", Name: "Peer"}).Validate(), ""},
		{"slug with space", (&Project{Slug: "peer support", Name: "Peer"}).Validate(), EINVALID},
		{"slug upper", (&Project{Slug: "Peer", Name: "Peer"}).Validate(), EINVALID},
		{"empty name", (&Project{Slug: "p", Name: "  "}).Validate(), EINVALID},
		{"new project", (&Project{Slug: "peer-support", Name: "Peer"}).ValidateNew(), ""},
		{"new project, slug shaped like an id", (&Project{Slug: "6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c", Name: "Peer"}).ValidateNew(), EINVALID},
		{"new project, slug of 32 hex digits", (&Project{Slug: "6f1c2a3b0d4e4f5a8b6c7d8e9f0a1b2c", Name: "Peer"}).ValidateNew(), EINVALID},
		{"new project, slug of 36 characters, not an id", (&Project{Slug: "6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2g", Name: "Peer"}).ValidateNew(), ""},
		{"old project, slug shaped like an id", (&Project{Slug: "6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c", Name: "Peer"}).Validate(), ""},
		{"good user", (&User{Login: "ana", Name: "Ana"}).Validate(), ""},
		{"bad login", (&User{Login: "Ana Maria", Name: "Ana"}).Validate(), EINVALID},
		{"bad colour", (&User{Login: "ana", Name: "Ana", Colour: "red"}).Validate(), EINVALID},
		{"code with slash, kept as other tools name it", (&Code{Name: "Rejection / Antipathy"}).Validate(), ""},
		{"code with NUL", (&Code{Name: "a\x00b"}).Validate(), EINVALID},
		{"short password", ValidatePassword("short"), EINVALID},
		{"long password", ValidatePassword(strings.Repeat("x", 73)), EINVALID},
		{"bad role", (&Member{Role: "owner"}).Validate(), EINVALID},
		{"untitled document", (&Document{Title: ""}).Validate(), EINVALID},
		{"binary document", (&Document{Title: "x", Text: "\xff"}).Validate(), EINVALID},
	}
	for _, tt := range tests {
		if got := ErrorCode(tt.err); got != tt.want {
			t.Errorf("%s: %v (code %q), want %q", tt.name, tt.err, got, tt.want)
		}
	}
	if got := Slugify("Peer support — work!"); got != "peer-support-work" {
		t.Errorf("Slugify = %q", got)
	}
}

func TestCodebookResolve(t *testing.T) {
	cb := NewCodebook([]Code{
		{ID: "s", Name: "Stressors"},
		{ID: "h", Name: "Housing", ParentID: "s"},
		{ID: "b", Name: "Benefits", Order: 1},
		{ID: "h2", Name: "Housing", ParentID: "b"},
		{ID: "t", Name: "Trust", ParentID: "b"},
	})
	for _, tt := range []struct{ ref, want, err string }{
		{"h2", "h2", ""},
		{"Stressors/Housing", "h", ""},
		{"stressors › housing", "h", ""},
		{" trust ", "t", ""},
		{"Benefits", "b", ""},
		{"Housing", "", "2 codes are named"},
		{"Nope", "", "there is no code"},
		{"Stressors/Trust", "", "there is no code"},
	} {
		c, err := cb.Resolve(tt.ref)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("Resolve(%q) = %v, %v; want an error about %q", tt.ref, c, err, tt.err)
		case tt.err == "" && (err != nil || c.ID != tt.want):
			t.Errorf("Resolve(%q) = %v, %v; want %s", tt.ref, c, err, tt.want)
		}
	}
}
