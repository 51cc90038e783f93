package vault

import (
	"encoding/binary"
	"io"
	"strconv"
	"time"
)

// RecordFormat is the format version of a sealed record (its first byte).
const RecordFormat = 1

// Record layout sizes (docs/VAULT.md, "Record layout").
const (
	recordHeaderSize = 1 + keyIDSize + NonceSize  // format, key ID, nonce
	recordOverhead   = recordHeaderSize + TagSize // bytes of a sealed record that are not padded plaintext
	innerHeaderSize  = 8 + 4                      // version, content length
	MinBucket        = 1 << 10                    // the smallest sealed record, in bytes
	MaxBucket        = 64 << 10                   // the largest: the server's limit on record data
	MaxContent       = MaxBucket - recordOverhead - innerHeaderSize
	adRecord         = "heyan-vault/v1 record\x00"
)

// MaxVersion is the largest record version: 2^53 − 1, so that JavaScript
// numbers hold every version exactly.
const MaxVersion = 1<<53 - 1

// maxIDLength is the server's limit on record IDs (docs/SERVER.md), applied
// to account IDs too.
const maxIDLength = 64

// Place is where a record lives: the account and the record ID. Both are
// sealed into the record as associated data, so a record's bytes copied to
// another ID or account do not open there.
type Place struct {
	AccountID string
	RecordID  string
}

// Check refuses IDs outside the server's rule (ECodeBadInput). Seal and Open
// call it; a caller can check an account ID once before many records.
func (p Place) Check() error {
	if err := checkID("账号 ID", "account ID", p.AccountID); err != nil {
		return err
	}
	return checkID("记录 ID", "record ID", p.RecordID)
}

// checkID holds an ID to the server's rule: 1 to 64 of A-Z a-z 0-9 _ -.
func checkID(zh, en, id string) error {
	ok := len(id) >= 1 && len(id) <= maxIDLength
	for i := 0; ok && i < len(id); i++ {
		c := id[i]
		ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
	}
	if ok {
		return nil
	}
	return newError(ECodeBadInput,
		zh+" "+strconv.Quote(clip(id))+" 无效：应为 1 到 64 个字母、数字、_ 或 -。",
		"the "+en+" "+strconv.Quote(clip(id))+" is invalid: it must be 1 to 64 of A-Z a-z 0-9 _ -")
}

// Seen is what the caller knows of a record ID: the newest version it has
// applied (from Opened.Version or Sealed.Version), or that it holds none.
// The sync engine keeps it per record ID, tombstones included, and passes it
// to every Open and Seal. Seen has no usable zero value on purpose: Open and
// Seal refuse Seen{}, so the rollback check cannot be skipped by leaving the
// argument out; a caller must say NeverSeen() or LastSeen(v).
type Seen struct {
	version uint64
	known   bool
}

// NeverSeen says the caller holds no version of the record: any version
// opens (the first sight is trusted), and Seal starts from the clock.
func NeverSeen() Seen { return Seen{known: true} }

// LastSeen says the newest version of the record the caller applied is v.
// LastSeen(0) is NeverSeen(): no sealed record has version 0.
func LastSeen(v uint64) Seen { return Seen{version: v, known: true} }

func (s Seen) check(op string) error {
	if !s.known {
		return newError(ECodeBadInput,
			op+" 需要该记录上次见到的版本：LastSeen(v)，或从未见过时用 NeverSeen()。",
			op+" needs the version last seen of the record: LastSeen(v), or NeverSeen() for one never seen")
	}
	if s.version > MaxVersion {
		return newError(ECodeBadInput,
			"上次见到的版本 "+strconv.FormatUint(s.version, 10)+" 超出上限 2^53−1。",
			"the last seen version "+strconv.FormatUint(s.version, 10)+" is above the limit 2^53−1")
	}
	return nil
}

// Sealed is a sealed record: Data goes to the server as the record's data,
// and Version is the record's new version, which the caller keeps as its
// last seen.
type Sealed struct {
	Data    []byte
	Version uint64
}

// Opened is an opened record: its content and its sealed version, which the
// caller keeps as its last seen once it applies the content.
type Opened struct {
	Content []byte
	Version uint64
}

// Seal encrypts content for the place at, under keys derived from vk, with a
// fresh nonce from rnd. last is the caller's last seen version of the record
// (the one this write replaces), and now the current time: the new version
// is the later of last+1 and now in Unix milliseconds, so versions rise with
// every write even when a record is created again over a tombstone by a
// client that never saw it. content is padded to the smallest bucket (1 KiB,
// 2 KiB, … 64 KiB) that holds it; above MaxContent it is ECodeTooLarge.
func Seal(rnd io.Reader, vk VaultKey, at Place, last Seen, now time.Time, content []byte) (Sealed, error) {
	if err := at.Check(); err != nil {
		return Sealed{}, err
	}
	if err := last.check("Seal"); err != nil {
		return Sealed{}, err
	}
	if len(content) > MaxContent {
		return Sealed{}, newError(ECodeTooLarge,
			"记录内容有 "+u(len(content))+" 字节，超过上限 "+u(MaxContent)+" 字节。",
			"the record content is "+u(len(content))+" bytes, above the limit of "+u(MaxContent))
	}
	version := last.version + 1
	if ms := now.UnixMilli(); ms > 0 && uint64(ms) > version {
		version = uint64(ms)
	}
	if version > MaxVersion {
		return Sealed{}, newError(ECodeBadInput,
			"记录版本超出上限 2^53−1：请检查系统时钟。",
			"the record version would pass the limit 2^53−1: check the system clock")
	}
	rk, err := deriveRecordKeys(vk)
	if err != nil {
		return Sealed{}, err
	}
	size := bucketFor(len(content))
	out := make([]byte, recordHeaderSize, size)
	out[0] = RecordFormat
	copy(out[1:], rk.keyID[:])
	nonce := out[1+keyIDSize : recordHeaderSize]
	if err := readRandom(rnd, nonce); err != nil {
		return Sealed{}, err
	}
	padded := make([]byte, size-recordOverhead)
	binary.BigEndian.PutUint64(padded, version)
	binary.BigEndian.PutUint32(padded[8:], uint32(len(content)))
	copy(padded[innerHeaderSize:], content)
	out = rk.aead.Seal(out, nonce, padded, recordAD(out[:1+keyIDSize], at))
	clear(padded)
	return Sealed{Data: out, Version: version}, nil
}

