package formats

import (
	"testing"

	"github.com/concordqda/concord/coding"
)

func TestMerger(t *testing.T) {
	existing, orig := fixtureProject(), fixtureProject()
	part := fixtureProject()
	// Into the project it came from: codes are reused by path, documents
	// get new titles and ids, codings follow both.
	m := NewMerger(existing.Codes, existing.Documents, true)
	m.Add(part)
	got := m.Result()
	if part.Documents != nil || part.Codings != nil || part.Memos != nil {
		t.Error("the part still holds what the merge took over")
	}
	if len(got.Codes) != 0 {
		t.Errorf("%d codes added, want none: every path exists", len(got.Codes))
	}
	if len(got.Documents) != 2 || got.Documents[0].Title != "Interview 1 — Zoë (2)" || got.Documents[0].ID == orig.Documents[0].ID {
		t.Errorf("documents %q %s", got.Documents[0].Title, got.Documents[0].ID)
	}
	for i, c := range got.Codings {
		if c.CodeID != orig.Codings[i].CodeID || c.DocumentID == orig.Codings[i].DocumentID || c.ID == orig.Codings[i].ID {
			t.Errorf("coding %d: %+v", i, c)
		}
	}
	// A second file in the same import: a new code under an existing one.
	extra := &coding.ProjectData{Codes: []coding.Code{
		{ID: "x1", Name: "stressors", Codable: false},
		{ID: "x2", ParentID: "x1", Name: "Noise", Codable: true},
	}}
	m.Add(extra)
	got = m.Result()
	if len(got.Codes) != 1 || got.Codes[0].Name != "Noise" || got.Codes[0].ParentID != existing.Codes[0].ID || got.Codes[0].Order != 0 {
		t.Errorf("codes %+v", got.Codes)
	}
	// Into a new project ids are kept.
	m = NewMerger(nil, nil, false)
	m.Add(fixtureProject())
	got = m.Result()
	compareProjects(t, fixtureProject(), got)
	if err := got.Validate(); err != nil {
		t.Error(err)
	}
}
