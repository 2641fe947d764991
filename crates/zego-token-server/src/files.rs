//! Capped file reads, for every file the service reads (config, secrets, JWKS, TLS
//! PEM): regular files only, with a size limit, and errors that never show the path
//! or the content.

use std::path::Path;

/// Reads a regular file of at most `max` bytes. A FIFO, device or directory is refused
/// before it is opened (it could block start-up or never end); a file that grows past
/// `max` while read is refused too. The error text never contains the path or content.
pub(crate) fn read_capped(path: &Path, max: usize) -> Result<Vec<u8>, String> {
    read_capped_io(path, max).map_err(|(reason, _)| reason)
}

/// [`read_capped`], keeping the I/O error (for a cause chain).
pub(crate) fn read_capped_io(
    path: &Path,
    max: usize,
) -> Result<Vec<u8>, (String, Option<std::io::Error>)> {
    use std::io::Read as _;
    let io = |e: std::io::Error| (io_reason(&e), Some(e));
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err((
            "is not a regular file (a FIFO, device or directory is refused)".into(),
            None,
        ));
    }
    if meta.len() > max as u64 {
        return Err((format!("is larger than {max} bytes"), None));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    // Sized up front: growing would leave copies of a secret in freed memory.
    let mut buf = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(max).min(max) + 1);
    file.take(max as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(io)?;
    if buf.len() > max {
        return Err((format!("is larger than {max} bytes"), None));
    }
    Ok(buf)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "does not exist".into(),
        std::io::ErrorKind::PermissionDenied => "cannot be read (permission denied)".into(),
        _ => format!("cannot be read ({e})"),
    }
}
