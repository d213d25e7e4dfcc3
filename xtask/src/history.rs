//! A name's history across the releases: the releases that have it, when
//! it was added, deprecated and removed, and what to use instead.
//!
//! The headers are the ground truth for existence; the docs' version notes
//! and the What's New pages only date what the headers bracket. A name the
//! 3.9 headers lack and the 3.11 headers have was added in 3.10 or 3.11:
//! a docs note or a What's New entry in that range decides which, and one
//! outside it ("Added in 3.4" on a group, a section note about prose) is
//! set aside with a note. Where nothing decides, the later release stands,
//! with a note naming both. Removal works the same way from the last
//! release that has the name; a removal the docs announce for a release
//! whose headers still declare the name is kept apart as
//! `removal_announced`, never as `removed_in`.

use std::collections::BTreeSet;

use crate::docs::DocEntry;
use crate::releases::Release;
use crate::schema::Version;
use crate::whatsnew::{Change, WhatsNew};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// The releases that have the name, oldest first.
    pub seen: Vec<Version>,
    pub added_in: Option<Version>,
    pub deprecated_in: Option<Version>,
    pub soft_deprecated_in: Option<Version>,
    pub removed_in: Option<Version>,
    /// A removal the docs or release notes announce that has not happened
    /// in the newest headers.
    pub removal_announced: Option<Version>,
    /// What to use instead, from the docs' deprecation notes and the
    /// release notes, best first.
    pub replacements: Vec<String>,
    pub notes: Vec<String>,
}

impl History {
    pub fn first_seen(&self) -> Option<Version> {
        self.seen.first().copied()
    }

    pub fn last_seen(&self) -> Option<Version> {
        self.seen.last().copied()
    }
}

pub struct Timeline<'a> {
    /// Oldest first; the last is the newest release.
    pub releases: &'a [Release],
    pub whatsnew: &'a WhatsNew,
}

/// The versions after `after` up to `upto`, or `None` when nothing is known
/// before `upto` (the oldest release).
fn range(after: Option<Version>, upto: Version) -> Option<Vec<Version>> {
    let after = after?;
    Some(
        (after.minor + 1..=upto.minor)
            .map(|m| Version::new(upto.major, m))
            .collect(),
    )
}

fn either(range: &[Version]) -> String {
    range.iter().map(ToString::to_string).collect::<Vec<_>>().join(" or ")
}

