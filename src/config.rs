//! The explorer's configuration file: theme colours, key bindings by action
//! name, and the pane layout.
//!
//! Parse, don't validate: the raw serde shape (`deny_unknown_fields`, keys,
//! colours and layouts checked while deserialising, so toml reports the
//! line, column and what is valid) converts once into [`Config`]. A missing
//! file at the default location means defaults; a broken one is an error.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use ratatui::style::Color;
use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::keymap::{Action, Chord, Keymap};
use crate::target::Target;
use crate::ui::theme::Palette;

/// The largest configuration file read (the commented default is 4 KiB).
pub const MAX_SIZE: u64 = 1 << 20;

/// The commented default configuration, as `abiscope config --default` prints it.
pub const DEFAULT_TOML: &str = include_str!("../assets/config.toml");

/// How the panes share the screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LayoutMode {
    /// Three columns when wide; tree hidden until focused when medium;
    /// results above the detail (or one pane at a time) when narrow.
    #[default]
    Auto,
    /// Tree, results and detail side by side whenever they fit.
    Columns,
    /// Results above the detail; the tree replaces the results when focused.
    Stacked,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    pub palette: Palette,
    pub keymap: Keymap,
    pub layout: LayoutMode,
    pub target: Target,
    /// Python's HTML docs (a directory, `.zip` or `.tar.bz2`); `None`:
    /// look in the usual places.
    pub docs: Option<std::path::PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawConfig {
    layout: LayoutMode,
    target: Option<TargetSpec>,
    build_python: Option<BuildPython>,
    docs: Option<String>,
    theme: RawTheme,
    keys: BTreeMap<Action, Keys>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawTheme {
    accent: Option<Colour>,
    matched: Option<Colour>,
    kind: Option<Colour>,
    limited: Option<Colour>,
    abi_only: Option<Colour>,
    unstable: Option<Colour>,
    private: Option<Colour>,
    keyword: Option<Colour>,
    error: Option<Colour>,
    selection: Option<Colour>,
}

/// A colour name, `#rrggbb` or a 0-255 palette index.
#[derive(Debug, Clone, Copy)]
struct Colour(Color);

impl<'de> Deserialize<'de> for Colour {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse::<Color>().map(Colour).map_err(|_| {
            de::Error::custom(format!(
                "invalid colour '{s}' (valid: black, red, green, yellow, blue, magenta, cyan, gray, darkgray, \
                 lightred, lightgreen, lightyellow, lightblue, lightmagenta, lightcyan, white, reset, #rrggbb, or 0-255)"
            ))
        })
    }
}

/// A target in the `--target` notation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TargetSpec(pub(crate) Target);

impl<'de> Deserialize<'de> for TargetSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map(TargetSpec).map_err(de::Error::custom)
    }
}

/// A build Python in the `--build-python` notation.
#[derive(Debug)]
struct BuildPython(crate::catalog::Version);

impl<'de> Deserialize<'de> for BuildPython {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        crate::target::parse_build_python(&s)
            .map(BuildPython)
            .map_err(de::Error::custom)
    }
}

/// One key or a list of keys.
#[derive(Debug)]
struct Keys(Vec<Chord>);

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeysVisitor;
        impl<'de> Visitor<'de> for KeysVisitor {
            type Value = Keys;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key such as \"<C-y>\" or a list of keys")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Keys, E> {
                v.parse().map(|c| Keys(vec![c])).map_err(E::custom)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Keys, A::Error> {
                let mut keys = Vec::new();
                while let Some(chord) = seq.next_element::<Chord>()? {
                    keys.push(chord);
                }
                Ok(Keys(keys))
            }
        }
        d.deserialize_any(KeysVisitor)
    }
}

/// A configuration file that could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ConfigError {
    pub path: String,
    pub message: String,
}

/// `~/x` as `x` in the home directory.
fn expand_home(path: &str) -> std::path::PathBuf {
    match (path.strip_prefix("~/"), etcetera::home_dir()) {
        (Some(rest), Ok(home)) => home.join(rest),
        _ => std::path::PathBuf::from(path),
    }
}

