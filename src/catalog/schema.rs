//! The shape of `assets/catalog.toml`, shared by the generator (which writes
//! it), `build.rs` (which turns it into a static table) and the library
//! (which re-exports the enums).
//!
//! This file is compiled three times through `#[path]`, so it depends on
//! `serde` and `std` only. Enums serialise as the kebab-case words that also
//! appear in the JSON output and on the command line; `Version` serialises as
//! `"3.11"`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The whole committed catalog file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    pub source: Source,
    #[serde(rename = "section")]
    pub sections: Vec<SectionRecord>,
    #[serde(rename = "item")]
    pub items: Vec<ItemRecord>,
}

/// Where the facts come from, as named by the inputs themselves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The Stable ABI manifest, e.g. `abi3info 2026.9.25`.
    pub manifest: String,
    /// The documentation and headers release, e.g. `3.15.2`.
    pub python: String,
    /// Every release whose headers and docs were read, oldest first
    /// (`3.9.2` ... `3.15.2`): the names of all of them are in the catalog.
    pub releases: Vec<String>,
}

/// One node of the C API reference's table of contents, in document order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionRecord {
    /// Titles from the root down, joined by `" > "`.
    pub path: String,
    /// The page and anchor under `https://docs.python.org/3/`; `None` for
    /// the node that gathers pages outside the C API reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// One catalog item. Absent facts are left out of the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemRecord {
    pub name: String,
    pub kind: Kind,
    pub tier: Tier,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stable_since: Option<Version>,
    /// Lowest `Py_LIMITED_API` at which the headers declare the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposed_abi3: Option<Version>,
    /// Whether the headers declare the name under `Py_TARGET_ABI3T=0x030F0000`.
    #[serde(default)]
    pub exposed_abi3t: bool,
    /// For functions: the lowest `Py_LIMITED_API` at which the headers give
    /// the name as a macro or `static inline` function (no exported symbol).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline_abi3: Option<Version>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ifdef: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ifdef_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abi3t: Option<Abi3t>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub struct_kind: Option<StructKind>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<MemberRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// The documentation's signature where it disagrees with the headers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs_signature: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<Returns>,
    /// `returns` comes from the entry's prose or the naming convention,
    /// not from a "Return value:" annotation of the docs.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub returns_inferred: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_safety: Option<ThreadSafety>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// The first and last of the releases read (3.9, 3.11, 3.13, 3.14,
    /// 3.15) whose headers or docs have the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<Version>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<Version>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_in: Option<Version>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changed_in: Vec<Version>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated_in: Option<Version>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soft_deprecated_in: Option<Version>,
    /// The release whose headers no longer have the name (set only when
    /// the newest headers and docs lack it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed_in: Option<Version>,
    /// A removal the docs or release notes announce that the newest
    /// headers have not carried out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removal_announced: Option<Version>,
    /// What to use instead, from the docs' deprecation notes and the
    /// release notes (`Py_UNICODE` -> `wchar_t` aside: catalog names only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replacements: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub see_also: Vec<String>,
    /// Recorded disagreements between the inputs, one sentence each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A struct member: its name, its C type where known, and whether it is
/// part of the Stable ABI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberRecord {
    pub name: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ctype: Option<String>,
    #[serde(default)]
    pub stable: bool,
}

/// Declares a fieldless enum whose variants map one-to-one to lowercase
/// words, with `Display`, `FromStr`, serde and the list of all words, so
/// the catalog, the CLI and the JSON output share one vocabulary.
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word used in the catalog, on the command line and in JSON.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($word => Ok($name::$variant),)+
                    _ => Err(format!(
                        "unknown {} '{}' (valid: {})",
                        stringify!($name).to_lowercase(),
                        s,
                        [$($word),+].join(", ")
                    )),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

word_enum! {
    /// What kind of C entity a name is, as the headers show it.
    Kind {
        /// A function, exported or `static inline`.
        Function = "function",
        /// Exported data.
        Variable = "variable",
        /// A function-like or statement macro, or one that expands to an expression.
        Macro = "macro",
        /// A `#define` of a plain value.
        Constant = "constant",
        /// A typedef that is not a struct.
        Type = "type",
        Struct = "struct",
        Enumerator = "enumerator",
        /// A Stable ABI feature macro such as `MS_WINDOWS`.
        FeatureMacro = "feature_macro",
    }
}

word_enum! {
    /// Which API tier a name belongs to.
    Tier {
        /// Limited API, and so Stable ABI.
        Limited = "limited",
        /// Stable ABI (exported for old binaries) but not Limited API.
        AbiOnly = "abi-only",
        /// The `PyUnstable_` tier.
        Unstable = "unstable",
        /// Public C API outside the Limited API.
        General = "general",
        /// Underscore names.
        Private = "private",
    }
}

word_enum! {
    /// How an item fares under the free-threaded Stable ABI (abi3t).
    Abi3t {
        Available = "available",
        /// A struct usable only through pointers.
        Opaque = "opaque",
        Unavailable = "unavailable",
    }
}

word_enum! {
    /// How much of a Stable ABI struct's layout is stable.
    StructKind {
        /// Only pointers to it may be used.
        Opaque = "opaque",
        /// Only the listed members are stable.
        Members = "members",
        /// The whole layout is stable.
        Full = "full",
    }
}

word_enum! {
    /// Reference ownership of a returned object, as the docs state.
    Returns {
        New = "new",
        Borrowed = "borrowed",
        /// The function always returns `NULL`.
        Null = "null",
    }
}

word_enum! {
    /// The documented thread-safety level (3.15 levels).
    ThreadSafety {
        Atomic = "atomic",
        Shared = "shared",
        Distinct = "distinct",
        Compatible = "compatible",
    }
}

/// A `CPython` `major.minor` version, as written in `Py_LIMITED_API` values.
/// The first version of the free-threaded Stable ABI (PEP 803).
pub const ABI3T_FIRST: Version = Version::new(3, 15);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u8,
    pub minor: u8,
}

impl Version {
    pub const fn new(major: u8, minor: u8) -> Self {
        Version { major, minor }
    }

    /// The `Py_LIMITED_API` / `Py_TARGET_ABI3T` value, `Py_PACK_VERSION(3, minor)`.
    pub const fn hex(self) -> u32 {
        ((self.major as u32) << 24) | ((self.minor as u32) << 16)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl FromStr for Version {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("invalid version '{s}' (expected major.minor, e.g. 3.11)");
        let (major, minor) = s.split_once('.').ok_or_else(bad)?;
        let digits = |p: &str| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(major) || !digits(minor) {
            return Err(bad());
        }
        Ok(Version {
            major: major.parse().map_err(|_| bad())?,
            minor: minor.parse().map_err(|_| bad())?,
        })
    }
}

impl Serialize for Version {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
