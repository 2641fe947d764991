//go:build !zego_token_external

package capi

// The default: link the static library that `go generate` (or `make lib`) builds in this
// repository's target/release, and include the header from the crate. Build with
// `-tags zego_token_external` and set CGO_CFLAGS / CGO_LDFLAGS to use a library
// installed elsewhere.

// #cgo CFLAGS: -I${SRCDIR}/../../../../crates/zego-token-ffi/include
// #cgo LDFLAGS: ${SRCDIR}/../../../../target/release/libzego_token_ffi.a -ldl -lm -lpthread
import "C"
