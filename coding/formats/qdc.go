package formats

import (
	"bytes"
	"io"
	"strings"

	"github.com/concordqda/concord/coding"
)

// ReadQDC reads a REFI-QDA codebook (.qdc) into a project that has only
// codes: nested codes with their names, colours and descriptions; codes
// with isCodable="false" become categories. Sets are left out. Files that
// break the schema in harmless ways (an empty <Sets/>, as Taguette writes)
// are accepted.
func ReadQDC(name string, data []byte) (*coding.ProjectData, error) {
	in, err := xmlInput(name, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	var cb qdcCodebook
	if err := newXMLReader(in, codebookXMLLimits).Decode(&cb); err != nil {
		return nil, xmlError(name, "", err)
	}
	switch ns := cb.XMLName.Space; {
	case cb.XMLName.Local == "Project":
		return nil, coding.Errorf(coding.EINVALID, "%s: is a project, not a codebook; name the file .qde or import the .qdpx", name)
	case cb.XMLName.Local != "CodeBook":
		return nil, coding.Errorf(coding.EINVALID, "%s: not a REFI-QDA codebook (the root element is <%s>, not <CodeBook>)", name, cb.XMLName.Local)
	case ns != "" && !strings.HasPrefix(ns, "urn:QDA-XML:codebook:"):
		return nil, coding.Errorf(coding.EINVALID, "%s: not a REFI-QDA codebook (namespace %q, not urn:QDA-XML:codebook:1.0)", name, ns)
	}
	im := &refiImport{
		name: name, d: &coding.ProjectData{},
		codes: map[string]string{}, codeIndex: map[string]int{}, categories: map[string]bool{},
		notes: map[string]*qdeText{}, usedNotes: map[string]bool{}, noteMemos: map[string]int{},
	}
	siblings := map[string]foldedSet{}
	for i := range cb.Codes {
		if err := im.addCode(&cb.Codes[i], "", i+1, siblings, 0); err != nil {
			return nil, err
		}
	}
	if len(im.d.Codes) == 0 {
		return nil, coding.Errorf(coding.EINVALID, "%s: the codebook has no codes", name)
	}
	if err := im.d.Validate(); err != nil {
		return nil, coding.Errorf(coding.ErrorCode(err), "%s: %s", name, coding.ErrorMessage(err))
	}
	return im.d, nil
}

// WriteQDC writes d's codebook as a REFI-QDA codebook file: nested codes
// with names, colours, descriptions and isCodable.
func WriteQDC(w io.Writer, d *coding.ProjectData) error {
	cb := d.Codebook()
	if cb.Len() == 0 {
		return coding.Errorf(coding.EINVALID, "the codebook is empty: a REFI-QDA codebook needs at least one code")
	}
	x := newXMLWriter(w)
	x.raw(`<?xml version="1.0" encoding="utf-8"?>` + "\n<CodeBook")
	x.attr("xmlns", codebookNS)
	x.attr("xmlns:xsi", xsiNS)
	x.attr("xsi:schemaLocation", codebookSchemaLoc)
	x.attr("origin", Origin)
	x.raw(">\n<Codes>\n")
	writeCodes(x, cb, "", nil, false)
	x.raw("</Codes>\n</CodeBook>\n")
	return x.flush()
}
