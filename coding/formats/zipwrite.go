package formats

import (
	"archive/zip"
	"compress/flate"
	"io"
	"time"
)

// zipWriter writes an archive of deflated entries with one reused
// compressor (a new one per entry costs about a megabyte of allocation),
// fast compression (exports are mostly GUIDs and text, which compress well
// even so), and one modification time for every entry so that the same
// project always gives the same bytes.
type zipWriter struct {
	zw       *zip.Writer
	modified time.Time
}

func newZipWriter(w io.Writer, modified time.Time) *zipWriter {
	zw := zip.NewWriter(w)
	var fw *flate.Writer
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		if fw == nil {
			var err error
			fw, err = flate.NewWriter(out, flate.BestSpeed)
			return fw, err
		}
		fw.Reset(out)
		return fw, nil
	})
	if modified.IsZero() {
		modified = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return &zipWriter{zw: zw, modified: modified}
}

// create starts the next entry; the previous one must be complete.
func (z *zipWriter) create(name string) (io.Writer, error) {
	return z.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: z.modified})
}

func (z *zipWriter) close() error { return z.zw.Close() }
