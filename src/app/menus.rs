//! The overlays' keys: the copy menu and the target picker.

use super::{App, Effect, Overlay, StatusKind};
use crate::catalog::Version;
use crate::docs::text::Block;
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

/// One line of the copy menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyEntry {
    pub key: char,
    pub label: String,
    pub what: CopyWhat,
    /// For a code example: its text.
    pub code: Option<String>,
}

/// The code examples in the documentation text, in reading order.
pub fn code_blocks(blocks: &[Block], out: &mut Vec<String>) {
    for block in blocks {
        match block {
            Block::Code(code) => out.push(code.clone()),
            Block::List { items, .. } => items.iter().for_each(|item| code_blocks(item, out)),
            Block::Note { body, .. } | Block::Version(body) | Block::Definition { body, .. } => {
                code_blocks(body, out);
            }
            Block::Para(_) | Block::Heading(_) | Block::Table(_) => {}
        }
    }
}

impl App {
    /// The copy menu: the item's facts, then each code example of its
    /// documentation text (keys 1 to 9).
    pub fn copy_entries(&mut self) -> Vec<CopyEntry> {
        let mut entries: Vec<CopyEntry> = CopyWhat::ALL
            .iter()
            .map(|w| CopyEntry {
                key: w.key(),
                label: w.label().to_string(),
                what: *w,
                code: None,
            })
            .collect();
        let mut codes = Vec::new();
        if let Some(super::DocView::Text { blocks, .. }) = self.doc_view() {
            code_blocks(blocks, &mut codes);
        }
        for (n, code) in codes.into_iter().take(9).enumerate() {
            let first = code.lines().find(|l| !l.trim().is_empty()).unwrap_or_default().trim();
            entries.push(CopyEntry {
                key: char::from(b'1' + u8::try_from(n).unwrap_or(0)),
                label: format!("code example {}: {first}", n + 1),
                what: CopyWhat::Code,
                code: Some(code),
            });
        }
        entries
    }

    /// Copies a menu entry.
    fn copy_entry(&mut self, entry: CopyEntry) -> Option<Effect> {
        match entry.code {
            Some(text) => Some(Effect::Copy {
                what: CopyWhat::Code,
                text,
            }),
            None => self.copy(entry.what),
        }
    }

    pub(super) fn copy(&mut self, what: CopyWhat) -> Option<Effect> {
        let Some(item) = self.detail_item() else {
            self.notify("nothing selected to copy", StatusKind::Error);
            return None;
        };
        match snippets::copy_text_for(item, what, self.target) {
            Ok(text) => Some(Effect::Copy { what, text }),
            Err(why) => {
                self.notify(why, StatusKind::Error);
                None
            }
        }
    }

    pub(super) fn copy_menu(&mut self, action: Action, at: usize) -> Option<Effect> {
        let entries = self.copy_entries();
        let last = entries.len() - 1;
        match action {
            Action::Up | Action::SelectPrev => self.overlay = Overlay::Copy(at.saturating_sub(1)),
            Action::Down | Action::SelectNext => self.overlay = Overlay::Copy((at + 1).min(last)),
            Action::Confirm => {
                self.overlay = Overlay::None;
                return entries.into_iter().nth(at.min(last)).and_then(|e| self.copy_entry(e));
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
        let entry = self.copy_entries().into_iter().find(|e| e.key == c)?;
        self.copy_entry(entry)
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
