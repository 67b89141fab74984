// Package app holds Concord's use cases: what a lead, a coder or an
// administrator asks of a project, worked out the same way whether the
// question comes over HTTP (package server) or from the command line
// (cmd/concord). It resolves names people use (logins, code paths,
// "consensus") against a store, chooses defaults, and calls the domain
// (coding), its statistics (coding/agreement) and its file formats
// (coding/formats).
//
// It reads and writes through small interfaces that *store.DB satisfies,
// so it imports neither the store nor the server.
package app