// Open decrypts a record's data for the place at. last is the caller's last
// seen version of the record: a sealed version older than it is
// ECodeRolledBack and its content is not returned (the same version again is
// fine: a full sync delivers it twice). A record under another vault key is
// ECodeWrongKey; one that does not open at this place is ECodeRecordMoved.
func Open(vk VaultKey, at Place, data []byte, last Seen) (Opened, error) {
	if err := at.Check(); err != nil {
		return Opened{}, err
	}
	if err := last.check("Open"); err != nil {
		return Opened{}, err
	}
	if len(data) == 0 {
		return Opened{}, badRecord(at, "为空", "is empty")
	}
	if data[0] != RecordFormat {
		return Opened{}, unsupported("记录 "+strconv.Quote(at.RecordID), "record "+strconv.Quote(at.RecordID), data[0], RecordFormat)
	}
	if !isBucket(len(data)) {
		return Opened{}, badRecord(at, "长度为 "+u(len(data))+" 字节，不是规定的大小之一（1 KiB、2 KiB……64 KiB）", "is "+u(len(data))+" bytes, which is not one of the sizes 1 KiB, 2 KiB, … 64 KiB")
	}
	rk, err := deriveRecordKeys(vk)
	if err != nil {
		return Opened{}, err
	}
	if !rk.sameKey(data[1 : 1+keyIDSize]) {
		return Opened{}, newError(ECodeWrongKey,
			"记录 "+strconv.Quote(at.RecordID)+" 是用另一把保险库密钥加密的，不属于这个账号的保险库。",
			"record "+strconv.Quote(at.RecordID)+" was sealed under another vault key: it does not belong to this account's vault")
	}
	padded, err := rk.aead.Open(nil, data[1+keyIDSize:recordHeaderSize], data[recordHeaderSize:], recordAD(data[:1+keyIDSize], at))
	if err != nil {
		return Opened{}, newError(ECodeRecordMoved,
			"记录 "+strconv.Quote(at.RecordID)+" 无法在这个账号和 ID 下解密：它是从另一条记录或另一个账号搬来的，或已被改动。未采用。",
			"record "+strconv.Quote(at.RecordID)+" does not open under this account and ID: it was moved from another record or account, or altered; not applied")
	}
	version := binary.BigEndian.Uint64(padded)
	n := binary.BigEndian.Uint32(padded[8:])
	if version == 0 || version > MaxVersion || uint64(n) > uint64(len(padded)-innerHeaderSize) || !allZero(padded[innerHeaderSize+int(n):]) {
		clear(padded)
		return Opened{}, badRecord(at, "解密后的内容格式不对", "opens, but its inside is malformed")
	}
	if version < last.version {
		clear(padded)
		return Opened{}, newError(ECodeRolledBack,
			"记录 "+strconv.Quote(at.RecordID)+" 的版本 "+strconv.FormatUint(version, 10)+" 比已采用的版本 "+strconv.FormatUint(last.version, 10)+" 更旧：服务器送回了旧版本（回滚），未采用。",
			"record "+strconv.Quote(at.RecordID)+" is version "+strconv.FormatUint(version, 10)+", older than version "+strconv.FormatUint(last.version, 10)+" already applied: the server sent an old version back (a rollback); not applied")
	}
	content := make([]byte, n)
	copy(content, padded[innerHeaderSize:])
	clear(padded)
	return Opened{Content: content, Version: version}, nil
}

// recordAD is the associated data of a record: a label, the format byte and
// key ID (head), and the place, each ID after its length in one byte.
func recordAD(head []byte, at Place) []byte {
	ad := make([]byte, 0, len(adRecord)+len(head)+2+len(at.AccountID)+len(at.RecordID))
	ad = append(ad, adRecord...)
	ad = append(ad, head...)
	ad = append(ad, byte(len(at.AccountID)))
	ad = append(ad, at.AccountID...)
	ad = append(ad, byte(len(at.RecordID)))
	return append(ad, at.RecordID...)
}

// bucketFor is the sealed size for content of n bytes: the smallest power of
// two from MinBucket that holds it. Buckets hide a record's exact size (a
// person from a filing, a short name from a long one) from the server.
func bucketFor(n int) int {
	size := MinBucket
	for size-recordOverhead-innerHeaderSize < n {
		size *= 2
	}
	return size
}

func isBucket(n int) bool {
	return n >= MinBucket && n <= MaxBucket && n&(n-1) == 0
}

func allZero(b []byte) bool {
	var acc byte
	for _, c := range b {
		acc |= c
	}
	return acc == 0
}

func badRecord(at Place, zh, en string) *Error {
	return newError(ECodeBadFormat,
		"记录 "+strconv.Quote(at.RecordID)+" "+zh+"：数据已损坏，未采用。",
		"record "+strconv.Quote(at.RecordID)+" "+en+": it is damaged; not applied")
}
