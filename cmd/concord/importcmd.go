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
	plan, err := app.PlanImport(st, app.ImportRequest{Slug: *project, Name: *name, Lead: *lead, UserMap: userMap}, parts)
	if err != nil {
		return err
	}
	clear(parts)
	d := plan.Data
	snap := &store.Snapshot{Project: plan.NewProject, Lead: plan.Lead.ID, Users: plan.Users, UserGUIDs: plan.UserGUIDs, Members: plan.Members,
		Documents: d.Documents, Codes: d.Codes, Codings: d.Codings, Memos: d.Memos}
	// Storing a large project uses up the snapshot's texts and codings.
	imported := importedLines(snap)
	if plan.Project == nil {
		err = st.ImportProject(snap, plan.Lead.ID)
	} else {
		err = st.ImportIntoProject(plan.Project.ID, snap, plan.Lead.ID)
	}
	if err != nil {
		return err
	}
	reportImport(m, plan, imported, from)
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

// reportImport tells what was stored, and what was left out or changed.
func reportImport(m *Main, plan *app.ImportPlan, imported, from []string) {
	if plan.Project == nil {
		fmt.Fprintf(m.Stdout, "Created project %s (%s) with %s as lead.\n", plan.NewProject.Slug, plan.NewProject.Name, plan.Lead.Login)
	}
	for _, line := range slices.Concat(imported, from) {
		fmt.Fprintln(m.Stdout, line)
	}
	if n := len(plan.Users); n > 0 {
		var logins []string
		for _, u := range plan.Users {
			logins = append(logins, u.Login)
		}
		fmt.Fprintf(m.Stdout, "Added %d users as coders, without passwords (set one with: concord users passwd LOGIN): %s.\n", n, strings.Join(logins, ", "))
	}
	for _, mt := range plan.Matches {
		fmt.Fprintf(m.Stdout, "User %q of the files is %s (%s).\n", mt.Name, mt.Login, mt.How)
	}
	for _, w := range plan.Data.Warnings {
		fmt.Fprintf(m.Stderr, "warning: %s\n", w)
	}
}
