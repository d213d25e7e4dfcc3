//! Version notes of the C API reference (`versionadded`, `versionchanged`,
//! `deprecated`, `deprecated-removed`, soft deprecation) and which entries
//! each one dates.
//!
//! A note dates an entry when it is a direct child of the entry's `<dd>`,
//! or directly follows the entry's `<dl>` (a note indented one level too
//! little in the source, as after `PyEval_SetProfileAllThreads`). Notes
//! deeper in the `<dd>` (on one format code, list item or table row) are
//! about that part and date nothing: `Py_BuildValue` is not "added in 3.14"
//! because its `p` format code is. In a group of entries (several `<dt>`
//! in one `<dl>`), a note that names some of them dates only those
//! (`Py_HASH_SIPHASH13` is 3.11, its group 3.4). A section's own "Added
//! in" note passes down to the entries in the section, or only to those it
//! names; the caller weighs such notes against the headers, since a
//! section note can be about prose too.

use std::collections::HashMap;

use scraper::{ElementRef, Selector};

use crate::schema::Version;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    Added,
    Changed,
    Deprecated,
    SoftDeprecated,
}

/// "Will be removed in version Y" (planned) or "removed in version Y".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removal {
    pub version: Version,
    pub planned: bool,
}

#[derive(Debug, Clone)]
pub struct VersionNote {
    pub kind: NoteKind,
    pub version: Option<Version>,
    pub removal: Option<Removal>,
    /// Names the note's text mentions (code spans, links), without `()`.
    pub names: Vec<String>,
    /// `c.` anchors the note recommends instead: links after "use",
    /// "prefer", "migrate to", "replaced by".
    pub replacements: Vec<String>,
}

impl VersionNote {
    /// Whether the note dates `name`, one of the `group` a `<dl>` holds.
    pub fn dates(&self, name: &str, group: &[String]) -> bool {
        group.len() < 2 || !self.names.iter().any(|n| group.contains(n)) || self.names.iter().any(|n| n == name)
    }
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("bad selector {s}: {e}"))
}

const NOTE_CLASSES: &[&str] = &["versionadded", "versionchanged", "deprecated", "deprecated-removed"];

/// Whether `el` is a version note's `<div>`.
pub fn is_note(el: ElementRef<'_>) -> bool {
    el.value().name() == "div" && el.value().classes().any(|c| NOTE_CLASSES.contains(&c))
}

/// Reads one note `<div>`.
pub fn read_note(div: ElementRef<'_>) -> Option<VersionNote> {
    let classes: Vec<&str> = div.value().classes().collect();
    let kind = if classes.contains(&"soft-deprecated") {
        NoteKind::SoftDeprecated
    } else if classes.contains(&"versionadded") {
        NoteKind::Added
    } else if classes.contains(&"versionchanged") {
        NoteKind::Changed
    } else if classes.contains(&"deprecated") || classes.contains(&"deprecated-removed") {
        NoteKind::Deprecated
    } else {
        return None;
    };
    let head = div.select(&sel("span.versionmodified")).next()?;
    let head = collapse(&head.text().collect::<String>());
    let versions = versions_in(&head);
    let removal = if head.contains("will be removed in version") {
        versions.get(1).map(|&version| Removal { version, planned: true })
    } else if head.contains("removed in version") {
        versions.get(1).map(|&version| Removal {
            version,
            planned: false,
        })
    } else {
        None
    };
    let mut names = Vec::new();
    for el in div.select(&sel("code, a")) {
        let text = collapse(&el.text().collect::<String>());
        let text = text.trim_end_matches("()").to_string();
        if !text.is_empty() && !names.contains(&text) {
            names.push(text);
        }
    }
    Some(VersionNote {
        kind,
        version: versions.first().copied(),
        removal,
        names,
        replacements: replacements(div),
    })
}

