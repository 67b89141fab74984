package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/concordqda/concord/cmd/internal/cli"
	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/coding/app"
	"github.com/concordqda/concord/coding/formats"
	"github.com/concordqda/concord/store"
)

// attrFlag collects repeated --attr key=value flags.
type attrFlag map[string]string

func (a attrFlag) String() string { return fmt.Sprint(map[string]string(a)) }

func (a attrFlag) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return fmt.Errorf("%q must look like key=value", v)
	}
	a[strings.TrimSpace(k)] = strings.TrimSpace(val)
	return nil
}

const importUsage = "import --project SLUG [--lead LOGIN] [--name NAME] [--attr key=value]... [--map-user NAME=LOGIN]... [--text-column NAME] FILE..."

func (m *Main) importCmd(args []string) error {
	fs := m.flags("import", importUsage+`

Files: plain text (.txt), Markdown (.md), HTML, Word (.docx), OpenDocument
(.odt), PDF (through pdftotext), a CSV of survey answers (one document per
row), or a project or codebook from another QDA tool (REFI-QDA .qdpx, .qde,
.qdc). Every file is read and checked before anything is stored; then all
of it is stored, or nothing is. A large new project is stored in several
commits; an import cut short (a crash, a full disk) leaves nothing behind
once the database is next opened.

The users a project file names are matched to accounts: by the file's
user GUID (remembered from earlier imports), then by --map-user, then by
the same display name or login; the rest become new coders without a
password.`)
	db := m.dbFlag(fs)
	project := fs.String("project", "", "slug of the project to import into; it is created when it does not exist")
	lead := fs.String("lead", "", "login of the lead of a project the import creates (default: the first admin)")
	name := fs.String("name", "", "name of a project the import creates (default: the name a QDPX file gives, else the slug)")
	textColumn := fs.String("text-column", "", "CSV: the column that holds the answers (default: the one with the most text)")
	attrs := attrFlag{}
	fs.Var(attrs, "attr", "a document attribute for every imported document, as key=value (repeatable)")
	userMap := userMapFlag{}
	fs.Var(&userMap, "map-user", "a user the files name, and the login of the account that is that person, as NAME=LOGIN (repeatable)")
	files, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if *project == "" {
		return cli.Usagef("import needs --project SLUG")
	}
	if len(files) == 0 {
		return cli.Usagef("import needs at least one file")
	}
	// A one-off command that holds a whole project file in memory: the
	// collector runs twice as often as by default, so that the heap grows
	// to half again what is live rather than twice (a 200,000-coding QDPX
	// peaked at 290–300 MB instead of 320–360, for some 15 % more time,
	// when measured). A GOGC the user set wins.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(50))
	}
	// Read and check every file before opening the database, so that one
	// bad file leaves everything unchanged.
	opts := formats.ImportOptions{TextColumn: *textColumn}
	parts := make([]*coding.ProjectData, 0, len(files))
	for _, path := range files {
		part, err := m.readImport(path, opts)
		if err != nil {
			return err
		}
		for i := range part.Documents {
			for k, v := range attrs {
				part.Documents[i].Attributes[k] = v
			}
		}
		for i := range part.Warnings {
			part.Warnings[i] = path + ": " + part.Warnings[i]
		}
		parts = append(parts, part)
	}
	// What the import adds to the file: the texts, and about a kilobyte
	// per coding (its record, its event and two index entries) and memo.
	// A map sized for all of it is never remapped while the import runs;
	// each remap copied every key and value written so far into memory.
	var size int64
	for _, part := range parts {
		for _, d := range part.Documents {
			size += int64(len(d.Text))
		}
		size += int64(len(part.Codings)) << 10
		for _, m := range part.Memos {
			size += 1<<10 + int64(len(m.Text))
		}
	}
	st, err := openDBForWriting(*db, size)
	if err != nil {
		return err
	}
	defer st.Close()
	// Planning takes the parts' contents over (200,000 codings are some
	// 26 MB each time they are held): count them first.
	from := fromLines(files, parts)
	imp, err := m.planImport(st, *project, *name, *lead, parts, userMap)
	if err != nil {
		return err
	}
	clear(parts)
	// Storing a large project uses up the plan's texts and codings.
	imported := importedLines(imp.snap)
	if err := imp.store(st); err != nil {
		return err
	}
	imp.report(m, imported, from)
	return nil
}

// importedLines names each document an import stores, with its length.
func importedLines(snap *store.Snapshot) []string {
	out := make([]string, len(snap.Documents))
	for i, d := range snap.Documents {
		out[i] = fmt.Sprintf("Imported %q (%d characters).", d.Title, utf8.RuneCountInString(d.Text))
	}
	return out
}

// fromLines says, for each file that brought more than documents, what
// it held.
func fromLines(files []string, parts []*coding.ProjectData) []string {
	var out []string
	for i, part := range parts {
		if len(part.Codes) == 0 && len(part.Codings) == 0 && len(part.Memos) == 0 && len(part.Users) == 0 {
			continue
		}
		out = append(out, fmt.Sprintf("From %s: %d documents, %d codes, %d codings, %d memos, %d users.",
			files[i], len(part.Documents), len(part.Codes), len(part.Codings), len(part.Memos), len(part.Users)))
	}
	return out
}

