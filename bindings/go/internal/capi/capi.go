// Package capi is the one place that calls the C ABI (zego_token.h): it passes Go
// memory to C for the duration of each call (never retained), copies every result into
// Go values and frees the C memory before returning. The public packages only convert
// these values into their own types.
package capi

/*
#include <stdlib.h>
#include "zego_token.h"
*/
import "C"

import (
	"runtime"
	"sync"
	"unsafe"
)

// Mode values of the C ABI.
const (
	ModeCBC = uint32(C.ZEGO_TOKEN_MODE_CBC)
	ModeGCM = uint32(C.ZEGO_TOKEN_MODE_GCM)
)

// Payload kinds of a decoded token.
const (
	PayloadEmpty = uint32(C.ZEGO_TOKEN_PAYLOAD_EMPTY)
	PayloadRoom  = uint32(C.ZEGO_TOKEN_PAYLOAD_ROOM)
	PayloadOther = uint32(C.ZEGO_TOKEN_PAYLOAD_OTHER)
)

// StatusInvalidArgument is the status of a misused call (a bug in this package).
const StatusInvalidArgument = int32(C.ZEGO_TOKEN_STATUS_INVALID_ARGUMENT)

// ABIVersion is the ABI version this package was written for.
const ABIVersion = uint32(C.ZEGO_TOKEN_ABI_VERSION)

// Failure is a copy of a ZegoTokenError.
type Failure struct {
	Status       int32
	Kind         string
	Field        string
	Message      string
	Advice       string
	OfficialCode uint32
	ZegoCode     uint32
	ZimCode      uint32
}

// Warning is a copy of a ZegoTokenWarning.
type Warning struct {
	Rule, Product, Message string
	Code                   uint32
	Blocking               bool
}

// Generated is a copy of a ZegoTokenGenerated.
type Generated struct {
	Token         string
	CTime, Expire int64
	Nonce         int32
	Mode          uint32
	Warnings      []Warning
}

// Room is a copy of a ZegoTokenRoom.
type Room struct {
	RoomID               string
	CanLogin, CanPublish bool
	HasStreamList        bool
	StreamIDs            []string
}

// Decoded is a copy of a ZegoTokenDecoded.
type Decoded struct {
	AppID           uint32
	Mode            uint32
	Nonce           int64
	CTime, Expire   int64
	HeaderExpire    int64
	UserID, Payload string
	IV              []byte
	PayloadKind     uint32
	Room            *Room
	Warnings        []Warning
}

// Header is a copy of a ZegoTokenHeader.
type Header struct {
	Expire        int64
	CiphertextLen int
	Mode          uint32
	HasModeByte   bool
	IV            []byte
}

// Validation mirrors ZegoTokenValidation with Go types; nil pointers are "not set".
type Validation struct {
	AppID          uint32
	LeewaySeconds  uint32
	UserID         *string
	RoomID         *string
	StreamID       *string
	RequirePublish bool
	FixedNow       *int64
}

// text passes a Go string's bytes to C without copying (C never keeps the pointer).
func text(s string) (*C.char, C.size_t) {
	return (*C.char)(unsafe.Pointer(unsafe.StringData(s))), C.size_t(len(s))
}

func goStr(s C.ZegoTokenStr) string {
	return C.GoStringN(s.ptr, C.int(s.len))
}

// takeError copies and frees a C error (nil when e is nil).
func takeError(status C.int32_t, e *C.ZegoTokenError) *Failure {
	if status == C.ZEGO_TOKEN_OK {
		return nil
	}
	f := &Failure{Status: int32(status)}
	if e != nil {
		f.Kind = C.GoString(e.kind)
		if e.field != nil {
			f.Field = C.GoString(e.field)
		}
		f.Message = C.GoString(e.message)
		f.Advice = C.GoString(e.advice)
		f.OfficialCode = uint32(e.official_code)
		f.ZegoCode = uint32(e.zego_code)
		f.ZimCode = uint32(e.zim_code)
		C.zego_token_error_free(e)
	} else {
		f.Kind = "internal"
		f.Message = "the library returned no error details"
	}
	return f
}

