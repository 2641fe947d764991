// Package zegotoken mints, decodes, verifies and explains ZEGO token04 credentials
// through the zego-token core (a Rust library linked with cgo).
//
//	secret, err := zegotoken.NewServerSecret(os.Getenv("ZEGO_SERVER_SECRET")) // once per app
//	tok, err := secret.Generate(appID, "user-42", time.Hour, &zegotoken.GenerateOptions{
//		Room: &zegotoken.Room{ID: "room-1", Login: true, Publish: true, Streams: []string{"s1"}},
//	})
//	_, err = secret.Verify(tok.Token, zegotoken.NewValidation(appID).ForUser("user-42"))
//	var zerr *zegotoken.Error
//	if errors.As(err, &zerr) { log.Print(zerr.Kind, zerr.ZegoCode, zerr.Advice) }
//
// A ServerSecret is safe for concurrent use by many goroutines. IVs and nonces come
// from the core's OS-seeded CSPRNG.
package zegotoken

import (
	"fmt"
	"time"

	"example.invalid/zego-token/bindings/go/internal/capi"
)

// Mode is a token's cipher mode.
type Mode int

const (
	// GCM is AES-256-GCM, authenticated: the default and ZEGO's recommended mode.
	GCM Mode = iota
	// CBC is the legacy AES-256-CBC mode, without integrity protection. Use it only for
	// peers that cannot take GCM tokens.
	CBC
)

func (m Mode) String() string {
	if m == CBC {
		return "cbc"
	}
	return "gcm"
}

func (m Mode) c() uint32 {
	if m == CBC {
		return capi.ModeCBC
	}
	return capi.ModeGCM
}

func modeOf(v uint32) Mode {
	if v == capi.ModeCBC {
		return CBC
	}
	return GCM
}

// Version returns the core library's version, e.g. "0.1.0".
func Version() string {
	v, _ := capi.Version()
	return v
}

// ServerSecret is a validated ZEGO ServerSecret with its AES keys prepared once. The key
// lives only in the native library (zeroized by Close, or when the ServerSecret is
// garbage-collected); printing a ServerSecret shows "ServerSecret(<redacted>)".
type ServerSecret struct {
	s *capi.Secret
}

// NewServerSecret validates the 32-character ServerSecret from ZEGO's console.
func NewServerSecret(secret string) (*ServerSecret, error) {
	s, f := capi.NewSecretString(secret)
	if f != nil {
		return nil, convert(f)
	}
	return &ServerSecret{s: s}, nil
}

// NewServerSecretBytes is NewServerSecret for bytes the caller can wipe afterwards
// (e.g. read from a file); the bytes are not retained.
func NewServerSecretBytes(secret []byte) (*ServerSecret, error) {
	s, f := capi.NewSecret(secret)
	if f != nil {
		return nil, convert(f)
	}
	return &ServerSecret{s: s}, nil
}

// Close zeroizes and frees the prepared key. It waits for calls in progress; later
// calls fail with KindInvalidArgument. Close is idempotent.
func (s *ServerSecret) Close() error {
	s.s.Close()
	return nil
}

// String redacts the secret.
func (s *ServerSecret) String() string { return "ServerSecret(<redacted>)" }

// GoString redacts the secret for %#v.
func (s *ServerSecret) GoString() string { return s.String() }

