//! The explorer's state and its pure `update`: messages in, state changed,
//! an [`Effect`] out for the loop to perform (copy, open, quit). No I/O
//! happens here, so tests drive the app with key sequences alone.

mod docs;
pub mod input;
mod menus;
mod mouse;
mod results;
pub mod tree_view;

use crate::catalog::{Catalog, Item};
use crate::detail::{self, Advice};
use crate::keymap::{Action, Chord, Keymap};
use crate::search::{Hit, Query, Searcher};
use crate::snippets::CopyWhat;
use crate::target::{Target, Verdict};
use crate::tree::Tree;
pub use docs::{DocView, DocsState};
use input::TextInput;
pub use menus::Picker;
use tree_view::TreeView;

/// The panes, in focus order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Search,
    Tree,
    Results,
    Detail,
}

impl Focus {
    const ORDER: [Focus; 4] = [Focus::Search, Focus::Tree, Focus::Results, Focus::Detail];

    fn step(self, by: isize) -> Focus {
        let at = Focus::ORDER.iter().position(|f| *f == self).unwrap_or(0);
        Focus::ORDER[at.wrapping_add_signed(by).rem_euclid(Focus::ORDER.len())]
    }
}

/// A modal layer over the panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help,
    /// The copy menu, with the highlighted entry.
    Copy(usize),
    /// The target picker.
    Target(Picker),
}

/// What the loop must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    Copy { what: CopyWhat, text: String },
    Open(String),
}

/// Everything the app reacts to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    Action(Action),
    /// A printable character typed outside a binding.
    Type(char),
    Paste(String),
    /// A left click at a screen position.
    Click {
        x: u16,
        y: u16,
    },
    /// The wheel over a screen position.
    Scroll {
        x: u16,
        y: u16,
        down: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Error,
}

/// Where each pane was drawn last, for mouse hits and page sizes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    pub tree: Option<ratatui::layout::Rect>,
    pub results: Option<ratatui::layout::Rect>,
    pub detail: Option<ratatui::layout::Rect>,
}

/// What `abiscope check --tui` shows: per catalog item, where the report
/// found it used (empty: not used).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportView {
    pub locations: Vec<Vec<String>>,
    /// The worst verdict among its uses (which may differ from the item's:
    /// `PyObject *` is fine where `PyObject` is opaque).
    pub verdicts: Vec<Option<Verdict>>,
}

/// The detail pane: what it shows when links were followed, and where.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DetailState {
    /// Items visited through links; the last one is shown. Empty: the
    /// detail follows the selected result.
    pub trail: Vec<usize>,
    /// The highlighted see-also link.
    pub link: usize,
    /// The user moved the link highlight: keep it scrolled into view.
    pub link_moved: bool,
    pub scroll: u16,
}

pub struct App {
    pub catalog: Catalog,
    pub tree: Tree,
    pub keymap: Keymap,
    searcher: Searcher,
    pub query: TextInput,
    parsed: Query,
    pub focus: Focus,
    hits: Vec<Hit>,
    /// `hits[..ranked]` are in their final order; the fuzzy matches after
    /// them are ranked when the user scrolls that far.
    ranked: usize,
    /// The query text `hits` answer; a longer query that starts with it
    /// searches among them only. Cleared when the scope changes.
    searched: String,
    /// Index into `hits`.
    pub selected: usize,
    /// The user moved the selection: it stays on its item while the query
    /// changes, as long as the item still matches.
    pinned: bool,
    pub results_scroll: usize,
    pub tree_view: TreeView,
    pub tree_scroll: usize,
    /// Items under the selected tree node, or `None` for everything.
    scope: Option<Vec<bool>>,
    /// How many items the tree node and the report leave in scope.
    scope_len: usize,
    pub detail: DetailState,
    pub status: Option<(String, StatusKind)>,
    pub overlay: Overlay,
    /// Filled in by the renderer.
    pub areas: Areas,
    pub target: Target,
    /// Each item's verdict under the target; empty without one.
    verdicts: Vec<Verdict>,
    /// Hide (rather than dim) what the target cannot use.
    pub hide_unusable: bool,
    /// `abiscope check --tui`: the results are the names the report found.
    pub report: Option<ReportView>,
    /// The advice for the item the detail pane shows (by index), cached.
    advice: Option<(usize, Advice)>,
    /// The docs the detail pane reads, and the entry shown (by item).
    docs: DocsState,
    doc_view: Option<(usize, DocView)>,
}

