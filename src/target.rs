//! Targets (`abi3=3.9`, `abi3t=3.15`, or both for an `abi3.abi3t` wheel)
//! and the verdict each item gets under one.
//!
//! A verdict weighs what the Stable ABI lists against what the 3.15.2
//! headers really declare. A listed function needs its Stable ABI version
//! at or below the target, because its symbol must exist at run time, even
//! where a header forgets to guard the declaration; unless the headers give
//! it as a macro or `static inline` function at the target (`Py_TYPE`
//! before 3.14), which needs no symbol. A macro or inline helper the
//! Limited API does not list, but that the headers provide under the
//! target (`Py_RETURN_NONE`), is usable too; the reason says so. With both
//! ABIs targeted the stricter verdict wins. A name removed before 3.15 is
//! never usable in source; its reason says when it went.

use std::fmt;
use std::str::FromStr;

use crate::catalog::{Abi3t, Catalog, Item, Kind, StructKind, Tier, Version};
use crate::check::Family;

mod declared;
pub use declared::Declared;

pub use crate::catalog::schema::ABI3T_FIRST;
/// The versions a target may name: 3.2 to the newest the catalog knows.
pub const NEWEST: Version = Version::new(3, 16);

/// One or both Stable ABIs, each at a minimum version, and the Python
/// whose headers build the code (by default, the target's own version,
/// as when a wheel is built on the oldest Python it supports).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Target {
    pub abi3: Option<Version>,
    pub abi3t: Option<Version>,
    pub build: Option<Version>,
}

impl Target {
    pub fn is_set(&self) -> bool {
        self.abi3.is_some() || self.abi3t.is_some()
    }

    /// The release whose headers build the code for `version`.
    pub fn release(&self, version: Version) -> Version {
        crate::catalog::headers::release_for(version, self.build)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.abi3, self.abi3t) {
            (Some(a), Some(t)) => write!(f, "abi3 {a} + abi3t {t}"),
            (Some(a), None) => write!(f, "abi3 {a}"),
            (None, Some(t)) => write!(f, "abi3t {t}"),
            (None, None) => f.write_str("no target"),
        }?;
        match self.build {
            Some(b) if self.is_set() => write!(f, " (built with {b}'s headers)"),
            _ => Ok(()),
        }
    }
}

impl FromStr for Target {
    type Err = String;

    /// `abi3=3.9`, `abi3t=3.15`, `abi3=3.9,abi3t=3.15`, or `none`.
    fn from_str(s: &str) -> Result<Target, String> {
        let usage = "expected abi3=VERSION, abi3t=VERSION or both, e.g. abi3=3.9,abi3t=3.15";
        let mut target = Target::default();
        if s.trim() == "none" {
            return Ok(target);
        }
        for part in s.split(',').map(str::trim) {
            let (abi, version) = part
                .split_once('=')
                .ok_or_else(|| format!("invalid target '{s}' ({usage})"))?;
            let v: Version = version
                .trim()
                .parse()
                .ok()
                .filter(|v: &Version| v.major == 3 && (2..=NEWEST.minor).contains(&v.minor))
                .ok_or_else(|| format!("invalid version '{version}' in target '{s}' (valid: 3.2 to {NEWEST})"))?;
            let slot = match abi.trim() {
                "abi3" => &mut target.abi3,
                "abi3t" if v < ABI3T_FIRST => {
                    return Err(format!("abi3t starts at {ABI3T_FIRST} (PEP 803); '{s}' asks for {v}"));
                }
                "abi3t" => &mut target.abi3t,
                other => return Err(format!("unknown ABI '{other}' in target '{s}' ({usage})")),
            };
            if slot.replace(v).is_some() {
                return Err(format!("'{abi}' appears twice in target '{s}'"));
            }
        }
        Ok(target)
    }
}

/// `--build-python` and `build_python`: a release abiscope has headers
/// for, or between them (3.10, 3.12), up to the newest version it knows.
pub fn parse_build_python(s: &str) -> Result<crate::catalog::Version, String> {
    let v: crate::catalog::Version = s.parse()?;
    if v.major != 3 || !(9..=NEWEST.minor).contains(&v.minor) {
        return Err(format!("abiscope knows the headers of 3.9 to {NEWEST} (got {v})"));
    }
    Ok(v)
}

