//! C syntax classes for one-line declarations, for colouring signatures in
//! `show` and in the explorer's detail pane.

/// What a piece of a declaration is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// `int`, `const`, `struct`, `#define` ...
    Keyword,
    /// A type name such as `PyObject` or `Py_ssize_t`.
    Type,
    /// The declared name.
    Name,
    /// A parameter name.
    Param,
    /// Numbers and string literals.
    Literal,
    Punct,
    Space,
}

const KEYWORDS: &[&str] = &[
    "void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "const", "volatile", "struct",
    "union", "enum", "typedef", "static", "inline", "extern", "_Bool", "#define", "size_t", "wchar_t",
];

/// Splits `sig` into classified pieces that concatenate back to `sig`.
pub fn classify<'a>(sig: &'a str, name: &str) -> Vec<(Class, &'a str)> {
    let bytes = sig.as_bytes();
    let mut pieces: Vec<(Class, &'a str)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let class = if c == b' ' {
            while i < bytes.len() && bytes[i] == b' ' {
                i += 1;
            }
            Class::Space
        } else if c.is_ascii_alphabetic() || c == b'_' || (c == b'#' && sig[i..].starts_with("#define")) {
            i += 1;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            let word = &sig[start..i];
            if KEYWORDS.contains(&word) {
                Class::Keyword
            } else if word == name || name.rsplit('.').next() == Some(word) {
                Class::Name
            } else if followed_by_separator(&sig[i..]) && preceded_by_type(&pieces) {
                Class::Param
            } else {
                Class::Type
            }
        } else if c.is_ascii_digit() || c == b'"' || c == b'\'' {
            i += 1;
            while i < bytes.len() && !matches!(bytes[i], b' ' | b',' | b')' | b'|' | b'(') {
                i += 1;
            }
            Class::Literal
        } else {
            i += sig[i..].chars().next().map_or(1, char::len_utf8);
            Class::Punct
        };
        pieces.push((class, &sig[start..i]));
    }
    pieces
}

/// A parameter name ends its parameter: `,`, `)` or `[` follows.
fn followed_by_separator(rest: &str) -> bool {
    matches!(rest.trim_start().chars().next(), Some(',' | ')' | '['))
}

/// ... and a type or `*` precedes it within the same parameter.
fn preceded_by_type(pieces: &[(Class, &str)]) -> bool {
    for (class, text) in pieces.iter().rev() {
        match class {
            Class::Space => {}
            Class::Punct => return *text == "*",
            Class::Keyword | Class::Type => return true,
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_a_declaration() {
        let sig = "int PyBuffer_FillInfo(Py_buffer *view, const char *s, ...)";
        let pieces = classify(sig, "PyBuffer_FillInfo");
        assert_eq!(pieces.iter().map(|p| p.1).collect::<String>(), sig);
        let of = |w: &str| pieces.iter().find(|p| p.1 == w).map(|p| p.0);
        assert_eq!(of("int"), Some(Class::Keyword));
        assert_eq!(of("PyBuffer_FillInfo"), Some(Class::Name));
        assert_eq!(of("Py_buffer"), Some(Class::Type));
        assert_eq!(of("view"), Some(Class::Param));
        assert_eq!(of("s"), Some(Class::Param));
        assert_eq!(of("const"), Some(Class::Keyword));
    }

    #[test]
    fn survives_unicode_and_odd_text() {
        for s in ["", "é(", "#define X 0x1", "a\u{1F600}b", "((("] {
            assert_eq!(classify(s, "X").iter().map(|p| p.1).collect::<String>(), s);
        }
    }
}
