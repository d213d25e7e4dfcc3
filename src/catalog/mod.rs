//! The embedded catalog: every public C API name of the releases read
//! (3.9 to 3.15: documented, or declared by the public headers), every
//! Stable ABI manifest item, and the private names the release notes and
//! the migration table name, with the facts abiscope knows about each.
//!
//! `build.rs` compiles `assets/catalog.toml` into the static arrays included
//! below, sorted by name, so looking up the catalog costs nothing at
//! start-up and a name lookup is a binary search. The enums and `Version`
//! come from `schema.rs`, which the generator and `build.rs` share.

pub mod headers;
pub mod migrations;
pub mod schema;

use std::cmp::Ordering;

pub use schema::{Abi3t, Kind, Returns, StructKind, ThreadSafety, Tier, Version};

/// Where the catalog's facts come from.
#[derive(Debug, Clone, Copy)]
pub struct Source {
    /// The Stable ABI manifest, e.g. `abi3info 2026.9.25`.
    pub manifest: &'static str,
    /// The Python release of the docs and headers, e.g. `3.15.2`.
    pub python: &'static str,
    /// Every release read, oldest first (`3.9.2` ... `3.15.2`).
    pub releases: &'static [&'static str],
}

impl Source {
    /// The releases read as `major.minor` versions, oldest first.
    pub fn release_versions(&self) -> Vec<Version> {
        self.releases
            .iter()
            .filter_map(|r| {
                let mut parts = r.split('.');
                format!("{}.{}", parts.next()?, parts.next()?).parse().ok()
            })
            .collect()
    }
}

/// A section of the C API reference's table of contents.
#[derive(Debug, Clone, Copy)]
pub struct Section {
    path: Text,
    url: Option<Text>,
    /// The index of the section this one is under (`None` at the top).
    pub parent: Option<u16>,
}

impl Section {
    /// Titles from the root down, joined by `" > "`.
    pub fn path(&self) -> &'static str {
        self.path.get()
    }

    /// Page and anchor under [`DOCS_BASE`] (`None` for a node that only
    /// gathers other sections).
    pub fn url(&self) -> Option<&'static str> {
        self.url.map(Text::get)
    }
}

/// Where the online documentation lives; section URLs are relative to it.
pub const DOCS_BASE: &str = "https://docs.python.org/3/";

/// A documentation URL split into the release it names (`None` for the
/// current docs under [`DOCS_BASE`]) and the page path with its anchor.
/// Names the 3.15 docs no longer describe link to the last release's
/// docs that did (`https://docs.python.org/3.11/c-api/unicode.html#...`).
pub fn doc_path(url: &str) -> Option<(Option<Version>, &str)> {
    if let Some(rel) = url.strip_prefix(DOCS_BASE) {
        return Some((None, rel));
    }
    let rest = url.strip_prefix("https://docs.python.org/")?;
    let (version, rel) = rest.split_once('/')?;
    Some((Some(version.parse().ok()?), rel))
}

/// The lowest and highest Stable ABI versions the catalog knows.
pub const FIRST_STABLE: Version = Version::new(3, 2);

/// What the 3.15.2 headers declare for a Stable ABI target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exposed {
    /// The lowest `Py_LIMITED_API` version that declares the name.
    pub abi3: Option<Version>,
    /// Declared under `Py_TARGET_ABI3T=0x030F0000`.
    pub abi3t: bool,
}

/// A platform condition from the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ifdef {
    feature: Text,
    note: Option<Text>,
}

impl Ifdef {
    /// The feature macro, e.g. `MS_WINDOWS`.
    pub fn feature(&self) -> &'static str {
        self.feature.get()
    }

    /// Where the item exists, e.g. "on Windows".
    pub fn note(&self) -> Option<&'static str> {
        self.note.map(Text::get)
    }
}

/// A struct member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    name: Text,
    ctype: Option<Text>,
    /// Part of the Stable ABI (the struct is `full`, or lists this member).
    pub stable: bool,
}