/// What a target makes of an item, mildest first: with two ABIs targeted
/// the greater verdict wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    Usable,
    /// Usable, but only where a feature macro is defined (Windows, fork).
    PlatformOnly,
    /// In the Stable ABI, but after the target's version.
    TooNew,
    /// Usable under abi3, not under abi3t.
    Abi3tUnusable,
    /// Exported for old binaries, not for use.
    AbiOnly,
    /// Not in the Limited API.
    NotLimited,
}

impl Verdict {
    pub const ALL: [Verdict; 6] = [
        Verdict::Usable,
        Verdict::PlatformOnly,
        Verdict::TooNew,
        Verdict::Abi3tUnusable,
        Verdict::AbiOnly,
        Verdict::NotLimited,
    ];

    /// The word used in JSON and filters.
    pub const fn as_str(self) -> &'static str {
        match self {
            Verdict::Usable => "usable",
            Verdict::PlatformOnly => "platform-only",
            Verdict::TooNew => "too-new",
            Verdict::Abi3tUnusable => "abi3t-unusable",
            Verdict::AbiOnly => "abi-only",
            Verdict::NotLimited => "not-limited",
        }
    }

    /// Usable, perhaps only on some platforms.
    pub fn is_usable(self) -> bool {
        matches!(self, Verdict::Usable | Verdict::PlatformOnly)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A verdict and the one sentence that explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    pub verdict: Verdict,
    pub reason: String,
}

impl Judgement {
    pub fn new(verdict: Verdict, reason: impl Into<String>) -> Judgement {
        Judgement {
            verdict,
            reason: reason.into(),
        }
    }
}

/// The placeholders the docs use for functions an extension defines (its
/// entry points), with the first version that loads them and whether abi3t
/// loads them.
const ENTRY_POINTS: &[(&str, Version, bool)] = &[
    // PEP 803 keeps `PyInit_*`: only the `PyModuleDef` structs an abi3
    // module defines become opaque (those uses are judged on their own).
    ("PyInit_modulename", Version::new(3, 2), true),
    ("PyModExport_modulename", Version::new(3, 15), true),
];

fn judge_entry_point(name: &str, since: Version, abi3t: bool, target: Target) -> Judgement {
    let too_new = |v: Version| {
        (v < since).then(|| {
            Judgement::new(
                Verdict::TooNew,
                format!("CPython loads {name} hooks from {since}, after {v}."),
            )
        })
    };
    if let Some(j) = target.abi3.and_then(too_new) {
        return j;
    }
    if target.abi3t.is_some() && !abi3t {
        return Judgement::new(
            Verdict::Abi3tUnusable,
            "abi3t extensions export PyModExport_<name> (with PyMODEXPORT_FUNC) instead of PyInit_<name>.",
        );
    }
    Judgement::new(
        Verdict::Usable,
        format!("An entry point the extension defines ({name} stands for the module's name)."),
    )
}

/// The verdict for a name the catalog lacks: not public in any release
/// read (3.9 to 3.15), so a private name (`_PyObject_LookupAttr`), never
/// part of the Limited API.
pub fn judge_unknown(name: &str) -> Judgement {
    Judgement::new(
        Verdict::NotLimited,
        format!("{name} is not in the C API of 3.9 to 3.15: a private name."),
    )
}

/// The verdict for a symbol that a built module imports, under `target`.
///
/// Here only the exported symbols count: the symbol must be in the Stable
/// ABI at the target's version. ABI-only symbols are fine, as they exist
/// for exactly this: the Limited API's macros expand to them
/// (`_Py_NoneStruct`, `_Py_Dealloc`) and older builds import them.
pub fn judge_symbol(_catalog: &Catalog, item: &Item, target: Target) -> Judgement {
    let abi3 = target.abi3.map(|v| judge_symbol_at(item, v, false));
    let abi3t = target.abi3t.map(|v| judge_symbol_at(item, v, true));
    stricter(abi3, abi3t)
}

