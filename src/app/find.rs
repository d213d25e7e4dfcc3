//! Finding text in the documentation: `/` finds in the entry the detail
//! shows (the pane highlights the matches and scrolls to the current one),
//! and the text mode (Alt-F) searches every entry's text instead of the
//! names, with the query as the phrase.

use super::input::TextInput;
use super::{App, DocsState, Focus, SearchIn, StatusKind};
use crate::docs::fulltext::TextIndex;
use crate::keymap::{Action, Chord};
use crate::search::{Hit, MatchClass};

/// A find in the detail pane.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Find {
    pub input: TextInput,
    /// The match shown, counted from the first.
    pub current: usize,
    /// How many lines match; set by the renderer.
    pub count: usize,
}

impl App {
    /// `/`: a find prompt over the detail.
    pub(super) fn start_find(&mut self) {
        if self.detail_item().is_none() {
            return;
        }
        self.find = Some(Find::default());
        self.focus = Focus::Detail;
    }

    /// Keys while the find prompt is open: typing edits it, Enter and
    /// Down go to the next match, Up to the previous one, Esc closes it.
    /// `None`: the key is not the prompt's.
    pub(super) fn find_key(&mut self, chord: Chord) -> Option<()> {
        let action = self.keymap.action(chord, true);
        let find = self.find.as_mut()?;
        if let (None, Some(c)) = (action, chord.typed_char()) {
            find.input.insert(c);
            find.current = 0;
            return Some(());
        }
        match action? {
            Action::Confirm | Action::Down | Action::SelectNext => find.current += 1,
            Action::Up | Action::SelectPrev => find.current = find.current.saturating_sub(1),
            Action::Back => {
                find.input.backspace();
                find.current = 0;
            }
            Action::Cancel => self.find = None,
            _ => return None,
        }
        Some(())
    }

    /// The text to highlight in the detail: the find, or in text mode the
    /// query.
    pub fn highlight(&self) -> Option<String> {
        match &self.find {
            Some(find) => Some(find.input.text().to_string()),
            None if self.searching == SearchIn::Text => Some(self.query.text().to_string()),
            None => None,
        }
        .filter(|t| !t.trim().is_empty())
    }

    /// Alt-F: search the documentation text instead of the names, and back.
    pub(super) fn toggle_text_mode(&mut self) {
        if self.searching == SearchIn::Text {
            self.searching = SearchIn::Names;
        } else {
            if self.text_index.is_none() {
                let catalog = self.catalog;
                let built = match &mut self.docs {
                    DocsState::Ready(docs) => TextIndex::build(docs, &catalog),
                    DocsState::Absent => Err(format!(
                        "Searching the documentation text needs the docs: {}",
                        crate::docs::HOW_TO_GET
                    )),
                    DocsState::Loading => Err("The docs are still being read; try again in a moment".to_string()),
                    DocsState::Broken(why) => Err(why.clone()),
                };
                match built {
                    Ok(index) => self.text_index = Some(index),
                    Err(why) => {
                        self.notify(why, StatusKind::Error);
                        return;
                    }
                }
            }
            self.searching = SearchIn::Text;
        }
        self.searched.clear();
        self.refresh();
        let what = if self.searching == SearchIn::Text {
            "Searching the documentation text (Alt-F: the names again)"
        } else {
            "Searching the names"
        };
        self.notify(what, StatusKind::Info);
    }

    /// The text mode's results: the entries containing the query, in
    /// scope, most occurrences first.
    pub(super) fn text_hits(&self) -> Vec<Hit> {
        let Some(index) = &self.text_index else {
            return Vec::new();
        };
        index
            .search(self.query.text())
            .into_iter()
            .filter(|h| self.in_scope(h.index))
            .map(|h| Hit {
                index: h.index,
                class: MatchClass::Fuzzy,
                score: i64::try_from(h.count).unwrap_or(i64::MAX),
            })
            .collect()
    }
}