/// The `c.` links after the first word that recommends something else.
fn replacements(div: ElementRef<'_>) -> Vec<String> {
    const CUES: &[&str] = &[
        "use", "using", "prefer", "migrate", "replace", "replaced", "favor", "favour",
    ];
    let mut cued = false;
    let mut out = Vec::new();
    for node in div.descendants() {
        if let Some(a) = ElementRef::wrap(node)
            && a.value().name() == "a"
        {
            let anchor = a.value().attr("href").and_then(|h| h.split_once("#c.")).map(|(_, n)| n);
            if let Some(name) = anchor.filter(|_| cued)
                && !out.iter().any(|o| o == name)
            {
                out.push(name.to_string());
            }
        } else if let Some(text) = node.value().as_text() {
            let inside_link = node
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|e| e.value().name() == "a");
            if !inside_link {
                let lower = text.to_ascii_lowercase();
                cued |= lower
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .any(|w| CUES.contains(&w));
            }
        }
    }
    out
}

/// The notes that date the entries of `dl`: its `<dd>`'s own notes, and
/// the notes right after the `<dl>`.
pub fn entry_notes(dl: ElementRef<'_>, dd: ElementRef<'_>) -> Vec<VersionNote> {
    let own = dd.children().filter_map(ElementRef::wrap).filter(|c| is_note(*c));
    let after = dl
        .next_siblings()
        .filter_map(ElementRef::wrap)
        .take_while(|e| is_note(*e));
    own.chain(after).filter_map(read_note).collect()
}

/// Section-level "Added in" notes, found once per page: for each section,
/// the notes that are its own children and follow no entry.
#[derive(Default)]
pub struct SectionNotes {
    /// By section id: (the version, the entry names the note limits itself to).
    added: HashMap<String, Vec<(Version, Vec<String>)>>,
}

impl SectionNotes {
    pub fn read(html: &scraper::Html) -> SectionNotes {
        let mut notes = SectionNotes::default();
        let dt = sel("dt[id^=\"c.\"]");
        for section in html.select(&sel("section")) {
            let entries: Vec<String> = section
                .select(&dt)
                .filter_map(|d| d.value().id()?.strip_prefix("c.").map(str::to_string))
                .collect();
            let mut previous: Option<ElementRef<'_>> = None;
            for child in section.children().filter_map(ElementRef::wrap) {
                let after_entry = previous.is_some_and(|p| {
                    p.value().name() == "dl" && p.value().classes().any(|c| c == "c")
                        || (is_note(p) && notes_follow_entry(p))
                });
                if is_note(child)
                    && !after_entry
                    && let Some(note) = read_note(child).filter(|n| n.kind == NoteKind::Added)
                    && let Some(version) = note.version
                {
                    let named: Vec<String> = note.names.into_iter().filter(|n| entries.contains(n)).collect();
                    let id = section.value().id().unwrap_or_default().to_string();
                    notes.added.entry(id).or_default().push((version, named));
                }
                previous = Some(child);
            }
        }
        notes
    }

    /// The version the innermost section note holding `dl` gives `name`.
    pub fn added_for(&self, dl: ElementRef<'_>, name: &str) -> Option<Version> {
        dl.ancestors()
            .filter_map(ElementRef::wrap)
            .filter(|a| a.value().name() == "section")
            .find_map(|s| {
                let notes = self.added.get(s.value().id()?)?;
                notes
                    .iter()
                    .find(|(_, named)| named.is_empty() || named.iter().any(|n| n == name))
                    .map(|(v, _)| *v)
            })
    }
}

/// Whether a note that is a section's child is one of a run that directly
/// follows an entry (so it belongs to that entry).
fn notes_follow_entry(note: ElementRef<'_>) -> bool {
    note.prev_siblings()
        .filter_map(ElementRef::wrap)
        .find(|e| !is_note(*e))
        .is_some_and(|e| e.value().name() == "dl" && e.value().classes().any(|c| c == "c"))
}

pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every `3.x` in a sentence, in order.
pub fn versions_in(text: &str) -> Vec<Version> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map(|w| w.trim_matches('.'))
        .filter_map(|w| {
            let mut parts = w.split('.');
            let (major, minor) = (parts.next()?, parts.next()?);
            format!("{major}.{minor}").parse().ok()
        })
        .collect()
}
