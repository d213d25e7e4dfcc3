//! Actions and the keymap: key chords in a small notation (`q`, `<C-y>`,
//! `<A-s>`, `<S-tab>`, `<down>`) bound to documented actions whose
//! `snake_case` names are also the config vocabulary.
//!
//! The help overlay and the status-line hints are generated from the
//! keymap, never written twice. A binding of a plain printable key (no
//! Ctrl or Alt) acts only when the search line does not have focus, so
//! typing `q` into a query types `q`.

use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::{Deserialize, Deserializer};

/// Declares the actions with their config names and help texts.
macro_rules! actions {
    ($($variant:ident = $name:literal, $help:literal;)+) => {
        /// Everything a key can do. What an action means can depend on the
        /// focused pane (`down` moves in whichever list has focus).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Action { $($variant),+ }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];

            /// The name used in the config file.
            pub const fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),+ }
            }

            /// One line for the help overlay.
            pub const fn help(self) -> &'static str {
                match self { $(Action::$variant => $help),+ }
            }
        }

        impl std::str::FromStr for Action {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($name => Ok(Action::$variant),)+
                    _ => Err(format!("unknown action '{s}' (valid: {})", [$($name),+].join(", "))),
                }
            }
        }
    };
}

actions! {
    Quit = "quit", "quit (Ctrl-C always quits)";
    Cancel = "cancel", "leave the pane (the detail, then the list), clear the query, then quit";
    Help = "help", "show or hide the key help";
    Suspend = "suspend", "suspend abiscope (fg brings it back)";
    FocusNext = "focus_next", "focus the next pane";
    FocusPrev = "focus_prev", "focus the previous pane";
    Up = "up", "move up (in the focused list; from the search, in the results; at the top, the previous query)";
    Down = "down", "move down";
    PageUp = "page_up", "move a page up";
    PageDown = "page_down", "move a page down";
    Home = "home", "first entry; in the search, start of the query";
    End = "end", "last entry; in the search, end of the query";
    Left = "left", "cursor left; in the tree, collapse";
    Right = "right", "cursor right; in the tree, expand";
    Confirm = "confirm", "open: show the item, expand a section, follow a link, copy a code example";
    Back = "back", "delete a character; in the detail, go back";
    DeleteWord = "delete_word", "delete the word before the cursor";
    ClearQuery = "clear_query", "clear the query";
    LineStart = "line_start", "cursor to the start of the query";
    LineEnd = "line_end", "cursor to the end of the query";
    SelectNext = "select_next", "next result, whatever has focus";
    SelectPrev = "select_prev", "previous result, whatever has focus";
    HistoryPrev = "history_prev", "the previous query from the history";
    HistoryNext = "history_next", "the next query from the history";
    ToggleNode = "toggle_node", "expand or collapse the tree section";
    CopyName = "copy_name", "copy the name";
    CopySignature = "copy_signature", "copy the signature";
    CopyMenu = "copy_menu", "copy: name, signature, link, snippet, #define or a code example";
    OpenDocs = "open_docs", "open the documentation (the local page when docs are loaded)";
    Target = "target", "choose the target: abi3 and/or abi3t, and the version";
    ToggleUnusable = "toggle_unusable", "hide or dim what the target cannot use";
    Find = "find", "find text in the entry the detail shows (Enter: next, Esc: close)";
    TextMode = "text_mode", "search the documentation text instead of the names, and back";
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A key with its modifiers, normalised so that equal chords compare equal
/// (`Shift` is folded into characters and `<S-tab>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Chord {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Chord {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::BackTab => {
                mods |= KeyModifiers::SHIFT;
                KeyCode::Tab
            }
            KeyCode::Char(c) => {
                mods -= KeyModifiers::SHIFT;
                // Terminals report Ctrl-letters in either case.
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    code
                }
            }
            other => other,
        };
        Chord { code, mods }
    }

    pub fn from_event(key: &KeyEvent) -> Chord {
        Chord::new(key.code, key.modifiers)
    }

    /// A printable character typed without Ctrl or Alt.
    pub fn typed_char(self) -> Option<char> {
        match self.code {
            KeyCode::Char(c) if !self.mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => Some(c),
            _ => None,
        }
    }
}

const NAMED: &[(&str, KeyCode)] = &[
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("tab", KeyCode::Tab),
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("bs", KeyCode::Backspace),
    ("del", KeyCode::Delete),
    ("ins", KeyCode::Insert),
    ("space", KeyCode::Char(' ')),
    ("lt", KeyCode::Char('<')),
    ("gt", KeyCode::Char('>')),
];

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let named = NAMED
            .iter()
            .find(|(_, c)| *c == self.code)
            .map(|(n, _)| (*n).to_string());
        let name = match (named, self.code) {
            (Some(n), _) => n,
            (None, KeyCode::F(n)) => format!("f{n}"),
            (None, KeyCode::Char(c)) => c.to_string(),
            (None, other) => format!("{other:?}").to_lowercase(),
        };
        let mut prefix = String::new();
        for (flag, letter) in [
            (KeyModifiers::CONTROL, "C-"),
            (KeyModifiers::ALT, "A-"),
            (KeyModifiers::SHIFT, "S-"),
        ] {
            if self.mods.contains(flag) {
                prefix.push_str(letter);
            }
        }
        if prefix.is_empty() && name.chars().count() == 1 {
            write!(f, "{name}")
        } else {
            write!(f, "<{prefix}{name}>")
        }
    }
}

