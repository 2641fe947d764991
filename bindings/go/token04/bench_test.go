package token04_test

import (
	"testing"
	"time"

	"example.invalid/zego-token/bindings/go/token04"
	"example.invalid/zego-token/bindings/go/zegotoken"
)

// The baseline produces tokens the core accepts: it is the official algorithm, not a
// strawman.
func TestPlainBaselineIsTheOfficialAlgorithm(t *testing.T) {
	for _, gen := range []func(uint32, string, string, int64, string) (string, error){plainGenerateToken04, plainTunedGenerateToken04} {
		token, err := gen(1234567890, "user1", serverSecret, 3600, "")
		if err != nil {
			t.Fatal(err)
		}
		d := verify(t, token, zegotoken.NewValidation(1234567890).ForUser("user1"))
		if d.Mode != zegotoken.GCM || d.Expire-d.CTime != 3600 {
			t.Fatalf("%+v", d)
		}
	}
}

var sink string

// BenchmarkPlainGo is the official algorithm in plain Go (the baseline).
func BenchmarkPlainGo(b *testing.B) {
	for i := 0; i < b.N; i++ {
		t, err := plainGenerateToken04(1234567890, "user1", serverSecret, 3600, "")
		if err != nil {
			b.Fatal(err)
		}
		sink = t
	}
}

// BenchmarkPlainGoTuned is the same algorithm without the per-call math/rand seeding.
func BenchmarkPlainGoTuned(b *testing.B) {
	for i := 0; i < b.N; i++ {
		t, err := plainTunedGenerateToken04(1234567890, "user1", serverSecret, 3600, "")
		if err != nil {
			b.Fatal(err)
		}
		sink = t
	}
}

// BenchmarkDropIn is token04.GenerateToken04 (key schedule per call, as the official API).
func BenchmarkDropIn(b *testing.B) {
	for i := 0; i < b.N; i++ {
		t, err := token04.GenerateToken04(1234567890, "user1", serverSecret, 3600, "")
		if err != nil {
			b.Fatal(err)
		}
		sink = t
	}
}

// BenchmarkServerSecret reuses one prepared ServerSecret.
func BenchmarkServerSecret(b *testing.B) {
	s, err := zegotoken.NewServerSecret(serverSecret)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t, err := s.Generate(1234567890, "user1", time.Hour, nil)
		if err != nil {
			b.Fatal(err)
		}
		sink = t.Token
	}
}
