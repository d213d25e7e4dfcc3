//! The query history, as fzf's `--history` keeps it: the queries the user
//! left the explorer with or opened an item from, oldest first, each once,
//! bounded. Walking back saves the query being typed and walking forward
//! past the newest entry brings it back. Reading and writing the file is
//! the loop's business ([`crate::state`]).

/// At most this many queries are kept.
pub const LIMIT: usize = 1000;
/// Longer queries are not recorded.
pub const LONGEST: usize = 1024;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    entries: Vec<String>,
    /// The entry shown, while walking; `None`: the user's own query.
    at: Option<usize>,
    /// The query that was being typed when the walk began.
    draft: String,
}

impl History {
    /// A history from stored entries (oldest first), bounded.
    pub fn new(entries: Vec<String>) -> History {
        let mut history = History::default();
        for entry in entries {
            history.push(&entry);
        }
        history.at = None;
        history
    }

    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// The previous (older) query, or `None` at the oldest.
    pub fn older(&mut self, current: &str) -> Option<&str> {
        let at = match self.at {
            None if self.entries.is_empty() => return None,
            None => {
                self.draft = current.to_string();
                self.entries.len() - 1
            }
            Some(0) => return None,
            Some(at) => at - 1,
        };
        self.at = Some(at);
        Some(&self.entries[at])
    }

    /// The next (newer) query; past the newest, the draft again. `None`
    /// when not walking.
    pub fn newer(&mut self) -> Option<&str> {
        let at = self.at?;
        if at + 1 < self.entries.len() {
            self.at = Some(at + 1);
            Some(&self.entries[at + 1])
        } else {
            self.at = None;
            Some(&self.draft)
        }
    }

    /// The user edited the query: the walk ends.
    pub fn stop(&mut self) {
        self.at = None;
    }

    /// Records a query as the newest (moving it if it was there), dropping
    /// the oldest past [`LIMIT`]. Blank and very long queries are skipped.
    pub fn push(&mut self, query: &str) {
        let query = query.trim();
        self.at = None;
        if query.is_empty() || query.len() > LONGEST || query.contains(['\n', '\r']) {
            return;
        }
        self.entries.retain(|e| e != query);
        self.entries.push(query.to_string());
        if self.entries.len() > LIMIT {
            self.entries.drain(..self.entries.len() - LIMIT);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_back_and_forth_and_restores_the_draft() {
        let mut h = History::new(vec!["one".into(), "two".into()]);
        assert_eq!(h.newer(), None, "not walking");
        assert_eq!(h.older("typed"), Some("two"));
        assert_eq!(h.older("ignored"), Some("one"));
        assert_eq!(h.older(""), None, "the oldest");
        assert_eq!(h.newer(), Some("two"));
        assert_eq!(h.newer(), Some("typed"));
        assert_eq!(h.newer(), None);
    }

    #[test]
    fn entries_are_unique_bounded_and_sane() {
        let mut h = History::default();
        for n in 0..LIMIT + 10 {
            h.push(&format!("q{n}"));
        }
        h.push("q500");
        h.push("  ");
        h.push(&"x".repeat(LONGEST + 1));
        assert_eq!(h.entries().len(), LIMIT);
        assert_eq!(h.entries().last().map(String::as_str), Some("q500"));
        assert_eq!(h.entries().iter().filter(|e| *e == "q500").count(), 1);
        assert_eq!(h.entries()[0], "q10");
    }
}
