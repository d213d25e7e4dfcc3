//! What the headers declare of an item for a target: from the table of
//! every release's headers (`catalog::headers`) when it knows the name and
//! the release, else from the catalog's record of the 3.15 headers.

use super::ABI3T_FIRST;
use crate::catalog::headers::{self, Config, Form, HeaderKind, RELEASES, Seen};
use crate::catalog::{Item, Version};
use crate::check::Family;

/// What the headers declare of an item for a target version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Declared {
    /// Declared (or defined) under the target's version.
    pub at: bool,
    /// The lowest version that declares it, for the reason's words.
    pub from: Option<Version>,
    /// The release of the headers, when not the catalog's (3.15).
    pub release: Option<Version>,
}

impl Declared {
    /// What the 3.15 headers declare under `Py_LIMITED_API` `v`.
    pub fn abi3(item: &Item, v: Version) -> Declared {
        Declared {
            at: item.exposed.abi3.is_some_and(|d| d <= v),
            from: item.exposed.abi3,
            release: None,
        }
    }

    /// What the 3.15 headers declare under `Py_TARGET_ABI3T`.
    pub fn abi3t(item: &Item) -> Declared {
        Declared {
            at: item.exposed.abi3t,
            from: item.exposed.abi3t.then_some(ABI3T_FIRST),
            release: None,
        }
    }

    /// What the headers of `release` declare of `item` for `family` at
    /// `version`: the table's answer, or the catalog's where the table has
    /// none (a name it lacks, a release between two read ones that the
    /// history cannot settle).
    pub fn for_build(item: &Item, family: Family, version: Version, release: Version) -> Declared {
        Declared::in_release(item.name(), family, version, release).unwrap_or_else(|| match family {
            Family::Abi3 => Declared::abi3(item, version),
            Family::Abi3t => Declared::abi3t(item),
        })
    }

    /// The table's answer for a name, if it knows it and the release.
    pub fn in_release(name: &str, family: Family, version: Version, release: Version) -> Option<Declared> {
        let entry = headers::get(name).filter(|e| !e.only_with_feature_macros(release))?;
        let given = |config: Config| matches!(entry.seen(release, config, Form::Any), Seen::Yes(k) if k != HeaderKind::Internal);
        let at = match entry.seen(release, config(family, version), Form::Any) {
            Seen::Unknown => return None,
            _ => given(config(family, version)),
        };
        let from = match family {
            Family::Abi3 => Family::Abi3
                .versions()
                .take_while(|v| *v <= release)
                .find(|v| given(Config::Limited(*v))),
            Family::Abi3t => at.then_some(ABI3T_FIRST),
        };
        Some(Declared {
            at,
            from,
            release: Some(release),
        })
    }

    /// The first release after `release` whose headers give `name` to
    /// `family` at `version`, among those the table has.
    pub fn first_release_giving(name: &str, family: Family, version: Version, release: Version) -> Option<Version> {
        RELEASES
            .iter()
            .copied()
            .filter(|r| *r > release && *r >= version)
            .find(|r| Declared::in_release(name, family, version, *r).is_some_and(|d| d.at))
    }

    /// "the headers", or "the 3.9 headers".
    pub(super) fn headers(self) -> String {
        self.release
            .map_or_else(|| "the headers".to_string(), |r| format!("the {r} headers"))
    }
}

/// The headers' configuration for a target version.
fn config(family: Family, version: Version) -> Config {
    match family {
        Family::Abi3 => Config::Limited(version),
        Family::Abi3t => Config::Abi3t,
    }
}
