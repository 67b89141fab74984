package seeds

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/concordqda/concord/coding"
	"github.com/google/uuid"
)

// files holds the hand-written demo content and the texts it codes.
//
//go:embed demo.json docs/*.txt
var files embed.FS

// idNamespace is the UUID namespace every demo id is derived from. Changing
// it changes every id, so databases seeded before would no longer match.
const idNamespace = "5d0c8f3e-2b7a-4e61-9a4f-0c3b6e8d1f27"

// DemoUser is a demo account.
type DemoUser struct {
	Login  string
	Name   string
	Colour string
	Role   coding.Role
}

// Demo is the demo project resolved into domain values.
type Demo struct {
	Project coding.Project
	Users   []DemoUser
	// Documents hold their normalized text, with Length set and Source the
	// file name under docs/.
	Documents []coding.Document
	// Codes is the codebook flattened depth-first; Order is a code's
	// position among its siblings.
	Codes []coding.Code
	// Codings are in the order of demo.json. CoderID holds the coder's
	// login: the caller maps logins to the user ids it creates.
	Codings []coding.Coding
}

// LoadDemo resolves the embedded demo project. It fails, naming the entry,
// if any quote is missing from its document or any reference is unknown.
func LoadDemo() (*Demo, error) {
	spec, err := files.ReadFile("demo.json")
	if err != nil {
		return nil, fmt.Errorf("seeds: %w", err)
	}
	docs, err := fs.Sub(files, "docs")
	if err != nil {
		return nil, fmt.Errorf("seeds: %w", err)
	}
	return resolve(spec, docs)
}

// The shape of demo.json. Codings name what they point at by document
// file name, coder login and code path, and locate their span by quoting
// it, so that the file can be written and reviewed by hand.
type (
	spec struct {
		Project   specProject    `json:"project"`
		Users     []specUser     `json:"users"`
		Documents []specDocument `json:"documents"`
		Codebook  []specCode     `json:"codebook"`
		Codings   []specCoding   `json:"codings"`
	}
	specProject struct {
		Slug        string `json:"slug"`
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	specUser struct {
		Login  string      `json:"login"`
		Name   string      `json:"name"`
		Colour string      `json:"colour"`
		Role   coding.Role `json:"role"`
	}
	specDocument struct {
		File       string            `json:"file"`
		Title      string            `json:"title"`
		Attributes map[string]string `json:"attributes"`
	}
	specCode struct {
		Name        string `json:"name"`
		Colour      string `json:"colour"`
		Description string `json:"description"`
		// Codable defaults to true; categories say false.
		Codable  *bool      `json:"codable"`
		Children []specCode `json:"children"`
	}
	specCoding struct {
		Document string `json:"document"`
		Coder    string `json:"coder"`
		Code     string `json:"code"`
		Quote    string `json:"quote"`
		// Occurrence picks which match of Quote is meant, from 1; 0 means 1.
		Occurrence int    `json:"occurrence"`
		Memo       string `json:"memo"`
	}
)

// resolver turns a spec into domain values; ids are derived from the
// project slug and a path naming the entity.
type resolver struct {
	ns   uuid.UUID
	slug string
	base time.Time
}

func (r *resolver) id(name string) string {
	return uuid.NewSHA1(r.ns, []byte(r.slug+"/"+name)).String()
}

// resolve decodes a demo spec and resolves it against the texts in docs,
// which holds the documents by file name.
func resolve(raw []byte, docs fs.FS) (*Demo, error) {
	var s spec
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("seeds: decode demo: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("seeds: decode demo: unexpected data after the top-level object")
	}
	r := &resolver{
		ns:   uuid.MustParse(idNamespace),
		slug: s.Project.Slug,
		base: time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC),
	}
	d := &Demo{Project: coding.Project{
		ID:          r.id("project"),
		Slug:        s.Project.Slug,
		Name:        s.Project.Name,
		Description: s.Project.Description,
		Created:     r.base,
	}}
	if err := d.Project.Validate(); err != nil {
		return nil, fmt.Errorf("seeds: project: %w", err)
	}
	var err error
	if d.Users, err = r.users(s.Users); err != nil {
		return nil, err
	}
	if d.Documents, err = r.documents(d.Project.ID, s.Documents, docs); err != nil {
		return nil, err
	}
	var paths []string
	if d.Codes, paths, err = r.codes(d.Project.ID, s.Codebook); err != nil {
		return nil, err
	}
	if d.Codings, err = r.codings(d, paths, s.Codings); err != nil {
		return nil, err
	}
	return d, nil
}

