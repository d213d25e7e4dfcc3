//! Wheels: the zip archive read in place under size limits, its
//! extension modules, and what its tags and file names claim.
//!
//! Nothing is extracted beside the wheel. Only the modules and the
//! `WHEEL` metadata are decompressed, each up to a limit that the
//! decompressed bytes themselves enforce (a zip bomb's headers lie about
//! sizes), and the total is capped too. A module larger than
//! [`IN_MEMORY`] once decompressed goes to an unnamed temporary file
//! (gone when closed, even after a crash), from which only its symbol
//! tables are read: a 178 MB module costs its tables in memory, not its
//! size.

use std::io::{self, Read, Seek};

use tempfile::SpooledData;

/// A decompressed module larger than this goes to a temporary file.
const IN_MEMORY: usize = 16 << 20;

use super::Limits;
use super::binary::{self, Module};
use super::build::{Builds, Family};
use crate::catalog::Version;
use crate::io_error::io_message;
use crate::untrusted::{self, size};

/// What a wheel's tags claim about the Stable ABI.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Claim {
    /// The lowest abi3 version the wheel says it supports.
    pub abi3: Option<Version>,
    /// The lowest abi3t version the wheel says it supports.
    pub abi3t: Option<Version>,
    /// What is wrong with the tags themselves (abi3t for a version before
    /// it existed).
    pub error: Option<String>,
}

/// A wheel's tags, from its file name: `{python tag}-{abi tag}-{platform}`
/// each possibly a dotted set (`cp39-abi3.abi3t-manylinux_2_17_x86_64`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tags {
    pub python: Vec<String>,
    pub abi: Vec<String>,
    pub platform: Vec<String>,
}

impl Tags {
    /// Parses the tags of a wheel file name; `None` when it is not one.
    pub fn from_file_name(name: &str) -> Option<Tags> {
        let stem = name.strip_suffix(".whl")?;
        let parts: Vec<&str> = stem.split('-').collect();
        if !(5..=6).contains(&parts.len()) {
            return None;
        }
        Tags::from_triple(&parts[parts.len() - 3..].join("-"))
    }

    /// Parses `cp39-abi3-manylinux_2_17_x86_64` (a `Tag:` line of `WHEEL`).
    pub fn from_triple(triple: &str) -> Option<Tags> {
        let mut parts = triple.trim().splitn(3, '-');
        let mut set = || {
            parts
                .next()
                .filter(|p| !p.is_empty())
                .map(|p| p.split('.').map(str::to_string).collect::<Vec<_>>())
        };
        Some(Tags {
            python: set()?,
            abi: set()?,
            platform: set()?,
        })
    }

    /// The claim: abi3 from the lowest `cp3X` python tag (`cp315t` too)
    /// when the ABI tags include `abi3`; abi3t from the lowest one from
    /// 3.15, as abi3t does not exist before (PEP 803). A wheel tagged
    /// abi3t for older versions only is an error, not a 3.15 claim.
    pub fn claim(&self) -> Claim {
        let mut versions: Vec<Version> = self
            .python
            .iter()
            .filter_map(|p| p.strip_prefix("cp3"))
            .filter_map(|minor| minor.trim_end_matches('t').parse::<u8>().ok())
            .map(|minor| Version::new(3, minor))
            .collect();
        versions.sort();
        let has = |abi: &str| self.abi.iter().any(|a| a == abi);
        let first = crate::target::ABI3T_FIRST;
        let abi3t = versions.iter().copied().find(|v| *v >= first).filter(|_| has("abi3t"));
        let error = (has("abi3t") && abi3t.is_none())
            .then(|| versions.first())
            .flatten()
            .map(|v| format!("abi3t starts at {first} (PEP 803); no interpreter loads an abi3t wheel for {v}"));
        Claim {
            abi3: versions.first().copied().filter(|_| has("abi3")),
            abi3t,
            error,
        }
    }
}

impl std::fmt::Display for Tags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}-{}-{}",
            self.python.join("."),
            self.abi.join("."),
            self.platform.join(".")
        )
    }
}

/// How an extension module's file name says which interpreters load it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suffix {
    /// `.abi3.so`: loaded by non-free-threaded builds from 3.2 on.
    Abi3,
    /// `.abi3t.so`: loaded by free-threaded builds from 3.15 on, and (as a
    /// fallback) by non-free-threaded builds from 3.15 on.
    Abi3t,
    /// `.cpython-311-x86_64-linux-gnu.so`, `.cp311-win_amd64.pyd`: one
    /// version only; free-threaded when `true` (`.cpython-313t-...`).
    Versioned(Version, bool),
    /// `.so`, `.pyd`: no tag.
    Plain,
}

