package app

import (
	"strings"

	"github.com/concordqda/concord/coding"
)

// CoderStore is what resolving a coder reads.
type CoderStore interface {
	User(id string) (*coding.User, error)
	UserByLogin(login string) (*coding.User, error)
	Role(projectID, userID string) (coding.Role, error)
	Codings(projectID string, f coding.CodingFilter) ([]coding.Coding, error)
}

// unknownCoder is the answer for a coder a request names who is not a
// layer of the project. It is the same whether or not the login exists
// elsewhere on the server, so that no route tells who has an account.
func unknownCoder(ref string) error {
	return coding.Errorf(coding.EINVALID, "there is no coder %.40q in this project: give the login or id of a member, of someone who coded in it, or \"consensus\"", ref)
}

// ResolveCoder resolves ref (a login, a user id or "consensus") among the
// layers of a project: the consensus layer, its members, and people who
// are no longer members but whose codings are still in it. It returns the
// layer's id and the name that goes into file names.
func ResolveCoder(st CoderStore, projectID, ref string) (id, name string, err error) {
	ref = strings.TrimSpace(ref)
	if ref == "consensus" || ref == coding.ConsensusCoder {
		return coding.ConsensusCoder, "consensus", nil
	}
	var u *coding.User
	if id, ok := coding.CanonicalGUID(ref); ok {
		u, err = st.User(id)
	} else {
		u, err = st.UserByLogin(strings.ToLower(ref))
	}
	if coding.ErrorCode(err) == coding.ENOTFOUND {
		return "", "", unknownCoder(ref)
	} else if err != nil {
		return "", "", err
	}
	_, err = st.Role(projectID, u.ID)
	if err == nil {
		return u.ID, u.Login, nil
	} else if coding.ErrorCode(err) != coding.ENOTFOUND {
		return "", "", err
	}
	// Rare (a member who was removed): only then read their codings.
	cs, err := st.Codings(projectID, coding.CodingFilter{CoderID: u.ID})
	if err != nil {
		return "", "", err
	}
	if len(cs) == 0 {
		return "", "", unknownCoder(ref)
	}
	return u.ID, u.Login, nil
}