fn judge_symbol_at(item: &Item, v: Version, abi3t: bool) -> Judgement {
    let exported = matches!(item.kind, Kind::Function | Kind::Variable);
    let Some(since) = item.stable_since.filter(|_| exported) else {
        return Judgement::new(
            Verdict::NotLimited,
            "Not a Stable ABI symbol: the module was built against the full C API.",
        );
    };
    if since > v {
        return Judgement::new(
            Verdict::TooNew,
            format!("Exported by the Stable ABI since {since}, after {v}."),
        );
    }
    if abi3t && (item.abi3t == Some(Abi3t::Unavailable) || (item.tier == Tier::AbiOnly && !item.exposed.abi3t)) {
        return Judgement::new(
            Verdict::Abi3tUnusable,
            "Only abi3 builds import this symbol; Py_TARGET_ABI3T headers never reference it.",
        );
    }
    // A module that calls this passes a PyModuleDef it defines itself, a
    // struct abi3t makes opaque: it was built without Py_TARGET_ABI3T. In
    // source the struct's own use says so; a module shows only the call.
    if abi3t && takes_module_def(item) {
        return Judgement::new(
            Verdict::Abi3tUnusable,
            "Takes the module's own PyModuleDef, which abi3t makes opaque: a module importing it was built for abi3, not abi3t.",
        );
    }
    let judgement = if item.tier == Tier::AbiOnly {
        Judgement::new(
            Verdict::Usable,
            format!("ABI-only since {since}: exported for the Limited API's macros and for older builds."),
        )
    } else {
        Judgement::new(Verdict::Usable, format!("In the Stable ABI since {since}."))
    };
    platform(item, judgement)
}

/// A function with a `PyModuleDef *` parameter (`PyModule_Create2`,
/// `PyModuleDef_Init`, `PyModule_FromDefAndSpec2`).
fn takes_module_def(item: &Item) -> bool {
    item.kind == Kind::Function
        && item
            .signature()
            .and_then(|s| s.split_once('('))
            .is_some_and(|(_, params)| params.contains("PyModuleDef *") || params.contains("PyModuleDef*"))
}

/// The verdict for `item` under `target` (which must be set), as the
/// headers of the release each ABI's build compiles with declare it (the
/// target's own version unless it names a newer build Python).
pub fn judge(_catalog: &Catalog, item: &Item, target: Target) -> Judgement {
    if let Some((name, since, abi3t)) = ENTRY_POINTS.iter().find(|(n, _, _)| *n == item.name()) {
        return judge_entry_point(name, *since, *abi3t, target);
    }
    if let Some(removed) = item.removed_in {
        return judge_removed(item, removed);
    }
    let abi3 = target.abi3.map(|v| judge_in(item, Family::Abi3, v, target.release(v)));
    let abi3t = target
        .abi3t
        .map(|v| judge_in(item, Family::Abi3t, v, target.release(v)));
    stricter(abi3, abi3t)
}

/// A name the 3.15 headers no longer have: no target can use it in
/// source; a Stable ABI symbol stays exported for binaries built before.
fn judge_removed(item: &Item, removed: Version) -> Judgement {
    let deprecated = item
        .deprecated_in
        .filter(|d| *d < removed)
        .map(|d| format!(", deprecated since {d}"))
        .unwrap_or_default();
    if item.tier == Tier::AbiOnly {
        Judgement::new(
            Verdict::AbiOnly,
            format!(
                "Removed in {removed}{deprecated}: no header declares it any more; the Stable ABI still exports it for extensions built before."
            ),
        )
    } else {
        Judgement::new(
            Verdict::NotLimited,
            format!("Removed in {removed}{deprecated}: no header declares it any more."),
        )
    }
}

/// The verdict for `item` under one ABI at `version`, built with the
/// headers of `release`. Where newer headers would give the target what
/// these lack (`Py_TPFLAGS_IMMUTABLETYPE` at abi3 3.9: the 3.9 headers
/// lack it, 3.10's define it for every version), the reason says so.
pub fn judge_in(item: &Item, family: Family, version: Version, release: Version) -> Judgement {
    if let Some((name, since, abi3t)) = ENTRY_POINTS.iter().find(|(n, _, _)| *n == item.name()) {
        return judge_entry_point(name, *since, *abi3t, family.target(version));
    }
    // Gone from newer headers: the source stops building there, whatever
    // the release this build compiles with still gives.
    if let Some(removed) = item.removed_in {
        return judge_removed(item, removed);
    }
    let at = |release: Version| {
        let declared = Declared::for_build(item, family, version, release);
        match family {
            Family::Abi3 => judge_abi3(item, version, declared),
            Family::Abi3t => judge_abi3t(item, version, declared),
        }
    };
    let judgement = at(release);
    if judgement.verdict.is_usable() {
        return judgement;
    }
    match Declared::first_release_giving(item.name(), family, version, release) {
        Some(newer) if at(newer).verdict.is_usable() => Judgement {
            reason: format!(
                "{} The headers of {newer} and later give it to {family} {version} (build with a newer Python: --build-python {newer}).",
                judgement.reason
            ),
            ..judgement
        },
        _ => judgement,
    }
}