impl std::str::FromStr for Chord {
    type Err = String;
    fn from_str(s: &str) -> Result<Chord, String> {
        let bad = || {
            format!(
                "invalid key '{s}' (a character like q, or <C-y>, <A-s>, <S-tab>, <down>, <pageup>, <enter>, <esc>, <bs>, <f1>)"
            )
        };
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if !crate::sanitize::is_control(c) => {
                return Ok(Chord::new(KeyCode::Char(c), KeyModifiers::NONE));
            }
            (Some('<'), Some(_)) if s.ends_with('>') => {}
            _ => return Err(bad()),
        }
        let mut body = &s[1..s.len() - 1];
        let mut mods = KeyModifiers::NONE;
        while let Some((m, rest)) = body
            .split_once('-')
            .filter(|(m, rest)| m.len() == 1 && !rest.is_empty())
        {
            mods |= match m {
                "C" | "c" => KeyModifiers::CONTROL,
                "A" | "a" | "M" | "m" => KeyModifiers::ALT,
                "S" | "s" => KeyModifiers::SHIFT,
                _ => return Err(bad()),
            };
            body = rest;
        }
        let lower = body.to_ascii_lowercase();
        let code = if let Some((_, code)) = NAMED.iter().find(|(n, _)| *n == lower) {
            *code
        } else if let Some(n) = lower
            .strip_prefix('f')
            .and_then(|n| n.parse::<u8>().ok())
            .filter(|n| (1..=24).contains(n))
        {
            KeyCode::F(n)
        } else {
            let mut cs = body.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) if !crate::sanitize::is_control(c) => KeyCode::Char(c),
                _ => return Err(bad()),
            }
        };
        Ok(Chord::new(code, mods))
    }
}

impl<'de> Deserialize<'de> for Chord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Parses a key sequence in the config notation: `PyBuf<down><C-y>`.
pub fn parse_sequence(s: &str) -> Result<Vec<Chord>, String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        // `<...>` is one chord; a lone `<` is the character.
        let len = if c == '<' {
            rest.find('>').map_or(1, |e| e + 1)
        } else {
            c.len_utf8()
        };
        out.push(rest[..len].parse()?);
        rest = &rest[len..];
    }
    Ok(out)
}

/// Key chords bound to actions, in the order they were bound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<(Chord, Action)>,
}

/// The default bindings. Every action has a chord that acts while the
/// search line has focus (Ctrl, Alt, a function key or a named key); plain
/// letters are kept as shorter keys for the other panes.
const DEFAULTS: &[(Action, &[&str])] = &[
    (Action::Quit, &["<C-c>", "q"]),
    (Action::Cancel, &["<esc>"]),
    (Action::Help, &["<f1>", "?"]),
    (Action::Suspend, &["<C-z>"]),
    (Action::FocusNext, &["<tab>"]),
    (Action::FocusPrev, &["<S-tab>"]),
    (Action::Up, &["<up>", "k"]),
    (Action::Down, &["<down>", "j"]),
    (Action::PageUp, &["<pageup>"]),
    (Action::PageDown, &["<pagedown>"]),
    (Action::Home, &["<home>", "g"]),
    (Action::End, &["<end>", "G"]),
    (Action::Left, &["<left>"]),
    (Action::Right, &["<right>"]),
    (Action::Confirm, &["<enter>"]),
    (Action::Back, &["<bs>"]),
    (Action::DeleteWord, &["<C-w>"]),
    (Action::ClearQuery, &["<C-u>"]),
    (Action::LineStart, &["<C-a>"]),
    (Action::LineEnd, &["<C-e>"]),
    (Action::SelectNext, &["<C-j>"]),
    (Action::SelectPrev, &["<C-k>"]),
    (Action::HistoryPrev, &["<C-p>"]),
    (Action::HistoryNext, &["<C-n>"]),
    (Action::ToggleNode, &["<space>"]),
    (Action::CopyName, &["<C-y>"]),
    (Action::CopySignature, &["<A-s>"]),
    (Action::CopyMenu, &["<A-c>", "c"]),
    (Action::OpenDocs, &["<C-o>", "o"]),
    (Action::Target, &["<C-t>", "t"]),
    (Action::ToggleUnusable, &["<A-h>", "h"]),
    (Action::Find, &["<C-f>", "/"]),
    (Action::TextMode, &["<A-f>"]),
];

impl Default for Keymap {
    fn default() -> Self {
        let mut bindings = Vec::new();
        for (action, keys) in DEFAULTS {
            for k in *keys {
                let chord = k.parse().unwrap_or_else(|e| panic!("default key {k}: {e}"));
                bindings.push((chord, *action));
            }
        }
        Keymap { bindings }
    }
}