impl App {
    pub fn new(catalog: Catalog, keymap: Keymap, query: &str, target: Target) -> App {
        let tree = Tree::build(&catalog);
        let tree_view = TreeView::new(&tree);
        let mut app = App {
            catalog,
            tree,
            keymap,
            searcher: Searcher::default(),
            query: TextInput::new(query),
            parsed: Query::default(),
            focus: Focus::Search,
            hits: Vec::new(),
            ranked: 0,
            searched: String::new(),
            selected: 0,
            pinned: false,
            results_scroll: 0,
            tree_view,
            tree_scroll: 0,
            scope: None,
            scope_len: 0,
            detail: DetailState::default(),
            status: None,
            overlay: Overlay::None,
            areas: Areas::default(),
            target: Target::default(),
            verdicts: Vec::new(),
            hide_unusable: false,
            report: None,
            advice: None,
            docs: DocsState::Absent,
            doc_view: None,
        };
        app.count_scope();
        app.set_target(target);
        app
    }

    /// The item the detail pane shows, with its verdict and alternatives.
    pub fn detail_advice(&mut self) -> Option<(&'static Item, &Advice)> {
        let item = self.detail_item()?;
        let index = self.catalog.index_of(item.name)?;
        if self.advice.as_ref().is_none_or(|(i, _)| *i != index) {
            self.advice = Some((index, detail::advice(&self.catalog, item, self.target)));
        }
        self.advice.as_ref().map(|(_, a)| (item, a))
    }