impl Member {
    pub fn name(&self) -> &'static str {
        self.name.get()
    }

    pub fn ctype(&self) -> Option<&'static str> {
        self.ctype.map(Text::get)
    }
}

/// One catalog entry. Absent facts are `None` or empty. Its texts and
/// lists are read through methods: the table holds their places in the
/// catalog's text and lists, not pointers (see [`Text`]).
#[derive(Debug, Clone, Copy)]
pub struct Item {
    name: Text,
    pub kind: Kind,
    pub tier: Tier,
    pub stable_since: Option<Version>,
    pub exposed: Exposed,
    /// For functions: the first `Py_LIMITED_API` at which the headers give
    /// it as a macro or `static inline` function, which needs no exported
    /// symbol (`Py_TYPE` before 3.14).
    pub inline_abi3: Option<Version>,
    pub ifdef: Option<Ifdef>,
    pub abi3t: Option<Abi3t>,
    pub struct_kind: Option<StructKind>,
    members: Span,
    signature: Option<Text>,
    docs_signature: Option<Text>,
    pub returns: Option<Returns>,
    /// `returns` is inferred (from the entry's prose or the naming
    /// convention), not a "Return value:" annotation of the docs.
    pub returns_inferred: bool,
    pub thread_safety: Option<ThreadSafety>,
    header: Option<Text>,
    /// The first and last of the releases read (3.9, 3.11, 3.13, 3.14,
    /// 3.15) whose headers or docs have the name.
    pub first_seen: Option<Version>,
    pub last_seen: Option<Version>,
    pub added_in: Option<Version>,
    changed_in: Span,
    pub deprecated_in: Option<Version>,
    pub soft_deprecated_in: Option<Version>,
    /// The release whose headers no longer have it: set only for names
    /// the 3.15 headers and docs lack.
    pub removed_in: Option<Version>,
    /// A removal the docs or release notes announce that the 3.15 headers
    /// have not carried out (`Py_DebugFlag`: 3.15).
    pub removal_announced: Option<Version>,
    replacements: Span,
    section: Option<Text>,
    doc_url: Option<Text>,
    see_also: Span,
    notes: Span,
}

impl Item {
    pub fn name(&self) -> &'static str {
        self.name.get()
    }

    pub fn members(&self) -> &'static [Member] {
        self.members.of(&data::MEMBERS)
    }

    pub fn signature(&self) -> Option<&'static str> {
        self.signature.map(Text::get)
    }

    /// The documented signature where the headers disagree with it.
    pub fn docs_signature(&self) -> Option<&'static str> {
        self.docs_signature.map(Text::get)
    }

    pub fn header(&self) -> Option<&'static str> {
        self.header.map(Text::get)
    }

    pub fn changed_in(&self) -> &'static [Version] {
        self.changed_in.of(&data::VERSIONS)
    }

    /// What to use instead, from the docs' deprecation notes and the
    /// release notes (catalog names).
    pub fn replacements(&self) -> Texts {
        Texts(self.replacements.of(&data::TEXTS))
    }

    /// The path of the section the docs file it under.
    pub fn section(&self) -> Option<&'static str> {
        self.section.map(Text::get)
    }

    pub fn doc_url(&self) -> Option<&'static str> {
        self.doc_url.map(Text::get)
    }

    pub fn see_also(&self) -> Texts {
        Texts(self.see_also.of(&data::TEXTS))
    }

    /// Disagreements between the inputs, one sentence each.
    pub fn notes(&self) -> Texts {
        Texts(self.notes.of(&data::TEXTS))
    }

    /// Part of the Stable ABI (Limited API or ABI-only).
    pub fn is_stable_abi(&self) -> bool {
        matches!(self.tier, Tier::Limited | Tier::AbiOnly)
    }

    /// Gone from the C API: the 3.15 headers and docs lack it (a Stable ABI
    /// symbol may still be exported for old binaries).
    pub fn is_removed(&self) -> bool {
        self.removed_in.is_some()
    }

    /// Deprecated (not only soft-deprecated), or already removed.
    pub fn is_deprecated(&self) -> bool {
        self.deprecated_in.is_some() || self.is_removed()
    }
}

