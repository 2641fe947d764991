// Package errors holds the error type of ZEGO's official Go generator
// (ZegoSDKError, with the same codes and Error() text), so that code written against the
// official package keeps compiling and matching after the import path changes.
package errors

import "fmt"

// The official error codes (strings, as in the official package).
const (
	DefaultClientErrorCode = "SDK.ClientError"
	MissingParamErrorCode  = "SDK.MissingParam"
	InvalidParamErrorCode  = "SDK.InvalidParam"
	TimeoutErrorCode       = "SDK.TimeoutError"
	EncryptErrorCode       = "SDK.EncryptError"
	EncodeErrorCode        = "SDK.EncodetError" // sic: the official spelling
	JsonUnmarshalErrorCode = "SDK.JsonUnmarshalError"
	JsonMarshalErrorCode   = "SDK.JsonMarshalError"
)

// ZegoSDKError is the official generator's error. Code and Message are what the official
// generator sets ("SDK.InvalidParam", "userId Invalid"); ErrorCode adds the numeric
// code all official ports share (1 appID, 3 userID, 5 secret, 6 effective time; 0 when
// none applies) and Detail says exactly what was wrong (never the secret).
type ZegoSDKError struct {
	Code      string
	Message   string
	ErrorCode int
	Detail    string
}

func (e *ZegoSDKError) Error() string {
	if e.Detail == "" {
		return fmt.Sprintf("[ZegoSDKError] Code=%s, Message=%s", e.Code, e.Message)
	}
	return fmt.Sprintf("[ZegoSDKError] Code=%s, Message=%s (%s)", e.Code, e.Message, e.Detail)
}

// NewZegoSDKError builds an error as the official package does.
func NewZegoSDKError(code, message string) error {
	return &ZegoSDKError{Code: code, Message: message}
}

// GetCode returns the string code.
func (e *ZegoSDKError) GetCode() string { return e.Code }

// GetMessage returns the official message.
func (e *ZegoSDKError) GetMessage() string { return e.Message }
