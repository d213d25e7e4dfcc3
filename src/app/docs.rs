//! The detail pane's documentation text: the docs the explorer reads, and
//! the entry of the item shown, read once per item and kept with its
//! control characters escaped ([`crate::docs::escaped`]), like every text
//! from the docs shown here.

use super::App;
use crate::catalog::Item;
use crate::docs::text::Block;
use crate::docs::{self, Docs, Missing, escaped, render};
use crate::sanitize::escape;

/// The docs the explorer reads.
#[derive(Debug, Default)]
pub enum DocsState {
    /// None found: the pane says how to get them.
    #[default]
    Absent,
    /// Being found and read ([`crate::docs::load`]).
    Loading,
    /// The docs given (with --docs or the config) could not be opened.
    Broken(String),
    Ready(Box<Docs>),
}

/// When the detail pane reads the text of an entry it has not read yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocsTiming {
    Now,
    /// Not in a frame drawn while keys arrive: the results answer the
    /// key first, the text follows once the input is idle (as fzf's
    /// preview does).
    WhenIdle,
}

/// What the detail pane shows under the facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocView {
    /// No docs: how to get them.
    Hint(&'static str),
    /// The docs could not be read: why.
    Error(String),
    /// The entry's text, and where it comes from.
    Text { source: String, blocks: Vec<Block> },
    /// These docs have nothing for the item: why.
    Missing { source: String, why: String },
}

impl App {
    /// Sets the docs the detail pane reads.
    pub fn set_docs(&mut self, docs: DocsState) {
        self.docs = docs;
        self.doc_view = None;
    }

    /// Whether the detail pane shows an item whose entry is not read yet,
    /// left out under [`DocsTiming::WhenIdle`]: the loop draws again when idle.
    pub fn docs_deferred(&self) -> bool {
        // While the docs load, the entry's text is a hint: nothing to defer.
        self.docs_timing == DocsTiming::WhenIdle && self.doc_view_stale() && !matches!(self.docs, DocsState::Loading)
    }

    fn doc_view_stale(&self) -> bool {
        let index = self.detail_item().and_then(|item| self.catalog.index_of(item.name()));
        index.is_some() && self.doc_view.as_ref().map(|(i, _)| *i) != index
    }

    /// The documentation of the item the detail pane shows.
    pub fn doc_view(&mut self) -> Option<&DocView> {
        let item = self.detail_item()?;
        let index = self.catalog.index_of(item.name())?;
        if self.doc_view.as_ref().is_none_or(|(i, _)| *i != index) {
            let view = match &mut self.docs {
                DocsState::Absent => DocView::Hint(docs::HOW_TO_GET),
                DocsState::Loading => DocView::Hint("Reading docs…"),
                DocsState::Broken(why) => DocView::Error(escape(why).into_owned()),
                DocsState::Ready(found) => {
                    let source = escape(&found.describe()).into_owned();
                    match found.entry(&self.catalog, item) {
                        Ok(Ok(blocks)) => DocView::Text {
                            source,
                            blocks: escaped::blocks(&blocks),
                        },
                        Ok(Err(Missing::Undocumented)) => DocView::Missing {
                            source,
                            why: format!("{} {}", item.name(), Missing::Undocumented),
                        },
                        Ok(Err(missing)) => DocView::Missing {
                            source,
                            why: escape(&missing.to_string()).into_owned(),
                        },
                        Err(e) => DocView::Error(escape(&e).into_owned()),
                    }
                }
            };
            self.doc_view = Some((index, view));
        }
        self.doc_view.as_ref().map(|(_, v)| v)
    }

    /// The catalog names the documentation text links to, in reading order.
    pub(super) fn doc_links(&mut self) -> Vec<&'static str> {
        let catalog = self.catalog;
        match self.doc_view() {
            Some(DocView::Text { blocks, .. }) => render::render(blocks, 80)
                .links
                .iter()
                .filter_map(|name| catalog.get(name).map(Item::name))
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl App {
    /// Up/Down in the detail pick a link; longer moves scroll.
    pub(super) fn move_in_detail(&mut self, delta: isize) {
        let links = self.links().len();
        if links > 0 && delta.abs() == 1 {
            self.detail.link = self.detail.link.saturating_add_signed(delta).min(links - 1);
            self.detail.link_moved = true;
        } else {
            let scroll = i64::from(self.detail.scroll) + i64::try_from(delta).unwrap_or(0);
            self.detail.scroll = u16::try_from(scroll.clamp(0, i64::from(u16::MAX))).unwrap_or(0);
        }
    }

    /// Enter in the detail follows the highlighted link.
    pub(super) fn confirm_in_detail(&mut self) -> Option<super::Effect> {
        let target = self.links().get(self.detail.link).copied();
        if let Some(index) = target.and_then(|name| self.catalog.index_of(name)) {
            self.detail.trail.push(index);
            self.detail = super::DetailState {
                trail: std::mem::take(&mut self.detail.trail),
                ..super::DetailState::default()
            };
        }
        None
    }

    /// The documentation of the item shown: the local page when the docs
    /// are a directory (a browser cannot open a page inside an archive),
    /// else the online one.
    pub(super) fn open_docs(&mut self) -> Option<super::Effect> {
        let item = self.detail_item()?;
        let Some(url) = item.doc_url() else {
            self.notify(format!("{} is undocumented", item.name()), super::StatusKind::Error);
            return None;
        };
        let local = match &self.docs {
            DocsState::Ready(found) => found.local_page(url),
            _ => None,
        };
        Some(super::Effect::Open(local.unwrap_or_else(|| url.to_string())))
    }
}
