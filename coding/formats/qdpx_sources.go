package formats

import (
	"strconv"
	"strings"

	"github.com/concordqda/concord/coding"
)

// addSource imports one text source: its text, attributes, selections with
// their codings, and its notes.
func (im *refiImport) addSource(s *qdeText, title string, values []qdeVariableValue, variables map[string]string) error {
	d := im.d
	key := guidKey(s.GUID)
	if key == "" {
		return im.errorf("source %q has no guid", title)
	}
	if _, dup := im.docs[key]; dup {
		return im.errorf("two sources have the guid %s", s.GUID)
	}
	raw, keepSelections, ok, err := im.sourceText(s, title)
	if err != nil || !ok {
		return err
	}
	text := coding.NormalizeText(raw)
	id := idFor(s.GUID, func(id string) bool { return im.docIDTaken(id) })
	im.docs[key] = id
	title = strings.Join(strings.Fields(title), " ")
	if title == "" {
		title = "Source " + strconv.Itoa(len(d.Documents)+1)
	}
	title = coding.UniqueName(title, 300, im.titles.has)
	im.titles.add(title)
	im.sourceBy = im.user(s.CreatingUser)
	doc := coding.Document{ID: id, Title: title, Text: text, Source: coding.ClipRunes(baseName(im.name), 1000), Attributes: map[string]string{}, Created: parseREFITime(s.CreationDateTime)}
	for _, v := range values {
		im.setAttribute(&doc, variables[guidKey(v.Ref.Target)], v)
	}
	if err := doc.Validate(); err != nil {
		return coding.Errorf(coding.ErrorCode(err), "%s: source %q: %s", im.name, title, coding.ErrorMessage(err))
	}
	d.Documents = append(d.Documents, doc)
	docIndex := len(d.Documents) - 1

	if !keepSelections {
		if n := len(s.Selections); n > 0 {
			d.Warnf("source %q has no plain-text copy: its text was read from its DOCX copy and its %d selections were left out", title, n)
		}
	} else if err := im.addSelections(s, &d.Documents[docIndex], raw); err != nil {
		return err
	}
	// Codings of the whole source.
	for _, c := range s.Codings {
		if err := im.addCoding(&d.Documents[docIndex], c, 0, doc.Length, "", s.CreatingUser, s.CreationDateTime, ""); err != nil {
			return err
		}
	}
	for _, ref := range s.NoteRefs {
		if err := im.noteMemo(ref.Target, id, ""); err != nil {
			return err
		}
		if keepSelections {
			im.noteSpan(ref.Target, &d.Documents[docIndex], raw)
		}
	}
	return nil
}

// noteSpan anchors the memo of a source's note to the span of the note's
// one uncoded PlainTextSelection (as Concord and QualCoder write span
// memos), read like the source's own selections.
func (im *refiImport) noteSpan(target string, doc *coding.Document, raw string) {
	key := guidKey(target)
	n, i := im.notes[key], -1
	if n != nil {
		var ok bool
		i, ok = im.noteMemos[key]
		if !ok {
			i = -1
		}
	}
	if i < 0 || len(n.Selections) != 1 || len(n.Selections[0].Codings) > 0 {
		return
	}
	m := &im.d.Memos[i]
	sel := &n.Selections[0]
	a, err1 := strconv.Atoi(strings.TrimSpace(sel.Start))
	b, err2 := strconv.Atoi(strings.TrimSpace(sel.End))
	if err1 != nil || err2 != nil || a < 0 || b <= a || m.DocumentID != doc.ID {
		return
	}
	var start, end int
	var past bool
	mapPositions(raw, im.unit, im.crlfOne, []positionQuery{{pos: a, out: &start, past: &past}, {pos: b, end: true, out: &end}})
	if past || end <= start {
		im.d.Warnf("memo %q about %q keeps the whole document: its span [%d, %d) does not fit the text", m.Title, doc.Title, a, b)
		return
	}
	m.Start, m.End = start, end
}

func (im *refiImport) docIDTaken(id string) bool {
	for _, v := range im.docs {
		if v == id {
			return true
		}
	}
	return false
}