    /// The names the detail pane lets the user follow: the facts' links,
    /// then the documentation text's.
    fn links(&mut self) -> Vec<&'static str> {
        let mut links = self
            .detail_advice()
            .map(|(item, advice)| detail::links(item, advice))
            .unwrap_or_default();
        links.extend(self.doc_links());
        links
    }

    pub fn hits(&self) -> &[Hit] {
        &self.hits
    }

    pub fn query(&self) -> &Query {
        &self.parsed
    }

    pub fn searcher(&self) -> &Searcher {
        &self.searcher
    }

    /// The items in scope (the selected tree node and the report), for the count.
    pub fn scope_len(&self) -> usize {
        self.scope_len
    }

    /// Counts the items in scope, after the tree node or the report changed.
    fn count_scope(&mut self) {
        self.scope_len = (0..self.catalog.items().len()).filter(|i| self.in_scope(*i)).count();
    }

    /// Whether an item is under the selected tree node and in the report.
    fn in_scope(&self, index: usize) -> bool {
        self.scope.as_ref().is_none_or(|mask| mask[index])
            && self.report.as_ref().is_none_or(|r| !r.locations[index].is_empty())
    }

    /// Where the checked code uses an item (up to a dozen places), in
    /// `check --tui`.
    pub fn report_locations(&self, name: &str) -> Option<Vec<String>> {
        const SHOWN: usize = 12;
        let all = &self.report.as_ref()?.locations[self.catalog.index_of(name)?];
        let mut shown: Vec<String> = all.iter().take(SHOWN).cloned().collect();
        if all.len() > SHOWN {
            shown.push(format!("+{} more", all.len() - SHOWN));
        }
        Some(shown)
    }

    /// Shows only the items a `check` report found, with where each is
    /// used, under the report's target.
    pub fn show_report(&mut self, report: ReportView, target: Target, message: String) {
        let verdicts = report.verdicts.clone();
        self.report = Some(report);
        self.count_scope();
        self.set_target(target);
        for (slot, verdict) in self.verdicts.iter_mut().zip(verdicts) {
            *slot = verdict.unwrap_or(*slot);
        }
        self.searched.clear();
        self.refresh();
        self.notify(message, StatusKind::Info);
    }

    pub fn selected_item(&self) -> Option<&'static Item> {
        self.hits.get(self.selected).map(|h| &self.catalog.items()[h.index])
    }

    /// The item the detail pane shows.
    pub fn detail_item(&self) -> Option<&'static Item> {
        match self.detail.trail.last() {
            Some(&i) => self.catalog.items().get(i),
            None => self.selected_item(),
        }
    }

    /// The search line has focus and no overlay is open: plain keys type.
    pub fn typing(&self) -> bool {
        self.focus == Focus::Search && self.overlay == Overlay::None
    }

    /// A key press, through the keymap.
    pub fn key(&mut self, chord: Chord) -> Option<Effect> {
        if let Overlay::Copy(_) = self.overlay
            && let Some(c) = chord.typed_char()
        {
            return self.copy_menu_char(c);
        }
        match self.keymap.action(chord, self.typing()) {
            Some(action) => self.update(Msg::Action(action)),
            None => chord.typed_char().and_then(|c| self.update(Msg::Type(c))),
        }
    }

    pub fn notify(&mut self, text: impl Into<String>, kind: StatusKind) {
        self.status = Some((text.into(), kind));
    }

    pub fn update(&mut self, msg: Msg) -> Option<Effect> {
        if !matches!(msg, Msg::Scroll { .. }) {
            self.status = None;
        }
        match msg {
            Msg::Action(action) => self.act(action),
            Msg::Type(c) => {
                if self.overlay == Overlay::Help {
                    self.overlay = Overlay::None;
                }
                self.focus = Focus::Search;
                self.query.insert(c);
                self.refresh();
                None
            }
            Msg::Paste(text) => {
                self.focus = Focus::Search;
                self.query.insert_str(&text);
                self.refresh();
                None
            }
            Msg::Click { x, y } => {
                self.click(x, y);
                None
            }
            Msg::Scroll { x, y, down } => {
                self.wheel(x, y, down);
                None
            }
        }
    }

    fn act(&mut self, action: Action) -> Option<Effect> {
        match self.overlay {
            Overlay::Help if !matches!(action, Action::Quit) => {
                self.overlay = Overlay::None;
                return None;
            }
            Overlay::Copy(at) => return self.copy_menu(action, at),
            Overlay::Target(picker) if !matches!(action, Action::Quit) => {
                self.picker(action, picker);
                return None;
            }
            _ => {}
        }
        match action {
            Action::Quit => return Some(Effect::Quit),
            Action::Cancel => return self.cancel(),
            Action::Help => self.overlay = Overlay::Help,
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
                _ => {}
            },
            Action::Right => match self.focus {
                Focus::Search => self.query.right(),
                Focus::Tree => self.tree_changed(tree_view::TreeView::expand),
                _ => {}
            },
            Action::Confirm => self.confirm(),
            Action::Back => self.back(),
            Action::DeleteWord => self.edit(TextInput::delete_word),
            Action::ClearQuery => self.edit(TextInput::clear),
            Action::LineStart => self.query.home(),
            Action::LineEnd => self.query.end(),
            Action::SelectNext => self.select(self.selected.saturating_add(1)),
            Action::SelectPrev => self.select(self.selected.saturating_sub(1)),
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
                self.overlay = Overlay::Target(Picker {
                    row: 0,
                    target: self.target,
                });
            }
            Action::ToggleUnusable => self.toggle_unusable(),
            Action::OpenDocs => {
                return match self.detail_item() {
                    Some(item) => {
                        if let Some(url) = item.doc_url {
                            Some(Effect::Open(url.to_string()))
                        } else {
                            self.notify(format!("{} is undocumented", item.name), StatusKind::Error);
                            None
                        }
                    }
                    None => None,
                };
            }
        }
        None
    }

    /// Esc: clear the query, then return to the search, then quit.
    fn cancel(&mut self) -> Option<Effect> {
        if self.overlay != Overlay::None {
            self.overlay = Overlay::None;
        } else if !self.query.text().is_empty() {
            self.edit(TextInput::clear);
        } else if self.focus != Focus::Search {
            self.focus = Focus::Search;
        } else {
            return Some(Effect::Quit);
        }
        None
    }

    fn edit(&mut self, f: impl FnOnce(&mut TextInput)) {
        f(&mut self.query);
        self.refresh();
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
            Focus::Search | Focus::Results => self.select(self.selected.saturating_add_signed(delta)),
            Focus::Tree => self.tree_changed(|view, _| view.move_by(delta)),
            Focus::Detail => {
                let links = self.links().len();
                if links > 0 && delta.abs() == 1 {
                    self.detail.link = self.detail.link.saturating_add_signed(delta).min(links - 1);
                    self.detail.link_moved = true;
                } else {
                    let scroll = i64::from(self.detail.scroll) + i64::try_from(delta).unwrap_or(0);
                    self.detail.scroll = u16::try_from(scroll.clamp(0, i64::from(u16::MAX))).unwrap_or(0);
                }
            }
        }
    }

    fn tree_changed(&mut self, f: impl FnOnce(&mut TreeView, &Tree)) {
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

    fn confirm(&mut self) {
        match self.focus {
            Focus::Search | Focus::Results if self.selected_item().is_some() => self.focus = Focus::Detail,
            Focus::Tree => self.tree_changed(TreeView::toggle),
            Focus::Detail => {
                let target = self.links().get(self.detail.link).copied();
                if let Some(index) = target.and_then(|name| self.catalog.index_of(name)) {
                    self.detail.trail.push(index);
                    self.detail = DetailState {
                        trail: std::mem::take(&mut self.detail.trail),
                        ..DetailState::default()
                    };
                }
            }
            _ => {}
        }
    }

    /// Backspace: edit the query, or go back along the followed links.
    fn back(&mut self) {
        if self.focus == Focus::Search {
            if self.query.backspace() {
                self.refresh();
            }
        } else if self.detail.trail.pop().is_some() {
            self.detail = DetailState {
                trail: std::mem::take(&mut self.detail.trail),
                ..DetailState::default()
            };
        }
    }
}
