//! Filter words in a query, fzf-style, beside the fuzzy terms:
//! `kind:function` (`k:fn`), `tier:limited`, `since:3.10`, `since:<=3.10`,
//! `since:>3.12`, `abi3t:no`, `ifdef:windows`, `returns:borrowed`,
//! `header:listobject`, and `^prefix`, `suffix$`, `'exact`, `!not` on names.
//!
//! A malformed word is an error the caller shows; it never silently
//! matches everything or nothing.

use std::cmp::Ordering;

use crate::catalog::{Abi3t, Item, Kind, Returns, Tier, Version};

/// One filter word, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    Kind(Kind),
    Tier(Tier),
    /// `since:` compared with the Stable ABI version.
    Since(Cmp, Version),
    /// `abi3t:yes` (available or opaque), `no`, or one exact status.
    Abi3t(Abi3tIs),
    /// Matches the feature macro or its note, ignoring case.
    Ifdef(String),
    Returns(Returns),
    /// A part of the header path, ignoring case.
    Header(String),
    /// The name starts with this (ignoring case).
    Prefix(String),
    /// The name ends with this (ignoring case).
    Suffix(String),
    /// The name contains this exactly (ignoring case).
    Exact(String),
    /// The name does not contain this (ignoring case).
    Not(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Lt,
    Le,
    Eq,
    Ge,
    Gt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Abi3tIs {
    Yes,
    No,
    Exactly(Abi3t),
}

/// The help overlay's lines on filters.
pub const HELP: &[(&str, &str)] = &[
    (
        "kind:function k:fn",
        "kind: function (fn), variable (var), macro, constant (const), type, struct, enumerator (enum), feature_macro (feature)",
    ),
    (
        "tier:limited t:…",
        "tier: limited, abi-only, unstable, general, private",
    ),
    (
        "since:3.10 since:<=3.10",
        "Stable ABI version: exactly, or with <, <=, >=, >",
    ),
    ("abi3t:no", "abi3t status: yes, no, available, opaque, unavailable"),
    ("ifdef:windows", "platform condition: windows, fork, or a feature macro"),
    ("returns:borrowed", "reference returned: new, borrowed, null"),
    ("header:listobject", "a part of the header's path"),
    ("^prefix suffix$", "names starting or ending with the text"),
    ("'exact !not", "names containing, or not containing, the text exactly"),
];

const KINDS: &[(&str, Kind)] = &[
    ("fn", Kind::Function),
    ("func", Kind::Function),
    ("var", Kind::Variable),
    ("const", Kind::Constant),
    ("enum", Kind::Enumerator),
    ("feature", Kind::FeatureMacro),
];

/// Parses a word that is a filter; `None` for a plain fuzzy term.
pub fn parse(word: &str) -> Option<Result<Filter, String>> {
    let text = |s: &str, what: &str| -> Result<String, String> {
        if s.is_empty() {
            Err(format!("'{word}': {what} needs some text"))
        } else {
            Ok(s.to_ascii_lowercase())
        }
    };
    if let Some(rest) = word.strip_prefix('!') {
        return Some(text(rest, "!").map(Filter::Not));
    }
    if let Some(rest) = word.strip_prefix('^') {
        return Some(text(rest, "^").map(Filter::Prefix));
    }
    if let Some(rest) = word.strip_prefix('\'') {
        return Some(text(rest, "'").map(Filter::Exact));
    }
    if let Some(rest) = word.strip_suffix('$') {
        return Some(text(rest, "$").map(Filter::Suffix));
    }
    let (key, value) = word.split_once(':')?;
    let value_lower = value.to_ascii_lowercase();
    let parsed = match key.to_ascii_lowercase().as_str() {
        "kind" | "k" => KINDS
            .iter()
            .find(|(alias, _)| *alias == value_lower)
            .map(|(_, k)| *k)
            .map_or_else(|| value_lower.parse::<Kind>(), Ok)
            .map(Filter::Kind)
            .map_err(|_| format!("'{word}': unknown kind (valid: function or fn, variable or var, macro, constant or const, type, struct, enumerator or enum, feature_macro or feature)")),
        "tier" | "t" => value_lower
            .replace('_', "-")
            .parse::<Tier>()
            .map(Filter::Tier)
            .map_err(|_| format!("'{word}': unknown tier (valid: limited, abi-only, unstable, general, private)")),
        "since" | "s" => since(&value_lower).ok_or_else(|| {
            format!("'{word}': expected a version with an optional <, <=, =, >=, > (e.g. since:3.10, since:<=3.10)")
        }),
        "abi3t" => match value_lower.as_str() {
            "yes" | "y" => Ok(Filter::Abi3t(Abi3tIs::Yes)),
            "no" | "n" => Ok(Filter::Abi3t(Abi3tIs::No)),
            v => v
                .parse::<Abi3t>()
                .map(|a| Filter::Abi3t(Abi3tIs::Exactly(a)))
                .map_err(|_| format!("'{word}': valid abi3t values are yes, no, available, opaque, unavailable")),
        },
        "ifdef" => text(value, "ifdef:").map(Filter::Ifdef),
        "returns" | "r" => value_lower
            .parse::<Returns>()
            .map(Filter::Returns)
            .map_err(|_| format!("'{word}': valid returns values are new, borrowed, null")),
        "header" | "h" => text(value, "header:").map(Filter::Header),
        _ => Err(format!(
            "'{word}': unknown filter '{key}:' (valid: kind:, tier:, since:, abi3t:, ifdef:, returns:, header:)"
        )),
    };
    Some(parsed)
}

fn since(value: &str) -> Option<Filter> {
    let (cmp, rest) = [
        ("<=", Cmp::Le),
        (">=", Cmp::Ge),
        ("<", Cmp::Lt),
        (">", Cmp::Gt),
        ("=", Cmp::Eq),
    ]
    .into_iter()
    .find_map(|(op, cmp)| value.strip_prefix(op).map(|rest| (cmp, rest)))
    .unwrap_or((Cmp::Eq, value));
    let v: Version = rest.parse().ok()?;
    (v.major == 3 && v.minor <= 99).then_some(Filter::Since(cmp, v))
}

fn contains_ignore_case(haystack: &str, needle_lower: &str) -> bool {
    haystack.to_ascii_lowercase().contains(needle_lower)
}

impl Filter {
    /// Whether the item passes.
    pub fn accepts(&self, item: &Item) -> bool {
        let name = item.name();
        match self {
            Filter::Kind(k) => item.kind == *k,
            Filter::Tier(t) => item.tier == *t,
            Filter::Since(cmp, v) => item.stable_since.is_some_and(|s| {
                let o = s.cmp(v);
                match cmp {
                    Cmp::Lt => o == Ordering::Less,
                    Cmp::Le => o != Ordering::Greater,
                    Cmp::Eq => o == Ordering::Equal,
                    Cmp::Ge => o != Ordering::Less,
                    Cmp::Gt => o == Ordering::Greater,
                }
            }),
            Filter::Abi3t(is) => {
                let yes = matches!(item.abi3t, Some(Abi3t::Available | Abi3t::Opaque));
                match is {
                    Abi3tIs::Yes => yes,
                    Abi3tIs::No => !yes,
                    Abi3tIs::Exactly(a) => item.abi3t == Some(*a),
                }
            }
            Filter::Ifdef(v) => item.ifdef.is_some_and(|i| {
                contains_ignore_case(i.feature(), v) || i.note().is_some_and(|n| contains_ignore_case(n, v))
            }),
            Filter::Returns(r) => item.returns == Some(*r),
            Filter::Header(h) => item.header().is_some_and(|path| contains_ignore_case(path, h)),
            Filter::Prefix(p) => {
                name.len() >= p.len() && name.is_char_boundary(p.len()) && name[..p.len()].eq_ignore_ascii_case(p)
            }
            Filter::Suffix(s) => {
                name.len() >= s.len()
                    && name.is_char_boundary(name.len() - s.len())
                    && name[name.len() - s.len()..].eq_ignore_ascii_case(s)
            }
            Filter::Exact(e) => contains_ignore_case(name, e),
            Filter::Not(n) => !contains_ignore_case(name, n),
        }
    }

    /// Character positions this filter shows as matched in `name`.
    pub fn positions(&self, name: &str) -> Vec<usize> {
        let lower = name.to_ascii_lowercase();
        let span = |start: usize, len: usize| -> Vec<usize> {
            let first = lower[..start].chars().count();
            (first..first + lower[start..start + len].chars().count()).collect()
        };
        match self {
            Filter::Prefix(p) if lower.starts_with(p.as_str()) => span(0, p.len()),
            Filter::Suffix(s) if lower.ends_with(s.as_str()) => span(lower.len() - s.len(), s.len()),
            Filter::Exact(e) => lower.find(e.as_str()).map(|at| span(at, e.len())).unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn ok(word: &str) -> Filter {
        parse(word).expect("a filter word").expect("valid")
    }

    fn err(word: &str) -> String {
        parse(word).expect("a filter word").expect_err("malformed")
    }

    #[test]
    fn parses_every_form() {
        assert_eq!(ok("kind:function"), Filter::Kind(Kind::Function));
        assert_eq!(ok("k:fn"), Filter::Kind(Kind::Function));
        assert_eq!(ok("tier:abi-only"), Filter::Tier(Tier::AbiOnly));
        assert_eq!(ok("since:3.10"), Filter::Since(Cmp::Eq, Version::new(3, 10)));
        assert_eq!(ok("since:<=3.10"), Filter::Since(Cmp::Le, Version::new(3, 10)));
        assert_eq!(ok("since:>3.12"), Filter::Since(Cmp::Gt, Version::new(3, 12)));
        assert_eq!(ok("abi3t:no"), Filter::Abi3t(Abi3tIs::No));
        assert_eq!(ok("ifdef:Windows"), Filter::Ifdef("windows".into()));
        assert_eq!(ok("returns:borrowed"), Filter::Returns(Returns::Borrowed));
        assert_eq!(ok("header:listobject"), Filter::Header("listobject".into()));
        assert_eq!(ok("^PyList"), Filter::Prefix("pylist".into()));
        assert_eq!(ok("Ref$"), Filter::Suffix("ref".into()));
        assert_eq!(ok("'GetItem"), Filter::Exact("getitem".into()));
        assert_eq!(ok("!GET"), Filter::Not("get".into()));
        assert!(parse("PyList").is_none());
    }

    #[test]
    fn malformed_words_say_what_is_valid() {
        assert!(err("kind:funtion").contains("function or fn"));
        assert!(err("since:3.x").contains("since:<=3.10"));
        assert!(err("since:<<3.1").contains("expected a version"));
        assert!(err("tier:stable").contains("abi-only"));
        assert!(err("abi3t:maybe").contains("unavailable"));
        assert!(err("returns:own").contains("borrowed"));
        assert!(err("colour:red").contains("unknown filter 'colour:'"));
        assert!(err("^").contains("needs some text"));
        assert!(err("header:").contains("needs some text"));
    }

    #[test]
    fn filters_match_the_facts() {
        let c = Catalog::embedded();
        let get = |n: &str| c.get(n).expect("in the catalog");
        assert!(ok("k:fn").accepts(get("PyList_New")));
        assert!(!ok("k:fn").accepts(get("PyList_GET_ITEM")));
        assert!(ok("since:<=3.11").accepts(get("PyBuffer_FillInfo")));
        assert!(!ok("since:<3.11").accepts(get("PyBuffer_FillInfo")));
        assert!(ok("ifdef:windows").accepts(get("PyErr_SetFromWindowsErr")));
        assert!(ok("ifdef:fork").accepts(get("PyOS_AfterFork_Child")));
        assert!(ok("abi3t:no").accepts(get("PyObject_HEAD")));
        assert!(ok("header:listobject").accepts(get("PyList_GET_ITEM")));
        assert!(ok("returns:borrowed").accepts(get("PyList_GetItem")));
        assert!(ok("Ref$").accepts(get("PyList_GetItemRef")) && !ok("!ref").accepts(get("PyList_GetItemRef")));
        assert_eq!(
            ok("'getitem").positions("PyList_GetItemRef"),
            vec![7, 8, 9, 10, 11, 12, 13]
        );
    }
}
