//! `update`: keys through the keymap into actions, actions into state
//! changes and effects. The search after an edit is deferred to
//! [`App::settle`], which runs before anything reads the results.

use super::{App, DetailState, Effect, Focus, Msg, Overlay, StatusKind, TextInput, TreeView, tree_view};
use crate::keymap::{Action, Chord};
use crate::snippets::{self, CopyWhat};
use crate::tree::Tree;

/// Ctrl-C quits whatever the keymap says.
fn is_ctrl_c(chord: Chord) -> bool {
    chord.code == ratatui::crossterm::event::KeyCode::Char('c')
        && chord.mods == ratatui::crossterm::event::KeyModifiers::CONTROL
}

impl App {
    /// The search line has focus and no overlay is open: plain keys type.
    pub fn typing(&self) -> bool {
        self.focus == Focus::Search && self.overlay == Overlay::None
    }

    /// A key press, through the keymap; the results are current after it.
    pub fn key(&mut self, chord: Chord) -> Option<Effect> {
        let effect = self.press(chord);
        self.settle();
        effect
    }

    /// Everything that arrived since the last frame, in order, with one
    /// search at the end for all the edits among them. Stops at the first
    /// effect that ends the session (quit, print), so a Ctrl-C behind a
    /// flood of typing is answered without searching.
    pub fn handle(&mut self, msgs: impl IntoIterator<Item = Msg>) -> Vec<Effect> {
        let mut effects = Vec::new();
        for msg in msgs {
            let effect = match msg {
                Msg::Key(chord) => self.press(chord),
                other => self.apply(other),
            };
            if let Some(effect) = effect {
                let last = matches!(effect, Effect::Quit | Effect::Print(_));
                effects.push(effect);
                if last {
                    return effects;
                }
            }
        }
        self.settle();
        effects
    }

    /// Runs the search if the query changed since the last one.
    pub fn settle(&mut self) {
        if self.dirty {
            self.refresh();
        }
    }

    fn press(&mut self, chord: Chord) -> Option<Effect> {
        if is_ctrl_c(chord) {
            return Some(Effect::Quit);
        }
        if let Overlay::Copy(_) = self.overlay
            && let Some(c) = chord.typed_char()
        {
            return self.copy_menu_char(c);
        }
        if self.overlay == Overlay::None
            && self.focus == Focus::Detail
            && self.find.is_some()
            && self.find_key(chord).is_some()
        {
            return None;
        }
        match self.keymap.action(chord, self.typing()) {
            Some(action) => self.apply(Msg::Action(action)),
            // Unbound characters type, but never behind the target picker.
            None if matches!(self.overlay, Overlay::Target(_)) => None,
            None => chord.typed_char().and_then(|c| self.apply(Msg::Type(c))),
        }
    }

    pub fn notify(&mut self, text: impl Into<String>, kind: StatusKind) {
        self.status = Some((text.into(), kind));
    }

    /// One message; the results are current after it.
    pub fn update(&mut self, msg: Msg) -> Option<Effect> {
        let effect = match msg {
            Msg::Key(chord) => self.press(chord),
            other => self.apply(other),
        };
        self.settle();
        effect
    }

    fn apply(&mut self, msg: Msg) -> Option<Effect> {
        if !matches!(msg, Msg::Scroll { .. }) {
            self.status = None;
        }
        match msg {
            Msg::Key(chord) => self.press(chord),
            Msg::Action(action) => self.act(action),
            Msg::Type(c) => {
                if self.overlay == Overlay::Help {
                    self.overlay = Overlay::None;
                }
                self.focus = Focus::Search;
                self.edit(|q| q.insert(c));
                None
            }
            Msg::Paste(text) => {
                self.focus = Focus::Search;
                self.edit(|q| q.insert_str(&text));
                None
            }
            Msg::Click { x, y } => {
                self.settle();
                self.click(x, y);
                None
            }
            Msg::Scroll { x, y, down } => {
                self.settle();
                self.wheel(x, y, down);
                None
            }
        }
    }

