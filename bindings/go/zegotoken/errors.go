package zegotoken

import "example.invalid/zego-token/bindings/go/internal/capi"

// Kind is the stable, machine-readable reason of an Error.
type Kind string

// The kinds of Error.
const (
	KindInvalidArgument  Kind = "invalid_argument" // a misuse of this package (e.g. a closed secret)
	KindInvalidInput     Kind = "invalid_input"    // a generator input breaks a rule (Field names it)
	KindWrongVersion     Kind = "wrong_version"
	KindMalformed        Kind = "malformed"
	KindDecrypt          Kind = "decrypt" // wrong secret or changed token (one reason on purpose)
	KindInvalidClaims    Kind = "invalid_claims"
	KindInvalidPayload   Kind = "invalid_payload"
	KindExpired          Kind = "expired"
	KindNotYetValid      Kind = "not_yet_valid"
	KindAppIDMismatch    Kind = "app_id_mismatch"
	KindUserIDMismatch   Kind = "user_id_mismatch"
	KindRoomMismatch     Kind = "room_mismatch"
	KindPrivilegeMissing Kind = "privilege_missing"
	KindStreamNotAllowed Kind = "stream_not_allowed"
	KindInternal         Kind = "internal"
)

// Error is every error of this package. Match it with errors.As, or a reason with
// errors.Is against the sentinels (errors.Is(err, zegotoken.ErrExpired)). It never
// contains the ServerSecret.
type Error struct {
	// Kind is the stable reason.
	Kind Kind
	// Field names the input at fault for KindInvalidInput ("user_id", "secret",
	// "effective_time_in_seconds", "room_id", "stream_id", ...), else "".
	Field string
	// Message says what is wrong and what was expected.
	Message string
	// Advice says what to do about it.
	Advice string
	// OfficialCode is the official generators' code (1 appID, 3 userID, 5 secret,
	// 6 effective time), 0 when none applies.
	OfficialCode uint32
	// ZegoCode is the error code ZEGO's RTC SDKs report for this reason (e.g. 1002078
	// expired), 0 when none applies.
	ZegoCode uint32
	// ZimCode is the code ZEGO's ZIM SDKs report (e.g. 6000106), 0 when none applies.
	ZimCode uint32
}

func (e *Error) Error() string { return e.Message }

// Is reports whether target is the sentinel of e's kind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Kind == e.Kind
}

// Sentinels for errors.Is, one per kind.
var (
	ErrInvalidArgument  = &Error{Kind: KindInvalidArgument}
	ErrInvalidInput     = &Error{Kind: KindInvalidInput}
	ErrWrongVersion     = &Error{Kind: KindWrongVersion}
	ErrMalformed        = &Error{Kind: KindMalformed}
	ErrDecrypt          = &Error{Kind: KindDecrypt}
	ErrInvalidClaims    = &Error{Kind: KindInvalidClaims}
	ErrInvalidPayload   = &Error{Kind: KindInvalidPayload}
	ErrExpired          = &Error{Kind: KindExpired}
	ErrNotYetValid      = &Error{Kind: KindNotYetValid}
	ErrAppIDMismatch    = &Error{Kind: KindAppIDMismatch}
	ErrUserIDMismatch   = &Error{Kind: KindUserIDMismatch}
	ErrRoomMismatch     = &Error{Kind: KindRoomMismatch}
	ErrPrivilegeMissing = &Error{Kind: KindPrivilegeMissing}
	ErrStreamNotAllowed = &Error{Kind: KindStreamNotAllowed}
	ErrInternal         = &Error{Kind: KindInternal}
)

func convert(f *capi.Failure) error {
	if f == nil {
		return nil
	}
	return &Error{
		Kind:         Kind(f.Kind),
		Field:        f.Field,
		Message:      f.Message,
		Advice:       f.Advice,
		OfficialCode: f.OfficialCode,
		ZegoCode:     f.ZegoCode,
		ZimCode:      f.ZimCode,
	}
}
