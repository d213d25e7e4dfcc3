//! I/O errors worded one way wherever abiscope reports them: the system's
//! description in lower case, without Rust's "(os error N)" suffix
//! ("no such file or directory", "permission denied", "no space left on
//! device"), after the file it is about when there is one.

use std::io;

/// An I/O error as a user reads it; an error abiscope made keeps its text.
pub fn io_message(e: &io::Error) -> String {
    let text = e.to_string();
    if e.raw_os_error().is_none() {
        return text;
    }
    let bare = text.split(" (os error ").next().unwrap_or(&text);
    let mut chars = bare.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => bare.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_errors_read_alike() {
        let missing = std::fs::File::open("/nonexistent/abiscope").expect_err("missing");
        assert_eq!(io_message(&missing), "no such file or directory");
        assert_eq!(io_message(&io::Error::from_raw_os_error(28)), "no space left on device");
        assert_eq!(io_message(&io::Error::other("PyFoo is not X")), "PyFoo is not X");
    }
}
