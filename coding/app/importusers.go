package app

import (
	"fmt"
	"sort"
	"strings"

	"github.com/concordqda/concord/coding"
)

// UserMatch says which account a user of the files turned out to be.
type UserMatch struct {
	Name  string // as the file names the user
	Login string // the account's
	How   string // by what it was found, for the report
}

// accountIndex finds accounts by id, REFI-QDA GUID, login and display
// name: the database's, and those the import is about to create.
type accountIndex struct {
	byID    map[string]*coding.User
	byGUID  map[string]*coding.User
	byLogin map[string]*coding.User
	byName  map[string][]*coding.User
}

func (x *accountIndex) add(u *coding.User) {
	x.byID[u.ID] = u
	x.byLogin[u.Login] = u
	for _, g := range u.RefiIDs {
		x.byGUID[g] = u
	}
	x.byName[u.Name] = append(x.byName[u.Name], u)
}

// byExactName finds the one account whose display name or login is the
// file user's name or login, exactly; nil when none or several are.
func (x *accountIndex) byExactName(u *coding.User) *coding.User {
	found := map[string]*coding.User{}
	for _, a := range x.byName[u.Name] {
		found[a.ID] = a
	}
	for _, s := range []string{u.Name, u.Login} {
		if a := x.byLogin[s]; a != nil {
			found[a.ID] = a
		}
	}
	if len(found) != 1 {
		return nil
	}
	for _, a := range found {
		return a
	}
	return nil
}

// addImportedUsers settles which account each user the files bring is,
// in this order: the account imported under the same GUID before (or
// with that id), the one --map-user names, the one with the same display
// name or login; else a new account is created (a login already taken
// gets "-2", "-3" …; no password, so it cannot sign in until an admin
// sets one). Two users of one file are two people: a user is matched by
// name only to an account no other user of the same file has. Codings
// and memos follow their users to the accounts found. Every user becomes
// a coder of the project unless already a member. It returns the users
// found to be existing accounts. parts holds each file's users.
func addImportedUsers(st ImportStore, plan *ImportPlan, parts [][]coding.User, lead string, userMap map[string]string) ([]UserMatch, error) {
	existing, err := st.Users()
	if err != nil {
		return nil, err
	}
	var users []coding.User
	partOf := map[string]int{} // file user id → the first file naming it
	for i, part := range parts {
		for _, u := range part {
			if _, dup := partOf[u.ID]; !dup {
				partOf[u.ID] = i
				users = append(users, u)
			}
		}
	}
	claimed := map[[2]any]bool{} // {file, account id}: taken by a user of that file
	x := &accountIndex{byID: map[string]*coding.User{}, byGUID: map[string]*coding.User{}, byLogin: map[string]*coding.User{}, byName: map[string][]*coding.User{}}
	for i := range existing {
		x.add(&existing[i])
	}
	mapped, err := resolveUserMap(x, users, userMap)
	if err != nil {
		return nil, err
	}
	var matches []UserMatch
	remap := map[string]string{} // file user id → account id
	created := map[string]bool{}
	var newUsers []*coding.User
	for _, u := range users {
		if u.ID == coding.ConsensusCoder {
			continue
		}
		guid := u.ID
		if len(u.RefiIDs) > 0 {
			guid = u.RefiIDs[0]
		}
		var acct *coding.User
		how := ""
		switch {
		case x.byID[u.ID] != nil:
			acct, how = x.byID[u.ID], "same id"
		case x.byGUID[guid] != nil:
			acct, how = x.byGUID[guid], "imported under the same GUID before"
		case mapped[u.ID] != nil:
			acct, how = mapped[u.ID], "--map-user"
		case x.byExactName(&u) != nil && !claimed[[2]any{partOf[u.ID], x.byExactName(&u).ID}]:
			acct, how = x.byExactName(&u), "same name"
		}
		if acct == nil {
			nu := u
			nu.PasswordHash, nu.Admin, nu.MustChangePassword = nil, false, false
			nu.Login = coding.UniqueLogin(u.Login, func(l string) bool { return x.byLogin[l] != nil })
			newUsers = append(newUsers, &nu)
			created[nu.ID] = true
			x.add(&nu)
			acct = &nu
		} else if !created[acct.ID] && (acct.ID != u.ID || how != "same id") {
			matches = append(matches, UserMatch{Name: u.Name, Login: acct.Login, How: how})
		}
		claimed[[2]any{partOf[u.ID], acct.ID}] = true
		if acct.ID != u.ID {
			remap[u.ID] = acct.ID
		}
		// The account remembers the GUID, so the next import of the
		// file finds it at once.
		if guid != "" && !acct.HasRefiID(guid) && acct.ID != guid {
			acct.RefiIDs = append(acct.RefiIDs, guid)
			x.byGUID[guid] = acct
			if !created[acct.ID] {
				if plan.UserGUIDs == nil {
					plan.UserGUIDs = map[string][]string{}
				}
				plan.UserGUIDs[acct.ID] = append(plan.UserGUIDs[acct.ID], guid)
			}
		}
		if acct.ID != lead && !memberPlanned(plan, acct.ID) {
			plan.Members = append(plan.Members, coding.Member{UserID: acct.ID, Role: coding.RoleCoder})
		}
	}
	for _, u := range newUsers {
		plan.Users = append(plan.Users, *u)
	}
	remapWork(plan.Data, remap)
	return matches, nil
}