func warnings(p *C.ZegoTokenWarning, n C.size_t) []Warning {
	if p == nil || n == 0 {
		return nil
	}
	ws := unsafe.Slice(p, int(n))
	out := make([]Warning, len(ws))
	for i, w := range ws {
		out[i] = Warning{
			Rule:     C.GoString(w.rule),
			Product:  C.GoString(w.product),
			Message:  C.GoString(w.message),
			Code:     uint32(w.code),
			Blocking: w.blocking != 0,
		}
	}
	return out
}

// Version returns the library's version and ABI version.
func Version() (string, uint32) {
	return C.GoString(C.zego_token_version()), uint32(C.zego_token_abi_version())
}

// GenerateToken04 is the official call.
func GenerateToken04(appID uint32, userID, secret string, effective int64, payload string) (string, *Failure) {
	u, ul := text(userID)
	s, sl := text(secret)
	p, pl := text(payload)
	var tok *C.char
	var n C.size_t
	var e *C.ZegoTokenError
	st := C.zego_token_generate_token04(C.uint32_t(appID), u, ul, s, sl, C.int64_t(effective), p, pl, &tok, &n, &e)
	runtime.KeepAlive(userID)
	runtime.KeepAlive(secret)
	runtime.KeepAlive(payload)
	if f := takeError(st, e); f != nil {
		return "", f
	}
	out := C.GoStringN(tok, C.int(n))
	C.zego_token_string_free(tok)
	return out, nil
}

// Secret owns a ZegoTokenSecret handle. Uses may run concurrently; Close waits for them.
type Secret struct {
	mu sync.RWMutex
	h  *C.ZegoTokenSecret
}

// NewSecret prepares a secret from its bytes (not copied by Go; C keeps only the
// prepared key inside the handle).
func NewSecret(secret []byte) (*Secret, *Failure) {
	var p *C.char
	if len(secret) > 0 {
		p = (*C.char)(unsafe.Pointer(&secret[0]))
	}
	s, f := newSecret(p, C.size_t(len(secret)))
	runtime.KeepAlive(secret)
	return s, f
}

// NewSecretString is NewSecret for a string, without copying it.
func NewSecretString(secret string) (*Secret, *Failure) {
	p, n := text(secret)
	s, f := newSecret(p, n)
	runtime.KeepAlive(secret)
	return s, f
}

func newSecret(p *C.char, n C.size_t) (*Secret, *Failure) {
	var h *C.ZegoTokenSecret
	var e *C.ZegoTokenError
	st := C.zego_token_secret_new(p, n, &h, &e)
	if f := takeError(st, e); f != nil {
		return nil, f
	}
	s := &Secret{h: h}
	runtime.SetFinalizer(s, (*Secret).Close)
	return s, nil
}

// Close frees the handle (zeroizing the key); later uses fail with "secret is closed".
func (s *Secret) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.h != nil {
		C.zego_token_secret_free(s.h)
		s.h = nil
	}
	runtime.SetFinalizer(s, nil)
}

var closed = &Failure{
	Status:  StatusInvalidArgument,
	Kind:    "invalid_argument",
	Field:   "secret",
	Message: "the ServerSecret was closed",
	Advice:  "Do not use a ServerSecret after Close.",
}