impl Suffix {
    /// The builds whose interpreters do not load a module of this name,
    /// and why: free-threaded CPython loads only `.abi3t` modules (and its
    /// own version-specific ones); CPython before 3.15 no `.abi3t` one.
    pub fn not_loaded(self) -> Option<(Builds, &'static str)> {
        match self {
            Suffix::Abi3 | Suffix::Versioned(_, false) => Some((
                Builds::family(Family::Abi3t),
                "named for non-free-threaded CPython, which abi3t interpreters do not load",
            )),
            Suffix::Abi3t => Some((
                Builds::filter(|b| b.family == Family::Abi3 && b.version < crate::target::ABI3T_FIRST),
                "named .abi3t, which CPython before 3.15 does not load",
            )),
            Suffix::Versioned(_, true) => Some((
                Builds::family(Family::Abi3),
                "named for free-threaded CPython, which abi3 interpreters do not load",
            )),
            Suffix::Plain => None,
        }
    }

    pub fn of(file_name: &str) -> Suffix {
        let base = file_name.rsplit('/').next().unwrap_or(file_name);
        let mut parts = base.split('.').skip(1);
        let tag = parts.next().filter(|_| parts.next().is_some());
        // `.abi3.so`, or with the platform as CPython 3.15 accepts too
        // (`.abi3-x86_64-linux-gnu.so`, `.abi3t-x86_64-linux-gnu.so`).
        let stable = tag.map(|t| t.split_once('-').map_or(t, |(abi, _)| abi));
        match (stable, tag) {
            (Some("abi3"), _) => Suffix::Abi3,
            (Some("abi3t"), _) => Suffix::Abi3t,
            (_, Some(tag)) => {
                let Some(rest) = tag.strip_prefix("cpython-3").or_else(|| tag.strip_prefix("cp3")) else {
                    return Suffix::Plain;
                };
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                let free_threaded = rest[digits.len()..].starts_with('t');
                digits.parse::<u8>().map_or(Suffix::Plain, |minor| {
                    Suffix::Versioned(Version::new(3, minor), free_threaded)
                })
            }
            (_, None) => Suffix::Plain,
        }
    }
}

/// Whether a member name is a native library worth reading.
pub fn is_module_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".so", ".pyd", ".dylib", ".dll"].iter().any(|ext| lower.ends_with(ext))
}

/// One native library in a wheel.
#[derive(Debug, Clone)]
pub struct Member {
    pub name: String,
    pub module: Result<Module, String>,
}

/// What was read from a wheel.
#[derive(Debug, Clone, Default)]
pub struct Wheel {
    /// Tags from the file name.
    pub tags: Option<Tags>,
    /// `Tag:` lines of the `WHEEL` metadata.
    pub metadata_tags: Vec<String>,
    pub members: Vec<Member>,
    /// Member names that would land outside the install directory.
    pub unsafe_paths: Vec<String>,
    /// Members that could not be read, with why.
    pub errors: Vec<String>,
}

/// Reads a wheel from `reader` (the file itself: only the central
/// directory and the members read are loaded).
pub fn read(mut reader: impl Read + Seek, file_name: &str, limits: &Limits) -> Result<Wheel, String> {
    // Parsing the central directory allocates per entry: its declared
    // size is checked first.
    let too_many = |entries: u64| {
        (entries > limits.entries as u64)
            .then(|| format!("{entries} entries, more than the {} abiscope reads", limits.entries))
    };
    let declared =
        untrusted::zip_entries(&mut reader).map_err(|e| format!("not a wheel (zip archive): {}", io_message(&e)))?;
    if let Some(refused) = too_many(declared) {
        return Err(refused);
    }
    let mut archive = zip::ZipArchive::new(reader).map_err(|e| format!("not a wheel (zip archive): {e}"))?;
    if let Some(refused) = too_many(archive.len() as u64) {
        return Err(refused);
    }
    let mut wheel = Wheel {
        tags: Tags::from_file_name(file_name),
        ..Wheel::default()
    };
    let mut budget = limits.total;
    for index in 0..archive.len() {
        let mut entry = match archive.by_index(index) {
            Ok(entry) => entry,
            Err(e) => {
                wheel.errors.push(format!("entry {index}: {e}"));
                continue;
            }
        };
        let name = match entry.name() {
            Ok(name) => name.into_owned(),
            Err(e) => {
                wheel.errors.push(format!("entry {index}: {e}"));
                continue;
            }
        };
        if escapes(&name) || entry.enclosed_name().is_none() {
            wheel.unsafe_paths.push(name.clone());
        }
        let metadata = name.ends_with(".dist-info/WHEEL") && name.matches('/').count() == 1;
        if entry.is_dir() || !(metadata || is_module_name(&name)) {
            continue;
        }
        let cap = if metadata { 1 << 20 } else { limits.member.min(budget) };
        let mut limited = (&mut entry).take(cap + 1);
        let mut spool = tempfile::spooled_tempfile(IN_MEMORY);
        let read = io::copy(&mut limited, &mut spool);
        let inflated = cap + 1 - limited.limit();
        budget = budget.saturating_sub(inflated);
        match read {
            Err(e) => {
                wheel.errors.push(format!("{name}: {}", io_message(&e)));
                continue;
            }
            Ok(_) if inflated > cap => {
                let why = if cap < limits.member {
                    format!(
                        "the wheel decompresses to more than the {} abiscope reads",
                        size(limits.total)
                    )
                } else {
                    format!("larger than {} when decompressed", size(limits.member))
                };
                wheel.errors.push(format!("{name}: {why}"));
                if cap < limits.member {
                    break;
                }
                continue;
            }
            Ok(_) => {}
        }
        if metadata {
            let mut text = Vec::new();
            if let Err(e) = spool.rewind().and_then(|()| spool.read_to_end(&mut text)) {
                wheel.errors.push(format!("{name}: {}", io_message(&e)));
            }
            wheel.metadata_tags = String::from_utf8_lossy(&text)
                .lines()
                .filter_map(|l| l.strip_prefix("Tag:"))
                .map(|t| t.trim().to_string())
                .collect();
        } else {
            let module = match spool.into_inner() {
                SpooledData::InMemory(data) => binary::read(data.get_ref()),
                SpooledData::OnDisk(file) => binary::read_file(&file),
            };
            wheel.members.push(Member { name, module });
        }
    }
    Ok(wheel)
}

