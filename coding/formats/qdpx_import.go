package formats

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/concordqda/concord/coding"
)

// ReadQDPX reads a REFI-QDA project exchange file (a zip archive holding
// project.qde, or a single other .qde, and the sources it names) into a
// project, as other tools write it:
//
//   - the sources folder may be "sources/" or "Sources/", and the .qde may
//     sit in a folder of the archive;
//   - GUIDs may be upper or lower case, with or without braces; Concord
//     keeps them (lower case, no braces) as the ids of what it imports;
//   - text may start with a byte order mark, be UTF-16, and end its lines
//     with CRLF: it is normalized (NormalizeText) and every position is
//     mapped onto the normalized text;
//   - positions count code points, as the standard says, except in files
//     whose origin names NVivo, which counts UTF-16 units, and ATLAS.ti,
//     which counts a CRLF as one character;
//   - a selection may carry one coding (NVivo) or several (ATLAS.ti);
//   - codes with isCodable="false" become categories, unless codings use
//     them;
//   - users become the coders of their codings; notes become memos of
//     the project, a document or a code, or the memo of a coding; a
//     comment on a selection nobody coded becomes a memo anchored to the
//     selection's span.
//
// Where a file is inconsistent but the rest of it can still be read (a
// coding of a code the codebook lacks, a creatingUser the user list
// lacks), the import goes on and says so in the result's warnings.
//
// Anything the file holds that Concord has no place for (pictures, audio,
// video, PDF regions) is left out with a warning in the result.
func ReadQDPX(name string, r io.ReaderAt, size int64, opts ImportOptions) (*coding.ProjectData, error) {
	z, err := openZip(name, r, size, opts.Zip)
	if err != nil {
		return nil, err
	}
	qde, err := findQDE(z)
	if err != nil {
		return nil, err
	}
	// The project is parsed as it is inflated, so a bomb is refused at its
	// first token past a limit rather than after it was read whole.
	open := func() (io.ReadCloser, error) { return z.open(qde, 0) }
	dir := path.Dir(strings.ReplaceAll(qde.Name, `\`, "/"))
	var byBase map[string][]string
	read := func(p string) ([]byte, string, error) {
		for _, cand := range []string{path.Join(dir, "sources", p), path.Join(dir, p), p} {
			if f := z.lookup(cand); f != nil {
				b, err := z.readFile(f, 4*coding.MaxDocumentBytes+4)
				return b, f.Name, err
			}
		}
		if byBase == nil {
			byBase = map[string][]string{}
			for _, f := range z.files {
				base := strings.ToLower(path.Base(strings.ReplaceAll(f.Name, `\`, "/")))
				byBase[base] = append(byBase[base], f.Name)
			}
		}
		if names := byBase[strings.ToLower(path.Base(p))]; len(names) == 1 {
			f := z.lookup(names[0])
			b, err := z.readFile(f, 4*coding.MaxDocumentBytes+4)
			return b, f.Name, err
		}
		return nil, "", coding.Errorf(coding.EINVALID, "%s: the source file %s is missing from the archive", name, p)
	}
	return readProject(name, qde.Name, open, read)
}

// ReadQDE reads a project.qde on its own, outside its archive: only
// sources whose text is inside the .qde (PlainTextContent) can be read.
func ReadQDE(name string, data []byte) (*coding.ProjectData, error) {
	read := func(p string) ([]byte, string, error) {
		return nil, "", coding.Errorf(coding.EINVALID, "%s: the text of source %s is in a separate file; import the whole .qdpx archive instead", name, p)
	}
	open := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	return readProject(name, "", open, read)
}

// findQDE picks the project document of an archive: project.qde (nearest
// the root), else the only .qde there is.
func findQDE(z *safeZip) (*zip.File, error) {
	var project, others []*zip.File
	for _, f := range z.files {
		n := strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))
		if !strings.HasSuffix(n, ".qde") || strings.HasPrefix(path.Base(n), "._") || strings.HasPrefix(n, "__macosx/") {
			continue
		}
		if path.Base(n) == "project.qde" {
			project = append(project, f)
		} else {
			others = append(others, f)
		}
	}
	if len(project) > 0 {
		best := project[0]
		for _, f := range project[1:] {
			if strings.Count(f.Name, "/") < strings.Count(best.Name, "/") {
				best = f
			}
		}
		return best, nil
	}
	switch len(others) {
	case 0:
		return nil, coding.Errorf(coding.EINVALID, "%s: not a REFI-QDA project: the archive holds no project.qde", z.name)
	case 1:
		return others[0], nil
	}
	names := make([]string, len(others))
	for i, f := range others {
		names[i] = f.Name
	}
	return nil, coding.Errorf(coding.EINVALID, "%s: the archive holds several .qde files (%s) and no project.qde; which is the project?", z.name, strings.Join(names, ", "))
}

// refiImport builds a ProjectData out of a parsed .qde.
type refiImport struct {
	name  string // the file, for errors
	entry string // the .qde inside it
	d     *coding.ProjectData
	unit  PositionUnit
	// crlfOne: the file counts a CRLF as one character (ATLAS.ti).
	crlfOne bool
	read    func(p string) ([]byte, string, error)

	users      map[string]string // file GUID → user id
	logins     map[string]bool
	codes      map[string]string // file GUID → code id
	codeIndex  map[string]int    // code id → index in d.Codes
	categories map[string]bool   // code ids the file marks isCodable="false"
	used       map[string]bool   // code ids codings use
	docs       map[string]string // file GUID → document id
	notes      map[string]*qdeText
	usedNotes  map[string]bool
	noteMemos  map[string]int // note GUID → index of its memo in d.Memos
	titles     foldedSet
	codingIDs  map[string]bool
	spans      map[coding.SpanKey]bool
	projectBy  string // user id of the project's creator
	sourceBy   string // user id of the creator of the source being read
	skipped    map[string]int
}

// readProject reads the .qde that open opens twice: first all but its
// sources, then the sources one at a time, each turned into a document and
// codings before the next is read. Sources hold nearly all of a large
// file, and the tree encoding/xml builds of them took several times the
// file's size; the second reading costs less than that tree did.
func readProject(name, entry string, open func() (io.ReadCloser, error), read func(string) ([]byte, string, error)) (*coding.ProjectData, error) {
	var p qdeProjectHead
	if err := decodeXML(name, open, func(x *xmlReader) error { return x.Decode(&p) }); err != nil {
		return nil, xmlError(name, entry, err)
	}
	where := name
	if entry != "" {
		where += ": " + entry
	}
	switch ns := p.XMLName.Space; {
	case p.XMLName.Local == "CodeBook":
		return nil, coding.Errorf(coding.EINVALID, "%s: is a codebook (QDC), not a project; name the file .qdc", where)
	case p.XMLName.Local != "Project":
		return nil, coding.Errorf(coding.EINVALID, "%s: not a REFI-QDA project (the root element is <%s>, not <Project>)", where, p.XMLName.Local)
	case ns != "" && !strings.HasPrefix(ns, "urn:QDA-XML:project:"):
		return nil, coding.Errorf(coding.EINVALID, "%s: not a REFI-QDA project (namespace %q, not urn:QDA-XML:project:1.0)", where, ns)
	}
	im := &refiImport{
		name: name, entry: entry, read: read,
		d:     &coding.ProjectData{},
		users: map[string]string{}, logins: map[string]bool{},
		codes: map[string]string{}, codeIndex: map[string]int{},
		categories: map[string]bool{}, used: map[string]bool{},
		docs: map[string]string{}, notes: map[string]*qdeText{}, usedNotes: map[string]bool{}, noteMemos: map[string]int{},
		titles: foldedSet{}, codingIDs: map[string]bool{}, spans: map[coding.SpanKey]bool{},
		skipped: map[string]int{},
	}
	switch origin := strings.ToLower(p.Origin); {
	case strings.Contains(origin, "nvivo"):
		im.unit = UTF16Units
	case strings.Contains(origin, "atlas.ti") || strings.Contains(origin, "atlasti"):
		// ATLAS.ti counts a line break as one character even where the
		// text it writes ends lines with CRLF (QualCoder's importer
		// follows the same rule).
		im.crlfOne = true
	}
	sources := func(visit func(x *xmlReader, start *xml.StartElement) error) error {
		err := decodeXML(name, open, func(x *xmlReader) error { return eachSource(x, visit) })
		if err != nil {
			return xmlError(name, entry, err)
		}
		return nil
	}
	if err := im.build(&p, sources); err != nil {
		return nil, err
	}
	if err := im.d.Validate(); err != nil {
		return nil, coding.Errorf(coding.ErrorCode(err), "%s: %s", where, coding.ErrorMessage(err))
	}
	return im.d, nil
}

// decodeXML opens a project document and reads it with fn.
func decodeXML(name string, open func() (io.ReadCloser, error), fn func(x *xmlReader) error) error {
	r, err := open()
	if err != nil {
		return err
	}
	defer r.Close()
	in, err := xmlInput(name, r)
	if err != nil {
		return err
	}
	return fn(newXMLReader(in, projectXMLLimits))
}

// eachSource calls visit with every child of the root's <Sources>
// elements, in the order of the file; visit reads the child to its end.
func eachSource(x *xmlReader, visit func(x *xmlReader, start *xml.StartElement) error) error {
	depth, inSources := 0, false
	for {
		tok, err := x.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if inSources {
				if err := visit(x, &t); err != nil {
					return err
				}
				continue
			}
			depth++
			inSources = depth == 2 && t.Name.Local == "Sources"
		case xml.EndElement:
			depth--
			inSources = false
			if depth == 0 {
				return nil
			}
		}
	}
}

func (im *refiImport) errorf(format string, args ...any) error {
	where := im.name
	if im.entry != "" {
		where += ": " + im.entry
	}
	return coding.Errorf(coding.EINVALID, "%s: %s", where, fmt.Sprintf(format, args...))
}

// build turns the project into Concord's; sources reads the file's
// sources (see readProject).
func (im *refiImport) build(p *qdeProjectHead, sources func(visit func(x *xmlReader, start *xml.StartElement) error) error) error {
	d := im.d
	name := strings.TrimSpace(p.Name)
	if name == "" {
		name = "Imported project"
	}
	d.Project.Name, _ = clipText(name, 200)
	d.Project.Description, _ = clipText(strings.TrimSpace(p.Description), 10000)
	d.Project.Created = parseREFITime(p.CreationDateTime)
	for _, u := range p.Users {
		im.addUser(u)
	}
	im.projectBy = im.user(p.CreatingUser)
	for i := range p.Notes {
		n := &p.Notes[i]
		key := guidKey(n.GUID)
		if _, dup := im.notes[key]; !dup && key != "" {
			im.notes[key] = n
		}
	}
	siblings := map[string]foldedSet{}
	for i := range p.Codes {
		if err := im.addCode(&p.Codes[i], "", i+1, siblings, 0); err != nil {
			return err
		}
	}
	variables := map[string]string{}
	for _, v := range p.Variables {
		variables[guidKey(v.GUID)] = strings.TrimSpace(v.Name)
	}
	// Text sources become documents as they are read; PDF sources are few
	// and small, and follow them.
	var pdfs []qdePDF
	err := sources(func(x *xmlReader, start *xml.StartElement) error {
		switch start.Name.Local {
		case "TextSource":
			var s qdeText
			if err := x.DecodeElement(&s, start); err != nil {
				return err
			}
			return im.addSource(&s, s.Name, s.Values, variables)
		case "PDFSource":
			var pdf qdePDF
			if err := x.DecodeElement(&pdf, start); err != nil {
				return err
			}
			pdfs = append(pdfs, pdf)
			return nil
		case "PictureSource":
			im.skipped["picture sources"]++
		case "AudioSource":
			im.skipped["audio sources"]++
		case "VideoSource":
			im.skipped["video sources"]++
		}
		return x.Skip()
	})
	if err != nil {
		return err
	}
	for i := range pdfs {
		pdf := &pdfs[i]
		if len(pdf.PDFSelections) > 0 {
			im.skipped["PDF region selections"] += len(pdf.PDFSelections)
		}
		if pdf.Representation == nil {
			im.skipped["PDF sources without a plain-text representation"]++
			continue
		}
		rep := *pdf.Representation
		rep.GUID = pdf.GUID
		rep.NoteRefs = append(rep.NoteRefs, pdf.NoteRefs...)
		if rep.CreatingUser == "" {
			rep.CreatingUser = pdf.CreatingUser
		}
		if err := im.addSource(&rep, pdf.Name, append(pdf.Values, rep.Values...), variables); err != nil {
			return err
		}
	}
	im.applyCases(p.Cases, variables)
	im.applySets(p.Sets)
	for _, ref := range p.NoteRefs {
		if err := im.noteMemo(ref.Target, "", ""); err != nil {
			return err
		}
	}
	// Notes nothing refers to are the project's.
	for i := range p.Notes {
		if key := guidKey(p.Notes[i].GUID); !im.usedNotes[key] {
			if err := im.noteMemo(p.Notes[i].GUID, "", ""); err != nil {
				return err
			}
		}
	}
	for id := range im.categories {
		if im.used[id] {
			c := &d.Codes[im.codeIndex[id]]
			c.Codable = true
			d.Warnf("code %q is marked as not codable but codings use it; it stays codable", c.Name)
		}
	}
	for what, n := range im.skipped {
		if n > 0 {
			d.Warnf("left out %d %s (Concord codes text only)", n, what)
		}
	}
	return nil
}

// guidKey is how a GUID is compared: without braces, space or case.
func guidKey(s string) string {
	if id, ok := coding.CanonicalGUID(s); ok {
		return id
	}
	return strings.ToLower(strings.TrimSpace(s))
}

// idFor returns the id Concord stores for a GUID: the GUID itself when it
// is one and not taken yet, else a fresh id.
func idFor(guid string, taken func(string) bool) string {
	if id, ok := coding.CanonicalGUID(guid); ok && (taken == nil || !taken(id)) {
		return id
	}
	return coding.NewID()
}

func (im *refiImport) addUser(u qdeUser) {
	key := guidKey(u.GUID)
	if key == "" {
		return
	}
	if _, dup := im.users[key]; dup {
		return
	}
	if key == coding.ConsensusCoder {
		im.users[key] = coding.ConsensusCoder
		return
	}
	id := idFor(u.GUID, nil)
	login := coding.LoginFor(u.ID)
	if login == "" || !coding.IsLogin(login) {
		login = coding.LoginFor(u.Name)
	}
	if login == "" || !coding.IsLogin(login) {
		login = "user-" + strings.ReplaceAll(id, "-", "")[:8]
	}
	login = coding.UniqueLogin(login, func(s string) bool { return im.logins[s] })
	im.logins[login] = true
	display := strings.Join(strings.Fields(u.Name), " ")
	if display == "" {
		display = strings.TrimSpace(u.ID)
	}
	if display == "" {
		display = login
	}
	display, _ = clipText(display, 100)
	im.users[key] = id
	im.d.Users = append(im.d.Users, coding.User{ID: id, Login: login, Name: display, RefiIDs: []string{key}})
}

// user returns the id of the user a file GUID names ("" for none); a GUID
// the file's user list lacks gets a user of its own.
func (im *refiImport) user(guid string) string {
	key := guidKey(guid)
	if key == "" {
		return ""
	}
	if id, ok := im.users[key]; ok {
		return id
	}
	short := strings.ReplaceAll(key, "-", "")
	short = short[:min(8, len(short))]
	im.addUser(qdeUser{GUID: guid, ID: "user-" + short, Name: "Unknown user " + short})
	u := im.d.Users[len(im.d.Users)-1]
	im.d.Warnf("user %s is named as a creating user but is not among the file's users; their work is credited to a new coder %q (%s)", guid, u.Name, u.Login)
	return im.users[key]
}

func (im *refiImport) addCode(c *qdeCode, parent string, order int, siblings map[string]foldedSet, depth int) error {
	key := guidKey(c.GUID)
	if key == "" {
		return im.errorf("a code (%q) has no guid", c.Name)
	}
	if _, dup := im.codes[key]; dup {
		return im.errorf("two codes have the guid %s", c.GUID)
	}
	id := idFor(c.GUID, func(id string) bool { _, ok := im.codeIndex[id]; return ok })
	im.codes[key] = id
	// The name is kept byte for byte, "/" and all: the tool the file came
	// from matches codes by name when the project goes back to it.
	name := c.Name
	if strings.TrimSpace(name) == "" {
		name = "Unnamed code"
	}
	if siblings[parent] == nil {
		siblings[parent] = foldedSet{}
	}
	unique := coding.UniqueName(name, 200, siblings[parent].has)
	if unique != name && len(name) > 0 {
		im.d.Warnf("a second code named %q under the same parent is called %q", name, unique)
	}
	siblings[parent].add(unique)
	desc, clipped := clipText(strings.TrimSpace(c.Description), 10000)
	if clipped {
		im.d.Warnf("the description of code %q was shortened to 10,000 characters", unique)
	}
	codable := !strings.EqualFold(strings.TrimSpace(c.IsCodable), "false") && strings.TrimSpace(c.IsCodable) != "0"
	if !codable {
		im.categories[id] = true
	}
	im.codeIndex[id] = len(im.d.Codes)
	im.d.Codes = append(im.d.Codes, coding.Code{
		ID: id, ParentID: parent, Name: unique, Colour: refiColour(c.Color),
		Description: desc, Order: order, Codable: codable,
	})
	for _, ref := range c.NoteRefs {
		if err := im.noteMemo(ref.Target, "", id); err != nil {
			return err
		}
	}
	for i := range c.Codes {
		if err := im.addCode(&c.Codes[i], id, i+1, siblings, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// refiColour turns a REFI colour (#rgb or #rrggbb) into Concord's form.
func refiColour(s string) string {
	s = strings.TrimSpace(s)
	if len(s) == 4 && s[0] == '#' {
		s = string([]byte{'#', s[1], s[1], s[2], s[2], s[3], s[3]})
	}
	if coding.IsColour(s) {
		return strings.ToLower(s)
	}
	return ""
}

func parseREFITime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
