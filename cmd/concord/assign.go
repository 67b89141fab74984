package main

import (
	"errors"
	"fmt"

	"github.com/concordqda/concord/cmd/internal/cli"
	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/store"
)

const assignUsage = `assign --project SLUG --coders a,b (--documents "TITLE,TITLE" | --all | --sample PERCENT [--seed N])
       concord assign --project SLUG --coders a,b --clear [--documents "TITLE,TITLE"]`

// assign gives documents to coders (or takes them back) with the server
// stopped, as a lead would on the documents page: the change is logged as
// the project's first lead's.
func (m *Main) assign(args []string) error {
	fs := m.flags("assign", assignUsage)
	db := m.dbFlag(fs)
	slug := fs.String("project", "", "the project's slug")
	coders := fs.String("coders", "", "comma-separated logins of the coders to assign documents to")
	var docs []string
	fs.Func("documents", "comma-separated document titles (repeat the flag for a title that holds a comma)", func(v string) error {
		docs = append(docs, v)
		return nil
	})
	all := fs.Bool("all", false, "every document of the project")
	sample := fs.Float64("sample", 0, "a random reliability sample of this percentage of the documents, the same for every coder (10 to 25 is usual)")
	seed := fs.Uint64("seed", 1, "the seed the sample is drawn with: the same seed and documents draw the same sample")
	clear := fs.Bool("clear", false, "take the documents back instead (all of the coders' when --documents is not given); done marks stay")
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *slug == "" || *coders == "" {
		return cli.Usagef("concord %s", assignUsage)
	}
	st, err := openDB(*db)
	if err != nil {
		return fmt.Errorf("%w\nWhile the server runs, ask it: PUT /api/projects/%s/assignments", err, *slug)
	}
	defer st.Close()
	p, err := st.ProjectBySlug(*slug)
	if err != nil {
		return err
	}
	actor, err := firstLead(st, p.ID)
	if err != nil {
		return err
	}
	var req coding.AssignRequest
	for _, login := range splitList(*coders) {
		u, err := st.UserByLogin(login)
		if err != nil {
			return fmt.Errorf("there is no user %q", login)
		}
		req.Coders = append(req.Coders, u.ID)
	}
	if len(docs) != 0 {
		byTitle := map[string]string{}
		list, err := st.Documents(p.ID)
		if err != nil {
			return err
		}
		for _, d := range list {
			byTitle[d.Title] = d.ID
		}
		for _, title := range documentTitles(docs, byTitle) {
			id, ok := byTitle[title]
			if !ok {
				return fmt.Errorf("%s has no document titled %q", p.Slug, title)
			}
			req.Documents = append(req.Documents, id)
		}
	}
	var change *coding.AssignmentChange
	if *clear {
		if *all || *sample != 0 {
			return cli.Usagef("--clear takes --documents or nothing (every document of the coders), not --all or --sample")
		}
		change, _, err = st.Unassign(p.ID, req.Coders, req.Documents, actor)
	} else {
		req.All = *all
		if *sample != 0 {
			req.Sample = &coding.Sample{Percent: *sample, Seed: *seed}
		}
		change, _, err = st.Assign(p.ID, req, actor)
	}
	if coding.ErrorCode(err) != coding.EINTERNAL && err != nil {
		return errors.New(coding.ErrorMessage(err))
	} else if err != nil {
		return err
	}
	verb := "Assigned"
	if *clear {
		verb = "Took back"
	}
	how := ""
	if change.Sample != nil {
		how = fmt.Sprintf(" (a %g%% sample, seed %d)", change.Sample.Percent, change.Sample.Seed)
	}
	fmt.Fprintf(m.Stdout, "%s %d documents%s for %s.\n", verb, len(change.Documents), how, *coders)
	if len(change.Documents) == 0 {
		fmt.Fprintln(m.Stdout, "Nothing changed: those documents were already so.")
	}
	return nil
}

// firstLead returns the user id of a lead of the project, in whose name a
// command changes it.
func firstLead(st *store.DB, projectID string) (string, error) {
	members, err := st.Members(projectID)
	if err != nil {
		return "", err
	}
	for _, mb := range members {
		if mb.Role == coding.RoleLead {
			return mb.UserID, nil
		}
	}
	return "", errors.New("the project has no lead to assign documents in the name of")
}

// documentTitles reads the --documents values: a value that is exactly a
// document's title is that title, commas and all; any other value is a
// comma-separated list.
func documentTitles(values []string, byTitle map[string]string) []string {
	var titles []string
	for _, v := range values {
		if _, ok := byTitle[v]; ok {
			titles = append(titles, v)
			continue
		}
		titles = append(titles, splitList(v)...)
	}
	return titles
}
