package main

import (
	"bufio"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/concordqda/concord/cmd/internal/cli"
	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/server"
)

const usersUsage = `users add LOGIN --password PW [--name NAME] [--admin] [--one-time]
       concord users list
       concord users passwd LOGIN [--password PW] [--one-time]   (reads the password from standard input without --password)
       concord users grant LOGIN --project SLUG --role lead|coder|viewer`

func (m *Main) users(args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintf(m.Stderr, "Usage: concord %s\n", usersUsage)
		if len(args) == 0 {
			return cli.Usagef("users needs a subcommand: add, list, passwd or grant")
		}
		return nil
	}
	sub, args := args[0], args[1:]
	fs := m.flags("users "+sub, usersUsage)
	db := m.dbFlag(fs)
	password := fs.String("password", "", "the password (8 to 72 characters)")
	name := fs.String("name", "", "display name (default: the login)")
	admin := fs.Bool("admin", false, "may back up the whole database through the server")
	project := fs.String("project", "", "project slug (grant)")
	role := fs.String("role", "", "lead, coder or viewer (grant)")
	oneTime := fs.Bool("one-time", false, "the password is for someone else: it signs in once, and they must choose their own (add, passwd)")
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	want := map[string]int{"add": 1, "list": 0, "passwd": 1, "grant": 1}
	n, ok := want[sub]
	if !ok {
		return cli.Usagef("unknown users subcommand %q: use add, list, passwd or grant", sub)
	}
	if len(pos) != n {
		return cli.Usagef("users %s takes %d argument(s), got %d: concord %s", sub, n, len(pos), usersUsage)
	}
	st, err := openDB(*db)
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "add":
		if *password == "" {
			return cli.Usagef("users add needs --password")
		}
		hash, err := server.HashPassword(*password, m.BcryptCost)
		if err != nil {
			return err
		}
		u := &coding.User{Login: strings.ToLower(pos[0]), Name: *name, Admin: *admin, PasswordHash: hash, MustChangePassword: *oneTime}
		if u.Name == "" {
			u.Name = pos[0]
		}
		if err := st.CreateUser(u); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "Added user %s (%s).\n", u.Login, u.Name)
	case "list":
		tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
		users, err := st.Users()
		if err != nil {
			return err
		}
		fmt.Fprintln(tw, "LOGIN\tNAME\tADMIN")
		for _, u := range users {
			fmt.Fprintf(tw, "%s\t%s\t%v\n", u.Login, u.Name, u.Admin)
		}
		return tw.Flush()
	case "passwd":
		u, err := st.UserByLogin(pos[0])
		if err != nil {
			return err
		}
		pw := *password
		if pw == "" {
			line, err := bufio.NewReader(m.Stdin).ReadString('\n')
			if err != nil && line == "" {
				return fmt.Errorf("read the new password from standard input: %w", err)
			}
			pw = strings.TrimRight(line, "\r\n")
		}
		hash, err := server.HashPassword(pw, m.BcryptCost)
		if err != nil {
			return err
		}
		if err := st.ResetPassword(u.ID, hash, *oneTime); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "Changed the password of %s; their sessions have ended.\n", u.Login)
		if *oneTime {
			fmt.Fprintf(m.Stdout, "It works once: %s chooses their own when they next sign in.\n", u.Login)
		}
	case "grant":
		if *project == "" || *role == "" {
			return cli.Usagef("users grant needs --project SLUG and --role lead|coder|viewer")
		}
		u, err := st.UserByLogin(pos[0])
		if err != nil {
			return err
		}
		p, err := st.ProjectBySlug(*project)
		if err != nil {
			return err
		}
		if _, err := st.SetMember(coding.Member{ProjectID: p.ID, UserID: u.ID, Role: coding.Role(*role)}, u.ID); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%s is now %s in %s.\n", u.Login, *role, p.Slug)
	}
	return nil
}