// sourceText reads a source's plain text: inline, from the archive, or
// (without a plain-text copy) from its DOCX copy, in which case its
// selections cannot be placed. ok is false for a source that is left out.
func (im *refiImport) sourceText(s *qdeText, title string) (raw string, keepSelections, ok bool, err error) {
	if s.Content != nil && strings.TrimSpace(s.PlainTextPath) == "" {
		return *s.Content, true, true, nil
	}
	p, rich := strings.TrimSpace(s.PlainTextPath), false
	if p == "" {
		p, rich = strings.TrimSpace(s.RichTextPath), true
	}
	if p == "" {
		im.skipped["sources without text"]++
		return "", false, false, nil
	}
	inner, internal := strings.CutPrefix(p, "internal://")
	if !internal {
		d := im.d
		d.Warnf("left out source %q: its text is outside the archive (%s)", title, coding.ClipRunes(p, 200))
		return "", false, false, nil
	}
	data, entry, err := im.read(inner)
	if err != nil {
		return "", false, false, err
	}
	where := im.name + ": " + entry
	if rich {
		if !strings.HasSuffix(strings.ToLower(inner), ".docx") {
			im.skipped["sources without a plain-text copy"]++
			return "", false, false, nil
		}
		doc, err := ImportDOCX(where, data, ZipLimits{})
		if err != nil {
			return "", false, false, err
		}
		return doc.Text, false, true, nil
	}
	text, err := DecodeText(where, data)
	if err != nil {
		return "", false, false, err
	}
	return text, true, true, nil
}

// addSelections places every selection of s on doc: positions are read in
// the file's unit against the raw text and mapped onto the normalized one.
func (im *refiImport) addSelections(s *qdeText, doc *coding.Document, raw string) error {
	type span struct {
		start, end int
		past       bool
		bad        bool
	}
	spans := make([]span, len(s.Selections))
	qs := make([]positionQuery, 0, 2*len(s.Selections))
	for i := range s.Selections {
		sel := &s.Selections[i]
		a, err1 := strconv.Atoi(strings.TrimSpace(sel.Start))
		b, err2 := strconv.Atoi(strings.TrimSpace(sel.End))
		if err1 != nil || err2 != nil {
			return im.errorf("selection %s in source %q: positions %q and %q are not whole numbers", sel.GUID, doc.Title, sel.Start, sel.End)
		}
		if a < 0 || b < a {
			spans[i].bad = true
			continue
		}
		sp := &spans[i]
		qs = append(qs, positionQuery{pos: a, out: &sp.start, past: &sp.past}, positionQuery{pos: b, end: true, out: &sp.end})
	}
	mapPositions(raw, im.unit, im.crlfOne, qs)
	unitLen := UnitLength(raw, im.unit, im.crlfOne)
	for i := range s.Selections {
		sel := &s.Selections[i]
		sp := spans[i]
		if sp.bad || sp.past {
			im.d.Warnf("left out selection %s in %q: its positions [%s, %s) do not fit the text (%d characters)", sel.GUID, doc.Title, sel.Start, sel.End, unitLen)
			continue
		}
		if e, _ := strconv.Atoi(strings.TrimSpace(sel.End)); e > unitLen {
			im.d.Warnf("selection %s in %q ends past the text (%d > %d); it was cut at the end", sel.GUID, doc.Title, e, unitLen)
		}
		memo := strings.TrimSpace(sel.Description)
		for _, ref := range sel.NoteRefs {
			if t := im.noteText(ref.Target); t != "" {
				memo = joinMemo(memo, t)
			}
		}
		if len(sel.Codings) == 0 {
			if memo != "" {
				// A comment on a span nobody coded: the memo keeps the
				// span (a memo of the whole document when it is empty).
				start, end := sp.start, sp.end
				if end <= start {
					start, end = 0, 0
				}
				im.d.Memos = append(im.d.Memos, coding.Memo{
					ID: coding.NewID(), DocumentID: doc.ID, Start: start, End: end, AuthorID: im.user(sel.CreatingUser),
					Title:   coding.ClipRunes("Comment on “"+excerpt(coding.Slice(doc.Text, sp.start, sp.end), 60)+"”", 300),
					Text:    im.clipMemo(memo, doc.Title),
					Created: parseREFITime(sel.CreationDateTime), Updated: parseREFITime(sel.CreationDateTime),
				})
			}
			continue
		}
		if sp.end <= sp.start {
			im.skipped["empty selections"]++
			continue
		}
		for _, c := range sel.Codings {
			if err := im.addCoding(doc, c, sp.start, sp.end, memo, sel.CreatingUser, sel.CreationDateTime, sel.GUID); err != nil {
				return err
			}
		}
	}
	return nil
}