#[allow(clippy::unreadable_literal)] // generated places in the text and lists
mod data {
    use super::{
        Abi3t, Exposed, Ifdef, Item, Kind, Member, Returns, Section, Source, Span, StructKind, Text, ThreadSafety,
        Tier, Version,
    };
    include!(concat!(env!("OUT_DIR"), "/catalog_data.rs"));
}

/// A string of the catalog: its place in one text that holds them all.
/// The tables `build.rs` generates hold places, not pointers, so the
/// loader has nothing to relocate in them at start-up (pointers made
/// every page of the items a private copy before `main`) and only the
/// pages a lookup reads are loaded.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Text {
    start: u32,
    len: u32,
}

impl Text {
    pub(crate) const fn new(start: u32, len: u32) -> Text {
        Text { start, len }
    }

    pub fn get(self) -> &'static str {
        let start = self.start as usize;
        &data::TEXT[start..start + self.len as usize]
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

/// A run of one of the catalog's lists (an item's members, versions,
/// names or notes), by its place in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    start: u32,
    len: u32,
}

impl Span {
    pub(crate) const fn new(start: u32, len: u32) -> Span {
        Span { start, len }
    }

    pub(crate) fn of<T>(self, list: &'static [T]) -> &'static [T] {
        let start = self.start as usize;
        &list[start..start + self.len as usize]
    }
}

/// Strings of the catalog, in order: an item's replacements, see-also
/// names or notes.
#[derive(Clone, Copy)]
pub struct Texts(&'static [Text]);

impl Texts {
    pub fn iter(self) -> impl DoubleEndedIterator<Item = &'static str> + ExactSizeIterator + Clone {
        self.0.iter().map(|t| t.get())
    }

    pub fn len(self) -> usize {
        self.0.len()
    }

    pub fn is_empty(self) -> bool {
        self.0.is_empty()
    }

    pub fn first(self) -> Option<&'static str> {
        self.0.first().map(|t| t.get())
    }

    pub fn to_vec(self) -> Vec<&'static str> {
        self.iter().collect()
    }
}

impl std::fmt::Debug for Texts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl IntoIterator for Texts {
    type Item = &'static str;
    type IntoIter = std::iter::Map<std::slice::Iter<'static, Text>, fn(&Text) -> &'static str>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|t| t.get())
    }
}

/// The catalog: items sorted by name, and the table of contents.
#[derive(Debug, Clone, Copy)]
pub struct Catalog {
    items: &'static [Item],
    sections: &'static [Section],
    /// The index in `sections` of each item's `section`.
    item_sections: &'static [Option<u16>],
    names: Names,
    source: &'static Source,
}

/// The items' names, in item order, side by side in one string: what the
/// search scans on every keystroke, kept together so that the scan reads
/// one run of memory instead of every item's record.
#[derive(Debug, Clone, Copy)]
pub struct Names {
    text: &'static str,
    /// Where each name ends in `text`; the previous one's end is its start.
    ends: &'static [u32],
}

impl Names {
    /// The name of the item at `index`.
    pub fn get(&self, index: usize) -> &'static str {
        let start = index.checked_sub(1).map_or(0, |i| self.ends[i] as usize);
        &self.text[start..self.ends[index] as usize]
    }

    /// Every name, in item order.
    pub fn iter(&self) -> impl Iterator<Item = &'static str> + use<> {
        let text = self.text;
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(move |(start, end)| &text[start as usize..end as usize])
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

