//! Ranked name search, shared by `abiscope search` and the explorer.
//!
//! Smart case, as in fzf: a query in lower case matches any case, one with
//! an upper-case letter matches case exactly. Ranking: the exact name
//! first, then names that start with the query, then everything else.
//! Among the rest, public names before private ones (`_Py_IncRef` after
//! `Py_INCREF`), family heads before whole words before the others (for
//! `list`: the `PyList_*` family, then `PySequence_List`, then fuzzy
//! matches like `PyConfig_SetWideStringList`), then by fuzzy-matcher's
//! Skim score. Among prefix matches, by Skim score. Prefix matches of equal score group into
//! families (the name up to the next underscore), larger families first and
//! shortest names first within one. So `PyBuffer_` and `pybuf` both list the
//! whole `PyBuffer_*` family first.
//! Several space-separated terms must all match.
//!
//! Matched positions are computed only for the hits that are shown
//! ([`Searcher::positions`]): scoring without indices is the cheap path over the
//! whole catalog, indices are needed for a screenful of rows.

use std::cmp::Reverse;
use std::collections::HashMap;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::catalog::{Catalog, Item, Names};
use crate::filter::{self, Filter};

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

/// A parsed query: its fuzzy terms, its filter words, and the words that
/// were meant as filters but are malformed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// The fuzzy terms joined by single spaces (what an exact match equals).
    text: String,
    terms: Vec<String>,
    /// Smart case: a term has an upper-case letter.
    case_sensitive: bool,
    filters: Vec<Filter>,
    errors: Vec<String>,
}

/// At most this many distinct terms are searched: each costs a pass over
/// the names, and no C name needs more words to find it.
pub const MAX_TERMS: usize = 16;

impl Query {
    pub fn parse(text: &str) -> Query {
        let mut query = Query::default();
        for word in text.split_whitespace() {
            match filter::parse(word) {
                Some(Ok(f)) => query.filters.push(f),
                Some(Err(e)) => query.errors.push(e),
                // A repeated term adds nothing: every term must match.
                None if query.terms.iter().any(|t| t == word) => {}
                None if query.terms.len() == MAX_TERMS => {
                    if query.errors.is_empty() {
                        query.errors.push(format!(
                            "at most {MAX_TERMS} different words are searched; '{word}' and the rest are not"
                        ));
                    }
                }
                None => query.terms.push(word.to_string()),
            }
        }
        query.text = query.terms.join(" ");
        query.case_sensitive = query.text.chars().any(char::is_uppercase);
        query
    }

    /// No fuzzy term and no filter: everything matches.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.filters.is_empty()
    }

    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    pub fn filters(&self) -> &[Filter] {
        &self.filters
    }

    /// Messages for the malformed filter words.
    pub fn errors(&self) -> &[String] {
        &self.errors
    }

    /// Whether an item passes every filter.
    pub fn accepts(&self, item: &Item) -> bool {
        self.filters.iter().all(|f| f.accepts(item))
    }
}

/// A reusable matcher (it keeps scratch buffers between calls).
pub struct Searcher {
    matcher: SkimMatcherV2,
    /// For queries with an upper-case letter.
    exact_case: SkimMatcherV2,
}

impl Default for Searcher {
    fn default() -> Self {
        Searcher {
            matcher: SkimMatcherV2::default().ignore_case(),
            exact_case: SkimMatcherV2::default().respect_case(),
        }
    }
}

/// Hits in ranking order, where some may not be ordered yet:
/// `hits[..ranked]` are in their final order, `hits[ranked..]` are not
/// (the rest of the exact and prefix matches in no order, then the fuzzy
/// matches unscored, in catalog order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ranking {
    pub hits: Vec<Hit>,
    pub ranked: usize,
}

impl Searcher {
    /// Every item matching the query, best first. An empty query matches
    /// everything in catalog order.
    pub fn search(&self, catalog: &Catalog, query: &Query) -> Vec<Hit> {
        self.search_among(catalog, 0..catalog.items().len(), query)
    }

    /// Like [`Searcher::search`], over some items only (by index). While a
    /// query grows, only the previous query's hits can still match, so the
    /// explorer searches among those.
    pub fn search_among(
        &self,
        catalog: &Catalog,
        candidates: impl IntoIterator<Item = usize>,
        query: &Query,
    ) -> Vec<Hit> {
        self.rank(catalog, candidates, query, usize::MAX).hits
    }