func (r *resolver) users(in []specUser) ([]DemoUser, error) {
	logins := map[string]bool{}
	colours := map[string]string{}
	var out []DemoUser
	for i, su := range in {
		u := coding.User{Login: su.Login, Name: su.Name, Colour: su.Colour}
		if err := u.Validate(); err != nil {
			return nil, fmt.Errorf("seeds: users[%d] (%q): %w", i, su.Login, err)
		}
		if !su.Role.Valid() {
			return nil, fmt.Errorf("seeds: users[%d] (%q): unknown role %q", i, su.Login, su.Role)
		}
		if logins[su.Login] {
			return nil, fmt.Errorf("seeds: users[%d]: login %q is used twice", i, su.Login)
		}
		logins[su.Login] = true
		// Coders are told apart by colour in every view.
		key := strings.ToLower(su.Colour)
		if other, ok := colours[key]; ok && key != "" {
			return nil, fmt.Errorf("seeds: users[%d] (%q): colour %s is already %q's", i, su.Login, su.Colour, other)
		}
		colours[key] = su.Login
		out = append(out, DemoUser(su))
	}
	return out, nil
}

func (r *resolver) documents(projectID string, in []specDocument, docs fs.FS) ([]coding.Document, error) {
	seen := map[string]bool{}
	var out []coding.Document
	for i, sd := range in {
		if sd.File == "" || strings.Contains(sd.File, "/") || !fs.ValidPath(sd.File) {
			return nil, fmt.Errorf("seeds: documents[%d]: file %q must be a plain file name", i, sd.File)
		}
		if seen[sd.File] {
			return nil, fmt.Errorf("seeds: documents[%d]: file %q is listed twice", i, sd.File)
		}
		seen[sd.File] = true
		raw, err := fs.ReadFile(docs, sd.File)
		if err != nil {
			return nil, fmt.Errorf("seeds: documents[%d] (%s): %w", i, sd.File, err)
		}
		attrs := make(map[string]string, len(sd.Attributes))
		for k, v := range sd.Attributes {
			attrs[k] = v
		}
		doc := coding.Document{
			ID:         r.id("document/" + sd.File),
			ProjectID:  projectID,
			Title:      sd.Title,
			Text:       coding.NormalizeText(string(raw)),
			Attributes: attrs,
			Source:     sd.File,
			Created:    r.base.Add(time.Duration(i+1) * time.Minute),
		}
		if err := doc.Validate(); err != nil {
			return nil, fmt.Errorf("seeds: documents[%d] (%s): %w", i, sd.File, err)
		}
		out = append(out, doc)
	}
	return out, nil
}