impl Catalog {
    /// The catalog compiled into this binary.
    pub fn embedded() -> Catalog {
        Catalog {
            items: &data::ITEMS,
            sections: &data::SECTIONS,
            item_sections: &data::ITEM_SECTIONS,
            names: Names {
                // The names start the catalog's text, in item order.
                text: &data::TEXT[..data::NAME_ENDS.last().map_or(0, |&end| end as usize)],
                ends: &data::NAME_ENDS,
            },
            source: &data::SOURCE,
        }
    }

    pub fn items(&self) -> &'static [Item] {
        self.items
    }

    /// The items' names, for scanning them all.
    pub fn names(&self) -> Names {
        self.names
    }

    pub fn sections(&self) -> &'static [Section] {
        self.sections
    }

    /// The index in [`Catalog::sections`] of the section the item at
    /// `index` is filed under.
    pub fn section_of(&self, index: usize) -> Option<usize> {
        self.item_sections.get(index).copied().flatten().map(usize::from)
    }

    pub fn source(&self) -> &'static Source {
        self.source
    }

    /// The item with exactly this name. Case counts: `PyThreadState_GET`
    /// (a macro) and `PyThreadState_Get` (a function) are different items.
    pub fn get(&self, name: &str) -> Option<&'static Item> {
        self.index_of(name).map(|i| &self.items[i])
    }

    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.items.binary_search_by(|i| i.name().cmp(name)).ok()
    }

    /// Up to `n` names close to an unknown one, closest first: names that
    /// contain it, then names within a small edit distance.
    pub fn closest(&self, name: &str, n: usize) -> Vec<&'static str> {
        let wanted = name.to_ascii_lowercase();
        let limit = (wanted.len() / 3).max(2);
        let mut scored: Vec<(usize, &'static str)> = self
            .items
            .iter()
            .filter_map(|i| {
                let lower = i.name().to_ascii_lowercase();
                if lower.contains(&wanted) {
                    return Some((0, i.name()));
                }
                let d = edit_distance(&wanted, &lower, limit)?;
                Some((d, i.name()))
            })
            .collect();
        scored.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.len().cmp(&b.1.len())).then(a.1.cmp(b.1)));
        scored.into_iter().take(n).map(|(_, name)| name).collect()
    }
}

/// Levenshtein distance, or `None` once it must exceed `limit`.
fn edit_distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            row[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(row[j] + 1);
        }
        if row.iter().min().is_some_and(|&m| m > limit) {
            return None;
        }
        std::mem::swap(&mut prev, &mut row);
    }
    let d = prev[b.len()];
    (d <= limit).then_some(d)
}

/// Orders versions, with `None` (unknown) last.
pub fn cmp_optional_version(a: Option<Version>, b: Option<Version>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_edits_and_gives_up_past_the_limit() {
        assert_eq!(edit_distance("pybuffer", "pybufer", 2), Some(1));
        assert_eq!(edit_distance("abc", "abc", 0), Some(0));
        assert_eq!(edit_distance("kitten", "sitting", 3), Some(3));
        assert_eq!(edit_distance("kitten", "sitting", 2), None);
    }

    #[test]
    fn names_that_differ_only_in_case_are_different_items() {
        let c = Catalog::embedded();
        assert_eq!(c.get("PyThreadState_GET").map(|i| i.kind), Some(Kind::Macro));
        assert_eq!(c.get("PyThreadState_Get").map(|i| i.kind), Some(Kind::Function));
        assert!(c.get("pybuffer_fillinfo").is_none());
        assert_eq!(c.closest("pybuffer_fillinfo", 1), ["PyBuffer_FillInfo"]);
    }

    #[test]
    fn the_names_table_names_each_item() {
        let c = Catalog::embedded();
        assert_eq!(c.names().len(), c.items().len());
        assert_eq!(c.names().iter().count(), c.items().len());
        for ((index, item), name) in c.items().iter().enumerate().zip(c.names().iter()) {
            assert_eq!(c.names().get(index), item.name());
            assert_eq!(name, item.name());
        }
    }
}
