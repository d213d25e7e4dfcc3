//! I/O errors as a user reads them in a message about a file.

use std::io;

/// "no such file or directory", "permission denied", else the error's own text.
pub fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}
