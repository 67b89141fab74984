package main

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/seeds"
	"github.com/concordqda/concord/server"
	"github.com/concordqda/concord/store"
)

// DemoPassword is the password of every demo account.
const DemoPassword = "concord-demo"

// prepareDatabase readies a new database: with the demo, the demo users
// and project; without, an admin with a one-time password. A database that
// already has users is left alone, so a second start adds nothing. It
// returns what to tell the person who started the server.
func (m *Main) prepareDatabase(db *store.DB, noDemo bool) (string, error) {
	users, err := db.Users()
	if err != nil {
		return "", err
	}
	if len(users) > 0 {
		if _, err := db.ProjectBySlug("peer-support"); err == nil {
			return fmt.Sprintf("Sign in as lead, ana or ben (password %q) to try the demo project, or with your own account.\n", DemoPassword), nil
		}
		return "Sign in with your account. Add users with: concord users add LOGIN --password PASSWORD\n", nil
	}
	if noDemo {
		pw, err := randomPassword()
		if err != nil {
			return "", err
		}
		hash, err := server.HashPassword(pw, m.BcryptCost)
		if err != nil {
			return "", err
		}
		// The password passes through a terminal and maybe a log: it
		// signs in once, to choose a real one.
		admin := &coding.User{Login: "admin", Name: "Administrator", Admin: true, PasswordHash: hash, MustChangePassword: true}
		if err := db.CreateUser(admin); err != nil {
			return "", err
		}
		return fmt.Sprintf("Created the user admin with the one-time password %s\nIt is shown only now and works once: sign in and choose your own (or run: concord users passwd admin).\n", pw), nil
	}
	if err := loadDemo(db, m.BcryptCost); err != nil {
		return "", fmt.Errorf("load the demo project: %w", err)
	}
	return fmt.Sprintf("Loaded the demo project \"Peer support work in substance use services\".\nSign in as lead (the project lead), ana or ben (coders); the password is %q for all three.\n", DemoPassword), nil
}

// loadDemo creates the demo users and stores the demo project in one
// transaction.
func loadDemo(db *store.DB, bcryptCost int) error {
	demo, err := seeds.LoadDemo()
	if err != nil {
		return err
	}
	// One hash serves every demo account: they share a password, and
	// bcrypt is slow on purpose.
	hash, err := server.HashPassword(DemoPassword, bcryptCost)
	if err != nil {
		return err
	}
	ids := map[string]string{}
	snap := &store.Snapshot{Project: demo.Project, Documents: demo.Documents, Codes: demo.Codes}
	for _, du := range demo.Users {
		u, err := db.UserByLogin(du.Login)
		if coding.ErrorCode(err) == coding.ENOTFOUND {
			u = &coding.User{Login: du.Login, Name: du.Name, Colour: du.Colour, PasswordHash: hash, Admin: du.Role == coding.RoleLead}
			err = db.CreateUser(u)
		}
		if err != nil {
			return err
		}
		ids[du.Login] = u.ID
		if du.Role == coding.RoleLead && snap.Lead == "" {
			snap.Lead = u.ID
			continue
		}
		snap.Members = append(snap.Members, coding.Member{UserID: u.ID, Role: du.Role})
	}
	for _, c := range demo.Codings {
		id, ok := ids[c.CoderID]
		if !ok {
			return fmt.Errorf("demo coding by unknown coder %q", c.CoderID)
		}
		c.CoderID = id
		snap.Codings = append(snap.Codings, c)
	}
	return db.ImportProject(snap, snap.Lead)
}

func randomPassword() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return strings.NewReplacer("-", "x", "_", "y").Replace(base64.RawURLEncoding.EncodeToString(b)), nil
}
