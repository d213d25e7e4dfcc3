//! Text helpers of the C scanner that need no state: looking ahead past
//! blanks and comments, a function definition's body, the identifiers that
//! conditions and macro bodies name.

use std::collections::HashSet;

use super::DEFINITION_LOOKAHEAD;

/// The identifiers of a file's conditions (`#if`, `#elif`, `#ifdef`,
/// `#ifndef`) and macro bodies: the macros whose values can matter.
pub(super) fn relevant_names(text: &str) -> HashSet<&str> {
    let mut names = HashSet::new();
    let mut continued = false;
    for line in text.lines() {
        let directive = if continued {
            Some(line)
        } else {
            line.trim_start()
                .strip_prefix('#')
                .map(str::trim_start)
                .and_then(|rest| {
                    let word = rest.split(|c: char| !is_ident_char(c)).next().unwrap_or("");
                    let rest = &rest[word.len()..];
                    match word {
                        "if" | "elif" | "ifdef" | "ifndef" | "elifdef" | "elifndef" => Some(rest),
                        // The body: past the macro's own name.
                        "define" => {
                            let rest = rest.trim_start();
                            Some(&rest[rest.find(|c: char| !is_ident_char(c)).unwrap_or(rest.len())..])
                        }
                        _ => None,
                    }
                })
        };
        continued = line.ends_with('\\') && (continued || directive.is_some());
        for word in directive.into_iter().flat_map(|d| d.split(|c: char| !is_ident_char(c))) {
            if word.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
                names.insert(word);
            }
        }
    }
    names
}

/// The first byte after `at` that is not blank, a comment or a line
/// continuation (0 at the end).
pub(super) fn next_significant(bytes: &[u8], mut at: usize) -> u8 {
    while at < bytes.len() {
        match bytes[at] {
            b' ' | b'\t' | b'\r' | b'\n' | b'\\' => at += 1,
            b'/' if bytes.get(at + 1) == Some(&b'*') => {
                at = find(bytes, at + 2, b"*/").map_or(bytes.len(), |e| e + 2);
            }
            b'/' if bytes.get(at + 1) == Some(&b'/') => {
                at = bytes[at..]
                    .iter()
                    .position(|b| *b == b'\n')
                    .map_or(bytes.len(), |e| at + e);
            }
            b => return b,
        }
    }
    0
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| from + i)
}

/// Whether the `(` after `at` opens the parameters of a function with a
/// body: its `)` is followed by `{`. Looks no further than
/// [`DEFINITION_LOOKAHEAD`] bytes, so scanning stays linear.
pub(super) fn definition_follows(bytes: &[u8], at: usize) -> bool {
    let end = bytes.len().min(at + DEFINITION_LOOKAHEAD);
    let Some(open) = bytes[at..end].iter().position(|b| *b == b'(').map(|i| at + i) else {
        return false;
    };
    let mut depth = 0_usize;
    for (i, b) in bytes[open..end].iter().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return next_significant(&bytes[..end], open + i + 1) == b'{';
                }
            }
            b';' | b'{' | b'}' => return false,
            _ => {}
        }
    }
    false
}

/// Text with its C comments replaced by spaces (for a macro's value).
pub(super) fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('/') {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        if let Some(body) = after.strip_prefix("/*") {
            rest = body.find("*/").map_or("", |end| &body[end + 2..]);
            out.push(' ');
        } else if after.starts_with("//") {
            rest = after.find('\n').map_or("", |end| &after[end..]);
        } else {
            out.push('/');
            rest = &after[1..];
        }
    }
    out.push_str(rest);
    out
}

pub(super) fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

pub(super) fn utf8_len(first: u8) -> usize {
    match first {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}