// Format redacts the secret for every verb.
func (s *ServerSecret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// Room is the room privilege payload of a privilege token.
type Room struct {
	// ID is the only room the token may log in to.
	ID string
	// Login grants the login privilege.
	Login bool
	// Publish grants the publish privilege.
	Publish bool
	// Streams, when not empty, are the only stream IDs the user may publish.
	Streams []string
}

// Payload returns the checked payload JSON of the room (ZEGO's limits: room ID under
// 128 bytes, stream IDs under 256 bytes of A-Z a-z 0-9 - _).
func (r Room) Payload() (string, error) {
	p, f := capi.RoomPayload(r.ID, r.Login, r.Publish, r.Streams)
	if f != nil {
		return "", convert(f)
	}
	return p, nil
}

// GenerateOptions are the optional parts of a token. The zero value (or nil) makes a
// basic GCM token at the system clock's time.
type GenerateOptions struct {
	// Mode is the cipher mode. Default: GCM.
	Mode Mode
	// Room makes a privilege token for that room. Default: none (a basic token).
	Room *Room
	// Payload is a raw payload, for payloads that are not room privileges. Setting
	// both Room and Payload is an error.
	Payload string
	// Now fixes the creation time (tests, reproducible tools). Default: the clock.
	Now time.Time
}

// Warning is an SDK-rule warning: the token is valid token04, but a ZEGO SDK will
// refuse or mistreat it.
type Warning struct {
	Rule     string // stable rule id, e.g. "user_id_charset"
	Product  string // "rtc", "zim", "kit", or "token" for advice about the token itself
	Code     uint32 // the SDK error code the client will see, 0 when none
	Message  string
	Blocking bool // the client refuses the token (or it cannot be renewed in time)
}

func convertWarnings(ws []capi.Warning) []Warning {
	var out []Warning
	for _, w := range ws {
		out = append(out, Warning{Rule: w.Rule, Product: w.Product, Code: w.Code, Message: w.Message, Blocking: w.Blocking})
	}
	return out
}

// Token is a generated token and the values chosen for it.
type Token struct {
	Token    string // "04" + base64
	Mode     Mode
	CTime    int64 // creation time, Unix seconds
	Expire   int64 // expiry time, Unix seconds
	Nonce    int32
	Warnings []Warning
}

func local(field string, official uint32, msg string) error {
	return &Error{
		Kind:         KindInvalidInput,
		Field:        field,
		Message:      msg,
		Advice:       "Correct the named input and generate again.",
		OfficialCode: official,
	}
}

// Generate mints a token for userID of appID, valid for lifetime (whole seconds).
func (s *ServerSecret) Generate(appID uint32, userID string, lifetime time.Duration, opts *GenerateOptions) (*Token, error) {
	var o GenerateOptions
	if opts != nil {
		o = *opts
	}
	if lifetime%time.Second != 0 {
		return nil, local("effective_time_in_seconds", 6,
			fmt.Sprintf("invalid effective_time_in_seconds: the lifetime %v has a fraction of a second; token04 times are whole seconds", lifetime))
	}
	payload := o.Payload
	if o.Room != nil {
		if payload != "" {
			return nil, local("payload", 0, "invalid payload: set either Room or Payload, not both")
		}
		p, err := o.Room.Payload()
		if err != nil {
			return nil, err
		}
		payload = p
	}
	var g capi.Generated
	f := s.s.Generate(&g, appID, userID, int64(lifetime/time.Second), payload, o.Mode.c(), !o.Now.IsZero(), o.Now.Unix())
	if f != nil {
		return nil, convert(f)
	}
	return &Token{
		Token:    g.Token,
		Mode:     modeOf(g.Mode),
		CTime:    g.CTime,
		Expire:   g.Expire,
		Nonce:    g.Nonce,
		Warnings: convertWarnings(g.Warnings),
	}, nil
}

// RoomPrivileges are the privileges of a decoded privilege token.
type RoomPrivileges struct {
	RoomID        string
	CanLogin      bool
	CanPublish    bool
	HasStreamList bool     // the payload carries a stream list (even an empty one)
	StreamIDs     []string // empty: any stream
}

// Decoded is a token decrypted with its secret.
type Decoded struct {
	AppID        uint32
	UserID       string
	Nonce        int64
	CTime        int64 // Unix seconds
	Expire       int64 // Unix seconds
	Payload      string
	Mode         Mode
	IV           []byte
	HeaderExpire int64 // the unauthenticated header copy of Expire
	// Room is set when the payload is a room privilege document.
	Room *RoomPrivileges
	// PayloadIsOther is true when the payload is neither empty nor a room document.
	PayloadIsOther bool
	Warnings       []Warning
}

func convertDecoded(d *capi.Decoded) *Decoded {
	out := &Decoded{
		AppID:          d.AppID,
		UserID:         d.UserID,
		Nonce:          d.Nonce,
		CTime:          d.CTime,
		Expire:         d.Expire,
		Payload:        d.Payload,
		Mode:           modeOf(d.Mode),
		IV:             d.IV,
		HeaderExpire:   d.HeaderExpire,
		PayloadIsOther: d.PayloadKind == capi.PayloadOther,
		Warnings:       convertWarnings(d.Warnings),
	}
	if d.Room != nil {
		out.Room = &RoomPrivileges{
			RoomID:        d.Room.RoomID,
			CanLogin:      d.Room.CanLogin,
			CanPublish:    d.Room.CanPublish,
			HasStreamList: d.Room.HasStreamList,
			StreamIDs:     d.Room.StreamIDs,
		}
	}
	return out
}

// Decode decrypts a token and returns its claims without judging them (see Verify).
func (s *ServerSecret) Decode(token string) (*Decoded, error) {
	d, f := s.s.Decode(token)
	if f != nil {
		return nil, convert(f)
	}
	return convertDecoded(d), nil
}

// Header is a token's header read without the secret: nothing in it is authenticated.
type Header struct {
	Expire        int64
	Mode          Mode
	HasModeByte   bool
	IV            []byte
	CiphertextLen int
}

// Inspect reads a token's header without the secret.
func Inspect(token string) (*Header, error) {
	h, f := capi.Inspect(token)
	if f != nil {
		return nil, convert(f)
	}
	return &Header{Expire: h.Expire, Mode: modeOf(h.Mode), HasModeByte: h.HasModeByte, IV: h.IV, CiphertextLen: h.CiphertextLen}, nil
}

// Validation is what Verify expects of a token. Start from NewValidation.
type Validation struct {
	AppID          uint32
	UserID         string // "" : any user
	RoomID         string // "" : no room expected
	StreamID       string // "" : none; else the token must let the user publish it
	RequirePublish bool
	Leeway         time.Duration // clock tolerance (whole seconds)
	Now            time.Time     // zero: the system clock
}

// NewValidation expects a token for appID, valid now, with the library's default leeway.
func NewValidation(appID uint32) Validation {
	return Validation{AppID: appID, Leeway: time.Duration(capi.DefaultLeeway()) * time.Second}
}

// ForUser expects this user.
func (v Validation) ForUser(userID string) Validation { v.UserID = userID; return v }

// ForRoom expects a privilege token for this room, granting login.
func (v Validation) ForRoom(roomID string) Validation { v.RoomID = roomID; return v }

// ForStream expects the token to allow publishing this stream.
func (v Validation) ForStream(streamID string) Validation { v.StreamID = streamID; return v }

// WithPublish expects the publish privilege.
func (v Validation) WithPublish() Validation { v.RequirePublish = true; return v }

// At judges times at now instead of the system clock.
func (v Validation) At(now time.Time) Validation { v.Now = now; return v }

// Verify decrypts a token and checks it as ZEGO's server would: app, user, expiry,
// creation time, room, privileges, stream. Errors are *Error with the ZEGO codes.
func (s *ServerSecret) Verify(token string, v Validation) (*Decoded, error) {
	cv := &capi.Validation{AppID: v.AppID, RequirePublish: v.RequirePublish}
	if v.Leeway > 0 {
		secs := v.Leeway / time.Second
		if secs > 1<<32-1 {
			secs = 1<<32 - 1
		}
		cv.LeewaySeconds = uint32(secs)
	}
	if v.UserID != "" {
		cv.UserID = &v.UserID
	}
	if v.RoomID != "" {
		cv.RoomID = &v.RoomID
	}
	if v.StreamID != "" {
		cv.StreamID = &v.StreamID
	}
	if !v.Now.IsZero() {
		now := v.Now.Unix()
		cv.FixedNow = &now
	}
	d, f := s.s.Verify(token, cv)
	if f != nil {
		return nil, convert(f)
	}
	return convertDecoded(d), nil
}

// KitToken builds a token for ZEGO's prebuilt UIKits from a token04:
// token04 + "#" + base64 of {"userID","roomID","userName","appID"}.
func KitToken(token04 string, appID uint32, userID, roomID, userName string) (string, error) {
	k, f := capi.KitToken(token04, appID, userID, roomID, userName)
	if f != nil {
		return "", convert(f)
	}
	return k, nil
}

// DecodeKitInfo decodes the part of a kit token after '#' to its JSON text.
func DecodeKitInfo(info string) (string, error) {
	j, f := capi.DecodeKitInfo(info)
	if f != nil {
		return "", convert(f)
	}
	return j, nil
}
