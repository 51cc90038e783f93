package vault

import (
	"crypto/hkdf"
	"crypto/sha256"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// AlgArgon2id is the only key-derivation algorithm the vault runs.
const AlgArgon2id = "argon2id"

// The client's built-in bounds on the KDF parameters a server may ask for.
// The floor is the published parameters (docs/SERVER.md, GET /api/v1/kdf):
// a server, honest or not, cannot make a client derive weaker keys than
// those without a new client release; raising them needs none, up to the
// ceiling. The ceiling keeps a hostile server from making the client spend
// minutes or more memory than a browser Worker has (an out-of-memory Go
// runtime cannot recover).
const (
	MinMemoryKiB   = 64 << 10  // 64 MiB
	MaxMemoryKiB   = 256 << 10 // 256 MiB
	MinIterations  = 3
	MaxIterations  = 10
	MinParallelism = 1
	MaxParallelism = 16
	MinSaltBytes   = 16
	MaxSaltBytes   = 64
)

// MaxPasswordBytes bounds a password after normalization. Longer is not a
// password someone types, and argon2id hashes it in full every time.
const MaxPasswordBytes = 1024

// KeySize is the size in bytes of every key: the authKey, the wrapKey, the
// vault key and the record key.
const KeySize = 32

// Params are argon2id parameters as the server publishes them, without the
// salt.
type Params struct {
	Alg         string
	MemoryKiB   uint32
	Iterations  uint32
	Parallelism uint32
}

// limits are bounds on Params. clientLimits are the built-in ones; tests use
// smaller ones for fast known-answer vectors, and nothing outside the package
// can.
type limits struct {
	minMemoryKiB, maxMemoryKiB   uint32
	minIterations, maxIterations uint32
}

var clientLimits = limits{MinMemoryKiB, MaxMemoryKiB, MinIterations, MaxIterations}

// Check refuses parameters outside the client's bounds: ECodeKDFTooWeak below
// the floor, ECodeKDFUnsupported for another algorithm or beyond the ceiling.
func (p Params) Check() error { return p.check(clientLimits) }

func (p Params) check(l limits) error {
	if p.Alg != AlgArgon2id {
		return newError(ECodeKDFUnsupported,
			"服务器要求的密钥派生算法“"+clip(p.Alg)+"”不受支持：只支持 argon2id。请确认服务器地址正确。",
			"the server asks for key-derivation algorithm "+strconv.Quote(clip(p.Alg))+": only argon2id is supported; check the server address")
	}
	if p.MemoryKiB < l.minMemoryKiB || p.Iterations < l.minIterations {
		return newError(ECodeKDFTooWeak,
			"服务器要求的密钥派生参数（内存 "+u(p.MemoryKiB)+" KiB，迭代 "+u(p.Iterations)+" 次）低于本客户端的最低要求（内存 "+u(l.minMemoryKiB)+" KiB，迭代 "+u(l.minIterations)+" 次），已拒绝：这样的参数会削弱密码保护。请勿在此服务器上登录，并联系服务器管理员。",
			"the server asks for key-derivation parameters (memory "+u(p.MemoryKiB)+" KiB, "+u(p.Iterations)+" iterations) below this client's floor (memory "+u(l.minMemoryKiB)+" KiB, "+u(l.minIterations)+" iterations): refused, since they would weaken the password's protection; do not sign in to this server, and tell its operator")
	}
	if p.MemoryKiB > l.maxMemoryKiB || p.Iterations > l.maxIterations {
		return newError(ECodeKDFUnsupported,
			"服务器要求的密钥派生参数（内存 "+u(p.MemoryKiB)+" KiB，迭代 "+u(p.Iterations)+" 次）超出本客户端的上限（内存 "+u(l.maxMemoryKiB)+" KiB，迭代 "+u(l.maxIterations)+" 次）。请更新核验助手，或联系服务器管理员。",
			"the server asks for key-derivation parameters (memory "+u(p.MemoryKiB)+" KiB, "+u(p.Iterations)+" iterations) above this client's ceiling (memory "+u(l.maxMemoryKiB)+" KiB, "+u(l.maxIterations)+" iterations); update Heyan, or tell the server's operator")
	}
	if p.Parallelism < MinParallelism || p.Parallelism > MaxParallelism || p.MemoryKiB < 8*p.Parallelism {
		return newError(ECodeKDFUnsupported,
			"服务器要求的并行度 "+u(p.Parallelism)+" 不受支持：应为 "+u(MinParallelism)+" 到 "+u(MaxParallelism)+"。",
			"the server asks for parallelism "+u(p.Parallelism)+": supported are "+u(MinParallelism)+" to "+u(MaxParallelism))
	}
	return nil
}

// CheckSaltBytes refuses a salt size outside MinSaltBytes..MaxSaltBytes.
func CheckSaltBytes(n int) error {
	if n < MinSaltBytes || n > MaxSaltBytes {
		return newError(ECodeKDFUnsupported,
			"盐的长度 "+strconv.Itoa(n)+" 字节不受支持：应为 "+u(MinSaltBytes)+" 到 "+u(MaxSaltBytes)+" 字节。请确认服务器地址正确。",
			"a salt of "+strconv.Itoa(n)+" bytes is not supported: it must be "+u(MinSaltBytes)+" to "+u(MaxSaltBytes)+" bytes; check the server address")
	}
	return nil
}

// NewSalt draws a salt of n bytes from rnd, for sign-up and password change
// (the server's GET /api/v1/kdf names n as saltBytes).
func NewSalt(rnd io.Reader, n int) ([]byte, error) {
	if err := CheckSaltBytes(n); err != nil {
		return nil, err
	}
	salt := make([]byte, n)
	if err := readRandom(rnd, salt); err != nil {
		return nil, err
	}
	return salt, nil
}

// AuthKey is sent to the server as the account's authKey.
type AuthKey [KeySize]byte

// WrapKey wraps the vault key. It never leaves the device.
type WrapKey [KeySize]byte

// Keys are what a password derives.
type Keys struct {
	Auth AuthKey
	Wrap WrapKey
}

// Phase is a step of DeriveKeys, reported to its progress callback.
type Phase string

// The phases of DeriveKeys, in order. argon2id takes nearly all the time;
// x/crypto's argon2 has no hook to report its passes.
const (
	PhaseArgon2id Phase = "argon2id"
	PhaseHKDF     Phase = "hkdf"
	PhaseDone     Phase = "done"
)

// The key schedule's constant strings (docs/VAULT.md, "Key schedule").
const (
	hkdfSalt     = "heyan-vault/v1"
	infoAuthKey  = "heyan-vault/v1 auth-key"
	infoWrapKey  = "heyan-vault/v1 wrap-key"
	infoKeyID    = "heyan-vault/v1 key-id"
	infoRecordKy = "heyan-vault/v1 record-key"
)

// DeriveKeys runs the key schedule: the normalized password through argon2id
// with p and salt, then HKDF-SHA256 into the authKey and the wrapKey. It
// refuses parameters outside the client's bounds (Params.Check) before any
// work. progress, if not nil, is called at the start of each phase and once
// with PhaseDone.
func DeriveKeys(password string, p Params, salt []byte, progress func(Phase)) (Keys, error) {
	return deriveKeys(password, p, salt, clientLimits, progress)
}

func deriveKeys(password string, p Params, salt []byte, l limits, progress func(Phase)) (Keys, error) {
	if progress == nil {
		progress = func(Phase) {}
	}
	if err := p.check(l); err != nil {
		return Keys{}, err
	}
	if err := CheckSaltBytes(len(salt)); err != nil {
		return Keys{}, err
	}
	pw, err := NormalizePassword(password)
	if err != nil {
		return Keys{}, err
	}
	progress(PhaseArgon2id)
	master := argon2.IDKey(pw, salt, p.Iterations, p.MemoryKiB, uint8(p.Parallelism), KeySize)
	progress(PhaseHKDF)
	k, err := keysFromMaster(master)
	clear(master)
	clear(pw)
	if err != nil {
		return Keys{}, err
	}
	progress(PhaseDone)
	return k, nil
}

// keysFromMaster is the HKDF step of the key schedule: argon2id's output
// into the authKey and the wrapKey.
func keysFromMaster(master []byte) (Keys, error) {
	var k Keys
	auth, err := hkdfKey(master, infoAuthKey, KeySize)
	if err != nil {
		return Keys{}, internalError("HKDF", err)
	}
	wrap, err := hkdfKey(master, infoWrapKey, KeySize)
	if err != nil {
		return Keys{}, internalError("HKDF", err)
	}
	copy(k.Auth[:], auth)
	copy(k.Wrap[:], wrap)
	clear(auth)
	clear(wrap)
	return k, nil
}

// hkdfKey is HKDF-SHA256 (RFC 5869) of ikm with the vault's salt and info,
// n bytes long.
func hkdfKey(ikm []byte, info string, n int) ([]byte, error) {
	return hkdf.Key(sha256.New, ikm, []byte(hkdfSalt), info, n)
}

// NormalizePassword returns the exact bytes argon2id hashes, so that the same
// password typed in two browsers, on two systems or in the heyan command gives
// the same keys. It follows RFC 8265's OpaqueString profile in part: every
// space separator (Unicode category Zs, such as the ideographic space U+3000
// a Chinese input method types in full-width mode) becomes U+0020, then the
// text is put in Unicode Normalization Form C; a control character (category
// Cc: a newline, a tab) is refused, since it is not typed in a password field
// and is most often a file's trailing newline. The result is UTF-8, 1 to
// MaxPasswordBytes bytes. Nothing else is changed: no trimming, no case
// folding.
func NormalizePassword(password string) ([]byte, error) {
	if password == "" {
		return nil, newError(ECodePasswordInvalid, "密码为空：请输入密码。", "the password is empty: type one")
	}
	if !utf8.ValidString(password) {
		return nil, newError(ECodePasswordInvalid, "密码不是有效的 UTF-8 文本。", "the password is not valid UTF-8 text")
	}
	var b strings.Builder
	b.Grow(len(password))
	for _, r := range password {
		switch {
		case unicode.Is(unicode.Zs, r):
			b.WriteByte(' ')
		case unicode.IsControl(r):
			cp := codePoint(r)
			return nil, newError(ECodePasswordInvalid,
				"密码含有控制字符（"+cp+"）：密码里不能有换行、制表符等。若密码来自文件，请删去行尾的换行。",
				"the password contains a control character ("+cp+"): newlines, tabs and the like cannot be part of a password; if it comes from a file, remove the line end")
		default:
			b.WriteRune(r)
		}
	}
	out := []byte(norm.NFC.String(b.String()))
	if len(out) > MaxPasswordBytes {
		return nil, newError(ECodePasswordInvalid,
			"密码太长：最多 "+u(MaxPasswordBytes)+" 字节（UTF-8）。",
			"the password is too long: at most "+u(MaxPasswordBytes)+" bytes of UTF-8")
	}
	return out, nil
}

func readRandom(rnd io.Reader, b []byte) error {
	if rnd == nil {
		return newError(ECodeBadInput, "没有提供随机数来源。", "no random source was given")
	}
	if _, err := io.ReadFull(rnd, b); err != nil {
		return newError(ECodeRandomFailed,
			"无法取得随机数："+err.Error()+"。请重试。",
			"the random source failed: "+err.Error()+"; try again")
	}
	return nil
}

func internalError(what string, err error) *Error {
	return newError(ECodeInternal, "内部错误（"+what+"）："+err.Error(), "internal error ("+what+"): "+err.Error())
}

// codePoint writes r as U+XXXX.
func codePoint(r rune) string {
	h := strings.ToUpper(strconv.FormatInt(int64(r), 16))
	for len(h) < 4 {
		h = "0" + h
	}
	return "U+" + h
}

func u[T ~uint32 | ~int](n T) string { return strconv.FormatUint(uint64(n), 10) }

// clip shortens text from a server quoted back in an error message.
func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	cut := 40
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
