package store

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
)

// A backup is the database file followed by a one-line text trailer:
//
//	\nconcord-backup sha256 <64 hex digits>\n
//
// naming the SHA-256 of every byte before it. The checksum travels inside
// the one file, so every producer writes it the same way (concord backup,
// the scheduled backups and the administrator's download, all through
// DB.Backup) and it survives a browser download, which keeps neither
// headers nor a second file. bbolt reads only the pages its meta page
// names, so a backup still opens as a database.
//
// A bbolt file is a whole number of pages of at least 512 bytes; the
// trailer (88 bytes) is not, so a file whose length is not a multiple of
// 512 must end in a trailer, and one whose trailer is damaged cannot pass
// for an older backup that never had one.
const (
	trailerPrefix  = "\nconcord-backup sha256 "
	backupTrailerN = int64(len(trailerPrefix) + 64 + 1)
	minPageBytes   = 512
)

// backupTrailer returns the trailer naming sum.
func backupTrailer(sum []byte) []byte {
	return []byte(trailerPrefix + hex.EncodeToString(sum) + "\n")
}

// BackupSum is what the end of a backup file says about its checksum.
type BackupSum struct {
	// Body is how many bytes of database come before the trailer (the
	// whole file when there is none).
	Body int64
	// SHA256 is the checksum the trailer names; nil for a backup written
	// before backups carried one.
	SHA256 []byte
}

// ReadBackupSum reads the checksum trailer at the end of a backup of size
// bytes. A file that must have a trailer (see above) but whose trailer is
// damaged is an error.
func ReadBackupSum(r io.ReaderAt, size int64) (BackupSum, error) {
	if size >= backupTrailerN {
		tail := make([]byte, backupTrailerN)
		if _, err := r.ReadAt(tail, size-backupTrailerN); err != nil {
			return BackupSum{}, err
		}
		if bytes.HasPrefix(tail, []byte(trailerPrefix)) && tail[len(tail)-1] == '\n' {
			sum, err := hex.DecodeString(string(tail[len(trailerPrefix) : len(tail)-1]))
			if err != nil {
				return BackupSum{}, fmt.Errorf("its checksum line at the end is damaged")
			}
			return BackupSum{Body: size - backupTrailerN, SHA256: sum}, nil
		}
	}
	if size%minPageBytes != 0 {
		return BackupSum{}, fmt.Errorf("it is %d bytes long, which is not a whole number of database pages, and its checksum line at the end is missing or damaged (a damaged or partly copied file)", size)
	}
	return BackupSum{Body: size}, nil
}
