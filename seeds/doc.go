// Package seeds holds Concord's demo project, "Peer support work in
// substance use services": five texts of published research about peer
// support workers in substance use and overdose response services, a
// codebook grounded in them, and codings by two coders and a lead that
// partly agree, so that a fresh installation has something real to read,
// code and compare.
//
// The content is hand-written in demo.json and the texts are embedded from
// docs/. Each text is a title line, then blocks separated by blank lines:
// an author or citation line, and paragraphs, each under its section
// heading when it has one. They are a new user's first sight of Concord,
// so the tests keep them free of what the web pages they came from left
// behind.
//
// LoadDemo resolves both into domain values: every quote is located in its
// document and turned into code point offsets, and every identifier is
// derived from a fixed namespace so that loading twice, on any machine,
// gives the same ids. A quote that no longer matches its text is an error,
// never a silently shifted span.
package seeds
