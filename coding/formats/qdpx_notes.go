package formats

import (
	"io"
	"strings"

	"github.com/concordqda/concord/coding"
)

// How memos travel in a QDPX. Every memo is a Note with its text twice:
// in a sources/{GUID}.txt file named by plainTextPath, which QualCoder
// needs to make a journal of it, and as PlainTextContent, which readers
// that stay inside the .qde use. A memo anchored to a span carries a
// PlainTextSelection (without codings) with the span in code points, the
// shape QualCoder reads as an annotation and Concord's importer as a span
// memo. Notes are referenced from what they are about: NoteRef in the
// project (project memos), in the Code (code memos) and in the TextSource
// (document and span memos).
//
// QualCoder drops a source's NoteRefs to notes without a selection, so the
// whole-document memos are also written into the source's Description,
// which QualCoder keeps as the file's memo.

// noteGUID is the GUID, and the name of the text file, of a memo's note.
func noteGUID(m *coding.Memo) string { return guidOf("memo", m.ID) }

// writeNoteFiles adds one sources/{GUID}.txt per memo to the archive.
func writeNoteFiles(z *zipWriter, memos []coding.Memo) error {
	for i := range memos {
		f, err := z.create("sources/" + noteGUID(&memos[i]) + ".txt")
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, memos[i].Text); err != nil {
			return err
		}
	}
	return nil
}

// writeNotes writes the Notes element of a project.
func writeNotes(x *xmlWriter, memos []coding.Memo) {
	if len(memos) == 0 {
		return
	}
	x.raw("<Notes>\n")
	for i := range memos {
		m := &memos[i]
		id := noteGUID(m)
		x.raw("<Note")
		x.attr("guid", id)
		if m.Title != "" {
			x.attr("name", m.Title)
		}
		x.attr("plainTextPath", "internal://"+id+".txt")
		if m.AuthorID != "" {
			x.attr("creatingUser", guidOf("user", m.AuthorID))
		}
		x.attrTime("creationDateTime", m.Created)
		x.attrTime("modifiedDateTime", m.Updated)
		x.raw(">")
		x.element("PlainTextContent", m.Text)
		if m.Anchored() {
			x.raw("<PlainTextSelection")
			x.attr("guid", derivedID("memo-span/"+id))
			x.attrInt("startPosition", m.Start)
			x.attrInt("endPosition", m.End)
			if m.AuthorID != "" {
				x.attr("creatingUser", guidOf("user", m.AuthorID))
			}
			x.attrTime("creationDateTime", m.Created)
			x.raw("/>")
		}
		x.raw("</Note>\n")
	}
	x.raw("</Notes>\n")
}

// documentMemoDescription is the Description of a source: its
// whole-document memos, title and text, for readers (QualCoder) that keep
// one memo per document and ignore the notes a source refers to.
func documentMemoDescription(memos []*coding.Memo) string {
	var parts []string
	for _, m := range memos {
		if m.Anchored() {
			continue
		}
		switch {
		case m.Title == "":
			parts = append(parts, m.Text)
		case m.Text == "":
			parts = append(parts, m.Title)
		default:
			parts = append(parts, m.Title+"\n"+m.Text)
		}
	}
	return strings.Join(parts, "\n\n")
}
