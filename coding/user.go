package coding

import (
	"regexp"
	"time"
)

// Role is what a member may do in a project.
type Role string

// The roles a project member can hold.
const (
	RoleLead   Role = "lead"
	RoleCoder  Role = "coder"
	RoleViewer Role = "viewer"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	return r == RoleLead || r == RoleCoder || r == RoleViewer
}

// CanCode reports whether the role may create codings in its own layer.
func (r Role) CanCode() bool { return r == RoleLead || r == RoleCoder }

// User is a person who can sign in. The password hash never leaves the
// server: it is not part of the JSON form.
type User struct {
	ID           string    `json:"id"`
	Login        string    `json:"login"`
	Name         string    `json:"name"`
	Colour       string    `json:"colour"`
	Admin        bool      `json:"admin,omitempty"`
	PasswordHash []byte    `json:"-"`
	Created      time.Time `json:"created"`
	// MustChangePassword marks a password someone else chose (a lead's
	// invitation, the first admin's, a reset by the operator): it works
	// once, to sign in and choose a new one, and for nothing else.
	MustChangePassword bool `json:"must_change_password,omitempty"`
	// RefiIDs are the REFI-QDA user GUIDs this account was imported
	// under (lower case, no braces): a later import of a file naming one
	// of them finds the same account, even where the file spells the
	// person's name differently.
	RefiIDs []string `json:"refi_ids,omitempty"`
}

// HasRefiID reports whether guid is one of the REFI-QDA GUIDs the account
// was imported under.
func (u *User) HasRefiID(guid string) bool {
	for _, id := range u.RefiIDs {
		if id == guid {
			return true
		}
	}
	return false
}

// Member ties a user to a project with a role.
type Member struct {
	ProjectID string `json:"project"`
	UserID    string `json:"user"`
	Role      Role   `json:"role"`
}

var (
	loginPattern  = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,31}$`)
	colourPattern = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
)

// IsLogin reports whether s is a valid login: lower case letters, digits,
// dots, dashes and underscores, starting with a letter or digit.
func IsLogin(s string) bool { return loginPattern.MatchString(s) }

// IsColour reports whether s is a colour as Concord stores it: #rrggbb.
func IsColour(s string) bool { return colourPattern.MatchString(s) }

// Validate reports whether the user can be stored.
func (u *User) Validate() error {
	if !loginPattern.MatchString(u.Login) {
		return Errorf(EINVALID, "login %q must be 1-32 lower-case letters, digits, dots, dashes or underscores", u.Login)
	}
	if err := checkText("display name", u.Name, 1, 100); err != nil {
		return err
	}
	if u.Colour != "" && !colourPattern.MatchString(u.Colour) {
		return Errorf(EINVALID, "colour %q must look like #1a2b3c", u.Colour)
	}
	return nil
}

// Validate reports whether the membership can be stored.
func (m *Member) Validate() error {
	if !m.Role.Valid() {
		return Errorf(EINVALID, "role %q must be lead, coder or viewer", m.Role)
	}
	return nil
}

// ValidatePassword checks a new password for minimal strength.
func ValidatePassword(pw string) error {
	if len(pw) < 8 {
		return Errorf(EINVALID, "password must be at least 8 characters")
	}
	if len(pw) > 72 {
		// bcrypt ignores everything past 72 bytes; refuse rather than surprise.
		return Errorf(EINVALID, "password must be at most 72 bytes")
	}
	return checkText("password", pw, 8, 72)
}
