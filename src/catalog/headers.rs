//! What each release's headers define or declare, for every name they know,
//! private ones included (`assets/header-names.txt`, generated beside the
//! catalog and compiled into a static table by `build.rs`).
//!
//! The catalog describes the public C API; this table answers what
//! `check` must also know: whether `#ifdef _Py_NO_RETURN` holds for a
//! build, whether a `_Py` name is CPython's at all, and what the headers of
//! the release a build compiles with give under its `Py_LIMITED_API`.
//! Releases without headers among the inputs (3.10, 3.12) are bracketed by
//! their neighbours: what both say is known, the rest is not.

use super::Version;

/// How the headers give a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeaderKind {
    /// An object-like macro.
    Macro,
    /// A function-like macro.
    FunctionMacro,
    /// An exported function (possibly wrapped by a macro).
    Function,
    /// A `static inline` function.
    Inline,
    Variable,
    Typedef,
    /// A struct or union tag.
    Tag,
    Enumerator,
    /// A macro of `pyconfig.h`: defined or not depending on the platform.
    Platform,
    /// Declared only by the internal headers (`Py_BUILD_CORE`).
    Internal,
}

impl HeaderKind {
    /// Needs no exported symbol at run time.
    pub fn is_compile_time(self) -> bool {
        !matches!(self, HeaderKind::Function | HeaderKind::Variable | HeaderKind::Internal)
    }

    pub fn is_macro(self) -> bool {
        matches!(
            self,
            HeaderKind::Macro | HeaderKind::FunctionMacro | HeaderKind::Platform
        )
    }
}

/// Under which configurations (see [`Config`]) one release's headers give
/// a name in one form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Presence {
    pub kind: HeaderKind,
    pub mask: u32,
}

/// A name some release's headers define or declare.
#[derive(Debug, Clone, Copy)]
pub struct HeaderName {
    /// Where the name is in `data::TEXT`: start and length.
    name: (u32, u8),
    /// Where its forms are in `data::FORMS`: release `i`'s (of
    /// [`RELEASES`]) from `forms[i]` to `forms[i + 1]`.
    forms: [u32; RELEASE_COUNT + 1],
}

/// A configuration the headers were read under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Config {
    /// `Py_LIMITED_API` at this version.
    Limited(Version),
    /// `Py_TARGET_ABI3T` (3.15 and later).
    Abi3t,
    /// No `Py_LIMITED_API`.
    Full,
}

impl Config {
    /// Its bit in a [`Presence`] mask (see `xtask/src/names.rs`); a
    /// version past the release's own reads as the release's newest.
    fn bit(self, release: Version) -> u32 {
        match self {
            Config::Limited(v) => u32::from(v.minor.min(release.minor).saturating_sub(2)),
            Config::Abi3t => 14,
            Config::Full => 15,
        }
    }
}

/// What the headers of one release say about a name under a configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// Declared or defined, in this form.
    Yes(HeaderKind),
    No,
    /// The release's headers are not among the inputs and its neighbours
    /// disagree.
    Unknown,
}

// Offsets into the generated tables, not numbers anyone reads.
#[allow(clippy::unreadable_literal)]
mod data {
    use super::{HeaderKind, HeaderName, Presence};
    use crate::catalog::Version;
    include!(concat!(env!("OUT_DIR"), "/header_names.rs"));
}

pub use data::{RELEASE_COUNT, RELEASES};

/// The release whose headers build code for `version`: its own (or the
/// build Python's, when newer). Versions before the oldest headers read
/// (3.9) build with those.
pub fn release_for(version: Version, build: Option<Version>) -> Version {
    let oldest = RELEASES[0];
    version.max(oldest).max(build.unwrap_or(oldest))
}

/// The entry for `name`, if some release's headers know it.
pub fn get(name: &str) -> Option<&'static HeaderName> {
    data::NAMES
        .binary_search_by(|n| n.name().cmp(name))
        .ok()
        .map(|i| &data::NAMES[i])
}

/// Every name, sorted.
pub fn all() -> &'static [HeaderName] {
    &data::NAMES
}

/// Which form of a name a question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Any. A macro or an inline function wins over an exported function:
    /// the code then compiles without the symbol (`Py_TYPE` before 3.14).
    Any,
    /// A macro (`#ifdef`).
    Macro,
}

/// Which form answers for a name with several under one configuration.
fn precedence(kind: HeaderKind, form: Form) -> Option<u8> {
    Some(match (form, kind) {
        (_, HeaderKind::Macro | HeaderKind::FunctionMacro) => 6,
        (_, HeaderKind::Platform) => 5,
        (Form::Macro, _) => return None,
        (_, HeaderKind::Inline) => 4,
        (_, HeaderKind::Function | HeaderKind::Variable) => 3,
        (_, HeaderKind::Typedef | HeaderKind::Tag | HeaderKind::Enumerator) => 2,
        (_, HeaderKind::Internal) => 1,
    })
}

