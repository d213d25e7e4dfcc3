//! The Stable ABI builds a piece of code can be compiled for: abi3 at each
//! version from 3.2, abi3t at each version from 3.15. Preprocessor
//! conditions and `#[cfg]` attributes select code per build, so every use
//! carries the set of builds that compile it.

use std::fmt;

use crate::catalog::{FIRST_STABLE, Version};
use crate::target::{ABI3T_FIRST, NEWEST, Target};

/// One Stable ABI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    Abi3,
    Abi3t,
}

impl Family {
    pub const ALL: [Family; 2] = [Family::Abi3, Family::Abi3t];

    pub const fn as_str(self) -> &'static str {
        match self {
            Family::Abi3 => "abi3",
            Family::Abi3t => "abi3t",
        }
    }

    /// The first version of this ABI.
    pub const fn first(self) -> Version {
        match self {
            Family::Abi3 => FIRST_STABLE,
            Family::Abi3t => ABI3T_FIRST,
        }
    }

    /// Its versions, oldest first.
    pub fn versions(self) -> impl Iterator<Item = Version> {
        (self.first().minor..=NEWEST.minor).map(|minor| Version::new(3, minor))
    }

    /// The target of this ABI alone at `version`.
    pub fn target(self, version: Version) -> Target {
        match self {
            Family::Abi3 => Target {
                abi3: Some(version),
                ..Target::default()
            },
            Family::Abi3t => Target {
                abi3t: Some(version),
                ..Target::default()
            },
        }
    }

    /// The version `target` asks of this ABI.
    pub fn of(self, target: Target) -> Option<Version> {
        match self {
            Family::Abi3 => target.abi3,
            Family::Abi3t => target.abi3t,
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One build: an ABI at a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Build {
    pub family: Family,
    pub version: Version,
}

impl Build {
    /// Every build, abi3 first; a build's position is its bit in [`Builds`].
    pub fn all() -> impl Iterator<Item = Build> {
        Family::ALL
            .into_iter()
            .flat_map(|family| family.versions().map(move |version| Build { family, version }))
    }

    /// Its position among all builds (abi3 first), for per-build tables.
    pub fn index(self) -> usize {
        self.bit() as usize
    }

    /// How many builds there are.
    pub const COUNT: usize = (ABI3_COUNT + ABI3T_COUNT) as usize;

    fn bit(self) -> u32 {
        match self.family {
            Family::Abi3 => u32::from(self.version.minor - FIRST_STABLE.minor),
            Family::Abi3t => ABI3_COUNT + u32::from(self.version.minor - ABI3T_FIRST.minor),
        }
    }
}

const ABI3_COUNT: u32 = (NEWEST.minor - FIRST_STABLE.minor + 1) as u32;
const ABI3T_COUNT: u32 = (NEWEST.minor - ABI3T_FIRST.minor + 1) as u32;

/// A set of builds, as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Builds(u32);

impl Builds {
    pub const NONE: Builds = Builds(0);
    /// Every build: one bit per abi3 version, then one per abi3t version.
    pub const ALL: Builds = Builds((1 << (ABI3_COUNT + ABI3T_COUNT)) - 1);

    /// The builds of `family`.
    pub fn family(family: Family) -> Builds {
        family
            .versions()
            .fold(Builds::NONE, |set, version| set.with(Build { family, version }))
    }

    /// The builds for which `keep` holds.
    pub fn filter(keep: impl Fn(Build) -> bool) -> Builds {
        Build::all().filter(|b| keep(*b)).fold(Builds::NONE, Builds::with)
    }

    #[must_use]
    pub fn with(self, build: Build) -> Builds {
        Builds(self.0 | 1 << build.bit())
    }

    pub fn contains(self, build: Build) -> bool {
        self.0 & (1 << build.bit()) != 0
    }

    #[must_use]
    pub fn and(self, other: Builds) -> Builds {
        Builds(self.0 & other.0)
    }

    #[must_use]
    pub fn or(self, other: Builds) -> Builds {
        Builds(self.0 | other.0)
    }

    #[must_use]
    pub fn minus(self, other: Builds) -> Builds {
        Builds(self.0 & !other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether any build of `family` is in the set.
    pub fn has_family(self, family: Family) -> bool {
        !self.and(Builds::family(family)).is_empty()
    }
}

/// The builds the unit tests name: abi3 at `3.minor`, and abi3t 3.15.
#[cfg(test)]
pub(crate) mod for_tests {
    use super::{Build, Family};
    use crate::catalog::Version;

    pub fn abi3(minor: u8) -> Build {
        Build {
            family: Family::Abi3,
            version: Version::new(3, minor),
        }
    }

    pub fn abi3t() -> Build {
        Build {
            family: Family::Abi3t,
            version: Version::new(3, 15),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_build_has_its_own_bit() {
        let all: Vec<Build> = Build::all().collect();
        assert_eq!(all.len(), 15 + 2);
        let set = Builds::ALL;
        for b in &all {
            assert!(set.contains(*b));
            assert!(Builds::NONE.with(*b).has_family(b.family));
        }
        let abi3 = Builds::family(Family::Abi3);
        assert!(!abi3.has_family(Family::Abi3t));
        assert_eq!(abi3.and(Builds::family(Family::Abi3t)), Builds::NONE);
    }
}