impl Keymap {
    /// Rebinds `action` to exactly `chords`, taking each chord away from
    /// whatever it was bound to before.
    pub fn rebind(&mut self, action: Action, chords: &[Chord]) {
        self.bindings.retain(|(c, a)| *a != action && !chords.contains(c));
        self.bindings.extend(chords.iter().map(|c| (*c, action)));
    }

    /// What a key does; `typing` when the search line has focus, where
    /// plain characters are text.
    pub fn action(&self, chord: Chord, typing: bool) -> Option<Action> {
        if typing && chord.typed_char().is_some() {
            return None;
        }
        self.bindings.iter().find(|(c, _)| *c == chord).map(|(_, a)| *a)
    }

    /// The keys bound to an action, in binding order.
    pub fn keys(&self, action: Action) -> Vec<Chord> {
        self.bindings
            .iter()
            .filter(|(_, a)| *a == action)
            .map(|(c, _)| *c)
            .collect()
    }

    /// The key to show for an action where the user is: while `typing`
    /// (the search line has focus, where plain characters are text) the
    /// first chord that acts there, elsewhere the first plain key if any
    /// (the shortest to press), else the first.
    pub fn hint(&self, action: Action, typing: bool) -> Option<String> {
        let keys = self.keys(action);
        let chosen = if typing {
            keys.iter().find(|c| c.typed_char().is_none())
        } else {
            keys.iter().find(|c| c.typed_char().is_some()).or(keys.first())
        };
        chosen.map(ToString::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chords_print_and_parse_back() {
        for text in [
            "q", "G", "?", "<C-y>", "<A-s>", "<S-tab>", "<down>", "<pageup>", "<f1>", "<esc>", "<space>", "<lt>", "é",
        ] {
            let chord: Chord = text.parse().expect(text);
            assert_eq!(chord.to_string(), text);
            assert_eq!(chord.to_string().parse::<Chord>(), Ok(chord));
        }
    }

    #[test]
    fn terminal_events_normalise_to_the_same_chords() {
        let backtab = Chord::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(backtab, "<S-tab>".parse().expect("valid"));
        let shifted = Chord::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(shifted, "G".parse().expect("valid"));
        let ctrl_upper = Chord::new(KeyCode::Char('Y'), KeyModifiers::CONTROL | KeyModifiers::SHIFT);
        assert_eq!(ctrl_upper, "<C-y>".parse().expect("valid"));
    }

    #[test]
    fn bad_keys_say_what_is_valid() {
        for bad in ["", "<C-", "<X-y>", "<nope>", "ab", "<f99>"] {
            let err = bad.parse::<Chord>().expect_err(bad);
            assert!(err.contains("<C-y>"), "{err}");
        }
    }

    #[test]
    fn sequences_mix_text_and_chords() {
        let seq = parse_sequence("Py<down><C-y>").expect("valid");
        let printed: Vec<String> = seq.iter().map(ToString::to_string).collect();
        assert_eq!(printed, ["P", "y", "<down>", "<C-y>"]);
        assert!(parse_sequence("<bogus>").is_err());
    }

    #[test]
    fn plain_keys_are_text_while_typing() {
        let keymap = Keymap::default();
        let q: Chord = "q".parse().expect("valid");
        assert_eq!(keymap.action(q, false), Some(Action::Quit));
        assert_eq!(keymap.action(q, true), None);
        let ctrl_c: Chord = "<C-c>".parse().expect("valid");
        assert_eq!(keymap.action(ctrl_c, true), Some(Action::Quit));
    }

    #[test]
    fn every_action_has_a_key_that_works_while_typing() {
        let keymap = Keymap::default();
        // Expanding a tree section only means something in the tree.
        for a in Action::ALL.iter().filter(|a| **a != Action::ToggleNode) {
            let key = keymap.hint(*a, true).unwrap_or_else(|| panic!("{a:?} has no chord"));
            let chord: Chord = key.parse().expect("printed keys parse");
            assert_eq!(keymap.action(chord, true), Some(*a), "{key}");
        }
        assert_eq!(keymap.hint(Action::Help, true).as_deref(), Some("<f1>"));
        assert_eq!(keymap.hint(Action::CopyMenu, false).as_deref(), Some("c"));
        assert_eq!(keymap.hint(Action::CopyMenu, true).as_deref(), Some("<A-c>"));
    }

    #[test]
    fn rebinding_moves_a_key() {
        let mut keymap = Keymap::default();
        let x: Chord = "x".parse().expect("valid");
        keymap.rebind(Action::Quit, &[x]);
        assert_eq!(keymap.keys(Action::Quit), vec![x]);
        keymap.rebind(Action::CopyName, &[x]);
        assert_eq!(keymap.action(x, false), Some(Action::CopyName));
        assert!(keymap.keys(Action::Quit).is_empty());
    }

    #[test]
    fn every_action_has_a_default_key_and_a_unique_name() {
        let keymap = Keymap::default();
        for a in Action::ALL {
            assert!(!keymap.keys(*a).is_empty(), "{a:?} has no key");
            assert_eq!(a.name().parse::<Action>(), Ok(*a));
        }
    }
}
