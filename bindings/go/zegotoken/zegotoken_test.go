package zegotoken_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"example.invalid/zego-token/bindings/go/zegotoken"
)

const demoSecret = "fa94dd0f974cf2e293728a526b028271"
const appID uint32 = 1234567890

func errorsIs(err, target error) bool { return errors.Is(err, target) }

func mustSecret(t testing.TB) *zegotoken.ServerSecret {
	t.Helper()
	s, err := zegotoken.NewServerSecret(demoSecret)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func asError(t *testing.T, err error) *zegotoken.Error {
	t.Helper()
	var zerr *zegotoken.Error
	if !errors.As(err, &zerr) {
		t.Fatalf("error %v (%T) is not a *zegotoken.Error", err, err)
	}
	if zerr.Message == "" || zerr.Advice == "" {
		t.Fatalf("error without message or advice: %+v", zerr)
	}
	return zerr
}

func TestRoundTripPrivilegeToken(t *testing.T) {
	s := mustSecret(t)
	now := time.Unix(1_700_000_000, 0)
	for _, mode := range []zegotoken.Mode{zegotoken.GCM, zegotoken.CBC} {
		tok, err := s.Generate(appID, "alice", time.Hour, &zegotoken.GenerateOptions{
			Mode: mode,
			Room: &zegotoken.Room{ID: "room-1", Login: true, Publish: true, Streams: []string{"s1", "s-2"}},
			Now:  now,
		})
		if err != nil {
			t.Fatal(err)
		}
		if tok.Mode != mode || tok.CTime != now.Unix() || tok.Expire != now.Unix()+3600 || !strings.HasPrefix(tok.Token, "04") {
			t.Fatalf("%+v", tok)
		}
		v := zegotoken.NewValidation(appID).ForUser("alice").ForRoom("room-1").ForStream("s-2").At(now.Add(time.Minute))
		d, err := s.Verify(tok.Token, v)
		if err != nil {
			t.Fatal(err)
		}
		if d.Mode != mode || d.Room == nil || !d.Room.CanPublish || !d.Room.CanLogin || len(d.Room.StreamIDs) != 2 || d.Nonce != int64(tok.Nonce) {
			t.Fatalf("%+v / %+v", d, d.Room)
		}
		h, err := zegotoken.Inspect(tok.Token)
		if err != nil || h.Mode != mode || h.Expire != tok.Expire {
			t.Fatalf("%+v %v", h, err)
		}
	}
}

func TestVerifyRefusalsCarryCodes(t *testing.T) {
	s := mustSecret(t)
	now := time.Unix(1_700_000_000, 0)
	room, err := s.Generate(appID, "alice", time.Hour, &zegotoken.GenerateOptions{
		Room: &zegotoken.Room{ID: "room-1", Login: true, Publish: true, Streams: []string{"s1"}}, Now: now,
	})
	if err != nil {
		t.Fatal(err)
	}
	basic, err := s.Generate(appID, "alice", time.Hour, &zegotoken.GenerateOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	other, err := zegotoken.NewServerSecret(strings.Repeat("0", 32))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	base := zegotoken.NewValidation(appID).At(now)
	cases := []struct {
		name      string
		secret    *zegotoken.ServerSecret
		token     string
		v         zegotoken.Validation
		sentinel  error
		zego, zim uint32
	}{
		{"app", s, room.Token, zegotoken.NewValidation(1).At(now), zegotoken.ErrAppIDMismatch, 1002076, 6000103},
		{"user", s, room.Token, base.ForUser("bob"), zegotoken.ErrUserIDMismatch, 1002077, 6000103},
		{"expired", s, room.Token, base.At(now.Add(2 * time.Hour)), zegotoken.ErrExpired, 1002078, 6000106},
		{"future", s, room.Token, base.At(now.Add(-time.Hour)), zegotoken.ErrNotYetValid, 0, 0},
		{"room", s, room.Token, base.ForRoom("room-2"), zegotoken.ErrRoomMismatch, 1002033, 0},
		{"no room", s, basic.Token, base.ForRoom("room-1"), zegotoken.ErrRoomMismatch, 1002033, 0},
		{"publish", s, basic.Token, base.WithPublish(), zegotoken.ErrPrivilegeMissing, 1003072, 0},
		{"stream", s, room.Token, base.ForStream("s2"), zegotoken.ErrStreamNotAllowed, 1003072, 0},
		{"secret", other, room.Token, base, zegotoken.ErrDecrypt, 1002033, 6000103},
		{"version", s, "03" + room.Token[2:], base, zegotoken.ErrWrongVersion, 1002079, 6000107},
		{"malformed", s, room.Token[:20], base, zegotoken.ErrMalformed, 1002075, 6000103},
		{"not utf-8", s, "04\xff\xfe", base, zegotoken.ErrMalformed, 1002075, 6000103},
	}
	for _, c := range cases {
		_, err := c.secret.Verify(c.token, c.v)
		if !errors.Is(err, c.sentinel) {
			t.Fatalf("%s: got %v, want %v", c.name, err, c.sentinel)
		}
		zerr := asError(t, err)
		if zerr.ZegoCode != c.zego || zerr.ZimCode != c.zim {
			t.Fatalf("%s: codes %d/%d, want %d/%d", c.name, zerr.ZegoCode, zerr.ZimCode, c.zego, c.zim)
		}
		if errors.Is(err, zegotoken.ErrInternal) {
			t.Fatalf("%s: matches the wrong sentinel", c.name)
		}
	}
}

func TestGenerateInputErrors(t *testing.T) {
	s := mustSecret(t)
	check := func(err error, field string, official uint32) {
		t.Helper()
		if !errors.Is(err, zegotoken.ErrInvalidInput) {
			t.Fatalf("got %v", err)
		}
		zerr := asError(t, err)
		if zerr.Field != field || zerr.OfficialCode != official {
			t.Fatalf("got %+v, want field %s code %d", zerr, field, official)
		}
	}
	_, err := s.Generate(0, "u", time.Hour, nil)
	check(err, "app_id", 1)
	_, err = s.Generate(1, "", time.Hour, nil)
	check(err, "user_id", 3)
	_, err = s.Generate(1, strings.Repeat("x", 64), time.Hour, nil)
	check(err, "user_id", 3)
	_, err = s.Generate(1, "\xff", time.Hour, nil)
	check(err, "user_id", 3)
	_, err = s.Generate(1, "u", 0, nil)
	check(err, "effective_time_in_seconds", 6)
	_, err = s.Generate(1, "u", -time.Hour, nil)
	check(err, "effective_time_in_seconds", 6)
	_, err = s.Generate(1, "u", 1500*time.Millisecond, nil)
	check(err, "effective_time_in_seconds", 6)
	_, err = s.Generate(1, "u", time.Hour, &zegotoken.GenerateOptions{Room: &zegotoken.Room{ID: ""}})
	check(err, "room_id", 0)
	_, err = s.Generate(1, "u", time.Hour, &zegotoken.GenerateOptions{Room: &zegotoken.Room{ID: "r", Streams: []string{"a b"}}})
	check(err, "stream_id", 0)
	_, err = s.Generate(1, "u", time.Hour, &zegotoken.GenerateOptions{Room: &zegotoken.Room{ID: "r"}, Payload: "x"})
	check(err, "payload", 0)
	_, err = s.Generate(1, "u", time.Hour, &zegotoken.GenerateOptions{Payload: strings.Repeat("p", 70000)})
	check(err, "payload", 0)
	_, err = zegotoken.NewServerSecret("short-secret")
	check(err, "secret", 5)
	if strings.Contains(err.Error(), "short-secret") {
		t.Fatalf("the error echoes the secret: %v", err)
	}
}

func TestSecretIsNeverPrinted(t *testing.T) {
	s := mustSecret(t)
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out := fmt.Sprintf(format, s)
		if strings.Contains(out, demoSecret) || strings.Contains(out, "fa94") || !strings.Contains(out, "redacted") {
			t.Fatalf("%s prints %q", format, out)
		}
	}
	out := fmt.Sprintf("%+v", struct{ S *zegotoken.ServerSecret }{s})
	if strings.Contains(out, "fa94") {
		t.Fatalf("nested print %q", out)
	}
}

func TestClosedSecret(t *testing.T) {
	s, err := zegotoken.NewServerSecret(demoSecret)
	if err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	_ = s.Close()
	if _, err := s.Generate(appID, "u", time.Hour, nil); !errors.Is(err, zegotoken.ErrInvalidArgument) {
		t.Fatalf("got %v", err)
	}
	if _, err := s.Decode("04AAAA"); !errors.Is(err, zegotoken.ErrInvalidArgument) {
		t.Fatalf("got %v", err)
	}
}

func TestSharedSecretAcrossGoroutines(t *testing.T) {
	s := mustSecret(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	seen := sync.Map{}
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				user := fmt.Sprintf("user-%d-%d", g, i)
				tok, err := s.Generate(appID, user, time.Hour, nil)
				if err != nil {
					errs <- err
					return
				}
				if _, dup := seen.LoadOrStore(tok.Token, true); dup {
					errs <- fmt.Errorf("duplicate token")
					return
				}
				d, err := s.Verify(tok.Token, zegotoken.NewValidation(appID).ForUser(user))
				if err != nil || d.UserID != user {
					errs <- fmt.Errorf("verify %s: %v", user, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestKitToken(t *testing.T) {
	s := mustSecret(t)
	tok, err := s.Generate(appID, "alice", time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	kit, err := zegotoken.KitToken(tok.Token, appID, "alice", "room-1", "Zoë D")
	if err != nil {
		t.Fatal(err)
	}
	token, info, ok := strings.Cut(kit, "#")
	if !ok || token != tok.Token {
		t.Fatalf("%q", kit)
	}
	js, err := zegotoken.DecodeKitInfo(info)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"userID":"alice","roomID":"room-1","userName":"Zo%C3%AB%20D","appID":1234567890}`
	if js != want {
		t.Fatalf("%s", js)
	}
	if _, err := zegotoken.DecodeKitInfo("!!"); !errors.Is(err, zegotoken.ErrMalformed) {
		t.Fatalf("got %v", err)
	}
}

func TestVersion(t *testing.T) {
	if v := zegotoken.Version(); !strings.Contains(v, ".") {
		t.Fatalf("version %q", v)
	}
}

func TestSDKWarnings(t *testing.T) {
	s := mustSecret(t)
	tok, err := s.Generate(appID, "a b", 10*time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]zegotoken.Warning{}
	for _, w := range tok.Warnings {
		rules[w.Rule] = w
	}
	if w := rules["user_id_charset"]; w.Product != "rtc" || w.Code != 1002006 || !w.Blocking || w.Message == "" {
		t.Fatalf("%+v", tok.Warnings)
	}
	if w := rules["ttl_too_short"]; w.Code != 6000108 {
		t.Fatalf("%+v", tok.Warnings)
	}
	d, err := s.Decode(tok.Token)
	if err != nil {
		t.Fatal(err)
	}
	// The decoded token carries the same client rules, plus notes on the token itself
	// (here: ZEGO's public demo app id).
	decoded := map[string]bool{}
	for _, w := range d.Warnings {
		decoded[w.Rule] = true
	}
	if !decoded["user_id_charset"] || !decoded["ttl_too_short"] || !decoded["demo_app"] {
		t.Fatalf("%+v", d.Warnings)
	}
	clean, err := s.Generate(appID, "alice", time.Hour, nil)
	if err != nil || len(clean.Warnings) != 0 {
		t.Fatalf("%+v %v", clean, err)
	}
	if _, err := zegotoken.KitToken(tok.Token, appID, "a b", "room-1", "A"); !errors.Is(err, zegotoken.ErrInvalidInput) {
		t.Fatalf("kit token with an ID the kits cannot carry: %v", err)
	}
}
