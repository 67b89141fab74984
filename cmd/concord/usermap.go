package main

import (
	"fmt"
	"strings"

	"github.com/concordqda/concord/coding"
)

// userMapFlag collects repeated --map-user NAME=LOGIN flags: the user a
// file names NAME (display name or login) is the account LOGIN.
type userMapFlag map[string]string

func (f userMapFlag) String() string { return fmt.Sprint(map[string]string(f)) }

func (f userMapFlag) Set(v string) error {
	name, login, err := parseUserMapping(v)
	if err != nil {
		return err
	}
	if old, ok := f[name]; ok && old != login {
		return fmt.Errorf("%q is mapped twice, to %s and to %s", name, old, login)
	}
	f[name] = login
	return nil
}

// parseUserMapping reads NAME=LOGIN. A login has no "=", so the last one
// separates them and a name may hold "=" itself.
func parseUserMapping(v string) (name, login string, err error) {
	i := strings.LastIndexByte(v, '=')
	if i < 0 {
		return "", "", fmt.Errorf("%q must look like NAME=LOGIN (a user the files name, and the login of an account)", v)
	}
	name, login = strings.TrimSpace(v[:i]), strings.TrimSpace(v[i+1:])
	if name == "" {
		return "", "", fmt.Errorf("%q names no user before the \"=\"; write NAME=LOGIN", v)
	}
	if login == "" {
		return "", "", fmt.Errorf("%q names no login after the \"=\"; write NAME=LOGIN", v)
	}
	if u := (coding.User{Login: login, Name: name}); u.Validate() != nil {
		return "", "", fmt.Errorf("%q: %s", v, coding.ErrorMessage(u.Validate()))
	}
	return name, login, nil
}