// addCoding adds one coding of doc's [start, end); the coder is the
// coding's creating user, else the selection's (fallbackUser), the
// source's or the project's.
func (im *refiImport) addCoding(doc *coding.Document, c qdeCoding, start, end int, memo, fallbackUser, fallbackTime, selection string) error {
	if end <= start {
		return nil
	}
	codeID, ok := im.codes[guidKey(c.CodeRef.Target)]
	if !ok {
		where := "a coding of source " + strconv.Quote(doc.Title)
		if selection != "" {
			where = "coding " + c.GUID + " (selection " + selection + ")"
		}
		// One dangling reference should not cost the rest of the project.
		im.d.Warnf("left out %s: it refers to code %s, which is not in the codebook", where, strings.TrimSpace(c.CodeRef.Target))
		return nil
	}
	im.used[codeID] = true
	coder := im.user(c.CreatingUser)
	if coder == "" {
		coder = im.user(fallbackUser)
	}
	if coder == "" {
		coder = im.sourceBy
	}
	if coder == "" {
		coder = im.projectBy
	}
	for _, ref := range c.NoteRefs {
		if t := im.noteText(ref.Target); t != "" {
			memo = joinMemo(memo, t)
		}
	}
	k := coding.SpanKey{DocumentID: doc.ID, CodeID: codeID, CoderID: coder, Start: start, End: end}
	if im.spans[k] {
		im.skipped["codings repeating another's code, coder and text"]++
		return nil
	}
	im.spans[k] = true
	id := idFor(c.GUID, func(id string) bool { return im.codingIDs[id] })
	im.codingIDs[id] = true
	created := parseREFITime(c.CreationDateTime)
	if created.IsZero() {
		created = parseREFITime(fallbackTime)
	}
	im.d.Codings = append(im.d.Codings, coding.Coding{
		ID: id, DocumentID: doc.ID, CodeID: codeID, CoderID: coder,
		Start: start, End: end, Memo: im.clipMemo(memo, doc.Title), Created: created,
	})
	return nil
}

func joinMemo(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n\n" + b
}

func (im *refiImport) clipMemo(s, where string) string {
	s, clipped := clipText(s, coding.MaxMemoChars)
	if clipped {
		im.d.Warnf("a memo in %q was shortened to %d characters", where, coding.MaxMemoChars)
	}
	return s
}

// noteText returns the text of the note a NoteRef names and marks it used.
func (im *refiImport) noteText(target string) string {
	key := guidKey(target)
	n, ok := im.notes[key]
	if !ok {
		return ""
	}
	im.usedNotes[key] = true
	text, _ := im.readNote(n)
	return text
}

func (im *refiImport) readNote(n *qdeText) (string, error) {
	if n.Content != nil {
		return strings.TrimSpace(coding.NormalizeText(*n.Content)), nil
	}
	inner, ok := strings.CutPrefix(strings.TrimSpace(n.PlainTextPath), "internal://")
	if !ok {
		return strings.TrimSpace(n.Description), nil
	}
	data, entry, err := im.read(inner)
	if err != nil {
		return "", err
	}
	text, err := DecodeText(im.name+": "+entry, data)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(coding.NormalizeText(text)), nil
}

