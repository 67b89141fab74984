package app

import (
	"fmt"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/coding/formats"
)

// ImportStore is what planning an import reads.
type ImportStore interface {
	ProjectContents
	ProjectBySlug(slug string) (*coding.Project, error)
	Members(projectID string) ([]coding.Member, error)
	User(id string) (*coding.User, error)
	UserByLogin(login string) (*coding.User, error)
	Users() ([]coding.User, error)
}

// ImportRequest names where an import goes and who its users are.
type ImportRequest struct {
	Slug string // the project; created when there is none
	// Name and Lead (a login) are for a project the import creates:
	// by default the name a project file gives, else the slug, and the
	// first admin.
	Name, Lead string
	// UserMap says which account a user the files name is: the user's
	// name or login in the file → an account's login.
	UserMap map[string]string
}

// ImportPlan is what an import will store and in which project.
type ImportPlan struct {
	Project    *coding.Project // the existing project, or nil: NewProject is created
	NewProject coding.Project
	Lead       *coding.User // the new project's lead, or a lead of the existing one; the actor
	// Data is the files merged: documents, codes, codings and memos to
	// add, with their coders and authors settled, and the warnings.
	Data *coding.ProjectData
	// Users are accounts to create, UserGUIDs REFI-QDA GUIDs to remember
	// on existing ones (account id → GUIDs), Members the coders to add.
	Users     []coding.User
	UserGUIDs map[string][]string
	Members   []coding.Member
	// Matches are the file users found to be existing accounts.
	Matches []UserMatch
}

// PlanImport merges what the files brought into one addition to the
// project req.Slug names (or to a new one): users the files bring that the
// database lacks are to be created (with no password, as coders), and
// codings and memos without an author are the lead's. It takes the parts'
// contents over (see formats.Merger.Add). The store checks everything
// again when it stores the plan.
func PlanImport(st ImportStore, req ImportRequest, parts []*coding.ProjectData) (*ImportPlan, error) {
	plan := &ImportPlan{}
	// The users before the merge takes the parts over.
	partUsers := make([][]coding.User, len(parts))
	for i, part := range parts {
		partUsers[i] = part.Users
	}
	p, err := st.ProjectBySlug(req.Slug)
	switch {
	case err == nil:
		plan.Project = p
		if plan.Data, err = MergeIntoProject(st, p.ID, parts); err != nil {
			return nil, err
		}
		if plan.Lead, err = projectLead(st, p.ID); err != nil {
			return nil, err
		}
	case coding.ErrorCode(err) == coding.ENOTFOUND:
		plan.Data = merge(formats.NewMerger(nil, nil, false), parts)
		if plan.Lead, err = newProjectLead(st, req.Lead); err != nil {
			return nil, err
		}
		d := plan.Data
		plan.NewProject = coding.Project{Slug: req.Slug, Name: req.Name, Description: d.Project.Description}
		if plan.NewProject.Name == "" {
			plan.NewProject.Name = d.Project.Name
		}
		if plan.NewProject.Name == "" {
			plan.NewProject.Name = req.Slug
		}
		if err := plan.NewProject.ValidateNew(); err != nil {
			return nil, err
		}
	default:
		return nil, err
	}
	if plan.Matches, err = addImportedUsers(st, plan, partUsers, plan.Lead.ID, req.UserMap); err != nil {
		return nil, err
	}
	d := plan.Data
	for i := range d.Codings {
		if d.Codings[i].CoderID == "" {
			d.Codings[i].CoderID = plan.Lead.ID
		}
	}
	for i := range d.Memos {
		if d.Memos[i].AuthorID == "" {
			d.Memos[i].AuthorID = plan.Lead.ID
		}
	}
	return plan, nil
}

// projectLead returns a lead of an existing project, who is the actor of
// an import into it.
func projectLead(st ImportStore, projectID string) (*coding.User, error) {
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

// newProjectLead returns the user login names, or the first admin (the
// earliest created).
func newProjectLead(st ImportStore, login string) (*coding.User, error) {
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
