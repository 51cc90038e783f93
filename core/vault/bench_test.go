package vault

import (
	"testing"
	"time"
)

// BenchmarkDeriveKeys is an unlock at the published parameters (64 MiB, 3
// passes, parallelism 4): scripts/bench-vault sets it beside the same call in
// the WebAssembly module under Node.
func BenchmarkDeriveKeys(b *testing.B) {
	v := readVectors(b).KeySchedule[2]
	if !v.Published {
		b.Fatalf("vector %s does not use the published parameters", v.Name)
	}
	salt := mustB64(b, v.KDF.Salt)
	for b.Loop() {
		if _, err := DeriveKeys(v.Password, v.KDF.params(), salt, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSealOpen is one seal and one open of a person-sized record.
func BenchmarkSealOpen(b *testing.B) {
	v := readVectors(b).Records[0]
	vk, at := key32[VaultKey](b, v.VaultKey), Place{v.AccountID, v.RecordID}
	rnd := zeroReader{}
	for b.Loop() {
		s, err := Seal(rnd, vk, at, NeverSeen(), time.UnixMilli(int64(v.Version)), []byte(v.Content))
		if err == nil {
			_, err = Open(vk, at, s.Data, NeverSeen())
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

// zeroReader stands in for the random source: a benchmark measures the work,
// not the system's entropy.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
