//! What the explorer remembers between runs, in the platform's state
//! directory ([`crate::dirs::state`]: `$XDG_STATE_HOME/abiscope`, else
//! `~/.local/state/abiscope` on Linux): the query
//! history (`history`, one query a line, oldest first) and the last target
//! chosen with `t` (`target`).
//!
//! The files are read as untrusted: regular files only, at most
//! [`MAX_BYTES`], control characters dropped, bounded by the history's own
//! limits. They are written whole to a temporary file and renamed, so two
//! explorers quitting at once leave one complete file. Failing to read or
//! write them never stops the explorer.

use std::path::PathBuf;

use crate::app::history::{self, History};
use crate::target::Target;

/// A state file larger than this is not read.
pub const MAX_BYTES: u64 = 2 << 20;

/// `$XDG_STATE_HOME/abiscope`, else `~/.local/state/abiscope` (on Linux).
pub fn dir() -> Option<PathBuf> {
    crate::dirs::state(crate::dirs::Platform::CURRENT).ok()
}

/// A state file's text: a regular file, capped ([`crate::untrusted`]).
fn read(name: &str) -> Option<String> {
    let bytes = crate::untrusted::read(&dir()?.join(name), MAX_BYTES).ok()?;
    String::from_utf8(bytes).ok()
}

fn write(name: &str, text: &str) -> std::io::Result<()> {
    let dir = dir().ok_or_else(|| std::io::Error::other("no state directory: the home directory is unknown"))?;
    std::fs::create_dir_all(&dir)?;
    let temp = dir.join(format!(".{name}.{}", std::process::id()));
    std::fs::write(&temp, text)?;
    std::fs::rename(&temp, dir.join(name))
}

/// The stored query history (empty when there is none).
pub fn load_history() -> History {
    let text = read("history").unwrap_or_default();
    let entries = text
        .lines()
        .map(|l| {
            l.chars()
                .filter(|c| !crate::sanitize::is_control(*c))
                .collect::<String>()
        })
        .filter(|l| l.len() <= history::LONGEST)
        .collect();
    History::new(entries)
}

pub fn save_history(history: &History) -> std::io::Result<()> {
    let mut text = history.entries().join("\n");
    text.push('\n');
    write("history", &text)
}

/// The last target chosen with `t`, if it is still a valid one.
pub fn load_target() -> Option<Target> {
    read("target")?.trim().parse().ok()
}

pub fn save_target(target: Target) -> std::io::Result<()> {
    write("target", &format!("{}\n", spec(target)))
}

/// A target in the `--target` notation, which `Target` parses back.
fn spec(target: Target) -> String {
    let parts: Vec<String> = [("abi3", target.abi3), ("abi3t", target.abi3t)]
        .into_iter()
        .filter_map(|(abi, v)| v.map(|v| format!("{abi}={v}")))
        .collect();
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_round_trip_through_their_notation() {
        for text in ["abi3=3.9", "abi3t=3.15", "abi3=3.9,abi3t=3.15", "none"] {
            let target: Target = text.parse().expect("valid");
            assert_eq!(spec(target), text);
        }
    }
}