impl Timeline<'_> {
    fn newest(&self) -> Version {
        self.releases.last().map_or(Version::new(3, 15), |r| r.version)
    }

    /// The docs entries of `name`, newest release first.
    pub fn doc_entries(&self, name: &str) -> Vec<(Version, &DocEntry)> {
        self.releases
            .iter()
            .rev()
            .filter_map(|r| r.docs.entries.get(name).map(|e| (r.version, e)))
            .collect()
    }

    /// A release's full version, `3.11.2`, for notes.
    fn label(&self, v: Version) -> String {
        self.releases
            .iter()
            .find(|r| r.version == v)
            .map_or_else(|| v.to_string(), |r| r.label.clone())
    }

    /// The release before `v` among those read.
    fn before(&self, v: Version) -> Option<Version> {
        self.releases.iter().map(|r| r.version).filter(|r| *r < v).max()
    }

    /// The release after `v` among those read.
    fn after(&self, v: Version) -> Option<Version> {
        self.releases.iter().map(|r| r.version).filter(|r| *r > v).min()
    }

    /// The history of `name`; `known` says which names may be offered as
    /// replacements (catalog names).
    pub fn history(&self, name: &str, known: &BTreeSet<String>) -> History {
        let seen: Vec<Version> = self
            .releases
            .iter()
            .filter(|r| r.has(name))
            .map(|r| r.version)
            .collect();
        let docs = self.doc_entries(name);
        let mentions: Vec<_> = self.whatsnew.mentions.iter().filter(|m| m.name == name).collect();
        let mut h = History {
            seen,
            ..History::default()
        };
        self.date_addition(name, &docs, &mut h);
        self.date_removal(name, &docs, &mut h);
        h.deprecated_in = docs.iter().find_map(|(_, d)| d.deprecated_in).or_else(|| {
            mentions
                .iter()
                .filter(|m| m.change == Change::Deprecated)
                .map(|m| m.release)
                .min()
        });
        h.soft_deprecated_in = docs.iter().find_map(|(_, d)| d.soft_deprecated_in);
        if let (Some(d), Some(r)) = (h.deprecated_in, h.removed_in)
            && d > r
        {
            h.notes.push(format!(
                "Deprecated in {d} by the documentation, after its removal in {r}."
            ));
        }
        self.collect_replacements(name, &docs, known, &mut h);
        h
    }

    fn date_addition(&self, name: &str, docs: &[(Version, &DocEntry)], h: &mut History) {
        let Some(first) = h.first_seen() else {
            // In no release: only the docs can say.
            h.added_in = docs.iter().find_map(|(_, d)| d.added.first().copied());
            return;
        };
        let before = self.before(first);
        let range = range(before, first);
        let fits = |v: Version| match &range {
            Some(r) => r.contains(&v),
            None => v <= first,
        };
        let own: Vec<Version> = docs.iter().flat_map(|(_, d)| d.added.iter().copied()).collect();
        let section = docs.iter().find_map(|(_, d)| d.section_added);
        let release_notes = self
            .whatsnew
            .mentions
            .iter()
            .filter(|m| m.name == name && m.change == Change::Added)
            .map(|m| m.release)
            .filter(|v| fits(*v))
            .min();
        let chosen = own
            .iter()
            .copied()
            .find(|v| fits(*v))
            .or_else(|| section.filter(|v| fits(*v)))
            .or(release_notes);
        if let Some(&wrong) = own.first().filter(|v| !fits(**v)) {
            let why = match before {
                Some(b) if wrong <= b => format!("the {} headers do not have it", self.label(b)),
                _ => format!("the {} headers already have it", self.label(first)),
            };
            if chosen != Some(wrong) && own.iter().all(|v| !fits(*v)) {
                h.notes
                    .push(format!("The documentation says added in {wrong}, but {why}."));
            }
        }
        h.added_in = chosen.or_else(|| match range.as_deref() {
            Some([only]) => Some(*only),
            Some(r) if r.len() > 1 => {
                // Undecided: left unset rather than guessed; `first_seen`
                // bounds it and the note says so.
                h.notes.push(format!(
                    "Added in {}: the {} headers do not have it, the {} headers do, and neither the documentation nor the release notes say which release added it.",
                    either(r),
                    self.label(before.unwrap_or(first)),
                    self.label(first)
                ));
                None
            }
            _ => None,
        });
    }

    fn date_removal(&self, name: &str, docs: &[(Version, &DocEntry)], h: &mut History) {
        let newest = self.newest();
        let mentions = || self.whatsnew.mentions.iter().filter(move |m| m.name == name);
        let pending = mentions()
            .filter_map(|m| match m.change {
                Change::PendingRemoval(v) => v,
                _ => None,
            })
            .max();
        let docs_removal = docs.iter().find_map(|(v, d)| d.removal.map(|r| (*v, r)));
        let Some(last) = h.last_seen() else {
            return;
        };
        if last == newest {
            // Present in the newest release: a removal is only announced.
            // (A name a "Removed" section lists while the headers keep it
            // is usually a replacement named there, so those lists do not
            // count here.)
            // A release note's plan that lapsed (`PyUnicodeObject`, once
            // due in 3.12) is history, not an announcement.
            h.removal_announced = docs_removal.map(|(_, r)| r.version).or(pending.filter(|v| *v > newest));
            if let Some((release, r)) = docs_removal.filter(|(_, r)| !r.planned || r.version <= newest) {
                h.notes.push(format!(
                    "The {release} documentation says removed in {}; the {} headers still declare it.",
                    r.version,
                    self.label(newest)
                ));
            } else if let Some(lapsed) = pending.filter(|v| *v <= newest && docs_removal.is_none()) {
                h.notes.push(format!(
                    "The release notes planned its removal for {lapsed}; the {} headers still declare it.",
                    self.label(newest)
                ));
            }
            return;
        }
        let Some(next) = self.after(last) else { return };
        let range = range(Some(last), next).unwrap_or_default();
        let listed_removed = mentions()
            .filter(|m| m.change == Change::Removed && range.contains(&m.release))
            .map(|m| m.release)
            .min();
        let pending_in_range = mentions()
            .filter_map(|m| match m.change {
                Change::PendingRemoval(Some(v)) if range.contains(&v) => Some(v),
                _ => None,
            })
            .min();
        let decided = [listed_removed, docs_removal.map(|(_, r)| r.version), pending_in_range]
            .into_iter()
            .flatten()
            .find(|v| range.contains(v));
        h.removed_in = Some(match (range.as_slice(), decided) {
            ([only], _) => *only,
            (_, Some(v)) => v,
            _ => {
                h.notes.push(format!(
                    "Removed in {}: the {} headers have it, the {} headers do not, and neither the documentation nor the release notes say which release removed it.",
                    either(&range),
                    self.label(last),
                    self.label(next)
                ));
                next
            }
        });
    }

    /// Replacements for a name that needs them (private, deprecated,
    /// removed, or renamed): the docs' deprecation notes first, then the
    /// release notes, newest page first.
    fn collect_replacements(
        &self,
        name: &str,
        docs: &[(Version, &DocEntry)],
        known: &BTreeSet<String>,
        h: &mut History,
    ) {
        let from_notes = self.whatsnew.replacements.iter().rev().filter(|r| r.old == name);
        let renamed = from_notes.clone().any(|r| r.renamed);
        let needs = name.starts_with('_')
            || h.deprecated_in.is_some()
            || h.soft_deprecated_in.is_some()
            || h.removed_in.is_some()
            || h.removal_announced.is_some()
            || renamed;
        if !needs {
            return;
        }
        let candidates = docs
            .iter()
            .flat_map(|(_, d)| d.replacements.iter())
            .chain(from_notes.flat_map(|r| r.new.iter()));
        for c in candidates {
            if c != name && known.contains(c) && !h.replacements.contains(c) {
                h.replacements.push(c.clone());
            }
        }
    }
}
