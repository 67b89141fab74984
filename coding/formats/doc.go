// Package formats reads and writes the files Concord exchanges with people
// and other tools: plain text, Word, OpenDocument, HTML and CSV imports;
// CSV, Excel, JSON and HTML-report exports of coded segments, codebooks
// and decisions; and REFI-QDA project (.qdpx) and codebook (.qdc) files
// in both directions.
//
// It works on the domain's types (package coding) held in memory as a
// coding.ProjectData, never on the database. Every reader of outside input
// bounds what a small file may unpack into (zipsafe.go, xmlguard.go) and
// converts other tools' text positions at its edge (positions.go).
package formats
