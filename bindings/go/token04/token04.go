// Package token04 is a drop-in replacement for ZEGO's official Go generator
// (token/go/src/token04): the same GenerateToken04 signature, constants and error type,
// minting AES-GCM tokens through the zego-token core. Unlike the official code, IVs and
// nonces come from an OS-seeded CSPRNG (not math/rand seeded from the clock), and inputs
// that ZEGO's SDKs would refuse (a user ID of 64 bytes or more, invalid UTF-8, claims
// too large for the token's 16-bit length field) are errors instead of broken tokens.
package token04

import (
	zerrors "example.invalid/zego-token/bindings/go/errors"
	"example.invalid/zego-token/bindings/go/internal/capi"
)

// Privilege keys of a room payload (as in the official package).
const (
	PrivilegeKeyLogin   = 1 // log in to the room
	PrivilegeKeyPublish = 2 // publish streams
)

// Privilege switches (as in the official package).
const (
	PrivilegeEnable  = 1
	PrivilegeDisable = 0
)

// Cipher modes (as in the official GCM package). GenerateToken04 always uses GCM.
const (
	AesEncryptModeCBCPKCS5Padding = 0 // deprecated
	AesEncryptModeGCM             = 1 // recommended
)

// The numeric codes every official port uses for input errors.
const (
	ErrorCodeAppIDInvalid                  = 1
	ErrorCodeUserIDInvalid                 = 3
	ErrorCodeSecretInvalid                 = 5
	ErrorCodeEffectiveTimeInSecondsInvalid = 6
)

// ZegoSDKError is the official error type (also importable from package errors).
type ZegoSDKError = zerrors.ZegoSDKError

// TokenInfo04 is the official claims struct (for code that refers to it; the token is
// written by the core).
type TokenInfo04 struct {
	AppId   uint32 `json:"app_id"`
	UserId  string `json:"user_id"`
	CTime   int64  `json:"ctime"`
	Expire  int64  `json:"expire"`
	Nonce   int32  `json:"nonce"`
	PayLoad string `json:"payload"`
}

var officialMessages = map[uint32]string{
	ErrorCodeAppIDInvalid:                  "appId Invalid",
	ErrorCodeUserIDInvalid:                 "userId Invalid",
	ErrorCodeSecretInvalid:                 "secret Invalid",
	ErrorCodeEffectiveTimeInSecondsInvalid: "effectiveTimeInSeconds Invalid",
}

// GenerateToken04 returns an AES-GCM token04 for userId of appId, valid for
// effectiveTimeInSeconds from now, carrying payload ("" for a basic token). Errors are
// *ZegoSDKError with Code "SDK.InvalidParam" and the official Message for the input at
// fault (checked in the official order: appId, userId, secret, effective time).
//
// A server that makes many tokens should keep a zegotoken.ServerSecret instead, which
// prepares the AES key once.
func GenerateToken04(appId uint32, userId string, secret string, effectiveTimeInSeconds int64, payload string) (token string, err error) {
	token, f := capi.GenerateToken04(appId, userId, secret, effectiveTimeInSeconds, payload)
	if f != nil {
		msg, ok := officialMessages[f.OfficialCode]
		if !ok {
			msg = f.Field + " Invalid"
		}
		code := zerrors.InvalidParamErrorCode
		if f.Kind != "invalid_input" {
			code = zerrors.DefaultClientErrorCode
			msg = f.Kind
		}
		return "", &ZegoSDKError{Code: code, Message: msg, ErrorCode: int(f.OfficialCode), Detail: f.Message}
	}
	return token, nil
}
