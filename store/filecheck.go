package store

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// The parts of bbolt's on-disk meta page this check reads. Each of the
// first two pages starts with a 16-byte page header followed by the meta:
// magic, version, page size, flags, the root bucket (page id and
// sequence), the freelist page id, the high-water page id and the txid.
const (
	boltMagic          = 0xED0CDAED
	metaOffset         = 16
	metaMagicAt        = metaOffset
	metaPageSizeAt     = metaOffset + 8
	metaHighWaterAt    = metaOffset + 40
	metaMinBytes       = metaOffset + 64
	minPageSize        = 512
	maxPageSize        = 1 << 16
	firstPageReadBytes = 4096
)

// checkFile refuses a file that is not a bbolt database or is shorter than
// its own meta pages say. bbolt maps the file into memory and trusts those
// pages: opening a truncated copy would read past the end of the file and
// crash the process (SIGBUS) instead of failing.
func checkFile(path string) error { return checkFileAs(path, path) }

// checkFileAs is checkFile calling the file name in its messages.
func checkFileAs(path, name string) error {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil // a new database
	}
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if info.Size() == 0 {
		return nil // bbolt initializes an empty file
	}
	head := make([]byte, firstPageReadBytes)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF {
		return err
	}
	head = head[:n]
	if len(head) < metaMinBytes || binary.LittleEndian.Uint32(head[metaMagicAt:]) != boltMagic {
		return fmt.Errorf("%s is not a Concord database", name)
	}
	pageSize := int64(binary.LittleEndian.Uint32(head[metaPageSizeAt:]))
	if pageSize < minPageSize || pageSize > maxPageSize {
		return fmt.Errorf("%s is damaged (page size %d)", name, pageSize)
	}
	highWater := binary.LittleEndian.Uint64(head[metaHighWaterAt:])
	second := make([]byte, metaMinBytes)
	if _, err := f.ReadAt(second, pageSize); err == nil && binary.LittleEndian.Uint32(second[metaMagicAt:]) == boltMagic {
		highWater = max(highWater, binary.LittleEndian.Uint64(second[metaHighWaterAt:]))
	}
	if need := int64(highWater) * pageSize; info.Size() < need {
		return fmt.Errorf("%s is truncated: %d bytes, but its pages reach %d", name, info.Size(), need)
	}
	return nil
}