impl Config {
    /// Parses a configuration file's text; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError {
            path: path.to_string(),
            message: e.to_string().trim_end().to_string(),
        })?;
        let defaults = Palette::default();
        let t = raw.theme;
        let pick = |c: Option<Colour>, d: Color| c.map_or(d, |c| c.0);
        let palette = Palette {
            accent: pick(t.accent, defaults.accent),
            matched: pick(t.matched, defaults.matched),
            kind: pick(t.kind, defaults.kind),
            limited: pick(t.limited, defaults.limited),
            abi_only: pick(t.abi_only, defaults.abi_only),
            unstable: pick(t.unstable, defaults.unstable),
            private: pick(t.private, defaults.private),
            keyword: pick(t.keyword, defaults.keyword),
            error: pick(t.error, defaults.error),
            selection: pick(t.selection, defaults.selection),
        };
        let refuse = |message: String| ConfigError {
            path: path.to_string(),
            message,
        };
        let ctrl_c: Chord = "<C-c>".parse().map_err(refuse)?;
        let mut keymap = Keymap::default();
        for (action, keys) in &raw.keys {
            if *action != Action::Quit && keys.0.contains(&ctrl_c) {
                return Err(refuse(format!(
                    "[keys] {}: <C-c> always quits; bind {} to another key",
                    action.name(),
                    action.name()
                )));
            }
            keymap.rebind(*action, &keys.0);
        }
        if keymap.keys(Action::Quit).is_empty() && keymap.keys(Action::Cancel).is_empty() {
            return Err(refuse(
                "[keys]: quit and cancel both have no key; keep at least one way out besides <C-c>".to_string(),
            ));
        }
        Ok(Config {
            palette,
            keymap,
            layout: raw.layout,
            target: crate::target::Target {
                build: raw.build_python.map(|b| b.0),
                ..raw.target.map(|t| t.0).unwrap_or_default()
            },
            docs: raw.docs.map(|d| expand_home(&d)),
        })
    }

    /// Loads the file `resolve` chooses; defaults when the default file
    /// does not exist. Only a regular file of at most [`MAX_SIZE`] is
    /// read: a FIFO or `/dev/zero` named as the configuration is an error,
    /// not a hang or an endless read.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let Some((path, required)) = resolve(explicit) else {
            return Ok(Config::default());
        };
        let shown = path.display().to_string();
        let error = |message: String| ConfigError {
            path: shown.clone(),
            message,
        };
        match crate::untrusted::read(&path, MAX_SIZE) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes).map_err(|_| error("not UTF-8 text".to_string()))?;
                Config::parse(&text, &shown)
            }
            Err(e) if e.is_not_found() && !required => Ok(Config::default()),
            Err(e) => Err(error(e.to_string())),
        }
    }
}

/// The configuration file to read and whether it must exist: `--config`,
/// else `ABISCOPE_CONFIG`, else `config.toml` in the platform's
/// configuration directory ([`crate::dirs::config`]: XDG on Linux,
/// Application Support on macOS, `%APPDATA%` on Windows). `None` when
/// there is no home directory to put it in.
pub fn resolve(explicit: Option<&Path>) -> Option<(PathBuf, bool)> {
    if let Some(p) = explicit {
        return Some((p.to_path_buf(), true));
    }
    if let Some(p) = std::env::var_os("ABISCOPE_CONFIG").filter(|p| !p.is_empty()) {
        return Some((PathBuf::from(p), true));
    }
    let dir = crate::dirs::config(crate::dirs::Platform::CURRENT).ok()?;
    Some((dir.join("config.toml"), false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_default_parses_to_the_defaults() {
        let parsed = Config::parse(DEFAULT_TOML, "default").expect("the default config parses");
        let defaults = Config::default();
        assert_eq!(parsed.palette, defaults.palette);
        assert_eq!(parsed.layout, defaults.layout);
        assert_eq!(parsed.target, defaults.target);
        for action in Action::ALL {
            assert_eq!(
                parsed.keymap.keys(*action),
                defaults.keymap.keys(*action),
                "{}",
                action.name()
            );
        }
    }

    #[test]
    fn the_default_file_names_every_action() {
        for action in Action::ALL {
            assert!(
                DEFAULT_TOML.contains(&format!("\n{} = ", action.name())),
                "{} missing",
                action.name()
            );
        }
    }

    #[test]
    fn overrides_apply() {
        let c = Config::parse(
            "layout = \"stacked\"\n[theme]\naccent = \"#ff8800\"\n[keys]\nquit = \"x\"\n",
            "t",
        )
        .expect("valid");
        assert_eq!(c.layout, LayoutMode::Stacked);
        assert_eq!(c.palette.accent, Color::Rgb(0xff, 0x88, 0x00));
        assert_eq!(c.keymap.keys(Action::Quit), vec!["x".parse::<Chord>().expect("valid")]);
    }

    #[test]
    fn an_empty_file_means_defaults() {
        assert_eq!(Config::parse("", "t").expect("valid"), Config::default());
    }
}
