//! Keeping the results current: the search after every change of query,
//! scope or target, the selection that follows it, and the verdicts.

use super::{App, DetailState};
use crate::search::{Hit, MatchClass, Query, Ranking};
use crate::target::{Target, Verdict, judge};

impl App {
    /// Sets the target: verdicts for every item, and the results again.
    pub fn set_target(&mut self, target: Target) {
        self.target = target;
        self.verdicts = if target.is_set() {
            self.catalog
                .items()
                .iter()
                .map(|i| judge(&self.catalog, i, target).verdict)
                .collect()
        } else {
            Vec::new()
        };
        self.advice = None;
        self.searched.clear();
        self.refresh();
    }

    /// Whether `h` hides an item: what the target cannot use at all. A
    /// struct abi3t makes opaque stays: code still names it through
    /// pointers (`PyObject *`).
    fn hideable(&self, index: usize) -> bool {
        match self.verdict(index) {
            Some(Verdict::Abi3tUnusable) => self.catalog.items()[index].kind != crate::catalog::Kind::Struct,
            Some(v) => !v.is_usable(),
            None => false,
        }
    }

    /// How many matches `h` hides.
    pub fn hidden(&self) -> usize {
        self.hidden
    }

    /// The verdict of an item (by index) under the target, if one is set.
    pub fn verdict(&self, index: usize) -> Option<Verdict> {
        self.verdicts.get(index).copied()
    }

    pub(super) fn toggle_unusable(&mut self) {
        if !self.target.is_set() {
            self.notify("No target: press t to choose one", super::StatusKind::Error);
            return;
        }
        self.hide_unusable = !self.hide_unusable;
        self.searched.clear();
        self.refresh();
        let what = if self.hide_unusable { "Hiding" } else { "Dimming" };
        self.notify(
            format!("{what} what {} cannot use", self.target),
            super::StatusKind::Info,
        );
    }

    /// Selects a result, clamped; the detail follows it again.
    pub(super) fn select(&mut self, index: usize) {
        let index = index.min(self.hits.len().saturating_sub(1));
        self.rank_to(index + 1);
        if index != self.selected || !self.detail.trail.is_empty() {
            self.detail = DetailState::default();
        }
        self.selected = index;
        self.pinned = index != 0;
    }

    /// Reruns the search after the query, scope, target or filter changed.
    /// A selection the user moved stays on its item while it still matches
    /// (unless an exact match appears); otherwise the best hit is selected.
    /// Under a target, usable hits come first (the exact match still first).
    pub(super) fn refresh(&mut self) {
        self.dirty = false;
        let keep = self.hits.get(self.selected).filter(|_| self.pinned).map(|h| h.index);
        let plain_before = self.parsed.filters().is_empty() && self.parsed.errors().is_empty();
        self.parsed = Query::parse(self.query.text());
        let plain = self.parsed.filters().is_empty() && self.parsed.errors().is_empty();
        let text = self.query.text();
        let items = self.catalog.items();
        // Ranking lazily only pays when nothing reorders the hits afterwards;
        // a screenful is ordered, the results pane orders more as it scrolls.
        let enough = if self.target.is_set() {
            usize::MAX
        } else {
            self.areas.results.map_or(0, |r| usize::from(r.height)).max(64)
        };
        let hide = self.hide_unusable && self.target.is_set();
        let in_scope = |i: &usize| self.in_scope(*i);
        // A growing plain query can only match among the previous hits
        // (unless some were hidden: they are counted anew).
        let ranking = if plain
            && plain_before
            && !hide
            && self.searching == super::SearchIn::Names
            && !self.searched.is_empty()
            && text.starts_with(self.searched.as_str())
        {
            let previous = self.hits.iter().map(|h| h.index);
            self.searcher.rank(&self.catalog, previous, &self.parsed, enough)
        } else {
            self.searcher
                .rank(&self.catalog, (0..items.len()).filter(in_scope), &self.parsed, enough)
        };
        self.searched = text.to_string();
        self.hits = ranking.hits;
        self.ranked = ranking.ranked;
        if self.searching == super::SearchIn::Text {
            self.hits = self.text_hits();
            self.ranked = self.hits.len();
        }
        self.hidden = 0;
        if hide {
            let before = self.hits.len();
            let kept = |h: &Hit| !self.hideable(h.index);
            let ranked_hidden = self.hits[..self.ranked].iter().filter(|h| !kept(h)).count();
            let hits: Vec<Hit> = self.hits.iter().copied().filter(kept).collect();
            self.hits = hits;
            self.ranked -= ranked_hidden;
            self.hidden = before - self.hits.len();
        }
        if let Some(report) = &self.report {
            // `check --tui`: what blocks first, then what exceeds, then the rest.
            self.hits.sort_by_key(|h: &Hit| {
                (
                    h.class != MatchClass::Exact,
                    report.rank.get(h.index).copied().unwrap_or(u8::MAX),
                )
            });
        } else if self.target.is_set() {
            let verdicts = &self.verdicts;
            self.hits.sort_by_key(|h: &Hit| {
                (
                    h.class != MatchClass::Exact,
                    !verdicts.get(h.index).is_none_or(|v| v.is_usable()),
                )
            });
        }
        if let Some(error) = self.parsed.errors().first() {
            self.notify(error.clone(), super::StatusKind::Error);
        }
        if let Some(at) = keep.and_then(|index| self.hits.iter().position(|h| h.index == index)) {
            self.rank_to(at + 1);
        }
        let exact = self.hits.first().is_some_and(|h| h.class == MatchClass::Exact);
        let kept = keep.and_then(|index| self.hits.iter().position(|h| h.index == index));
        let selected = if exact { 0 } else { kept.unwrap_or(0) };
        if selected != self.selected || kept.is_none() {
            self.detail = DetailState::default();
        }
        self.selected = selected;
        self.pinned = selected != 0;
    }

    /// Makes sure the first `n` hits are in their final order.
    pub fn rank_to(&mut self, n: usize) {
        if n > self.ranked {
            let mut ranking = Ranking {
                hits: std::mem::take(&mut self.hits),
                ranked: self.ranked,
            };
            self.searcher.finish(&self.catalog, &self.parsed, &mut ranking);
            self.hits = ranking.hits;
            self.ranked = ranking.ranked;
        }
    }
}
