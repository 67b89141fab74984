package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/concordqda/concord/cmd/internal/cli"
	"github.com/concordqda/concord/coding"
)

const projectsUsage = `projects list
       concord projects create SLUG --name NAME --lead LOGIN [--description TEXT] [--blind]`

func (m *Main) projects(args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintf(m.Stderr, "Usage: concord %s\n", projectsUsage)
		if len(args) == 0 {
			return cli.Usagef("projects needs a subcommand: list or create")
		}
		return nil
	}
	sub, args := args[0], args[1:]
	fs := m.flags("projects "+sub, projectsUsage)
	db := m.dbFlag(fs)
	name := fs.String("name", "", "project name (create)")
	lead := fs.String("lead", "", "login of the project's first lead (create)")
	desc := fs.String("description", "", "what the project is about (create)")
	blind := fs.Bool("blind", false, "coders cannot see each other's codings until a lead reveals them (create)")
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case sub == "list" && len(pos) == 0:
	case sub == "create" && len(pos) == 1:
	case sub == "list" || sub == "create":
		return cli.Usagef("wrong number of arguments: concord %s", projectsUsage)
	default:
		return cli.Usagef("unknown projects subcommand %q: use list or create", sub)
	}
	st, err := openDB(*db)
	if err != nil {
		return err
	}
	defer st.Close()
	if sub == "list" {
		ps, err := st.Projects()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
		for _, p := range ps {
			docs, err := st.Documents(p.ID)
			if err != nil {
				return err
			}
			n, err := st.CountCodings(p.ID)
			if err != nil {
				return err
			}
			mode := "open"
			if p.Blind {
				mode = "blind"
			}
			fmt.Fprintf(tw, "%s\t%s\t%d documents\t%d codings\t%s\n", p.Slug, p.Name, len(docs), n, mode)
		}
		return tw.Flush()
	}
	if *name == "" || *lead == "" {
		return cli.Usagef("projects create needs --name and --lead")
	}
	u, err := st.UserByLogin(*lead)
	if err != nil {
		return err
	}
	p := &coding.Project{Slug: pos[0], Name: *name, Description: *desc, Blind: *blind}
	if _, err := st.CreateProject(p, u.ID); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Created project %s (%s) with %s as lead.\n", p.Slug, p.Name, u.Login)
	return nil
}