    /// Ranks the matches among `candidates`, the first `enough` at least.
    /// The fuzzy matches are scored (the costly part) only when fewer than
    /// `enough` exact and prefix matches come before them, and of more
    /// exact and prefix matches only the first `enough` are ordered; the
    /// rest waits for [`Searcher::finish`], which the explorer calls once
    /// the user scrolls that far. Counts are exact either way.
    pub fn rank(
        &self,
        catalog: &Catalog,
        candidates: impl IntoIterator<Item = usize>,
        query: &Query,
        enough: usize,
    ) -> Ranking {
        let items = catalog.items();
        let names = catalog.names();
        if query.terms.is_empty() {
            let hits: Vec<Hit> = candidates
                .into_iter()
                .filter(|&index| query.accepts(&items[index]))
                .map(|index| Hit {
                    index,
                    class: MatchClass::Fuzzy,
                    score: 0,
                })
                .collect();
            return Ranking {
                ranked: hits.len(),
                hits,
            };
        }
        let mut head = Vec::new();
        let mut fuzzy = Vec::new();
        // The first term's score depends on the prefix region only, which
        // few names differ in while most match (`Py` for `p`); names come in
        // order, so the same region mostly comes again at once.
        let mut region_scores: HashMap<&str, i64> = HashMap::new();
        let mut last: Option<(&str, i64)> = None;
        for index in candidates {
            let name = names.get(index);
            let case = query.case_sensitive;
            if !query.terms.iter().all(|t| is_subsequence(t, name, case)) || !query.accepts(&items[index]) {
                continue;
            }
            if starts_with(name, &query.terms[0], case) {
                let class = if name.eq_ignore_ascii_case(&query.text) {
                    MatchClass::Exact
                } else {
                    MatchClass::Prefix
                };
                let region = prefix_region(name, query.terms[0].len());
                let first = match last {
                    Some((seen, score)) if seen == region => score,
                    _ => {
                        let score = *region_scores
                            .entry(region)
                            .or_insert_with(|| self.matcher(query).fuzzy_match(region, &query.terms[0]).unwrap_or(0));
                        last = Some((region, score));
                        score
                    }
                };
                head.push(Hit {
                    index,
                    class,
                    score: first + self.other_terms_score(name, query),
                });
            } else {
                fuzzy.push(Hit {
                    index,
                    class: MatchClass::Fuzzy,
                    score: 0,
                });
            }
        }
        let ranked = sort_head(names, &mut head, query, enough);
        head.append(&mut fuzzy);
        let mut ranking = Ranking { hits: head, ranked };
        if ranked < enough {
            self.finish(catalog, query, &mut ranking);
        }
        ranking
    }

    fn matcher(&self, query: &Query) -> &SkimMatcherV2 {
        if query.case_sensitive {
            &self.exact_case
        } else {
            &self.matcher
        }
    }

    /// Orders what a [`Searcher::rank`] left: the rest of the exact and
    /// prefix matches, then the fuzzy matches, scored and ordered public
    /// first, then family heads, then whole words, then by score.
    pub fn finish(&self, catalog: &Catalog, query: &Query, ranking: &mut Ranking) {
        let names = catalog.names();
        let head = ranking
            .hits
            .iter()
            .rposition(|h| h.class != MatchClass::Fuzzy)
            .map_or(0, |last| last + 1);
        if ranking.ranked < head {
            sort_head(names, &mut ranking.hits[..head], query, usize::MAX);
        }
        let rest = &mut ranking.hits[head.max(ranking.ranked)..];
        for hit in rest.iter_mut() {
            let name = names.get(hit.index);
            hit.score = query
                .terms
                .iter()
                .filter_map(|t| self.matcher(query).fuzzy_match(name, t))
                .sum();
        }
        rest.sort_by_cached_key(|h| {
            let name = names.get(h.index);
            let fit = query
                .terms
                .iter()
                .map(|t| word_fit(name, t))
                .min()
                .unwrap_or(WordFit::None);
            (name.starts_with('_'), fit, Reverse(h.score), name.len(), h.index)
        });
        ranking.ranked = ranking.hits.len();
    }

    /// The Skim score of a prefix match is its first term's score on the
    /// prefix and the character after it only (Skim aligns it at the start
    /// anyway, and its score there, word and camel-case bonuses, is what
    /// orders a family like `PyBuffer_*` before `PyBUF_*`; scoring the whole
    /// name would cost several times more on the first keystrokes, when
    /// nearly every name matches), plus this: the other terms' scores on the
    /// whole name.
    fn other_terms_score(&self, name: &str, query: &Query) -> i64 {
        query.terms[1..]
            .iter()
            .filter_map(|term| self.matcher(query).fuzzy_match(name, term))
            .sum()
    }