// Generate mints a token with this secret into out; ctime is used when fixed is true.
func (s *Secret) Generate(out *Generated, appID uint32, userID string, effective int64, payload string, mode uint32, fixed bool, ctime int64) *Failure {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.h == nil {
		return closed
	}
	u, ul := text(userID)
	p, pl := text(payload)
	var g *C.ZegoTokenGenerated
	var e *C.ZegoTokenError
	var st C.int32_t
	if fixed {
		st = C.zego_token_generate_at(s.h, C.uint32_t(appID), u, ul, C.int64_t(effective), p, pl, C.uint32_t(mode), C.int64_t(ctime), &g, &e)
	} else {
		st = C.zego_token_generate(s.h, C.uint32_t(appID), u, ul, C.int64_t(effective), p, pl, C.uint32_t(mode), &g, &e)
	}
	runtime.KeepAlive(userID)
	runtime.KeepAlive(payload)
	if f := takeError(st, e); f != nil {
		return f
	}
	*out = Generated{
		Token:    goStr(g.token),
		CTime:    int64(g.ctime),
		Expire:   int64(g.expire),
		Nonce:    int32(g.nonce),
		Mode:     uint32(g.mode),
		Warnings: warnings(g.warnings, g.warning_count),
	}
	C.zego_token_generated_free(g)
	return nil
}

func decoded(d *C.ZegoTokenDecoded) *Decoded {
	out := &Decoded{
		AppID:        uint32(d.app_id),
		Mode:         uint32(d.mode),
		Nonce:        int64(d.nonce),
		CTime:        int64(d.ctime),
		Expire:       int64(d.expire),
		HeaderExpire: int64(d.header_expire),
		UserID:       goStr(d.user_id),
		Payload:      goStr(d.payload),
		IV:           C.GoBytes(unsafe.Pointer(d.iv), C.int(d.iv_len)),
		PayloadKind:  uint32(d.payload_kind),
		Warnings:     warnings(d.warnings, d.warning_count),
	}
	if d.room != nil {
		r := d.room
		room := &Room{
			RoomID:        goStr(r.room_id),
			CanLogin:      r.can_login != 0,
			CanPublish:    r.can_publish != 0,
			HasStreamList: r.has_stream_list != 0,
		}
		if r.stream_count > 0 {
			for _, s := range unsafe.Slice(r.stream_ids, int(r.stream_count)) {
				room.StreamIDs = append(room.StreamIDs, goStr(s))
			}
		}
		out.Room = room
	}
	C.zego_token_decoded_free(d)
	return out
}

// Decode decrypts a token.
func (s *Secret) Decode(token string) (*Decoded, *Failure) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.h == nil {
		return nil, closed
	}
	t, tl := text(token)
	var d *C.ZegoTokenDecoded
	var e *C.ZegoTokenError
	st := C.zego_token_decode(s.h, t, tl, &d, &e)
	runtime.KeepAlive(token)
	if f := takeError(st, e); f != nil {
		return nil, f
	}
	return decoded(d), nil
}

// DefaultLeeway is the library's default leeway in seconds.
func DefaultLeeway() uint32 {
	var v C.ZegoTokenValidation
	C.zego_token_validation_init(&v, 1)
	return uint32(v.leeway_seconds)
}

// Verify decrypts and checks a token.
func (s *Secret) Verify(token string, v *Validation) (*Decoded, *Failure) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.h == nil {
		return nil, closed
	}
	// The validation struct lives in C memory: cgo forbids passing Go memory that holds
	// Go pointers (the texts). The texts themselves are C copies, freed below.
	cv := (*C.ZegoTokenValidation)(C.malloc(C.size_t(unsafe.Sizeof(C.ZegoTokenValidation{}))))
	defer C.free(unsafe.Pointer(cv))
	C.zego_token_validation_init(cv, C.uint32_t(v.AppID))
	cv.leeway_seconds = C.uint32_t(v.LeewaySeconds)
	var owned []*C.char
	defer func() {
		for _, p := range owned {
			C.free(unsafe.Pointer(p))
		}
	}()
	set := func(dst *C.ZegoTokenStr, src *string) {
		if src == nil {
			return
		}
		p := (*C.char)(C.CBytes([]byte(*src + "\x00")))
		owned = append(owned, p)
		dst.ptr = p
		dst.len = C.size_t(len(*src))
	}
	set(&cv.user_id, v.UserID)
	set(&cv.room_id, v.RoomID)
	set(&cv.stream_id, v.StreamID)
	if v.RequirePublish {
		cv.require_publish = 1
	}
	if v.FixedNow != nil {
		cv.use_fixed_now = 1
		cv.now = C.int64_t(*v.FixedNow)
	}
	t, tl := text(token)
	var d *C.ZegoTokenDecoded
	var e *C.ZegoTokenError
	st := C.zego_token_verify(s.h, t, tl, cv, &d, &e)
	runtime.KeepAlive(token)
	if f := takeError(st, e); f != nil {
		return nil, f
	}
	return decoded(d), nil
}