// noteMemo turns the note target names into a memo of the project, a
// document or a code. A NoteRef to a note the file lacks is ignored.
func (im *refiImport) noteMemo(target, docID, codeID string) error {
	key := guidKey(target)
	n, ok := im.notes[key]
	if !ok || im.usedNotes[key] && docID == "" && codeID == "" {
		return nil
	}
	// A note about both a document and a code is one memo.
	if i, ok := im.noteMemos[key]; ok {
		m := &im.d.Memos[i]
		switch {
		case docID != "" && m.DocumentID == "" && m.CodeID != "":
			m.DocumentID = docID
			return nil
		case codeID != "" && m.CodeID == "" && m.DocumentID != "":
			m.CodeID = codeID
			return nil
		}
	}
	im.usedNotes[key] = true
	text, err := im.readNote(n)
	if err != nil {
		return err
	}
	title, _ := clipText(strings.Join(strings.Fields(n.Name), " "), 300)
	created := parseREFITime(n.CreationDateTime)
	updated := parseREFITime(n.ModifiedDateTime)
	if updated.IsZero() {
		updated = created
	}
	im.d.Memos = append(im.d.Memos, coding.Memo{
		ID: coding.NewID(), DocumentID: docID, CodeID: codeID, AuthorID: im.user(n.CreatingUser),
		Title: title, Text: im.clipMemo(text, title), Created: created, Updated: updated,
	})
	if id, ok := coding.CanonicalGUID(n.GUID); ok && !im.memoIDTaken(id) {
		im.d.Memos[len(im.d.Memos)-1].ID = id
	}
	if _, ok := im.noteMemos[key]; !ok {
		im.noteMemos[key] = len(im.d.Memos) - 1
	}
	return nil
}

func (im *refiImport) memoIDTaken(id string) bool {
	for i := range im.d.Memos[:len(im.d.Memos)-1] {
		if im.d.Memos[i].ID == id {
			return true
		}
	}
	return false
}

// setAttribute sets a document attribute from a variable value, within the
// limits a document has.
func (im *refiImport) setAttribute(doc *coding.Document, name string, v qdeVariableValue) {
	value := ""
	for _, p := range []*string{v.Text, v.Boolean, v.Integer, v.Float, v.Date, v.DateTime} {
		if p != nil {
			value = strings.TrimSpace(*p)
			break
		}
	}
	im.setAttr(doc, name, value)
}

func (im *refiImport) setAttr(doc *coding.Document, name, value string) {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		name = "variable"
	}
	name = coding.ClipRunes(name, 100)
	if _, ok := doc.Attributes[name]; !ok && len(doc.Attributes) >= 100 {
		im.skipped["attributes beyond the 100 a document may have"]++
		return
	}
	value, clipped := clipText(value, 1000)
	if clipped {
		im.d.Warnf("attribute %q of %q was shortened to 1000 characters", name, doc.Title)
	}
	doc.Attributes[name] = value
}

// applyCases gives each source its cases' variable values (where the
// source has no value of its own) and, when a case is named other than the
// source, a "case" attribute naming it.
func (im *refiImport) applyCases(cases []qdeCase, variables map[string]string) {
	docs := make(map[string]*coding.Document, len(im.d.Documents))
	for i := range im.d.Documents {
		docs[im.d.Documents[i].ID] = &im.d.Documents[i]
	}
	for _, c := range cases {
		name := strings.Join(strings.Fields(c.Name), " ")
		for _, ref := range c.SourceRefs {
			doc := docs[im.docs[guidKey(ref.Target)]]
			if doc == nil {
				continue
			}
			for _, v := range c.Values {
				vname := variables[guidKey(v.Ref.Target)]
				if _, own := doc.Attributes[coding.ClipRunes(strings.Join(strings.Fields(vname), " "), 100)]; !own {
					im.setAttribute(doc, vname, v)
				}
			}
			if name != "" && !strings.EqualFold(name, doc.Title) {
				im.setAttr(doc, "case", joinValue(doc.Attributes["case"], name))
			}
		}
	}
}

// applySets names the sets each source belongs to in a "set" attribute.
func (im *refiImport) applySets(sets []qdeSet) {
	docs := make(map[string]*coding.Document, len(im.d.Documents))
	for i := range im.d.Documents {
		docs[im.d.Documents[i].ID] = &im.d.Documents[i]
	}
	for _, s := range sets {
		name := strings.Join(strings.Fields(s.Name), " ")
		for _, ref := range s.Sources {
			if doc := docs[im.docs[guidKey(ref.Target)]]; doc != nil && name != "" {
				im.setAttr(doc, "set", joinValue(doc.Attributes["set"], name))
			}
		}
	}
}

func joinValue(old, v string) string {
	if old == "" {
		return v
	}
	for _, x := range strings.Split(old, "; ") {
		if x == v {
			return old
		}
	}
	return old + "; " + v
}

// excerpt shortens text to about n characters on one line.
func excerpt(text string, n int) string {
	s, _ := clipText(strings.Join(strings.Fields(text), " "), n)
	return s
}

func baseName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		return name[i+1:]
	}
	return name
}
