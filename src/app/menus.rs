//! The overlays' keys: the copy menu and the target picker.

use super::{App, Effect, Overlay, StatusKind};
use crate::catalog::Version;
use crate::keymap::Action;
use crate::snippets::{self, CopyWhat};
use crate::target::{ABI3T_FIRST, NEWEST, Target};

/// The target picker: two rows (abi3, abi3t), each a version or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Picker {
    /// 0: abi3, 1: abi3t.
    pub row: usize,
    pub target: Target,
}

/// The choices of a picker row, `None` meaning off.
fn choices(row: usize) -> Vec<Option<Version>> {
    let first = if row == 0 { 2 } else { ABI3T_FIRST.minor };
    std::iter::once(None)
        .chain((first..=NEWEST.minor).map(|m| Some(Version::new(3, m))))
        .collect()
}

impl App {
    pub(super) fn copy(&mut self, what: CopyWhat) -> Option<Effect> {
        let Some(item) = self.detail_item() else {
            self.notify("nothing selected to copy", StatusKind::Error);
            return None;
        };
        match snippets::copy_text(item, what) {
            Ok(text) => Some(Effect::Copy { what, text }),
            Err(why) => {
                self.notify(why, StatusKind::Error);
                None
            }
        }
    }

    pub(super) fn copy_menu(&mut self, action: Action, at: usize) -> Option<Effect> {
        let last = CopyWhat::ALL.len() - 1;
        match action {
            Action::Up | Action::SelectPrev => self.overlay = Overlay::Copy(at.saturating_sub(1)),
            Action::Down | Action::SelectNext => self.overlay = Overlay::Copy((at + 1).min(last)),
            Action::Confirm => {
                self.overlay = Overlay::None;
                return self.copy(CopyWhat::ALL[at.min(last)]);
            }
            Action::CopyName => {
                self.overlay = Overlay::None;
                return self.copy(CopyWhat::Name);
            }
            Action::CopySignature => {
                self.overlay = Overlay::None;
                return self.copy(CopyWhat::Signature);
            }
            _ => self.overlay = Overlay::None,
        }
        None
    }

    pub(super) fn copy_menu_char(&mut self, c: char) -> Option<Effect> {
        self.overlay = Overlay::None;
        let what = CopyWhat::ALL.into_iter().find(|w| w.key() == c)?;
        self.copy(what)
    }

    pub(super) fn picker(&mut self, action: Action, mut picker: Picker) {
        match action {
            Action::Up
            | Action::Down
            | Action::SelectNext
            | Action::SelectPrev
            | Action::FocusNext
            | Action::FocusPrev => {
                picker.row = 1 - picker.row;
                self.overlay = Overlay::Target(picker);
            }
            Action::Left | Action::Right => {
                let options = choices(picker.row);
                let current = if picker.row == 0 {
                    picker.target.abi3
                } else {
                    picker.target.abi3t
                };
                let at = options.iter().position(|o| *o == current).unwrap_or(0);
                let next = if action == Action::Right {
                    (at + 1) % options.len()
                } else {
                    (at + options.len() - 1) % options.len()
                };
                if picker.row == 0 {
                    picker.target.abi3 = options[next];
                } else {
                    picker.target.abi3t = options[next];
                }
                self.overlay = Overlay::Target(picker);
            }
            Action::Confirm => {
                self.overlay = Overlay::None;
                self.set_target(picker.target);
                self.chosen_target = Some(picker.target);
                self.notify(format!("Target: {}", picker.target), StatusKind::Info);
            }
            _ => self.overlay = Overlay::None,
        }
    }
}