// Inspect reads a token's header without the secret.
func Inspect(token string) (*Header, *Failure) {
	t, tl := text(token)
	var h C.ZegoTokenHeader
	var e *C.ZegoTokenError
	st := C.zego_token_inspect(t, tl, &h, &e)
	runtime.KeepAlive(token)
	if f := takeError(st, e); f != nil {
		return nil, f
	}
	return &Header{
		Expire:        int64(h.expire),
		CiphertextLen: int(h.ciphertext_len),
		Mode:          uint32(h.mode),
		HasModeByte:   h.has_mode_byte != 0,
		IV:            C.GoBytes(unsafe.Pointer(&h.iv[0]), C.int(h.iv_len)),
	}, nil
}

// RoomPayload builds a checked room privilege payload.
func RoomPayload(roomID string, login, publish bool, streams []string) (string, *Failure) {
	r, rl := text(roomID)
	var list *C.ZegoTokenStr
	if len(streams) > 0 {
		// C memory: an array of (pointer, length) pairs must not hold Go pointers.
		size := C.size_t(len(streams)) * C.size_t(unsafe.Sizeof(C.ZegoTokenStr{}))
		list = (*C.ZegoTokenStr)(C.malloc(size))
		defer C.free(unsafe.Pointer(list))
		entries := unsafe.Slice(list, len(streams))
		for i, s := range streams {
			p := (*C.char)(C.CBytes([]byte(s + "\x00")))
			defer C.free(unsafe.Pointer(p))
			entries[i] = C.ZegoTokenStr{ptr: p, len: C.size_t(len(s))}
		}
	}
	var out *C.char
	var n C.size_t
	var e *C.ZegoTokenError
	st := C.zego_token_room_payload(r, rl, flag(login), flag(publish), list, C.size_t(len(streams)), &out, &n, &e)
	runtime.KeepAlive(roomID)
	if f := takeError(st, e); f != nil {
		return "", f
	}
	s := C.GoStringN(out, C.int(n))
	C.zego_token_string_free(out)
	return s, nil
}

// KitToken builds a UIKit kit token.
func KitToken(token04 string, appID uint32, userID, roomID, userName string) (string, *Failure) {
	t, tl := text(token04)
	u, ul := text(userID)
	r, rl := text(roomID)
	n, nl := text(userName)
	var out *C.char
	var size C.size_t
	var e *C.ZegoTokenError
	st := C.zego_token_kit_token(t, tl, C.uint32_t(appID), u, ul, r, rl, n, nl, &out, &size, &e)
	runtime.KeepAlive(token04)
	runtime.KeepAlive(userID)
	runtime.KeepAlive(roomID)
	runtime.KeepAlive(userName)
	if f := takeError(st, e); f != nil {
		return "", f
	}
	s := C.GoStringN(out, C.int(size))
	C.zego_token_string_free(out)
	return s, nil
}

// DecodeKitInfo decodes the part of a kit token after '#'.
func DecodeKitInfo(info string) (string, *Failure) {
	i, il := text(info)
	var out *C.char
	var n C.size_t
	var e *C.ZegoTokenError
	st := C.zego_token_decode_kit_info(i, il, &out, &n, &e)
	runtime.KeepAlive(info)
	if f := takeError(st, e); f != nil {
		return "", f
	}
	s := C.GoStringN(out, C.int(n))
	C.zego_token_string_free(out)
	return s, nil
}

func flag(b bool) C.uint8_t {
	if b {
		return 1
	}
	return 0
}
