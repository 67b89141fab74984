package formats

import (
	"io"
	"strings"

	"github.com/concordqda/concord/coding"
)

// ExportFormat is one way Concord writes a project out.
type ExportFormat struct {
	// Name is what --format and ?format= take.
	Name string
	// Description says what the file holds, for help texts.
	Description string
	// Suffix and Ext make the file name: slug + Suffix + Ext.
	Suffix, Ext string
	// ContentType is the file's media type.
	ContentType string
	// Write writes the project.
	Write func(w io.Writer, d *coding.ProjectData) error
}

var exportFormats = []ExportFormat{
	{"csv", "coded segments, one row each (UTF-8 with BOM)", "-segments", ".csv", "text/csv; charset=utf-8", WriteSegmentsCSV},
	{"xlsx", "coded segments and the codebook as an Excel workbook", "-segments", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", WriteXLSX},
	{"json", "documents, codes, codings (with their text) and memos", "", ".json", "application/json; charset=utf-8", WriteJSON},
	{"qdpx", "REFI-QDA project for ATLAS.ti, MAXQDA, NVivo, QualCoder …", "", ".qdpx", "application/zip", WriteQDPX},
	{"qdc", "REFI-QDA codebook", "-codebook", ".qdc", "application/xml; charset=utf-8", WriteQDC},
	{"html", "printable report: codebook, frequencies, examples", "-report", ".html", "text/html; charset=utf-8", WriteHTMLReport},
	{"codebook-csv", "the codebook as a table", "-codebook", ".csv", "text/csv; charset=utf-8", WriteCodebookCSV},
	{"codebook-md", "the codebook as Markdown", "-codebook", ".md", "text/markdown; charset=utf-8", WriteCodebookMarkdown},
}

// ExportFormats lists every export format.
func ExportFormats() []ExportFormat { return append([]ExportFormat(nil), exportFormats...) }

// ExportFormatNames returns the names of the export formats, joined by "|".
func ExportFormatNames() string {
	names := make([]string, len(exportFormats))
	for i, f := range exportFormats {
		names[i] = f.Name
	}
	return strings.Join(names, "|")
}

// FindExportFormat returns the format with the given name.
func FindExportFormat(name string) (ExportFormat, bool) {
	for _, f := range exportFormats {
		if f.Name == strings.ToLower(strings.TrimSpace(name)) {
			return f, true
		}
	}
	return ExportFormat{}, false
}

// ExportFormatFor guesses the format from a file name's extension (.csv
// means segments; codebooks must be asked for by name).
func ExportFormatFor(file string) (ExportFormat, bool) {
	lower := strings.ToLower(file)
	for _, f := range exportFormats {
		if strings.HasSuffix(lower, f.Ext) && !strings.HasPrefix(f.Name, "codebook-") {
			return f, true
		}
	}
	if strings.HasSuffix(lower, ".htm") {
		return FindExportFormat("html")
	}
	return ExportFormat{}, false
}

// FileName returns the name a project's export is offered under, e.g.
// "peer-support-segments.csv", or "peer-support-ana.qdpx" for one layer.
func (f ExportFormat) FileName(slug, layer string) string {
	if slug == "" {
		slug = "project"
	}
	if layer != "" {
		slug += "-" + layer
	}
	return slug + f.Suffix + f.Ext
}