impl HeaderName {
    pub fn name(&self) -> &'static str {
        let (start, len) = (self.name.0 as usize, usize::from(self.name.1));
        &data::TEXT[start..start + len]
    }

    /// Every form the headers of `RELEASES[release]` give it in (empty:
    /// absent). `Py_NewRef` is a function wrapped by a macro; `Py_TYPE`
    /// takes different forms under different configurations.
    pub fn forms(&self, release: usize) -> &'static [Presence] {
        &data::FORMS[self.forms[release] as usize..self.forms[release + 1] as usize]
    }

    /// What the headers of `release` give under `config`. Releases after
    /// the newest read as the newest; between two read releases, what both
    /// neighbours say.
    pub fn seen(&self, release: Version, config: Config, form: Form) -> Seen {
        let at = |i: usize| {
            let bit = 1 << config.bit(RELEASES[i]);
            self.forms(i)
                .iter()
                .filter(|p| p.mask & bit != 0)
                .filter_map(|p| precedence(p.kind, form).map(|rank| (rank, p.kind)))
                .max_by_key(|(rank, _)| *rank)
                .map_or(Seen::No, |(_, kind)| Seen::Yes(kind))
        };
        if release < RELEASES[0] {
            return Seen::Unknown;
        }
        match RELEASES.iter().rposition(|r| *r <= release) {
            Some(i) if RELEASES[i] == release || i + 1 == RELEASE_COUNT => at(i),
            Some(i) => {
                let (before, after) = (at(i), at(i + 1));
                if before == after {
                    before
                } else {
                    self.between(release, config, before, after)
                }
            }
            None => Seen::Unknown,
        }
    }

    /// A release between two read ones, where they disagree: the catalog's
    /// history decides when it can (added in 3.10: the 3.10 headers are
    /// like 3.11's; in the Limited API from 3.12: 3.12's are like 3.13's
    /// for `Py_LIMITED_API` 3.12).
    fn between(&self, release: Version, config: Config, before: Seen, after: Seen) -> Seen {
        let Some(item) = super::Catalog::embedded().get(self.name()) else {
            return Seen::Unknown;
        };
        if let Some(removed) = item.removed_in {
            return if removed <= release { after } else { before };
        }
        if let Some(added) = item.added_in {
            if added > release {
                return before;
            }
            if before == Seen::No && !matches!(config, Config::Limited(_)) {
                return after;
            }
        }
        match (config, item.stable_since) {
            (Config::Limited(v), Some(since)) if since <= v && since <= release => after,
            (Config::Limited(_), Some(since)) if since > release => before,
            _ if item.added_in.is_some_and(|a| a <= release) => after,
            _ => Seen::Unknown,
        }
    }

    /// Whether the headers of the read release at or before `release`
    /// give it only where a platform feature macro is defined
    /// (`MS_WINDOWS`): read here under the full API only.
    pub fn only_with_feature_macros(&self, release: Version) -> bool {
        RELEASES
            .iter()
            .rposition(|r| *r <= release)
            .is_some_and(|i| !self.forms(i).is_empty() && self.forms(i).iter().all(|p| p.mask == 1 << 16))
    }

    /// Every form it takes in any release.
    pub fn kinds(&self) -> impl Iterator<Item = HeaderKind> + '_ {
        let all = &data::FORMS[self.forms[0] as usize..self.forms[RELEASE_COUNT] as usize];
        all.iter().map(|p| p.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(minor: u8) -> Version {
        Version::new(3, minor)
    }

    #[test]
    fn the_table_is_sorted_and_covers_the_releases() {
        assert!(all().windows(2).all(|w| w[0].name() < w[1].name()));
        assert_eq!(RELEASES.first(), Some(&v(9)));
        assert!(all().len() > 5000, "{} names", all().len());
    }

    #[test]
    fn releases_and_configurations_are_told_apart() {
        let no_return = get("_Py_NO_RETURN").expect("a private macro of pyport.h");
        let any = Form::Any;
        assert_eq!(
            no_return.seen(v(9), Config::Limited(v(3)), any),
            Seen::Yes(HeaderKind::Macro)
        );
        let memcpy = get("Py_MEMCPY").expect("defined below Py_LIMITED_API 3.11");
        assert_eq!(
            memcpy.seen(v(15), Config::Limited(v(10)), any),
            Seen::Yes(HeaderKind::Macro)
        );
        assert_eq!(memcpy.seen(v(15), Config::Limited(v(11)), any), Seen::No);
        assert_eq!(
            memcpy.seen(v(9), Config::Limited(v(9)), any),
            Seen::Yes(HeaderKind::Macro)
        );
        let presized = get("_PyDict_NewPresized").expect("a private function");
        assert_eq!(presized.seen(v(13), Config::Full, any), Seen::Yes(HeaderKind::Function));
        assert_eq!(presized.seen(v(13), Config::Full, Form::Macro), Seen::No);
        assert_eq!(presized.seen(v(13), Config::Limited(v(13)), any), Seen::No);
        let new_ref = get("Py_NewRef").expect("a function wrapped by a macro");
        assert_eq!(
            new_ref.seen(v(11), Config::Limited(v(10)), any),
            Seen::Yes(HeaderKind::FunctionMacro),
            "the macro is what a call expands"
        );
        assert_eq!(
            new_ref.seen(v(11), Config::Limited(v(10)), Form::Macro),
            Seen::Yes(HeaderKind::FunctionMacro)
        );
        // The 3.11 headers give it to older targets as a macro over an
        // inline function; the 3.9 headers do not have it at all.
        assert_eq!(
            new_ref.seen(v(11), Config::Limited(v(9)), any),
            Seen::Yes(HeaderKind::FunctionMacro)
        );
        assert_eq!(new_ref.seen(v(9), Config::Full, any), Seen::No);
        let gone = get("PyUnicode_AS_UNICODE").expect("removed in 3.12");
        assert_eq!(
            gone.seen(v(11), Config::Full, any),
            Seen::Yes(HeaderKind::FunctionMacro)
        );
        assert_eq!(gone.seen(v(13), Config::Full, any), Seen::No);
        assert_eq!(
            gone.seen(v(12), Config::Full, any),
            Seen::No,
            "3.12 is not read; the catalog says when it went"
        );
        assert_eq!(gone.seen(v(16), Config::Full, any), Seen::No, "3.16 reads as 3.15");
        assert!(get("_PyArray_Descr").is_none(), "NumPy's, not CPython's");
    }
}
