//! Ranked name search, shared by `abiscope search` and the explorer.
//!
//! Ranking, case-insensitive: the exact name first, then names that start
//! with the query, then everything else; within each class by
//! fuzzy-matcher's Skim score. Prefix matches of equal score group into
//! families (the name up to the next underscore), larger families first and
//! shortest names first within one. So `PyBuffer_` and `pybuf` both list the
//! whole `PyBuffer_*` family first.
//! Several space-separated terms must all match.
//!
//! Matched positions are computed only for the hits that are shown
//! ([`Hit::positions`]): scoring without indices is the cheap path over the
//! whole catalog, indices are needed for a screenful of rows.

use std::cmp::Reverse;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::catalog::Item;

/// How a hit matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchClass {
    Exact,
    Prefix,
    Fuzzy,
}

/// One search result: an index into the searched items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub index: usize,
    pub class: MatchClass,
    pub score: i64,
}

/// A parsed query: its fuzzy terms.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    text: String,
    terms: Vec<String>,
}

impl Query {
    pub fn parse(text: &str) -> Query {
        let terms = text.split_whitespace().map(str::to_string).collect();
        Query {
            text: text.trim().to_string(),
            terms,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn terms(&self) -> &[String] {
        &self.terms
    }
}

/// A reusable matcher (it keeps scratch buffers between calls).
pub struct Searcher {
    matcher: SkimMatcherV2,
}

impl Default for Searcher {
    fn default() -> Self {
        Searcher {
            matcher: SkimMatcherV2::default().ignore_case(),
        }
    }
}

impl Searcher {
    /// Every item matching the query, best first. An empty query matches
    /// everything in catalog order.
    pub fn search(&self, items: &[Item], query: &Query) -> Vec<Hit> {
        if query.is_empty() {
            return (0..items.len())
                .map(|index| Hit {
                    index,
                    class: MatchClass::Fuzzy,
                    score: 0,
                })
                .collect();
        }
        let mut hits: Vec<Hit> = items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| {
                self.score(item.name, query)
                    .map(|(class, score)| Hit { index, class, score })
            })
            .collect();
        // Prefix matches group into families: the name up to the first
        // underscore after the prefix (`PyBuffer_` for `pybuf`).
        let prefix_len = query.terms[0].len();
        let from = prefix_len.saturating_sub(1);
        let family = |name: &'_ str| -> usize {
            name.get(from..)
                .and_then(|rest| rest.find('_'))
                .map_or(name.len(), |at| from + at + 1)
        };
        let mut family_sizes: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for h in hits.iter().filter(|h| h.class == MatchClass::Prefix) {
            let name = items[h.index].name;
            *family_sizes.entry(&name[..family(name)]).or_default() += 1;
        }
        hits.sort_by_cached_key(|h| {
            let name = items[h.index].name;
            // Within a class the better score first (for `pybuf`, Skim scores the
            // camel-case `PyBuffer_*` above `PyBUF_*`); prefix matches then by
            // family, the largest first, and within a family shortest first.
            let (size, key, length) = if h.class == MatchClass::Prefix {
                let key = &name[..family(name)];
                (family_sizes.get(key).copied().unwrap_or(0), key, name.len())
            } else {
                (0, "", 0)
            };
            (h.class, Reverse(h.score), Reverse(size), key, length, name)
        });
        hits
    }

    /// How `name` matches, or `None` when some term does not.
    pub fn score(&self, name: &str, query: &Query) -> Option<(MatchClass, i64)> {
        let mut total = 0;
        for term in &query.terms {
            if !is_subsequence(term, name) {
                return None;
            }
            total += self.matcher.fuzzy_match(name, term)?;
        }
        let class = if name.eq_ignore_ascii_case(&query.text) {
            MatchClass::Exact
        } else if starts_with_ignore_case(name, &query.terms[0]) {
            MatchClass::Prefix
        } else {
            MatchClass::Fuzzy
        };
        Some((class, total))
    }

    /// Character positions in `name` that the query's terms matched, for
    /// highlighting. A prefix match highlights the prefix itself.
    pub fn positions(&self, name: &str, query: &Query) -> Vec<usize> {
        let mut out = Vec::new();
        for term in &query.terms {
            if starts_with_ignore_case(name, term) {
                out.extend(0..term.chars().count());
            } else if let Some((_, idx)) = self.matcher.fuzzy_indices(name, term) {
                out.extend(idx);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

fn starts_with_ignore_case(name: &str, prefix: &str) -> bool {
    name.len() >= prefix.len()
        && name.is_char_boundary(prefix.len())
        && name[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// A cheap rejection before scoring: every character of `term` appears in
/// `name` in order, ignoring ASCII case.
fn is_subsequence(term: &str, name: &str) -> bool {
    let mut chars = name.chars();
    term.chars().all(|t| chars.any(|c| c.eq_ignore_ascii_case(&t)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn names(query: &str, n: usize) -> Vec<&'static str> {
        let catalog = Catalog::embedded();
        let items = catalog.items();
        Searcher::default()
            .search(items, &Query::parse(query))
            .iter()
            .take(n)
            .map(|h| items[h.index].name)
            .collect()
    }

    #[test]
    fn exact_name_comes_first() {
        assert_eq!(names("PyList_New", 1), ["PyList_New"]);
        assert_eq!(names("pylist_new", 1), ["PyList_New"]);
    }

    #[test]
    fn a_prefix_lists_the_whole_family_first() {
        let catalog = Catalog::embedded();
        let family = catalog
            .items()
            .iter()
            .filter(|i| i.name.starts_with("PyBuffer_"))
            .count();
        for query in ["PyBuffer_", "pybuffer_"] {
            let hits = names(query, family);
            assert_eq!(hits.len(), family);
            assert!(hits.iter().all(|n| n.starts_with("PyBuffer_")), "{query}: {hits:?}");
        }
        let hits = names("pybuf", family);
        assert!(hits.iter().all(|n| n.starts_with("PyBuffer_")), "pybuf: {hits:?}");
    }

    #[test]
    fn all_terms_must_match() {
        let hits = names("list item", 50);
        assert!(!hits.is_empty());
        for n in &hits {
            let lower = n.to_lowercase();
            assert!(is_subsequence("list", &lower) && is_subsequence("item", &lower), "{n}");
        }
        assert!(hits.contains(&"PyList_GetItem"));
    }

    #[test]
    fn nothing_matches_gibberish() {
        assert!(names("zzqqxx", 5).is_empty());
    }

    #[test]
    fn positions_cover_the_prefix_or_the_fuzzy_match() {
        let s = Searcher::default();
        assert_eq!(
            s.positions("PyBuffer_FillInfo", &Query::parse("pybuf")),
            vec![0, 1, 2, 3, 4]
        );
        let fuzzy = s.positions("PyList_GetItem", &Query::parse("lgi"));
        assert_eq!(fuzzy.len(), 3);
        assert_eq!(
            fuzzy
                .iter()
                .map(|&i| "PyList_GetItem".as_bytes()[i].to_ascii_lowercase())
                .collect::<Vec<_>>(),
            b"lgi"
        );
    }

    #[test]
    fn subsequence_handles_unicode_without_panicking() {
        assert!(!is_subsequence("é", "PyList"));
        assert!(!starts_with_ignore_case("Py", "Pé"));
        assert!(is_subsequence("", "x"));
    }
}
