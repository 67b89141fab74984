package store

import (
	"sort"

	"github.com/concordqda/concord/coding"
	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

// userRecord is a user as stored: the domain type plus the password hash,
// which the domain's JSON form leaves out on purpose.
type userRecord struct {
	coding.User
	Hash []byte `json:"hash"`
	// OneTimeUsed marks a one-time password (User.MustChangePassword)
	// that already signed in once: it opens no second session. It lives
	// only on disk, beside the hash it is about, and a new hash clears it.
	OneTimeUsed bool `json:"one_time_used,omitempty"`
}

// CreateUser stores a new user. An empty ID gets a fresh one, an empty
// colour one from the palette. The login must be free.
func (db *DB) CreateUser(u *coding.User) error {
	_, err := db.update(func(w *writeTx) error { return w.createUser(u) })
	return err
}

func (w *writeTx) createUser(u *coding.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.ID == "" {
		u.ID = uuid.NewString()
	}
	key, err := idKey("user", u.ID)
	if err != nil {
		return coding.Errorf(coding.EINVALID, "user id %q is not a UUID", u.ID)
	}
	logins := w.tx.Bucket(bucketLogins)
	if logins.Get([]byte(u.Login)) != nil {
		return coding.Errorf(coding.ECONFLICT, "a user with login %q already exists", u.Login)
	}
	users := w.tx.Bucket(bucketUsers)
	if users.Get(key) != nil {
		return coding.Errorf(coding.ECONFLICT, "a user with id %s already exists", u.ID)
	}
	if u.Colour == "" {
		u.Colour = coding.CoderPalette[users.Stats().KeyN%len(coding.CoderPalette)]
	}
	if u.Created.IsZero() {
		u.Created = w.now
	}
	if err := putUser(users, key, u); err != nil {
		return err
	}
	return logins.Put([]byte(u.Login), key)
}

// changeUser reads a stored user, lets change alter it and stores it.
func (w *writeTx) changeUser(key []byte, change func(*userRecord)) error {
	users := w.tx.Bucket(bucketUsers)
	r, err := getUserRecord(users, key)
	if err != nil {
		return err
	}
	change(r)
	return putUserRecord(users, key, r)
}

func putUser(users *bolt.Bucket, key []byte, u *coding.User) error {
	return putUserRecord(users, key, &userRecord{User: *u, Hash: u.PasswordHash})
}

func putUserRecord(users *bolt.Bucket, key []byte, r *userRecord) error {
	data, err := encodeJSON(r)
	if err != nil {
		return err
	}
	return users.Put(key, data)
}

// SetPassword replaces a user's password hash. Their sessions go on; see
// ResetPassword for a change that ends them.
func (db *DB) SetPassword(userID string, hash []byte) error {
	key, err := idKey("user", userID)
	if err != nil {
		return err
	}
	_, err = db.update(func(w *writeTx) error {
		return w.changeUser(key, func(r *userRecord) { r.Hash, r.OneTimeUsed = hash, false })
	})
	db.sessions.forgetUser(userID)
	return err
}

// ResetPassword replaces a user's password hash and ends every session of
// theirs in one transaction: if it fails, neither happened, so an old
// session cannot outlive a password change. oneTime marks a password that
// someone else chose (see coding.User.MustChangePassword); a password the
// user chose clears the mark.
func (db *DB) ResetPassword(userID string, hash []byte, oneTime bool) error {
	key, err := idKey("user", userID)
	if err != nil {
		return err
	}
	_, err = db.update(func(w *writeTx) error {
		err := w.changeUser(key, func(r *userRecord) {
			r.Hash, r.OneTimeUsed = hash, false
			r.MustChangePassword = oneTime
		})
		if err != nil {
			return err
		}
		return deleteUserSessions(w.tx.Bucket(bucketSessions), userID)
	})
	db.sessions.forgetUser(userID)
	return err
}

// User returns the user with the given id, password hash included.
func (db *DB) User(id string) (*coding.User, error) {
	key, err := idKey("user", id)
	if err != nil {
		return nil, err
	}
	var u *coding.User
	err = db.bolt.View(func(tx *bolt.Tx) error {
		u, err = getUser(tx.Bucket(bucketUsers), key)
		return err
	})
	return u, err
}

// UserByLogin returns the user with the given login.
func (db *DB) UserByLogin(login string) (*coding.User, error) {
	var u *coding.User
	err := db.bolt.View(func(tx *bolt.Tx) error {
		key := tx.Bucket(bucketLogins).Get([]byte(login))
		if key == nil {
			return coding.Errorf(coding.ENOTFOUND, "there is no user %q", login)
		}
		var err error
		u, err = getUser(tx.Bucket(bucketUsers), key)
		return err
	})
	return u, err
}

// Users returns every user, sorted by login.
func (db *DB) Users() ([]coding.User, error) {
	var out []coding.User
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEach(func(k, v []byte) error {
			var r userRecord
			if err := decodeJSON(v, &r); err != nil {
				return err
			}
			r.User.PasswordHash = r.Hash
			out = append(out, r.User)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Login < out[j].Login })
	return out, err
}

func getUser(users *bolt.Bucket, key []byte) (*coding.User, error) {
	r, err := getUserRecord(users, key)
	if err != nil {
		return nil, err
	}
	r.User.PasswordHash = r.Hash
	return &r.User, nil
}

func getUserRecord(users *bolt.Bucket, key []byte) (*userRecord, error) {
	v := users.Get(key)
	if v == nil {
		return nil, coding.Errorf(coding.ENOTFOUND, "user %s does not exist", keyID(key))
	}
	var r userRecord
	if err := decodeJSON(v, &r); err != nil {
		return nil, err
	}
	return &r, nil
}