/// With both ABIs targeted, the stricter verdict wins; its reason names the
/// ABI when the two disagree.
pub(crate) fn stricter(abi3: Option<Judgement>, abi3t: Option<Judgement>) -> Judgement {
    match (abi3, abi3t) {
        (Some(a), Some(t)) if t.verdict > a.verdict => Judgement {
            reason: format!("Under abi3t: {}", t.reason),
            ..t
        },
        (Some(a), Some(t)) if a.verdict > t.verdict => Judgement {
            reason: format!("Under abi3: {}", a.reason),
            ..a
        },
        (Some(j), _) | (None, Some(j)) => j,
        (None, None) => Judgement::new(Verdict::Usable, "No target is set."),
    }
}

/// How the headers offer a name to a target: not at all, as a macro or
/// inline function, or as a declaration that needs the symbol.
fn form(item: &Item) -> &'static str {
    match item.kind {
        Kind::Function => "a static inline function or macro",
        Kind::Macro => "a macro",
        Kind::Constant => "a constant",
        Kind::Type => "a type",
        Kind::Struct => "a struct",
        Kind::Enumerator => "an enumerator",
        Kind::Variable => "a variable",
        Kind::FeatureMacro => "a feature macro",
    }
}

/// Needs an exported symbol: functions and variables, unless the headers
/// give them inline from `at` on.
fn needs_symbol(item: &Item, at: Version) -> bool {
    matches!(item.kind, Kind::Function | Kind::Variable) && item.inline_abi3.is_none_or(|v| v > at)
}

fn judge_abi3(item: &Item, v: Version, declared: Declared) -> Judgement {
    let judgement = judge_listed_or_declared(item, v, declared, "Py_LIMITED_API");
    platform(item, judgement)
}

fn judge_listed_or_declared(item: &Item, v: Version, declared: Declared, macro_name: &str) -> Judgement {
    let declared_at = declared.at;
    let headers = declared.headers();
    match item.tier {
        _ if item.kind == Kind::FeatureMacro => {
            Judgement::new(Verdict::Usable, "A platform feature macro: test it with #ifdef.")
        }
        Tier::AbiOnly => Judgement::new(
            Verdict::AbiOnly,
            "Exported only so that extensions built for older versions keep loading; not part of the Limited API.",
        ),
        Tier::Limited => match item.stable_since {
            Some(since) if since <= v => match declared.from {
                Some(d) if !declared.at && d > v => Judgement::new(
                    Verdict::TooNew,
                    format!(
                        "Listed in the Stable ABI since {since}, but {headers} declare it only from {macro_name} {d}."
                    ),
                ),
                _ if !declared.at && declared.release.is_some() => Judgement::new(
                    Verdict::TooNew,
                    format!(
                        "Listed in the Stable ABI since {since}, but {headers} do not declare it under {macro_name} {v}."
                    ),
                ),
                _ => Judgement::new(Verdict::Usable, format!("In the Limited API since {since}.")),
            },
            // An exported function the headers give as a macro or inline
            // function before it was exported (`Py_TYPE`): that form works.
            Some(since) if item.kind == Kind::Function && !needs_symbol(item, v) && declared_at => Judgement::new(
                Verdict::Usable,
                format!(
                    "Usable as a macro or static inline function under {macro_name} {v}; the exported function needs {since}."
                ),
            ),
            Some(since) => Judgement::new(Verdict::TooNew, format!("In the Limited API since {since}, after {v}.")),
            None => Judgement::new(Verdict::Usable, "In the Limited API."),
        },
        Tier::General | Tier::Unstable | Tier::Private => {
            if declared_at && !needs_symbol(item, v) {
                Judgement::new(
                    Verdict::Usable,
                    format!(
                        "Not listed in the Limited API, but {headers} provide it ({}) under {macro_name} {v}.",
                        form(item)
                    ),
                )
            } else if declared_at {
                Judgement::new(
                    Verdict::NotLimited,
                    format!(
                        "{} declare it, but its symbol is not part of the Stable ABI.",
                        capitalised(&headers)
                    ),
                )
            } else {
                let reason = match item.tier {
                    Tier::Unstable => "Not in the Limited API: Unstable API, which may change in any minor release.",
                    Tier::Private => "Not in the Limited API: a private name.",
                    _ => "Not in the Limited API.",
                };
                Judgement::new(Verdict::NotLimited, reason)
            }
        }
    }
}