// importPlan is what an import will store and in which project.
type importPlan struct {
	project    *coding.Project // nil: create it
	newProject coding.Project
	lead       *coding.User // the lead of a new project, or the actor
	data       *coding.ProjectData
	snap       *store.Snapshot
	matches    []userMatch // file users found to be existing accounts
}

// planImport merges the parts into one snapshot for the project slug:
// users the files bring that the database lacks are added (with no
// password, as coders), codings and memos without an author are the
// lead's.
func (m *Main) planImport(st *store.DB, slug, name, leadLogin string, parts []*coding.ProjectData, userMap userMapFlag) (*importPlan, error) {
	imp := &importPlan{}
	p, err := st.ProjectBySlug(slug)
	switch {
	case err == nil:
		imp.project = p
		if imp.data, err = app.MergeIntoProject(st, p.ID, parts); err != nil {
			return nil, err
		}
		if imp.lead, err = projectLead(st, p.ID); err != nil {
			return nil, err
		}
	case coding.ErrorCode(err) == coding.ENOTFOUND:
		merger := formats.NewMerger(nil, nil, false)
		for _, part := range parts {
			merger.Add(part)
		}
		imp.data = merger.Result()
		if imp.lead, err = newProjectLead(st, leadLogin); err != nil {
			return nil, err
		}
	default:
		return nil, err
	}
	d := imp.data
	if imp.project == nil {
		imp.newProject = coding.Project{Slug: slug, Name: name, Description: d.Project.Description}
		if imp.newProject.Name == "" {
			imp.newProject.Name = d.Project.Name
		}
		if imp.newProject.Name == "" {
			imp.newProject.Name = slug
		}
		if err := imp.newProject.ValidateNew(); err != nil {
			return nil, err
		}
	}
	snap := &store.Snapshot{Project: imp.newProject, Lead: imp.lead.ID, Documents: d.Documents, Codes: d.Codes, Codings: d.Codings, Memos: d.Memos}
	partUsers := make([][]coding.User, len(parts))
	for i, part := range parts {
		partUsers[i] = part.Users
	}
	if imp.matches, err = addImportedUsers(st, snap, partUsers, imp.lead.ID, userMap); err != nil {
		return nil, err
	}
	for i := range snap.Codings {
		if snap.Codings[i].CoderID == "" {
			snap.Codings[i].CoderID = imp.lead.ID
		}
	}
	for i := range snap.Memos {
		if snap.Memos[i].AuthorID == "" {
			snap.Memos[i].AuthorID = imp.lead.ID
		}
	}
	// The store checks everything again in its transaction and refuses
	// the whole import on the first problem.
	imp.snap = snap
	return imp, nil
}

// projectLead returns a lead of an existing project, who is the actor of
// an import into it.
func projectLead(st *store.DB, projectID string) (*coding.User, error) {
	members, err := st.Members(projectID)
	if err != nil {
		return nil, err
	}
	for _, mb := range members {
		if mb.Role == coding.RoleLead {
			return st.User(mb.UserID)
		}
	}
	return nil, fmt.Errorf("the project has no lead to import as")
}

// newProjectLead returns the user named by --lead, or the first admin
// (the earliest created).
func newProjectLead(st *store.DB, login string) (*coding.User, error) {
	if login != "" {
		u, err := st.UserByLogin(login)
		if err != nil {
			return nil, fmt.Errorf("--lead: %s", coding.ErrorMessage(err))
		}
		return u, nil
	}
	users, err := st.Users()
	if err != nil {
		return nil, err
	}
	var first *coding.User
	for i := range users {
		u := &users[i]
		if u.Admin && (first == nil || u.Created.Before(first.Created)) {
			first = u
		}
	}
	if first == nil {
		return nil, fmt.Errorf("the project does not exist and there is no admin to lead it; name its lead with --lead LOGIN")
	}
	return first, nil
}

func (imp *importPlan) store(st *store.DB) error {
	if imp.project == nil {
		return st.ImportProject(imp.snap, imp.lead.ID)
	}
	return st.ImportIntoProject(imp.project.ID, imp.snap, imp.lead.ID)
}

// report tells what was stored, and what was left out or changed.
func (imp *importPlan) report(m *Main, imported, from []string) {
	if imp.project == nil {
		fmt.Fprintf(m.Stdout, "Created project %s (%s) with %s as lead.\n", imp.snap.Project.Slug, imp.snap.Project.Name, imp.lead.Login)
	}
	for _, line := range slices.Concat(imported, from) {
		fmt.Fprintln(m.Stdout, line)
	}
	if n := len(imp.snap.Users); n > 0 {
		var logins []string
		for _, u := range imp.snap.Users {
			logins = append(logins, u.Login)
		}
		fmt.Fprintf(m.Stdout, "Added %d users as coders, without passwords (set one with: concord users passwd LOGIN): %s.\n", n, strings.Join(logins, ", "))
	}
	for _, mt := range imp.matches {
		fmt.Fprintf(m.Stdout, "User %q of the files is %s (%s).\n", mt.name, mt.login, mt.how)
	}
	for _, w := range imp.data.Warnings {
		fmt.Fprintf(m.Stderr, "warning: %s\n", w)
	}
}
