package server

import (
	"io"
	"time"

	"github.com/concordqda/concord/coding"
)

// Store is what the server needs from persistence. Every mutation returns
// only after it is durable, and returns the events it wrote.
type Store interface {
	User(id string) (*coding.User, error)
	CreateUser(u *coding.User) error
	UserByLogin(login string) (*coding.User, error)
	Users() ([]coding.User, error)
	// ResetPassword sets a password and ends all the user's sessions in
	// one transaction; oneTime marks a password the user did not choose.
	ResetPassword(userID string, hash []byte, oneTime bool) error

	// SignIn starts a session for a user whose password was just checked
	// against verified, if that is still their hash, is a hash at all, and
	// is not a one-time password that signed in before (which it marks
	// used); otherwise EUNAUTHORIZED.
	SignIn(userID string, verified []byte, ttl time.Duration) (string, *coding.Session, error)
	// Authenticate returns a token's live session and its user, or
	// EUNAUTHORIZED, and notes the use; idle > 0 ends sessions unused
	// for that long. It must be cheap: every signed-in request calls it.
	Authenticate(token string, idle time.Duration) (*coding.Session, *coding.User, error)
	// KeepSession is Authenticate for a live connection, by session ID.
	KeepSession(id string, idle time.Duration) error
	DeleteSession(token string) error

	Project(id string) (*coding.Project, error)
	ProjectBySlug(slug string) (*coding.Project, error)
	Projects() ([]coding.Project, error)
	CreateProject(p *coding.Project, lead string) (*coding.Event, error)
	UpdateProject(p *coding.Project, actor string) (*coding.Event, error)
	Members(projectID string) ([]coding.Member, error)
	RemoveMember(projectID, userID, actor string) (*coding.Member, error)
	Role(projectID, userID string) (coding.Role, error)
	SetMember(m coding.Member, actor string) (*coding.Event, error)

	Documents(projectID string) ([]coding.Document, error)
	Document(projectID, id string) (*coding.Document, error)
	DocumentTexts(projectID string) (map[string]string, error)
	AddDocument(d *coding.Document, actor string) (*coding.Event, error)
	UpdateDocument(d *coding.Document, actor string) (*coding.Event, error)
	// UpdateDocuments changes several documents in one transaction: all
	// or none, an event for each that changed.
	UpdateDocuments(projectID string, docs []coding.Document, actor string) ([]coding.Event, error)
	// SetDocumentOrder stores the order of every document not deleted.
	SetDocumentOrder(projectID string, ids []string, actor string) (*coding.Event, error)
	// DeleteDocument moves a document to the trash, its codings and
	// memos kept with it; RestoreDocument brings it all back; Trash
	// lists what is there.
	DeleteDocument(projectID, id, actor string) (*coding.TrashedDocument, *coding.Event, error)
	RestoreDocument(projectID, id, actor string) (*coding.Document, *coding.Event, error)
	Trash(projectID string) ([]coding.TrashedDocument, error)
	// ImportDocuments adds documents and codes (parents before children
	// or not) to a project in one transaction: all or none.
	ImportDocuments(projectID string, docs []coding.Document, codes []coding.Code, actor string) error

	Codes(projectID string) ([]coding.Code, error)
	CreateCode(c *coding.Code, actor string) (*coding.Event, error)
	UpdateCode(c *coding.Code, actor string) (*coding.Event, error)
	DeleteCode(projectID, codeID, moveTo, actor string) (*coding.CodeDeleted, *coding.Event, error)
	MergeCodes(projectID, from, into, actor string) (*coding.CodesMerged, *coding.Event, error)

	Codings(projectID string, f coding.CodingFilter) ([]coding.Coding, error)
	CodingSpans(projectID string) (*coding.CodingSpans, error)
	Progress(projectID string) (map[string]map[string]*coding.Progress, error)
	Coding(projectID, id string) (*coding.Coding, error)
	AddCoding(c *coding.Coding, actor string) (*coding.Event, error)
	AddCodings(cs []coding.Coding, actor string) ([]coding.Event, error)
	UpdateCoding(c *coding.Coding, actor string) (*coding.Event, error)
	DeleteCoding(projectID, id, actor string) (*coding.Coding, *coding.Event, error)
	DeleteCodings(projectID string, ids []string, actor string, check func(*coding.Coding) error) ([]coding.Coding, error)

	// ProjectData reads a whole project, texts included, in one read
	// transaction (for exports).
	ProjectData(projectID string, f coding.CodingFilter) (*coding.ProjectData, error)

	Memos(projectID string) ([]coding.Memo, error)
	SaveMemo(m *coding.Memo, actor string) (*coding.Event, error)
	DeleteMemo(projectID, id, actor string) (*coding.Event, error)

	// Decisions lists a project's decisions on review cases (one
	// document's when document is not ""); SetDecision upserts one (nil
	// event when it was already recorded so) and ClearDecision removes
	// the one on a case's key.
	Decisions(projectID, document string) ([]coding.Decision, error)
	SetDecision(projectID string, d *coding.Decision, actor string) (*coding.Event, error)
	ClearDecision(projectID, key, actor string) (*coding.Decision, *coding.Event, error)

	// Assignments lists a project's assignments and done marks; Assign
	// and Unassign add and take back a lead's assignments, SetDone marks
	// a document done by a coder or takes the mark back (nil events when
	// nothing changed).
	Assignments(projectID string) ([]coding.Assignment, error)
	Assign(projectID string, req coding.AssignRequest, actor string) (*coding.AssignmentChange, *coding.Event, error)
	Unassign(projectID string, coders, documents []string, actor string) (*coding.AssignmentChange, *coding.Event, error)
	SetDone(projectID, document, coder string, done bool, actor string) (*coding.Assignment, *coding.Event, error)

	Events(projectID string, since uint64, limit int) ([]coding.Event, error)
	LastSeq(projectID string) (uint64, error)
	EventFloor(projectID string) (uint64, error)

	Backup(w io.Writer) (int64, error)
}