// resolveUserMap checks every --map-user against the files' users and the
// accounts, and returns the account of each file user id it names.
func resolveUserMap(x *accountIndex, users []coding.User, userMap map[string]string) (map[string]*coding.User, error) {
	out := map[string]*coding.User{}
	names := make([]string, 0, len(userMap))
	for name := range userMap {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		login := userMap[name]
		acct := x.byLogin[login]
		if acct == nil {
			return nil, fmt.Errorf("--map-user %s=%s: there is no account with the login %q (see concord users list)", name, login, login)
		}
		found := false
		for _, u := range users {
			// NAME is the user's name in the file, or its id there,
			// which becomes the login ("CP" → cp).
			if u.ID != coding.ConsensusCoder && (u.Name == name || u.Login == name || u.Login == coding.LoginFor(name)) {
				out[u.ID] = acct
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("--map-user %s=%s: the files name no user %q; they name %s", name, login, name, fileUserNames(users))
		}
	}
	return out, nil
}

func fileUserNames(users []coding.User) string {
	var names []string
	for _, u := range users {
		if u.ID != coding.ConsensusCoder {
			names = append(names, fmt.Sprintf("%q", u.Name))
		}
	}
	if len(names) == 0 {
		return "no users at all"
	}
	return strings.Join(names, ", ")
}

func memberPlanned(plan *ImportPlan, userID string) bool {
	for _, m := range plan.Members {
		if m.UserID == userID {
			return true
		}
	}
	return false
}

// remapWork gives the codings and memos of file users found to be other
// accounts to those accounts. Two files coding the same span for the same
// person leave one coding.
func remapWork(d *coding.ProjectData, remap map[string]string) {
	if len(remap) == 0 {
		return
	}
	seen := map[coding.SpanKey]bool{}
	kept := d.Codings[:0]
	for _, c := range d.Codings {
		if id, ok := remap[c.CoderID]; ok {
			c.CoderID = id
		}
		k := coding.SpanKey{DocumentID: c.DocumentID, CodeID: c.CodeID, CoderID: c.CoderID, Start: c.Start, End: c.End}
		if c.CoderID != "" && seen[k] {
			continue
		}
		seen[k] = true
		kept = append(kept, c)
	}
	d.Codings = kept
	for i := range d.Memos {
		if id, ok := remap[d.Memos[i].AuthorID]; ok {
			d.Memos[i].AuthorID = id
		}
	}
}
