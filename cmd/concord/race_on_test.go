//go:build race

package main

// raceEnabled reports whether the tests run with the race detector, which
// makes every child process many times slower to start.
const raceEnabled = true
