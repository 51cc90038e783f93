package vault

import (
	"crypto/cipher"
	"crypto/subtle"
	"io"

	"golang.org/x/crypto/chacha20poly1305"
)

// VaultKey is the account's random 256-bit key. Every record is sealed under
// keys derived from it; it is stored on the server only wrapped by the
// WrapKey, so a password change re-wraps it and re-encrypts nothing.
type VaultKey [KeySize]byte

// Sizes of the AEAD, XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha): a 24-byte
// nonce, random for every seal, and a 16-byte tag.
const (
	NonceSize = chacha20poly1305.NonceSizeX
	TagSize   = chacha20poly1305.Overhead
)

// WrappedKeyFormat is the format version of a wrapped vault key (its first
// byte), and WrappedKeySize its length.
const (
	WrappedKeyFormat = 1
	WrappedKeySize   = 1 + NonceSize + KeySize + TagSize
)

// adWrappedKey is the associated data of a wrapped key without its format
// byte, which follows it.
const adWrappedKey = "heyan-vault/v1 wrapped-key\x00"

// NewVaultKey draws a vault key from rnd (the Reader of crypto/rand in production).
func NewVaultKey(rnd io.Reader) (VaultKey, error) {
	var k VaultKey
	if err := readRandom(rnd, k[:]); err != nil {
		return VaultKey{}, err
	}
	return k, nil
}

// WrapVaultKey seals vk under wk with a fresh nonce from rnd: the account's
// wrappedKey. Call it again with the new password's WrapKey to change the
// password; the records stay as they are.
func WrapVaultKey(rnd io.Reader, wk WrapKey, vk VaultKey) ([]byte, error) {
	out := make([]byte, 1+NonceSize, WrappedKeySize)
	out[0] = WrappedKeyFormat
	if err := readRandom(rnd, out[1:]); err != nil {
		return nil, err
	}
	aead, err := newAEAD(wk[:])
	if err != nil {
		return nil, err
	}
	return aead.Seal(out, out[1:], vk[:], wrappedKeyAD(out[0])), nil
}

// UnwrapVaultKey opens a wrappedKey with wk. A wrapped key that does not open
// is ECodeWrongPassword: wk came from another password (or salt, or
// parameters), or the server's copy was altered.
func UnwrapVaultKey(wk WrapKey, wrapped []byte) (VaultKey, error) {
	if len(wrapped) == 0 {
		return VaultKey{}, newError(ECodeBadFormat, "加密的保险库密钥为空。", "the wrapped vault key is empty")
	}
	if wrapped[0] != WrappedKeyFormat {
		return VaultKey{}, unsupported("加密的保险库密钥", "wrapped vault key", wrapped[0], WrappedKeyFormat)
	}
	if len(wrapped) != WrappedKeySize {
		return VaultKey{}, newError(ECodeBadFormat,
			"加密的保险库密钥长度为 "+u(len(wrapped))+" 字节，应为 "+u(WrappedKeySize)+" 字节：数据已损坏。",
			"the wrapped vault key is "+u(len(wrapped))+" bytes, not "+u(WrappedKeySize)+": it is damaged")
	}
	aead, err := newAEAD(wk[:])
	if err != nil {
		return VaultKey{}, err
	}
	plain, err := aead.Open(nil, wrapped[1:1+NonceSize], wrapped[1+NonceSize:], wrappedKeyAD(wrapped[0]))
	if err != nil {
		return VaultKey{}, newError(ECodeWrongPassword,
			"密码打不开保险库密钥：密码不对，或服务器上的加密密钥已被改动。",
			"the password does not open the vault key: the password is wrong, or the server's copy of the wrapped key was altered")
	}
	var vk VaultKey
	copy(vk[:], plain)
	clear(plain)
	return vk, nil
}

func wrappedKeyAD(format byte) []byte { return append([]byte(adWrappedKey), format) }

// recordKeys are the keys a vault key derives for records: the AEAD key, and
// the key ID that names the vault key in every record's header, so that a
// record sealed under another vault key is told apart from one moved or
// altered.
type recordKeys struct {
	aead  cipher.AEAD
	keyID [keyIDSize]byte
}

const keyIDSize = 8

func deriveRecordKeys(vk VaultKey) (recordKeys, error) {
	var rk recordKeys
	key, err := hkdfKey(vk[:], infoRecordKy, KeySize)
	if err != nil {
		return rk, internalError("HKDF", err)
	}
	id, err := hkdfKey(vk[:], infoKeyID, keyIDSize)
	if err != nil {
		return rk, internalError("HKDF", err)
	}
	copy(rk.keyID[:], id)
	rk.aead, err = newAEAD(key)
	clear(key)
	return rk, err
}

func (rk recordKeys) sameKey(id []byte) bool { return subtle.ConstantTimeCompare(rk.keyID[:], id) == 1 }

func newAEAD(key []byte) (cipher.AEAD, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, internalError("XChaCha20-Poly1305", err)
	}
	return aead, nil
}

func unsupported(zhWhat, enWhat string, got, want byte) *Error {
	return newError(ECodeUnsupportedVersion,
		zhWhat+"的格式版本为 "+u(uint32(got))+"，本程序只认识版本 "+u(uint32(want))+"：请更新核验助手。",
		"the "+enWhat+" has format version "+u(uint32(got))+"; this build reads version "+u(uint32(want))+": update Heyan")
}
