package token04_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	zerrors "example.invalid/zego-token/bindings/go/errors"
	"example.invalid/zego-token/bindings/go/token04"
	"example.invalid/zego-token/bindings/go/zegotoken"
)

const serverSecret = "fa94dd0f974cf2e293728a526b028271"

// RtcRoomPayLoad is the payload struct of ZEGO's official Go sample for RTC rooms.
type RtcRoomPayLoad struct {
	RoomId       string      `json:"room_id"`
	Privilege    map[int]int `json:"privilege"`
	StreamIdList []string    `json:"stream_id_list"`
}

func verify(t *testing.T, token string, v zegotoken.Validation) *zegotoken.Decoded {
	t.Helper()
	s, err := zegotoken.NewServerSecret(serverSecret)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d, err := s.Verify(token, v)
	if err != nil {
		t.Fatalf("the core refuses the drop-in token: %v", err)
	}
	return d
}

// The official sample's basic token, as the sample writes it.
func TestOfficialSampleBasic(t *testing.T) {
	var appId uint32 = 1
	userId := "demo"
	var effectiveTimeInSeconds int64 = 3600
	var payload string = ""
	token, err := token04.GenerateToken04(appId, userId, serverSecret, effectiveTimeInSeconds, payload)
	if err != nil {
		t.Fatal(err)
	}
	d := verify(t, token, zegotoken.NewValidation(appId).ForUser(userId))
	if d.Mode != zegotoken.GCM || d.Expire-d.CTime != effectiveTimeInSeconds || d.Payload != "" {
		t.Fatalf("%+v", d)
	}
}

// The official sample for RTC rooms (sample-for-rtcroom.go), as the sample writes it.
func TestOfficialSampleRtcRoom(t *testing.T) {
	var appId uint32 = 1
	roomId := "demo"
	userId := "demo"
	var effectiveTimeInSeconds int64 = 3600
	privilege := make(map[int]int)
	privilege[token04.PrivilegeKeyLogin] = token04.PrivilegeEnable
	privilege[token04.PrivilegeKeyPublish] = token04.PrivilegeDisable

	payloadData := &RtcRoomPayLoad{
		RoomId:       roomId,
		Privilege:    privilege,
		StreamIdList: nil,
	}
	payload, err := json.Marshal(payloadData)
	if err != nil {
		t.Fatal(err)
	}
	token, err := token04.GenerateToken04(appId, userId, serverSecret, effectiveTimeInSeconds, string(payload))
	if err != nil {
		t.Fatal(err)
	}
	d := verify(t, token, zegotoken.NewValidation(appId).ForUser(userId).ForRoom(roomId))
	if d.Room == nil || !d.Room.CanLogin || d.Room.CanPublish || d.Payload != string(payload) {
		t.Fatalf("%+v %+v", d, d.Room)
	}
	_, err = (func() (*zegotoken.Decoded, error) {
		s, _ := zegotoken.NewServerSecret(serverSecret)
		defer s.Close()
		return s.Verify(token, zegotoken.NewValidation(appId).WithPublish())
	})()
	if !errors.Is(err, zegotoken.ErrPrivilegeMissing) {
		t.Fatalf("publish is disabled in the sample, got %v", err)
	}
}

func TestOfficialErrors(t *testing.T) {
	cases := []struct {
		appId   uint32
		userId  string
		secret  string
		seconds int64
		code    int
		message string
	}{
		{0, "u", serverSecret, 60, token04.ErrorCodeAppIDInvalid, "appId Invalid"},
		{0, "", "", 0, token04.ErrorCodeAppIDInvalid, "appId Invalid"},
		{1, "", serverSecret, 60, token04.ErrorCodeUserIDInvalid, "userId Invalid"},
		{1, "", "", 0, token04.ErrorCodeUserIDInvalid, "userId Invalid"},
		{1, "u", "short", 60, token04.ErrorCodeSecretInvalid, "secret Invalid"},
		{1, "u", "short", 0, token04.ErrorCodeSecretInvalid, "secret Invalid"},
		{1, "u", serverSecret, 0, token04.ErrorCodeEffectiveTimeInSecondsInvalid, "effectiveTimeInSeconds Invalid"},
		{1, "u", serverSecret, -1, token04.ErrorCodeEffectiveTimeInSecondsInvalid, "effectiveTimeInSeconds Invalid"},
		// Stricter than the official port: ZEGO's SDKs refuse these tokens.
		{1, strings.Repeat("x", 64), serverSecret, 60, token04.ErrorCodeUserIDInvalid, "userId Invalid"},
		{1, "\xc3\x28", serverSecret, 60, token04.ErrorCodeUserIDInvalid, "userId Invalid"},
	}
	for _, c := range cases {
		token, err := token04.GenerateToken04(c.appId, c.userId, c.secret, c.seconds, "")
		if token != "" {
			t.Fatalf("%+v: a token with the error", c)
		}
		var zerr *zerrors.ZegoSDKError
		if !errors.As(err, &zerr) {
			t.Fatalf("%+v: %T %v", c, err, err)
		}
		// The drop-in type is the same type under both import paths.
		var same *token04.ZegoSDKError = zerr
		if same.Code != zerrors.InvalidParamErrorCode || same.Message != c.message || same.ErrorCode != c.code ||
			same.GetCode() != same.Code || same.GetMessage() != same.Message || same.Detail == "" {
			t.Fatalf("%+v: got %+v", c, same)
		}
		if !strings.HasPrefix(err.Error(), "[ZegoSDKError] Code=SDK.InvalidParam, Message="+c.message) {
			t.Fatalf("%q", err.Error())
		}
		if c.secret == "short" && strings.Contains(err.Error(), "short") && !strings.Contains(err.Error(), "5 bytes") {
			t.Fatalf("the error may echo the secret: %q", err.Error())
		}
	}
}

func TestDropInTokensAreFresh(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		token, err := token04.GenerateToken04(1, "demo", serverSecret, 3600, "")
		if err != nil {
			t.Fatal(err)
		}
		h, err := zegotoken.Inspect(token)
		if err != nil {
			t.Fatal(err)
		}
		// The official C++ port repeats its GCM nonce within a second; this must not.
		if seen[string(h.IV)] {
			t.Fatalf("GCM nonce repeated after %d tokens", i)
		}
		seen[string(h.IV)] = true
	}
}
