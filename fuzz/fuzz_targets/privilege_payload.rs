//! Any payload text: parsing never panics, and whatever parses writes back to JSON that
//! parses to the same privileges.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zego_token::RoomPrivileges;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(p) = RoomPrivileges::parse(text) {
        let again = RoomPrivileges::parse(&p.to_json()).expect("our own JSON parses");
        assert_eq!(again, p);
        let _ = p.describe();
    }
});