/// Whether a member name would land outside the directory a wheel is
/// installed into: absolute (`/etc/x`, `C:\\x`, `\\\\server\\x`) or climbing
/// out with `..`.
fn escapes(name: &str) -> bool {
    let absolute = name.starts_with(['/', '\\']) || name.as_bytes().get(1) == Some(&b':');
    let mut depth = 0_usize;
    let climbs = name.split(['/', '\\']).any(|part| match part {
        ".." => depth.checked_sub(1).map(|d| depth = d).is_none(),
        "" | "." => false,
        _ => {
            depth += 1;
            false
        }
    });
    absolute || climbs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_claims() {
        let t =
            Tags::from_file_name("spam-1.0-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl").expect("tags");
        assert_eq!(t.python, vec!["cp39"]);
        assert_eq!(
            t.claim(),
            Claim {
                abi3: Some(Version::new(3, 9)),
                abi3t: None,
                error: None,
            }
        );
        let both = Tags::from_file_name("spam-1.0-1-cp39.cp315-abi3.abi3t-win_amd64.whl").expect("tags");
        assert_eq!(both.claim().abi3, Some(Version::new(3, 9)));
        assert_eq!(both.claim().abi3t, Some(Version::new(3, 15)));
        assert_eq!(both.to_string(), "cp39.cp315-abi3.abi3t-win_amd64");
        let early = Tags::from_file_name("spam-1.0-1-cp39-abi3.abi3t-win_amd64.whl").expect("tags");
        assert_eq!(early.claim().abi3t, None, "not clamped to 3.15");
        assert!(early.claim().error.is_some_and(|e| e.contains("abi3t starts at 3.15")));
        let free = Tags::from_file_name("spam-1.0-cp315t-abi3t-manylinux_2_17_x86_64.whl").expect("tags");
        assert_eq!(free.claim().abi3t, Some(Version::new(3, 15)));
        let none = Tags::from_file_name("spam-1.0-cp311-cp311-linux_x86_64.whl").expect("tags");
        assert_eq!(none.claim(), Claim::default());
        assert_eq!(Tags::from_file_name("spam.whl"), None);
        assert_eq!(Tags::from_file_name("spam-1.0.tar.gz"), None);
    }

    #[test]
    fn escaping_member_names() {
        for bad in [
            "../x.so",
            "a/../../x.so",
            "/etc/x.so",
            "\\\\server\\x.pyd",
            "C:\\x.pyd",
            "a\\..\\..\\x",
        ] {
            assert!(escapes(bad), "{bad}");
        }
        for good in ["a/b.so", "a/../b.so", "./a.so", "pkg-1.0.dist-info/WHEEL"] {
            assert!(!escapes(good), "{good}");
        }
    }

    #[test]
    fn suffixes() {
        assert_eq!(Suffix::of("pkg/_core.abi3.so"), Suffix::Abi3);
        assert_eq!(Suffix::of("pkg/_core.abi3t.so"), Suffix::Abi3t);
        assert_eq!(Suffix::of("pkg/_core.abi3-x86_64-linux-gnu.so"), Suffix::Abi3);
        assert_eq!(Suffix::of("pkg/_core.abi3t-aarch64-linux-gnu.so"), Suffix::Abi3t);
        assert_eq!(
            Suffix::of("pkg/_core.cpython-311-x86_64-linux-gnu.so"),
            Suffix::Versioned(Version::new(3, 11), false)
        );
        assert_eq!(
            Suffix::of("pkg/_core.cp312-win_amd64.pyd"),
            Suffix::Versioned(Version::new(3, 12), false)
        );
        assert_eq!(
            Suffix::of("pkg/_core.cpython-313t-x86_64-linux-gnu.so"),
            Suffix::Versioned(Version::new(3, 13), true)
        );
        assert_eq!(Suffix::of("pkg/_core.pyd"), Suffix::Plain);
        assert_eq!(Suffix::of("pkg.libs/libz-1a2b.so.1"), Suffix::Plain);
    }
}