// codes flattens the tree depth-first and returns, index for index, each
// code's path of names joined by "/".
func (r *resolver) codes(projectID string, tree []specCode) ([]coding.Code, []string, error) {
	var out []coding.Code
	var paths []string
	folded := map[string]string{} // lower-cased path → path, as Codebook.Find matches names
	var walk func(parentID, parentPath string, kids []specCode) error
	walk = func(parentID, parentPath string, kids []specCode) error {
		for i, sc := range kids {
			path := sc.Name
			if parentPath != "" {
				path = parentPath + "/" + sc.Name
			}
			c := coding.Code{
				ID:          r.id("code/" + path),
				ProjectID:   projectID,
				ParentID:    parentID,
				Name:        sc.Name,
				Colour:      sc.Colour,
				Description: sc.Description,
				Order:       i,
				Codable:     sc.Codable == nil || *sc.Codable,
				Created:     r.base.Add(time.Hour + time.Duration(len(out))*time.Second),
			}
			if err := c.Validate(); err != nil {
				return fmt.Errorf("seeds: code %q: %w", path, err)
			}
			key := strings.ToLower(path)
			if other, ok := folded[key]; ok {
				return fmt.Errorf("seeds: code %q: a code %q already exists at that place", path, other)
			}
			folded[key] = path
			out = append(out, c)
			paths = append(paths, path)
			if err := walk(c.ID, path, sc.Children); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk("", "", tree); err != nil {
		return nil, nil, err
	}
	return out, paths, nil
}

// codings resolves each coding against d's documents, users and codes;
// paths[i] is the path of d.Codes[i].
func (r *resolver) codings(d *Demo, paths []string, in []specCoding) ([]coding.Coding, error) {
	docs := map[string]*coding.Document{}
	for i := range d.Documents {
		docs[d.Documents[i].Source] = &d.Documents[i]
	}
	roles := map[string]coding.Role{}
	for _, u := range d.Users {
		roles[u.Login] = u.Role
	}
	byPath := make(map[string]*coding.Code, len(paths))
	for i, p := range paths {
		byPath[p] = &d.Codes[i]
	}
	cb := coding.NewCodebook(d.Codes)
	seen := map[coding.SpanKey]int{}
	out := make([]coding.Coding, 0, len(in))
	for i, sc := range in {
		fail := func(err error) error {
			return fmt.Errorf("seeds: codings[%d] (%s, %s, %s, quote %s): %w",
				i, sc.Document, sc.Coder, sc.Code, prefix(sc.Quote), err)
		}
		doc, ok := docs[sc.Document]
		if !ok {
			return nil, fail(fmt.Errorf("unknown document %q", sc.Document))
		}
		role, ok := roles[sc.Coder]
		if !ok {
			return nil, fail(fmt.Errorf("unknown coder %q", sc.Coder))
		}
		if !role.CanCode() {
			return nil, fail(fmt.Errorf("%q is a %s and cannot code", sc.Coder, role))
		}
		code, ok := byPath[sc.Code]
		if !ok {
			return nil, fail(fmt.Errorf("unknown code path %q", sc.Code))
		}
		n := sc.Occurrence
		if n == 0 {
			n = 1
		}
		if n < 0 {
			return nil, fail(fmt.Errorf("occurrence %d must be 1 or more", sc.Occurrence))
		}
		if sc.Quote == "" {
			return nil, fail(errors.New("empty quote"))
		}
		at, found := occurrence(doc.Text, sc.Quote, n)
		if found == 0 {
			return nil, fail(errors.New("quote not found in the document"))
		}
		if at < 0 {
			return nil, fail(fmt.Errorf("occurrence %d requested but the quote occurs %d time(s)", n, found))
		}
		start := coding.RuneIndex(doc.Text, at)
		end := start + utf8.RuneCountInString(sc.Quote)
		c := coding.Coding{
			ProjectID:  d.Project.ID,
			DocumentID: doc.ID,
			CodeID:     code.ID,
			CoderID:    sc.Coder,
			Start:      start,
			End:        end,
			Memo:       sc.Memo,
			Created:    r.base.Add(2*time.Hour + time.Duration(i)*time.Second),
		}
		c.ID = r.id("coding/" + sc.Coder + "/" + sc.Document + "/" + sc.Code + "/" +
			strconv.Itoa(start) + "-" + strconv.Itoa(end))
		if err := coding.ValidateCoding(&c, doc, cb); err != nil {
			return nil, fail(err)
		}
		if j, dup := seen[c.Key()]; dup {
			return nil, fail(fmt.Errorf("duplicate of codings[%d]: same document, code, coder and span", j))
		}
		seen[c.Key()] = i
		out = append(out, c)
	}
	return out, nil
}

// occurrence returns the byte offset of the n-th (from 1) match of quote in
// text, or -1, together with the number of matches seen, which is the total
// when the n-th does not exist. Matches may overlap.
func occurrence(text, quote string, n int) (at, found int) {
	from := 0
	for {
		i := strings.Index(text[from:], quote)
		if i < 0 {
			return -1, found
		}
		found++
		if found == n {
			return from + i, found
		}
		from += i + 1
	}
}

// prefix shortens a quote for an error message.
func prefix(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) <= max {
		return strconv.Quote(s)
	}
	return strconv.Quote(string([]rune(s)[:max]) + "…")
}
