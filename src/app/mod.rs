//! The explorer's state and its pure `update`: messages in, state changed,
//! an [`Effect`] out for the loop to perform (copy, open, print, suspend,
//! quit). No I/O happens here, so tests drive the app with key sequences
//! alone.
//!
//! Edits of the query only mark the results stale; the search runs once
//! before anything reads the results ([`App::settle`]). So a burst of
//! typed characters handled in one frame ([`App::handle`]) costs one
//! search, not one per character.

mod docs;
mod find;
pub mod history;
pub mod input;
mod menus;
mod mouse;
mod results;
pub mod tree_view;
mod update;

use crate::catalog::{Catalog, Item};
use crate::detail::{self, Advice};
use crate::keymap::{Action, Chord, Keymap};
use crate::search::{Hit, Query, Searcher};
use crate::snippets::CopyWhat;
use crate::target::{Target, Verdict};
use crate::tree::Tree;
pub use docs::{DocView, DocsState, DocsTiming};
pub use find::Find;
use history::History;
use input::TextInput;
pub use menus::{CopyEntry, Picker, code_blocks};
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

/// What the query searches: the names, or (Alt-F) the documentation text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchIn {
    Names,
    Text,
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
    /// Stop the process until the shell continues it (Ctrl-Z).
    Suspend,
    Copy {
        what: CopyWhat,
        text: String,
    },
    /// Open a documentation page: a local file when the docs are loaded,
    /// else the online URL.
    Open(String),
    /// Picker mode: leave and print this.
    Print(String),
}

/// Everything the app reacts to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    /// A key press, through the keymap.
    Key(Chord),
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
    /// The order results come in: 0 blocks an ABI, 1 exceeds the target,
    /// 2 usable.
    pub rank: Vec<u8>,
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
    /// How far code lines are scrolled sideways (Left/Right).
    pub hscroll: u16,
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
    /// `hits[..ranked]` are in their final order; what follows (prefix
    /// matches, then fuzzy ones) is ranked when the user scrolls that far.
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
    /// How many matches that hides.
    hidden: usize,
    /// `abiscope check --tui`: the results are the names the report found.
    pub report: Option<ReportView>,
    /// The advice for the item the detail pane shows (by index), cached.
    advice: Option<(usize, Advice)>,
    /// The docs the detail pane reads, and the entry shown (by item).
    docs: DocsState,
    doc_view: Option<(usize, DocView)>,
    /// When the detail pane reads an entry's text not yet read.
    pub docs_timing: DocsTiming,
    /// The query changed since the last search.
    dirty: bool,
    /// Picker mode (`--print`): Enter prints this of the chosen item.
    pub pick: Option<CopyWhat>,
    pub history: History,
    /// The help overlay's first shown line.
    pub help_scroll: u16,
    /// The pane Enter opened the detail from, where Esc returns.
    detail_from: Focus,
    /// The target last chosen with the picker, for the loop to remember.
    pub chosen_target: Option<Target>,
    /// A find in the detail pane.
    pub find: Option<Find>,
    /// What the query searches.
    pub searching: SearchIn,
    /// The documentation text, once the text mode was asked for.
    text_index: Option<crate::docs::fulltext::TextIndex>,
}

impl App {
    pub fn new(catalog: Catalog, keymap: Keymap, query: &str, target: Target) -> App {
        let tree = Tree::embedded();
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
            hidden: 0,
            report: None,
            advice: None,
            docs: DocsState::Absent,
            doc_view: None,
            docs_timing: DocsTiming::Now,
            dirty: false,
            pick: None,
            history: History::default(),
            help_scroll: 0,
            detail_from: Focus::Detail,
            chosen_target: None,
            find: None,
            searching: SearchIn::Names,
            text_index: None,
        };
        app.count_scope();
        app.set_target(target);
        app
    }

    /// The item the detail pane shows, with its verdict and alternatives.
    pub fn detail_advice(&mut self) -> Option<(&'static Item, &Advice)> {
        let item = self.detail_item()?;
        let index = self.catalog.index_of(item.name())?;
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
}
