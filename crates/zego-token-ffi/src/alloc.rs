//! Library-owned memory handed to the caller: strings, arrays and the result structs,
//! each with the one function that frees it.

use std::ffi::c_char;
use std::ptr;

use crate::types::{
    ZegoTokenDecoded, ZegoTokenError, ZegoTokenGenerated, ZegoTokenRoom, ZegoTokenStr,
    ZegoTokenWarning,
};

/// Bytes before each returned string that record its length, so that
/// `zego_token_string_free` needs only the pointer.
const HEADER: usize = size_of::<usize>();

/// Copies `bytes` into a new allocation: a length header, the bytes, a NUL. Returns a
/// pointer to the first byte (after the header).
pub(crate) fn string(bytes: &[u8]) -> *mut c_char {
    let mut buf = Vec::with_capacity(HEADER + bytes.len() + 1);
    buf.extend_from_slice(&bytes.len().to_ne_bytes());
    buf.extend_from_slice(bytes);
    buf.push(0);
    let base = Box::into_raw(buf.into_boxed_slice()).cast::<u8>();
    #[allow(unsafe_code)]
    // SAFETY: the allocation is HEADER + len + 1 bytes long, so base + HEADER is inside it.
    let first = unsafe { base.add(HEADER) };
    first.cast()
}

/// A library-owned [`ZegoTokenStr`] holding a copy of `text`.
pub(crate) fn str(text: &str) -> ZegoTokenStr {
    ZegoTokenStr {
        ptr: string(text.as_bytes()),
        len: text.len(),
    }
}

/// Frees a string made by [`string`]; NULL is ignored.
///
/// # Safety
///
/// `s` is NULL or a pointer returned by [`string`] that was not freed before.
#[allow(unsafe_code)]
pub(crate) unsafe fn free_string(s: *const c_char) {
    if s.is_null() {
        return;
    }
    // SAFETY: `s` came from `string`, so HEADER bytes before it start the allocation and
    // hold the length; the whole allocation is HEADER + len + 1 bytes.
    unsafe {
        let base = s.cast::<u8>().cast_mut().sub(HEADER);
        let mut len = [0u8; HEADER];
        ptr::copy_nonoverlapping(base, len.as_mut_ptr(), HEADER);
        let len = usize::from_ne_bytes(len);
        drop(Box::from_raw(ptr::slice_from_raw_parts_mut(
            base,
            HEADER + len + 1,
        )));
    }
}

/// Moves a vector into a raw (pointer, count) pair; an empty vector is (NULL, 0).
pub(crate) fn array<T>(items: Vec<T>) -> (*const T, usize) {
    if items.is_empty() {
        return (ptr::null(), 0);
    }
    let len = items.len();
    (Box::into_raw(items.into_boxed_slice()).cast::<T>(), len)
}

/// Takes back an array made by [`array`].
///
/// # Safety
///
/// `(p, len)` came from [`array`] for the same `T` and was not taken back before.
#[allow(unsafe_code)]
unsafe fn take_array<T>(p: *const T, len: usize) -> Vec<T> {
    if p.is_null() {
        return Vec::new();
    }
    // SAFETY: `array` leaked a boxed slice of exactly `len` elements at `p`.
    unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(p.cast_mut(), len)) }.into_vec()
}

/// Frees the strings of a warning array and the array.
///
/// # Safety
///
/// As [`take_array`]; each warning's strings came from [`string`].
#[allow(unsafe_code)]
unsafe fn free_warnings(p: *const ZegoTokenWarning, len: usize) {
    // SAFETY: the caller's contract.
    for w in unsafe { take_array(p, len) } {
        // SAFETY: the strings came from `string` and belong to this warning only.
        unsafe {
            free_string(w.rule);
            free_string(w.product);
            free_string(w.message);
        }
    }
}

/// Frees a [`ZegoTokenError`] and its strings.
///
/// # Safety
///
/// `e` is NULL or came from `Box::into_raw` of an error whose strings came from
/// [`string`] (as every error this crate returns).
#[allow(unsafe_code)]
pub(crate) unsafe fn free_error(e: *mut ZegoTokenError) {
    if e.is_null() {
        return;
    }
    // SAFETY: the caller's contract: `e` is a leaked box we own now.
    let e = unsafe { Box::from_raw(e) };
    // SAFETY: the strings came from `string` and belong to this error only.
    unsafe {
        free_string(e.kind);
        free_string(e.field);
        free_string(e.message);
        free_string(e.advice);
    }
}

/// Frees a [`ZegoTokenGenerated`] and everything it holds.
///
/// # Safety
///
/// `g` is NULL or came from `Box::into_raw` in this crate and was not freed before.
#[allow(unsafe_code)]
pub(crate) unsafe fn free_generated(g: *mut ZegoTokenGenerated) {
    if g.is_null() {
        return;
    }
    // SAFETY: the caller's contract; the members were allocated by this crate.
    unsafe {
        let g = Box::from_raw(g);
        free_string(g.token.ptr);
        free_warnings(g.warnings, g.warning_count);
    }
}

/// Frees a [`ZegoTokenDecoded`] and everything it holds.
///
/// # Safety
///
/// `d` is NULL or came from `Box::into_raw` in this crate and was not freed before.
#[allow(unsafe_code)]
pub(crate) unsafe fn free_decoded(d: *mut ZegoTokenDecoded) {
    if d.is_null() {
        return;
    }
    // SAFETY: the caller's contract; every member was allocated by this crate, the IV by
    // `array`, the room by `Box::into_raw`, its stream list by `array`.
    unsafe {
        let d = Box::from_raw(d);
        free_string(d.user_id.ptr);
        free_string(d.payload.ptr);
        drop(take_array(d.iv, d.iv_len));
        if !d.room.is_null() {
            let room = Box::from_raw(d.room.cast_mut());
            free_string(room.room_id.ptr);
            for s in take_array(room.stream_ids, room.stream_count) {
                free_string(s.ptr);
            }
        }
        free_warnings(d.warnings, d.warning_count);
    }
}

/// A new [`ZegoTokenRoom`] on the heap.
pub(crate) fn room(r: &zego_token::RoomPrivileges) -> *const ZegoTokenRoom {
    let list = r.stream_ids();
    let (stream_ids, stream_count) =
        array(list.unwrap_or_default().iter().map(|s| str(s)).collect());
    Box::into_raw(Box::new(ZegoTokenRoom {
        room_id: str(r.room_id()),
        can_login: u8::from(r.can_login()),
        can_publish: u8::from(r.can_publish()),
        has_stream_list: u8::from(list.is_some()),
        stream_ids,
        stream_count,
    }))
}