/// A usable item that exists only where a feature macro is defined.
fn platform(item: &Item, judgement: Judgement) -> Judgement {
    match item.ifdef {
        Some(ifdef) if judgement.verdict == Verdict::Usable => Judgement::new(
            Verdict::PlatformOnly,
            format!(
                "Usable only {} ({}).",
                ifdef.note().unwrap_or("where its feature macro is defined"),
                ifdef.feature()
            ),
        ),
        _ => judgement,
    }
}

fn judge_abi3t(item: &Item, v: Version, declared: Declared) -> Judgement {
    let base = judge_listed_or_declared(item, v, declared, "Py_TARGET_ABI3T");
    if matches!(base.verdict, Verdict::NotLimited | Verdict::AbiOnly | Verdict::TooNew) {
        // Declared for abi3 but not abi3t: gone, rather than never there.
        if item.exposed.abi3.is_some_and(|a| a <= v) && !declared.at {
            return Judgement::new(
                Verdict::Abi3tUnusable,
                "The headers do not declare it under Py_TARGET_ABI3T.",
            );
        }
        return base;
    }
    if item.kind == Kind::Struct
        && item.abi3t == Some(Abi3t::Opaque)
        && matches!(item.struct_kind, Some(StructKind::Members | StructKind::Full))
    {
        return Judgement::new(
            Verdict::Abi3tUnusable,
            "Opaque under abi3t: only pointers to it, no members, no sizeof, no static instances.",
        );
    }
    if item.abi3t == Some(Abi3t::Unavailable) {
        return Judgement::new(
            Verdict::Abi3tUnusable,
            "The headers do not declare it under Py_TARGET_ABI3T.",
        );
    }
    platform(item, base)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_and_print() {
        let t: Target = "abi3=3.9,abi3t=3.15".parse().expect("valid");
        assert_eq!(
            t,
            Target {
                abi3: Some(Version::new(3, 9)),
                abi3t: Some(Version::new(3, 15)),
                build: None,
            }
        );
        assert_eq!(t.to_string(), "abi3 3.9 + abi3t 3.15");
        let built = Target {
            build: Some(Version::new(3, 12)),
            ..t
        };
        assert_eq!(built.to_string(), "abi3 3.9 + abi3t 3.15 (built with 3.12's headers)");
        assert_eq!(
            "abi3t=3.16".parse::<Target>().map(|t| t.to_string()),
            Ok("abi3t 3.16".to_string())
        );
        assert!(!"none".parse::<Target>().expect("valid").is_set());
    }

    #[test]
    fn bad_targets_say_why() {
        for (bad, says) in [
            ("abi3t=3.12", "abi3t starts at 3.15"),
            ("abi3=3.x", "valid: 3.2 to 3.16"),
            ("abi3=3.1", "valid: 3.2 to 3.16"),
            ("abi4=3.9", "unknown ABI"),
            ("abi3", "expected abi3=VERSION"),
            ("abi3=3.9,abi3=3.10", "twice"),
        ] {
            let err = bad.parse::<Target>().expect_err(bad);
            assert!(err.contains(says), "{bad}: {err}");
        }
    }

    #[test]
    fn verdicts_order_by_severity() {
        assert!(Verdict::Usable < Verdict::PlatformOnly && Verdict::TooNew < Verdict::NotLimited);
        assert!(Verdict::PlatformOnly.is_usable() && !Verdict::TooNew.is_usable());
    }
}
