package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/concordqda/concord/cmd/internal/cli"
	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/coding/app"
	"github.com/concordqda/concord/coding/formats"
	"github.com/concordqda/concord/store"
)

func (m *Main) exportCmd(args []string) error {
	var formatList strings.Builder
	for _, f := range formats.ExportFormats() {
		fmt.Fprintf(&formatList, "  %-13s %s (%s)\n", f.Name, f.Description, f.Ext)
	}
	fs := m.flags("export", "export --project SLUG --format FORMAT -o FILE [--coder LOGIN|consensus]\n\nFormats:\n"+formatList.String()+
		"\nWithout --format, the format follows FILE's extension. -o - writes to standard output.\nWhat the format cannot carry (memos a table has no place for, code names QualCoder\nwould drop, cells cut at Excel's limit …) is printed as warnings on standard error.\nPositions (start, end) are Unicode code points from 0, end excluded.")
	db := m.dbFlag(fs)
	project := fs.String("project", "", "slug of the project to export")
	format := fs.String("format", "", formats.ExportFormatNames())
	out := fs.String("o", "", "the file to write (- for standard output)")
	coder := fs.String("coder", "", "export one layer: a coder's login, or consensus (default: every coder)")
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 0:
		return cli.Usagef("export takes no arguments besides its flags (got %q); name the file with -o", pos[0])
	case *project == "":
		return cli.Usagef("export needs --project SLUG")
	case *out == "":
		return cli.Usagef("export needs -o FILE (or -o - for standard output)")
	}
	var f formats.ExportFormat
	var ok bool
	if *format != "" {
		if f, ok = formats.FindExportFormat(*format); !ok {
			return cli.Usagef("unknown format %q: use one of %s", *format, formats.ExportFormatNames())
		}
	} else if f, ok = formats.ExportFormatFor(*out); !ok {
		return cli.Usagef("cannot tell the format from %q: give --format %s", *out, formats.ExportFormatNames())
	}
	st, err := openDB(*db)
	if err != nil {
		return err
	}
	defer st.Close()
	d, err := exportData(st, *project, *coder)
	if err != nil {
		return err
	}
	// Said before the file is written, so that they are seen even when
	// the writing fails or standard output is the file.
	for _, w := range f.Warnings(d) {
		fmt.Fprintln(m.Stderr, "warning:", w)
	}
	if *out == "-" {
		bw := bufio.NewWriter(m.Stdout)
		if err := f.Write(bw, d); err != nil {
			return plain(err)
		}
		return bw.Flush()
	}
	if err := writeFileAtomic(*out, func(w io.Writer) error { return f.Write(w, d) }); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Wrote %s (%s: %d documents, %d codes, %d codings, %d memos).\n", *out, f.Name, len(d.Documents), len(d.Codes), len(d.Codings), len(d.Memos))
	return nil
}

// exportData reads the project slug for an export; with a coder (a layer
// of the project, resolved as the API does), only that layer's codings and
// the memos that coder wrote ("consensus": the consensus layer and every
// memo).
func exportData(st *store.DB, slug, coder string) (*coding.ProjectData, error) {
	p, err := st.ProjectBySlug(slug)
	if err != nil {
		return nil, err
	}
	var f coding.CodingFilter
	if coder != "" {
		if f.CoderID, _, err = app.ResolveCoder(st, p.ID, coder); err != nil {
			return nil, fmt.Errorf("--coder: %s", coding.ErrorMessage(err))
		}
	}
	d, err := st.ProjectData(p.ID, f)
	if err != nil {
		return nil, err
	}
	if f.CoderID != "" && f.CoderID != coding.ConsensusCoder {
		memos := d.Memos[:0]
		for _, m := range d.Memos {
			if m.AuthorID == f.CoderID {
				memos = append(memos, m)
			}
		}
		d.Memos = memos
	}
	return d, nil
}

// writeFileAtomic writes a file through a temporary one in the same
// folder that takes the name only once it is complete: a failed export
// leaves no half-written file, and an old one stays as it was.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("%s: %w", path, cli.UnwrapPath(err))
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 256<<10)
	if err := write(bw); err != nil {
		tmp.Close()
		return plain(err)
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("%s: %w", path, cli.UnwrapPath(err))
	}
	return nil
}
