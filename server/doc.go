// Package server is Concord's HTTP face: the JSON API, sign-in and
// sessions, and the websocket hub that keeps every coder's view live.
//
// It knows the database only through the Store interface it declares;
// cmd/concord wires the concrete store in. Authorization lives here, on
// every route and every websocket message, never only in the UI.
package server