    fn act(&mut self, action: Action) -> Option<Effect> {
        if action == Action::Suspend {
            return Some(Effect::Suspend);
        }
        // Edits of the query wait for one search; everything else sees
        // current results.
        let edits = matches!(
            action,
            Action::DeleteWord | Action::ClearQuery | Action::LineStart | Action::LineEnd
        ) || (self.focus == Focus::Search
            && matches!(
                action,
                Action::Back | Action::Left | Action::Right | Action::Home | Action::End
            ));
        if !edits {
            self.settle();
        }
        match self.overlay {
            Overlay::Help => {
                self.help_keys(action);
                return None;
            }
            Overlay::Copy(at) => return self.copy_menu(action, at),
            Overlay::Target(picker) => {
                self.picker(action, picker);
                return None;
            }
            Overlay::None => {}
        }
        match action {
            Action::Quit => return Some(Effect::Quit),
            Action::Suspend => return Some(Effect::Suspend),
            Action::Cancel => return self.cancel(),
            Action::Help => {
                self.overlay = Overlay::Help;
                self.help_scroll = 0;
            }
            Action::FocusNext => self.focus = self.focus.step(1),
            Action::FocusPrev => self.focus = self.focus.step(-1),
            Action::Up => self.move_in_focus(-1),
            Action::Down => self.move_in_focus(1),
            Action::PageUp => self.move_in_focus(-self.page()),
            Action::PageDown => self.move_in_focus(self.page()),
            Action::Home => match self.focus {
                Focus::Search => self.query.home(),
                _ => self.move_in_focus(isize::MIN / 2),
            },
            Action::End => match self.focus {
                Focus::Search => self.query.end(),
                _ => self.move_in_focus(isize::MAX / 2),
            },
            Action::Left => match self.focus {
                Focus::Search => self.query.left(),
                Focus::Tree => self.tree_changed(tree_view::TreeView::collapse),
                Focus::Detail => self.detail.hscroll = self.detail.hscroll.saturating_sub(8),
                Focus::Results => {}
            },
            Action::Right => match self.focus {
                Focus::Search => self.query.right(),
                Focus::Tree => self.tree_changed(tree_view::TreeView::expand),
                // Code lines wider than the pane scroll sideways.
                Focus::Detail => self.detail.hscroll = self.detail.hscroll.saturating_add(8).min(4096),
                Focus::Results => {}
            },
            Action::Confirm => return self.confirm(),
            Action::Back => self.back(),
            Action::DeleteWord => self.edit(TextInput::delete_word),
            Action::ClearQuery => self.edit(TextInput::clear),
            Action::LineStart => self.query.home(),
            Action::LineEnd => self.query.end(),
            Action::SelectNext => self.select(self.selected.saturating_add(1)),
            Action::SelectPrev => self.select(self.selected.saturating_sub(1)),
            Action::HistoryPrev => self.recall(true),
            Action::HistoryNext => self.recall(false),
            Action::ToggleNode => {
                if self.focus == Focus::Tree {
                    self.tree_changed(TreeView::toggle);
                }
            }
            Action::CopyName => return self.copy(CopyWhat::Name),
            Action::CopySignature => return self.copy(CopyWhat::Signature),
            Action::CopyMenu => {
                if self.detail_item().is_some() {
                    self.overlay = Overlay::Copy(0);
                }
            }
            Action::Target => {
                self.overlay = Overlay::Target(super::Picker {
                    row: 0,
                    target: self.target,
                });
            }
            Action::ToggleUnusable => self.toggle_unusable(),
            Action::OpenDocs => return self.open_docs(),
            Action::Find => self.start_find(),
            Action::TextMode => self.toggle_text_mode(),
        }
        None
    }

    /// The help overlay: the moves scroll it, anything else closes it.
    fn help_keys(&mut self, action: Action) {
        let step = match action {
            Action::Up | Action::SelectPrev => -1,
            Action::Down | Action::SelectNext => 1,
            Action::PageUp => -10,
            Action::PageDown => 10,
            Action::Home => -10_000,
            Action::End => 10_000,
            _ => {
                self.overlay = Overlay::None;
                return;
            }
        };
        // The renderer clamps it to what is left to show.
        self.help_scroll = self.help_scroll.saturating_add_signed(step);
    }

