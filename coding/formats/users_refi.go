package formats

import "github.com/concordqda/concord/coding"

// usersWithWork keeps the users who coded or wrote a memo in d: a QDPX
// names only them, so that a lead who coded nothing does not come back
// from another tool as one more account.
func usersWithWork(d *coding.ProjectData, users []*coding.User) []*coding.User {
	worked := make(map[string]bool, len(users))
	for i := range d.Codings {
		worked[d.Codings[i].CoderID] = true
	}
	for i := range d.Memos {
		worked[d.Memos[i].AuthorID] = true
	}
	out := users[:0:0]
	for _, u := range users {
		if worked[u.ID] {
			out = append(out, u)
		}
	}
	return out
}
