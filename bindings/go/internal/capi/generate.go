package capi

// Builds the static library the cgo code links (target/release/libzego_token_ffi.a):
// run `go generate ./...` in bindings/go once, and after changing the Rust code.
//go:generate cargo build --release -p zego-token-ffi --locked --manifest-path ../../../../Cargo.toml
