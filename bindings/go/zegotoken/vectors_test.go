package zegotoken_test

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"testing"
	"time"

	"example.invalid/zego-token/bindings/go/zegotoken"
)

// The official vectors, read from the core crate (never copied).
const vectorsPath = "../../../crates/zego-token/tests/vectors/token04.json"

type vector struct {
	Source    string `json:"source"`
	Mode      string `json:"mode"`
	Case      string `json:"case"`
	AppID     uint32 `json:"app_id"`
	UserID    string `json:"user_id"`
	Secret    string `json:"secret"`
	CTime     int64  `json:"ctime"`
	Effective int64  `json:"effective_time_in_seconds"`
	Expire    int64  `json:"expire"`
	Nonce     int64  `json:"nonce"`
	Payload   string `json:"payload"`
	IVHex     string `json:"iv_hex"`
	Plaintext string `json:"plaintext"`
	Token     string `json:"token"`
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	raw, err := os.ReadFile(vectorsPath)
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(raw, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) != 71 {
		t.Fatalf("expected 71 official vectors, found %d", len(vs))
	}
	return vs
}

func TestOfficialVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		v := v
		t.Run(v.Source+"/"+v.Case, func(t *testing.T) {
			secret, err := zegotoken.NewServerSecret(v.Secret)
			if err != nil {
				t.Fatal(err)
			}
			defer secret.Close()
			d, err := secret.Decode(v.Token)
			if err != nil {
				t.Fatal(err)
			}
			wantMode := zegotoken.GCM
			if v.Mode == "cbc" {
				wantMode = zegotoken.CBC
			}
			if d.AppID != v.AppID || d.UserID != v.UserID || d.Nonce != v.Nonce || d.CTime != v.CTime ||
				d.Expire != v.Expire || d.HeaderExpire != v.Expire || d.Payload != v.Payload || d.Mode != wantMode ||
				hex.EncodeToString(d.IV) != v.IVHex {
				t.Fatalf("decoded %+v, want %+v", d, v)
			}
			if v.Expire-v.CTime != v.Effective {
				t.Fatalf("expire - ctime = %d, want %d", v.Expire-v.CTime, v.Effective)
			}
			// The claims re-encoded by Go's own JSON parser agree with the captured plaintext.
			var claims map[string]any
			if err := json.Unmarshal([]byte(v.Plaintext), &claims); err != nil {
				t.Fatal(err)
			}
			if claims["user_id"] != d.UserID || claims["payload"] != d.Payload {
				t.Fatalf("plaintext claims %v disagree with decoded %+v", claims, d)
			}
			if v.Payload != "" {
				var p struct {
					RoomID string `json:"room_id"`
				}
				isRoom := json.Unmarshal([]byte(v.Payload), &p) == nil && p.RoomID != ""
				if isRoom != (d.Room != nil) || (isRoom && d.Room.RoomID != p.RoomID) {
					t.Fatalf("room %+v for payload %q", d.Room, v.Payload)
				}
			}
			legacy := false
			for _, w := range d.Warnings {
				legacy = legacy || (w.Rule == "legacy_cbc" && w.Product == "token")
			}
			if legacy != (v.Mode == "cbc") {
				t.Fatalf("legacy_cbc warning %v for a %s token: %+v", legacy, v.Mode, d.Warnings)
			}
			h, err := zegotoken.Inspect(v.Token)
			if err != nil {
				t.Fatal(err)
			}
			if h.Expire != v.Expire || h.Mode != wantMode || hex.EncodeToString(h.IV) != v.IVHex {
				t.Fatalf("header %+v", h)
			}
			// Valid at its creation time, expired at its expiry (plus leeway).
			at := zegotoken.NewValidation(v.AppID).ForUser(v.UserID).At(time.Unix(v.CTime, 0))
			if _, err := secret.Verify(v.Token, at); err != nil {
				t.Fatal(err)
			}
			late := at.At(time.Unix(v.Expire, 0).Add(at.Leeway))
			if _, err := secret.Verify(v.Token, late); !errorsIs(err, zegotoken.ErrExpired) {
				t.Fatalf("at expiry: %v", err)
			}
		})
	}
}
