package formats

import (
	"sort"

	"github.com/concordqda/concord/coding"
)

// userIndex maps user ids to users; coders it does not know get a
// placeholder, the consensus layer its own user.
type userIndex map[string]*coding.User

func newUserIndex(d *coding.ProjectData) userIndex {
	idx := make(userIndex, len(d.Users)+1)
	for i := range d.Users {
		idx[d.Users[i].ID] = &d.Users[i]
	}
	if _, ok := idx[coding.ConsensusCoder]; !ok {
		u := coding.ConsensusUser()
		idx[coding.ConsensusCoder] = &u
	}
	return idx
}

func (idx userIndex) get(id string) *coding.User {
	if u, ok := idx[id]; ok {
		return u
	}
	u := &coding.User{ID: id, Login: id, Name: "Unknown user"}
	idx[id] = u
	return u
}

// sortedCodings returns pointers to d's codings in reading order: by
// document (in d.Documents order), start, end, the code's place in the
// codebook and the coder. Exports list segments in this order.
func sortedCodings(d *coding.ProjectData, cb *coding.Codebook, users userIndex) []*coding.Coding {
	docOrder := make(map[string]int, len(d.Documents))
	for i := range d.Documents {
		docOrder[d.Documents[i].ID] = i
	}
	codeOrder := make(map[string]int, cb.Len())
	n := 0
	cb.Walk(func(c *coding.Code, _ int) { codeOrder[c.ID] = n; n++ })
	type keyed struct {
		c                  *coding.Coding
		doc, code          int
		coder              string
		start, end, serial int
	}
	ks := make([]keyed, len(d.Codings))
	for i := range d.Codings {
		c := &d.Codings[i]
		ks[i] = keyed{c, docOrder[c.DocumentID], codeOrder[c.CodeID], users.get(c.CoderID).Login, c.Start, c.End, i}
	}
	sort.Slice(ks, func(i, j int) bool {
		a, b := &ks[i], &ks[j]
		switch {
		case a.doc != b.doc:
			return a.doc < b.doc
		case a.start != b.start:
			return a.start < b.start
		case a.end != b.end:
			return a.end < b.end
		case a.code != b.code:
			return a.code < b.code
		case a.coder != b.coder:
			return a.coder < b.coder
		}
		return a.serial < b.serial
	})
	out := make([]*coding.Coding, len(ks))
	for i := range ks {
		out[i] = ks[i].c
	}
	return out
}

// textIndexes builds one index per document of d, by document id.
func textIndexes(d *coding.ProjectData) map[string]*coding.TextIndex {
	out := make(map[string]*coding.TextIndex, len(d.Documents))
	for i := range d.Documents {
		out[d.Documents[i].ID] = coding.NewTextIndex(d.Documents[i].Text)
	}
	return out
}
