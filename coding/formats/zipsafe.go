package formats

import (
	"archive/zip"
	"errors"
	"io"
	"path"
	"strings"

	"github.com/concordqda/concord/coding"
)

// ZipLimits bound what Concord reads out of an archive, so that a small
// hostile file (a zip bomb) cannot exhaust memory.
type ZipLimits struct {
	// MaxEntries is the most entries an archive may list.
	MaxEntries int
	// MaxTotal is the most bytes all entries read may expand to.
	MaxTotal int64
	// MaxEntry is the most bytes one entry may expand to.
	MaxEntry int64
	// MaxRatio is the most an entry larger than 1 MiB may expand to per
	// byte it takes in the archive. Real documents and projects expand up
	// to about 35-fold; a bomb, a thousandfold (deflate's ceiling).
	MaxRatio int64
}

// DefaultZipLimits are generous for real projects: a QDPX of a thousand
// interviews with their DOCX copies lists a few thousand entries.
var DefaultZipLimits = ZipLimits{MaxEntries: 100_000, MaxTotal: 2 << 30, MaxEntry: 512 << 20, MaxRatio: 250}

func (l ZipLimits) orDefault() ZipLimits {
	if l.MaxEntries <= 0 {
		l.MaxEntries = DefaultZipLimits.MaxEntries
	}
	if l.MaxTotal <= 0 {
		l.MaxTotal = DefaultZipLimits.MaxTotal
	}
	if l.MaxEntry <= 0 {
		l.MaxEntry = DefaultZipLimits.MaxEntry
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = DefaultZipLimits.MaxRatio
	}
	return l
}

// safeZip is an archive whose entry names were checked, read within limits.
type safeZip struct {
	name   string // the archive's file name, for errors
	limits ZipLimits
	read   int64
	files  []*zip.File
	// byName maps a lower-cased, slash-separated entry name to its file.
	byName map[string]*zip.File
}

// openZip opens the archive in r and checks it: a bounded number of
// entries, and no entry name that could escape a folder it was extracted
// to (absolute paths, drive letters, ".." segments) even though Concord
// never extracts to disk: such a file was made to attack someone.
func openZip(name string, r io.ReaderAt, size int64, limits ZipLimits) (*safeZip, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, coding.Errorf(coding.EINVALID, "%s: not a readable zip archive (%v)", name, zipProblem(err))
	}
	limits = limits.orDefault()
	if len(zr.File) > limits.MaxEntries {
		return nil, coding.Errorf(coding.ETOOLARGE, "%s: the archive lists %d entries, more than the %d allowed", name, len(zr.File), limits.MaxEntries)
	}
	z := &safeZip{name: name, limits: limits, files: zr.File, byName: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		if !safeEntryName(f.Name) {
			return nil, coding.Errorf(coding.EINVALID, "%s: entry %q has an unsafe name (absolute, or with \"..\"); refusing the archive", name, coding.ClipRunes(f.Name, 100))
		}
		key := strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))
		if _, dup := z.byName[key]; !dup {
			z.byName[key] = f
		}
	}
	return z, nil
}

func zipProblem(err error) string {
	switch {
	case errors.Is(err, zip.ErrFormat):
		return "not a zip file, or damaged"
	case errors.Is(err, zip.ErrAlgorithm):
		return "it uses an unsupported compression method"
	}
	return err.Error()
}

func safeEntryName(name string) bool {
	if name == "" || strings.ContainsRune(name, 0) {
		return false
	}
	n := strings.ReplaceAll(name, `\`, "/")
	if strings.HasPrefix(n, "/") || (len(n) >= 2 && n[1] == ':') {
		return false
	}
	for _, seg := range strings.Split(n, "/") {
		if seg == ".." {
			return false
		}
	}
	return true
}

// lookup returns the entry with the given slash-separated name, compared
// without regard to case (QDPX files write both "sources/" and "Sources/").
func (z *safeZip) lookup(name string) *zip.File {
	return z.byName[strings.ToLower(path.Clean(name))]
}

// readFile reads one entry whole, within the per-entry and total limits;
// max, when positive, lowers the per-entry limit.
func (z *safeZip) readFile(f *zip.File, max int64) ([]byte, error) {
	rc, err := z.open(f, max)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// open returns a reader of one entry that stops with a clear error past the
// per-entry and total limits; max, when positive, lowers the per-entry
// limit. What it reads counts towards the archive's total.
func (z *safeZip) open(f *zip.File, most int64) (io.ReadCloser, error) {
	limit := z.limits.MaxEntry
	if most > 0 && most < limit {
		limit = most
	}
	if left := z.limits.MaxTotal - z.read; left < limit {
		limit = left
	}
	if f.UncompressedSize64 > uint64(limit) {
		return nil, z.tooLarge(f, limit)
	}
	// archive/zip holds an entry to both sizes it declares, so the ratio
	// can be judged before a byte is inflated.
	if f.UncompressedSize64 > 1<<20 && f.UncompressedSize64 > uint64(z.limits.MaxRatio)*f.CompressedSize64 {
		return nil, coding.Errorf(coding.ETOOLARGE, "%s: entry %s expands %d-fold (%d bytes to %d), more than the %d-fold of any real file; is it a zip bomb?",
			z.name, f.Name, f.UncompressedSize64/max(f.CompressedSize64, 1), f.CompressedSize64, f.UncompressedSize64, z.limits.MaxRatio)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, coding.Errorf(coding.EINVALID, "%s: entry %s: %s", z.name, f.Name, zipProblem(err))
	}
	return &zipEntryReader{z: z, f: f, rc: rc, limit: limit, left: limit}, nil
}

// zipEntryReader reads an entry within its limit: the declared size may
// lie, so it counts what it inflates.
type zipEntryReader struct {
	z     *safeZip
	f     *zip.File
	rc    io.ReadCloser
	limit int64
	left  int64 // below zero once the entry proved larger than limit
}

func (r *zipEntryReader) Read(p []byte) (int, error) {
	if r.left < 0 {
		return 0, r.z.tooLarge(r.f, r.limit)
	}
	// Read one byte past the limit to know whether the entry exceeds it.
	if int64(len(p)) > r.left+1 {
		p = p[:r.left+1]
	}
	n, err := r.rc.Read(p)
	r.left -= int64(n)
	r.z.read += int64(n)
	if r.left < 0 {
		return 0, r.z.tooLarge(r.f, r.limit)
	}
	if err != nil && err != io.EOF {
		return n, coding.Errorf(coding.EINVALID, "%s: entry %s is damaged (%s)", r.z.name, r.f.Name, zipProblem(err))
	}
	return n, err
}

func (r *zipEntryReader) Close() error { return r.rc.Close() }

func (z *safeZip) tooLarge(f *zip.File, limit int64) error {
	return coding.Errorf(coding.ETOOLARGE, "%s: entry %s expands to more than %d bytes, more than Concord reads from one archive", z.name, f.Name, limit)
}
