//! Rust's tokens, as far as the scanner needs them: identifiers, string
//! contents and punctuation, past comments (nested), raw strings, character
//! literals and lifetimes.

use super::{Kind, Token};

pub(super) fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let at = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    while i < bytes.len() {
        let byte = bytes[i];
        let rest = &text[i..];
        if byte.is_ascii_whitespace() {
            i += 1;
        } else if rest.starts_with("//") {
            i = rest.find('\n').map_or(bytes.len(), |e| i + e);
        } else if rest.starts_with("/*") {
            i = block_comment_end(bytes, i);
        } else if let Some(len) = raw_string_len(rest) {
            i += len;
        } else if byte == b'"' || (byte == b'b' && rest[1..].starts_with('"')) {
            let open = i + usize::from(byte == b'b');
            let mut end = open + 1;
            while end < bytes.len() && bytes[end] != b'"' {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            let end = end.min(bytes.len());
            out.push(Token {
                kind: Kind::Str,
                byte: 0,
                at: at(open + 1),
                len: at(end.saturating_sub(open + 1)),
            });
            i = end + 1;
        } else if byte == b'\'' || (byte == b'b' && rest[1..].starts_with('\'')) {
            // A character literal ('x', '\n', '\u{1F600}') or a lifetime ('a).
            let open = i + usize::from(byte == b'b');
            let len = char_literal_len(&text[open + 1..]);
            i = open + len.unwrap_or(1);
        } else if byte.is_ascii_alphabetic() || byte == b'_' || !byte.is_ascii() {
            let len = rest
                .char_indices()
                .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
                .map_or(rest.len(), |(e, _)| e)
                .max(1);
            let len = if rest.is_char_boundary(len) {
                len
            } else {
                rest.chars().next().map_or(1, char::len_utf8)
            };
            out.push(Token {
                kind: Kind::Ident,
                byte: 0,
                at: at(i),
                len: at(len),
            });
            i += len;
        } else if byte.is_ascii_digit() {
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                .unwrap_or(rest.len());
            i += len.max(1);
        } else {
            out.push(Token {
                kind: Kind::Punct,
                byte,
                at: at(i),
                len: 1,
            });
            i += 1;
        }
    }
    out
}

/// Where the block comment starting at `from` ends (they nest in Rust).
fn block_comment_end(bytes: &[u8], from: usize) -> usize {
    let mut depth = 0_usize;
    let mut at = from;
    while at < bytes.len() {
        if bytes[at..].starts_with(b"/*") {
            depth += 1;
            at += 2;
        } else if bytes[at..].starts_with(b"*/") {
            depth -= 1;
            at += 2;
            if depth == 0 {
                break;
            }
        } else {
            at += 1;
        }
    }
    at
}

/// The length of a character literal whose text after the opening quote
/// is `after`; `None` for a lifetime.
fn char_literal_len(after: &str) -> Option<usize> {
    if let Some(escaped) = after.strip_prefix('\\') {
        escaped.get(1..).and_then(|e| e.find('\'')).map(|e| e + 4)
    } else {
        let mut chars = after.chars();
        let first = chars.next().map_or(0, char::len_utf8);
        (chars.next() == Some('\'')).then_some(first + 2)
    }
}

/// The length of a raw string literal (`r"..."`, `r#"..."#`, `br##"..."##`)
/// at the start of `rest`, if there is one.
fn raw_string_len(rest: &str) -> Option<usize> {
    let after_r = rest.strip_prefix("br").or_else(|| rest.strip_prefix('r'))?;
    let hashes = after_r.bytes().take_while(|b| *b == b'#').count();
    let body = after_r[hashes..].strip_prefix('"')?;
    let close = format!("\"{}", "#".repeat(hashes));
    let prefix = rest.len() - body.len();
    Some(body.find(&close).map_or(rest.len(), |e| prefix + e + close.len()))
}