    /// Esc: leave the detail for the list, leave any pane for the search,
    /// clear the query, then quit.
    fn cancel(&mut self) -> Option<Effect> {
        if self.overlay != Overlay::None {
            self.overlay = Overlay::None;
        } else if self.focus == Focus::Detail && self.detail_from != Focus::Detail {
            self.focus = self.detail_from;
            self.detail_from = Focus::Detail;
        } else if self.focus != Focus::Search {
            self.focus = Focus::Search;
        } else if !self.query.text().is_empty() {
            self.edit(TextInput::clear);
        } else {
            return Some(Effect::Quit);
        }
        None
    }

    /// Changes the query; the search waits for [`App::settle`].
    pub(super) fn edit(&mut self, f: impl FnOnce(&mut TextInput)) {
        f(&mut self.query);
        self.history.stop();
        self.dirty = true;
    }

    /// Replaces the query with one from the history.
    fn recall(&mut self, older: bool) {
        let current = self.query.text().to_string();
        let entry = if older {
            self.history.older(&current)
        } else {
            self.history.newer()
        };
        match entry.map(str::to_string) {
            Some(text) => {
                self.query = TextInput::new(&text);
                self.focus = Focus::Search;
                self.dirty = true;
                self.settle();
            }
            None if older && self.history.entries().is_empty() => {
                self.notify("No query history yet", StatusKind::Info);
            }
            None => {}
        }
    }

    /// Records the query in the history (on opening an item, printing it
    /// or leaving).
    pub fn remember_query(&mut self) {
        let text = self.query.text().to_string();
        self.history.push(&text);
    }

    fn page(&self) -> isize {
        let rows = match self.focus {
            Focus::Tree => self.areas.tree,
            Focus::Detail => self.areas.detail,
            _ => self.areas.results,
        };
        rows.map_or(10, |r| isize::try_from(r.height.saturating_sub(3).max(1)).unwrap_or(10))
    }

    fn move_in_focus(&mut self, delta: isize) {
        match self.focus {
            // Up on the first result walks back through the history, as in fzf.
            Focus::Search if delta == -1 && self.selected == 0 => self.recall(true),
            Focus::Search | Focus::Results => self.select(self.selected.saturating_add_signed(delta)),
            Focus::Tree => self.tree_changed(|view, _| view.move_by(delta)),
            Focus::Detail => self.move_in_detail(delta),
        }
    }

    pub(super) fn tree_changed(&mut self, f: impl FnOnce(&mut TreeView, &Tree)) {
        let before = self.tree_view.selected();
        f(&mut self.tree_view, &self.tree);
        if self.tree_view.selected() != before {
            let node = self.tree_view.selected();
            self.scope = (node != Tree::ROOT).then(|| {
                let mut mask = vec![false; self.catalog.items().len()];
                for i in self.tree.items_under(node) {
                    mask[i] = true;
                }
                mask
            });
            self.count_scope();
            self.searched.clear();
            self.refresh();
        }
    }

    fn confirm(&mut self) -> Option<Effect> {
        match self.focus {
            Focus::Search | Focus::Results if self.selected_item().is_some() => {
                self.remember_query();
                if let (Some(what), Some(item)) = (self.pick, self.selected_item()) {
                    return match snippets::copy_text(item, what) {
                        Ok(text) => Some(Effect::Print(text)),
                        Err(why) => {
                            self.notify(why, StatusKind::Error);
                            None
                        }
                    };
                }
                self.detail_from = self.focus;
                self.focus = Focus::Detail;
            }
            Focus::Tree => self.tree_changed(TreeView::toggle),
            Focus::Detail => return self.confirm_in_detail(),
            _ => {}
        }
        None
    }

    /// Backspace: edit the query, or go back along the followed links.
    fn back(&mut self) {
        if self.focus == Focus::Search {
            if self.query.cursor() > 0 {
                self.edit(|q| {
                    q.backspace();
                });
            }
        } else if self.detail.trail.pop().is_some() {
            self.detail = DetailState {
                trail: std::mem::take(&mut self.detail.trail),
                ..DetailState::default()
            };
        }
    }
}