    /// Character positions in `name` that the query's terms matched, for
    /// highlighting. A prefix match highlights the prefix itself.
    pub fn positions(&self, name: &str, query: &Query) -> Vec<usize> {
        let mut out = Vec::new();
        for term in &query.terms {
            if starts_with(name, term, query.case_sensitive) {
                out.extend(0..term.chars().count());
            } else if let Some((_, idx)) = self.matcher(query).fuzzy_indices(name, term) {
                out.extend(idx);
            }
        }
        for f in &query.filters {
            out.extend(f.positions(name));
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Orders exact and prefix matches: exact first; then by Skim score (for
/// `pybuf`, the camel-case `PyBuffer_*` scores above `PyBUF_*`); then by
/// family, the name up to the first underscore after the prefix, largest
/// family first; within a family shortest first; the name last. Items are
/// sorted by name, so a family's members are adjacent and the index of its
/// first member orders families as their names would.
///
/// When there are more than `enough`, only the first `enough` are put in
/// their final order (the first keys match nearly every name, and a screen
/// shows a few dozen); the others follow in no order, and sorting the
/// whole slice again later gives the same first ones. Returns how many are
/// in their final order.
fn sort_head(names: Names, head: &mut [Hit], query: &Query, enough: usize) -> usize {
    let from = query.terms[0].len().saturating_sub(1);
    let family_len = |name: &str| -> usize {
        name.get(from..)
            .and_then(|rest| rest.find('_'))
            .map_or(name.len(), |at| from + at + 1)
    };
    head.sort_unstable_by_key(|h| h.index);
    // Families are runs of adjacent hits; each hit's key names its run's
    // first index and size.
    let mut keyed = Vec::with_capacity(head.len());
    let mut start = 0;
    while start < head.len() {
        let first = names.get(head[start].index);
        let family = &first[..family_len(first)];
        let end = head[start + 1..]
            .iter()
            .position(|h| {
                let name = names.get(h.index);
                !(name.starts_with(family) && family_len(name) == family.len())
            })
            .map_or(head.len(), |k| start + 1 + k);
        for h in &head[start..end] {
            let key = (
                h.class,
                Reverse(h.score),
                Reverse(end - start),
                head[start].index,
                names.get(h.index).len(),
                h.index,
            );
            keyed.push((key, *h));
        }
        start = end;
    }
    // Keys are unique (the index is in them): an unstable sort is exact.
    let sorted = if keyed.len() > enough {
        keyed.select_nth_unstable_by_key(enough, |k| k.0);
        keyed[..enough].sort_unstable_by_key(|k| k.0);
        enough
    } else {
        keyed.sort_unstable_by_key(|k| k.0);
        keyed.len()
    };
    for (slot, (_, hit)) in head.iter_mut().zip(keyed) {
        *slot = hit;
    }
    sorted
}

/// The first `len` bytes of `name` and the character after them.
fn prefix_region(name: &str, len: usize) -> &str {
    let end = name[len..].chars().next().map_or(name.len(), |c| len + c.len_utf8());
    &name[..end]
}

fn starts_with(name: &str, prefix: &str, case: bool) -> bool {
    name.len() >= prefix.len()
        && name.is_char_boundary(prefix.len())
        && if case {
            name.starts_with(prefix)
        } else {
            name[..prefix.len()].eq_ignore_ascii_case(prefix)
        }
}

/// A cheap rejection before scoring: every character of `term` appears in
/// `name` in order (ignoring ASCII case unless `case`).
fn is_subsequence(term: &str, name: &str, case: bool) -> bool {
    let mut chars = name.chars();
    term.chars()
        .all(|t| chars.any(|c| if case { c == t } else { c.eq_ignore_ascii_case(&t) }))
}

/// How well a term fits a name's words, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum WordFit {
    /// The name's family: `Py` + term + `_` (`list` → `PyList_New`), or
    /// the whole name after the `Py_` prefix (`incref` → `Py_INCREF`).
    Family,
    /// A whole word of the name, between underscores or at a capital
    /// (`list` → `PySequence_List`).
    Word,
    None,
}

fn word_fit(name: &str, term: &str) -> WordFit {
    let eq = |a: &str| a.eq_ignore_ascii_case(term);
    let bare = name.trim_start_matches('_');
    let after = bare
        .strip_prefix("Py_")
        .or_else(|| bare.strip_prefix("Py"))
        .unwrap_or(bare);
    let family = after.split('_').next().unwrap_or(after);
    if eq(family) || eq(after) {
        return WordFit::Family;
    }
    // Words: split at underscores, then at each capital after a small letter.
    let mut words: Vec<&str> = Vec::new();
    for part in name.split('_').filter(|p| !p.is_empty()) {
        let mut start = 0;
        let bytes = part.as_bytes();
        for i in 1..bytes.len() {
            if bytes[i].is_ascii_uppercase() && bytes[i - 1].is_ascii_lowercase() {
                words.push(&part[start..i]);
                start = i;
            }
        }
        words.push(&part[start..]);
    }
    if words.iter().any(|w| eq(w)) {
        WordFit::Word
    } else {
        WordFit::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn names(query: &str, n: usize) -> Vec<&'static str> {
        let catalog = Catalog::embedded();
        let items = catalog.items();
        Searcher::default()
            .search(&catalog, &Query::parse(query))
            .iter()
            .take(n)
            .map(|h| items[h.index].name())
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
            .filter(|i| i.name().starts_with("PyBuffer_"))
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
            assert!(
                is_subsequence("list", &lower, false) && is_subsequence("item", &lower, false),
                "{n}"
            );
        }
        assert!(hits.contains(&"PyList_GetItem"));
    }

    #[test]
    fn searching_among_the_previous_hits_gives_the_same_result() {
        let catalog = Catalog::embedded();
        let s = Searcher::default();
        let before = s.search(&catalog, &Query::parse("pybu"));
        let narrowed = s.search_among(&catalog, before.iter().map(|h| h.index), &Query::parse("pybuf"));
        assert_eq!(narrowed, s.search(&catalog, &Query::parse("pybuf")));
    }

    #[test]
    fn a_lazy_ranking_finishes_in_the_same_order() {
        let catalog = Catalog::embedded();
        let items = catalog.items();
        let s = Searcher::default();
        // `p` and `py` match over 2,000 names by prefix, `pyb` a few dozen.
        for q in ["p", "py", "pyb", "list item", "lgi"] {
            let query = Query::parse(q);
            let full = s.search(&catalog, &query);
            for enough in [1, 64] {
                let mut lazy = s.rank(&catalog, 0..items.len(), &query, enough);
                assert!(lazy.ranked >= enough.min(full.len()) && lazy.ranked <= lazy.hits.len());
                assert_eq!(
                    lazy.hits[..lazy.ranked],
                    full[..lazy.ranked],
                    "{q}: what is ordered is final"
                );
                s.finish(&catalog, &query, &mut lazy);
                assert_eq!(lazy.hits, full, "{q}");
            }
        }
    }

    #[test]
    fn public_names_family_heads_and_whole_words_come_first() {
        let incref = names("incref", 6);
        let public = incref.iter().position(|n| *n == "Py_INCREF").expect("Py_INCREF");
        let private = incref.iter().position(|n| *n == "_Py_IncRef").expect("_Py_IncRef");
        assert!(public < private, "{incref:?}");
        assert!(
            incref[..2].contains(&"Py_IncRef") && incref[..2].contains(&"Py_INCREF"),
            "{incref:?}"
        );
        let list = names("list", 40);
        let family = list.iter().take_while(|n| n.starts_with("PyList_")).count();
        assert!(family >= 10, "{list:?}");
        assert!(list[family..].contains(&"PySequence_List"), "{list:?}");
        assert_eq!(names("dict", 1), ["PyDict_New"]);
    }

    #[test]
    fn smart_case_as_in_fzf() {
        let exact = names("INCREF", 10);
        assert!(
            exact.contains(&"Py_INCREF") && !exact.contains(&"Py_IncRef"),
            "{exact:?}"
        );
        assert!(names("incref", 10).contains(&"Py_IncRef"));
        assert_eq!(names("PyList_New", 1), ["PyList_New"]);
        assert!(names("pylist_new", 1) == ["PyList_New"]);
    }

    #[test]
    fn repeated_terms_count_once_and_terms_are_bounded() {
        let q = Query::parse(&"py ".repeat(500));
        assert_eq!(q.terms(), ["py"]);
        assert!(q.errors().is_empty());
        let many: Vec<String> = (0..40).map(|n| format!("w{n}")).collect();
        let q = Query::parse(&many.join(" "));
        assert_eq!(q.terms().len(), MAX_TERMS);
        assert!(q.errors()[0].contains("at most 16"), "{:?}", q.errors());
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
        assert!(!is_subsequence("é", "PyList", false));
        assert!(!starts_with("Py", "Pé", false));
        assert!(is_subsequence("", "x", true));
    }
}
