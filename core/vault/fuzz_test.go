package vault

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The decoders meet bytes from the server, which may be hostile: nothing may
// panic, and whatever opens must be what the format allows. The seeds are the
// known-answer vectors; go test runs them, go test -fuzz explores.

var fuzzKey = VaultKey(seq(0x20, 32)) // vault-key-1 of the vectors

func FuzzOpen(f *testing.F) {
	for _, v := range readVectors(f).Records {
		f.Add(mustB64(f, v.Data), v.AccountID, v.RecordID, uint64(0))
	}
	f.Add([]byte{}, "a", "r", uint64(0))
	f.Add([]byte{1}, "a", "r", uint64(1))
	f.Add(make([]byte, MinBucket), "a", "r", uint64(MaxVersion+1))
	f.Fuzz(func(t *testing.T, data []byte, account, record string, last uint64) {
		o, err := Open(fuzzKey, Place{account, record}, data, LastSeen(last))
		if err != nil {
			if ErrorCode(err) == "" {
				t.Fatalf("Open returned an error without a code: %v", err)
			}
			return
		}
		if o.Version == 0 || o.Version > MaxVersion || o.Version < last || len(o.Content) > MaxContent {
			t.Fatalf("Open accepted version %d (last %d), %d bytes of content", o.Version, last, len(o.Content))
		}
	})
}

// FuzzOpenInside seals arbitrary padded plaintext with the real record key,
// so the checks after decryption (version, length, padding) meet every input.
func FuzzOpenInside(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 'x'}, 0)
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 1)
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 2)
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 3, 0xc4, 'a', 0, 1}, 0)
	f.Fuzz(func(t *testing.T, inside []byte, bucket int) {
		size := MinBucket << (uint(bucket) % 7)
		padded := make([]byte, size-recordOverhead)
		copy(padded, inside)
		rk, err := deriveRecordKeys(fuzzKey)
		if err != nil {
			t.Fatal(err)
		}
		at := Place{"a", "r"}
		head := append([]byte{RecordFormat}, rk.keyID[:]...)
		nonce := make([]byte, NonceSize)
		data := rk.aead.Seal(append(bytes.Clone(head), nonce...), nonce, padded, recordAD(head, at))
		o, err := Open(fuzzKey, at, data, NeverSeen())
		version := binary.BigEndian.Uint64(padded)
		n := int(binary.BigEndian.Uint32(padded[8:]))
		valid := version >= 1 && version <= MaxVersion && n <= len(padded)-innerHeaderSize && allZero(padded[innerHeaderSize+n:])
		switch {
		case valid && (err != nil || o.Version != version || !bytes.Equal(o.Content, padded[innerHeaderSize:innerHeaderSize+n])):
			t.Fatalf("a well-formed inside did not open as itself: %v", err)
		case !valid && ErrorCode(err) != ECodeBadFormat:
			t.Fatalf("a malformed inside (version %d, length %d) = %v, want %s", version, n, err, ECodeBadFormat)
		}
	})
}

func FuzzUnwrap(f *testing.F) {
	for _, v := range readVectors(f).WrappedKeys {
		f.Add(mustB64(f, v.WrappedKey))
	}
	f.Add([]byte{})
	f.Add([]byte{1})
	f.Add(make([]byte, WrappedKeySize))
	f.Fuzz(func(t *testing.T, wrapped []byte) {
		wk := WrapKey(seq(0, 32))
		if _, err := UnwrapVaultKey(wk, wrapped); err != nil && ErrorCode(err) == "" {
			t.Fatalf("UnwrapVaultKey returned an error without a code: %v", err)
		}
	})
}

// FuzzNormalizePassword: what is accepted is valid UTF-8 in NFC, has no
// control character or non-ASCII space, and normalizes to itself.
func FuzzNormalizePassword(f *testing.F) {
	for _, v := range readVectors(f).KeySchedule {
		f.Add(v.Password)
	}
	for _, s := range []string{"", "a\nb", "\xff", "e\u0301\u0327", "\u3000", "\uf900", strings.Repeat("e\u0301", 600)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizePassword(s)
		if err != nil {
			if ErrorCode(err) != ECodePasswordInvalid {
				t.Fatalf("NormalizePassword(%q) = %v, want code %s", s, err, ECodePasswordInvalid)
			}
			return
		}
		if len(got) == 0 || len(got) > MaxPasswordBytes || !utf8.Valid(got) || !norm.NFC.IsNormal(got) {
			t.Fatalf("NormalizePassword(%q) = %q: empty, too long, not UTF-8 or not NFC", s, got)
		}
		for _, r := range string(got) {
			if unicode.IsControl(r) || unicode.Is(unicode.Zs, r) && r != ' ' {
				t.Fatalf("NormalizePassword(%q) = %q keeps %U", s, got, r)
			}
		}
		if again, err := NormalizePassword(string(got)); err != nil || !bytes.Equal(again, got) {
			t.Fatalf("NormalizePassword is not idempotent on %q: %q, %v", got, again, err)
		}
	})
}
