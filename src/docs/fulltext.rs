//! Full-text search over the documentation entries: `search --text` and
//! the explorer's text mode.
//!
//! The index is each documented item's entry as plain text with runs of
//! whitespace made one space (and an ASCII-lowercased copy to match in), built once from the docs
//! already opened (each page is read once and cached by [`Docs`]). A search
//! is a phrase, matched case-insensitively; entries are ranked by how often
//! they contain it, then in catalog order. No index is kept on disk: a
//! scan of the ~1 MB of text takes a few milliseconds.

use super::Docs;
use crate::catalog::Catalog;

/// One entry that contains the phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextHit {
    /// The item, by catalog index.
    pub index: usize,
    /// How many times the entry contains the phrase.
    pub count: usize,
    /// The text around the first occurrence.
    pub context: String,
}

/// The entries' text, by item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextIndex {
    /// Item index, text, and the text ASCII-lowercased (same byte offsets).
    entries: Vec<(usize, String, String)>,
}

/// One space between words.
fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn entry(index: usize, text: &str) -> (usize, String, String) {
    let text = normalise(text);
    let lower = text.to_ascii_lowercase();
    (index, text, lower)
}

impl TextIndex {
    /// Reads every documented item's entry from `docs`.
    pub fn build(docs: &mut Docs, catalog: &Catalog) -> Result<TextIndex, String> {
        let mut entries = Vec::new();
        for (index, item) in catalog.items().iter().enumerate() {
            if let Ok(blocks) = docs.entry(catalog, item)? {
                let text: Vec<String> = blocks.iter().map(super::text::Block::plain).collect();
                entries.push(entry(index, &text.join(" ")));
            }
        }
        Ok(TextIndex { entries })
    }

    /// How many entries have text.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries containing `phrase`, most occurrences first. An empty
    /// phrase matches nothing.
    pub fn search(&self, phrase: &str) -> Vec<TextHit> {
        let needle = normalise(phrase).to_ascii_lowercase();
        if needle.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<TextHit> = self
            .entries
            .iter()
            .filter_map(|(index, text, lower)| {
                let first = lower.find(&needle)?;
                Some(TextHit {
                    index: *index,
                    count: lower.matches(&needle).count(),
                    context: context(text, first, needle.len()),
                })
            })
            .collect();
        hits.sort_by_key(|h| (std::cmp::Reverse(h.count), h.index));
        hits
    }
}

/// About 70 characters around a match, cut at character boundaries.
fn context(text: &str, at: usize, len: usize) -> String {
    const AROUND: usize = 30;
    let mut start = at.saturating_sub(AROUND);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + len + AROUND).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&text[start..end]);
    if end < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_across_case_and_spacing_most_often_first() {
        let index = TextIndex {
            entries: vec![
                entry(3, "Return a Borrowed\n reference to the item."),
                entry(1, "A borrowed reference, and another borrowed   reference."),
                entry(2, "Return a new reference."),
            ],
        };
        let hits = index.search("borrowed  REFERENCE");
        assert_eq!(
            hits.iter().map(|h| (h.index, h.count)).collect::<Vec<_>>(),
            [(1, 2), (3, 1)]
        );
        assert!(hits[1].context.contains("Borrowed reference"), "{:?}", hits[1].context);
        assert!(index.search("  ").is_empty());
        assert!(index.search("missing words").is_empty());
    }

    #[test]
    fn context_cuts_at_character_boundaries() {
        let text = "é".repeat(100);
        let c = context(&text, 100, 2);
        assert!(c.starts_with('…') && c.ends_with('…'));
    }
}
