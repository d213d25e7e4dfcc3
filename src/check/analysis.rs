//! Judging what was read: per use, the builds where it is usable; per ABI,
//! the lowest version where every use is (and no file refuses the build
//! with `#error`); the uses that block an ABI, the uses that exceed the
//! target or their own file's setting, and what wheels get wrong.
//!
//! A source use is judged with the headers its build compiles with: the
//! release of the build's own version, or `--build-python`'s. Names the
//! catalog lacks are judged from what those headers give: a private macro
//! defined under `Py_LIMITED_API` (`_Py_NO_RETURN`) is usable, a private
//! function never is.

use std::collections::HashMap;

use super::build::{Build, Builds, Family};

mod wheels;
use super::macros::Env;
use super::wheel::Claim;
use super::{Form, Input, UnitKind, Use};
use crate::alternatives::alternatives;
use crate::catalog::headers::{self, Config, HeaderKind, Seen};
use crate::catalog::{Abi3t, Catalog, Item, Kind, Version};
use crate::target::{Judgement, NEWEST, Target, Verdict, judge, judge_in, judge_symbol, judge_unknown, stricter};

/// A verdict and the alternatives it calls for.
type Judged = (Judgement, Vec<&'static str>);

/// Per ABI: abi3 first, then abi3t.
pub type PerFamily<T> = [T; 2];

pub fn slot(family: Family) -> usize {
    match family {
        Family::Abi3 => 0,
        Family::Abi3t => 1,
    }
}

/// The verdict for a name written (or imported) in a given form, under a
/// target, with the catalog's record of the 3.15 headers.
pub fn judge_form(catalog: &Catalog, item: Option<&Item>, name: &str, form: Form, target: Target) -> Judgement {
    let Some(item) = item else {
        return judge_unknown(name);
    };
    match form {
        Form::Symbol => judge_symbol(catalog, item, target),
        Form::Pointer if opaque_struct(item) => {
            let judgement = judge(catalog, item, target);
            if judgement.verdict != Verdict::Abi3tUnusable {
                return judgement;
            }
            match target.abi3 {
                Some(v) => judge(catalog, item, Family::Abi3.target(v)),
                None => pointer_judgement(),
            }
        }
        _ => judge(catalog, item, target),
    }
}

fn opaque_struct(item: &Item) -> bool {
    item.kind == Kind::Struct && item.abi3t == Some(Abi3t::Opaque)
}

fn pointer_judgement() -> Judgement {
    Judgement::new(
        Verdict::Usable,
        "Used through pointers only, which abi3t allows for this opaque struct.",
    )
}

/// The headers' configuration for a build.
fn config(build: Build) -> Config {
    match build.family {
        Family::Abi3 => Config::Limited(build.version),
        Family::Abi3t => Config::Abi3t,
    }
}

/// The verdict for one use at one build, compiled with the headers of
/// `env`'s release for that build.
pub fn judge_at(catalog: &Catalog, item: Option<&Item>, name: &str, form: Form, build: Build, env: &Env) -> Judgement {
    let target = build.family.target(build.version);
    if matches!(form, Form::Symbol | Form::Entry) {
        return judge_form(catalog, item, name, form, target);
    }
    let release = env.headers(build);
    let Some(item) = item else {
        return judge_header_name(name, release, build);
    };
    let judgement = judge_in(item, build.family, build.version, release);
    if form == Form::Pointer && opaque_struct(item) && judgement.verdict == Verdict::Abi3tUnusable {
        return pointer_judgement();
    }
    judgement
}

/// A name the catalog lacks, from what the headers give it.
fn judge_header_name(name: &str, release: Version, build: Build) -> Judgement {
    let Some(entry) = headers::get(name) else {
        return judge_unknown(name);
    };
    let private = if name.starts_with('_') { "private " } else { "" };
    let under = match build.family {
        Family::Abi3 => format!("Py_LIMITED_API {}", build.version),
        Family::Abi3t => "Py_TARGET_ABI3T".to_string(),
    };
    match entry.seen(release, config(build), headers::Form::Any) {
        Seen::Yes(HeaderKind::Internal) => Judgement::new(
            Verdict::NotLimited,
            "CPython's internal API (its internal headers, with Py_BUILD_CORE).",
        ),
        Seen::Yes(kind) if kind.is_compile_time() => Judgement::new(
            Verdict::Usable,
            format!(
                "A {private}{} that the {release} headers give under {under}; it needs no symbol, though {}may change in any release.",
                noun(kind),
                if private.is_empty() { "it " } else { "a private name " }
            ),
        ),
        Seen::Yes(_) => Judgement::new(
            Verdict::NotLimited,
            format!("The {release} headers declare it, but its symbol is not part of the Stable ABI."),
        ),
        Seen::No if entry.kinds().all(|k| k == HeaderKind::Internal) => Judgement::new(
            Verdict::NotLimited,
            "CPython's internal API (its internal headers, with Py_BUILD_CORE).",
        ),
        Seen::No => Judgement::new(
            Verdict::NotLimited,
            format!("Not in the Limited API: a {private}name the {release} headers do not give under {under}."),
        ),
        Seen::Unknown => Judgement::new(
            Verdict::NotLimited,
            format!(
                "The {release} headers are not among abiscope's inputs, and the releases around it disagree about it."
            ),
        ),
    }
}

fn noun(kind: HeaderKind) -> &'static str {
    match kind {
        HeaderKind::Macro | HeaderKind::FunctionMacro | HeaderKind::Platform => "macro",
        HeaderKind::Inline => "static inline function",
        HeaderKind::Typedef => "type",
        HeaderKind::Tag => "struct",
        HeaderKind::Enumerator => "enumerator",
        HeaderKind::Function | HeaderKind::Variable | HeaderKind::Internal => "declaration",
    }
}

/// What the analysis says about one use.
#[derive(Debug, Clone)]
pub struct UseReport {
    /// Per ABI, the lowest version where it is usable (or not compiled);
    /// `None` when there is none.
    pub needs: PerFamily<Option<Version>>,
    /// The verdict under the shown target; `None` when no build of that
    /// target compiles the use.
    pub judgement: Option<Judgement>,
    /// Replacements, best first, when the verdict is not usable.
    pub alternatives: Vec<&'static str>,
}

/// Something a wheel or a source says that its uses contradict.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// The wheel, member, source or setting it is about.
    pub path: String,
    pub message: String,
}

/// One wheel's verdict.
#[derive(Debug, Clone)]
pub struct WheelReport {
    /// Index into `Input::wheels`.
    pub index: usize,
    pub claim: Claim,
    pub min: PerFamily<Option<Version>>,
    pub findings: Vec<Finding>,
}

/// How `check` ends, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0: nothing exceeds the target, nothing contradicts itself.
    Clean,
    /// Exit 1: uses exceed the target or their file's own setting, or a
    /// wheel claims less than its modules need.
    Exceeds,
    /// Exit 1: no input was there to read (an empty directory, empty
    /// standard input).
    NothingRead,
    /// Exit 2: some input could not be read (the rest was reported).
    Unreadable,
}

#[derive(Debug)]
pub struct Report<'a> {
    pub input: &'a Input,
    /// The target the user gave.
    pub target: Option<Target>,
    /// The target the verdicts are under: the user's, else the lowest
    /// versions found (the newest for a blocked ABI).
    pub shown: Target,
    /// Per ABI, the lowest version covering every use; `None`: blocked,
    /// or nothing used (see [`Report::nothing_used`]).
    pub min: PerFamily<Option<Version>>,
    pub uses: Vec<UseReport>,
    /// Per ABI, indices of the uses that block it.
    pub blockers: PerFamily<Vec<usize>>,
    /// Per ABI, indices of the refusals (`#error`) that block it.
    pub refusing: PerFamily<Vec<usize>>,
    /// Indices of the uses the target cannot have.
    pub exceeding: Vec<usize>,
    pub wheels: Vec<WheelReport>,
    /// Sources whose own setting (`Py_LIMITED_API`, PyO3's `abi3-pyXY`)
    /// is lower than their uses need.
    pub findings: Vec<Finding>,
}

impl<'a> Report<'a> {
    pub fn new(catalog: &Catalog, input: &'a Input, target: Option<Target>) -> Report<'a> {
        let env = &input.env;
        let mut ok_by_key: HashMap<(&str, Form), Builds> = HashMap::new();
        let key = |u: &'a Use| (u.item.map_or(u.name.as_str(), |i| i.name()), u.form);
        let ok: Vec<Builds> = input
            .uses
            .iter()
            .map(|u| {
                let usable = *ok_by_key.entry(key(u)).or_insert_with(|| {
                    Builds::filter(|b| judge_at(catalog, u.item, &u.name, u.form, b, env).verdict.is_usable())
                });
                Builds::ALL.minus(u.builds).or(usable)
            })
            .collect();
        let refused: Vec<Builds> = input.refusals.iter().map(|r| Builds::ALL.minus(r.builds)).collect();
        let everything: Vec<Builds> = ok.iter().chain(&refused).copied().collect();
        let min = if input.uses.is_empty() && input.refusals.is_empty() {
            [None, None]
        } else {
            lowest(&everything)
        };
        let shown = target.unwrap_or(Target {
            abi3: Some(min[0].unwrap_or(NEWEST)),
            abi3t: Some(min[1].unwrap_or(NEWEST)),
            build: env.build_python,
        });
        let uses = report_uses(catalog, input, &ok, shown);
        let blocking = |list: &[Builds], family: Family| -> Vec<usize> {
            let newest = Build {
                family,
                version: NEWEST,
            };
            if min[slot(family)].is_some() {
                Vec::new()
            } else {
                (0..list.len()).filter(|i| !list[*i].contains(newest)).collect()
            }
        };
        let blockers = Family::ALL.map(|f| blocking(&ok, f));
        let refusing = Family::ALL.map(|f| blocking(&refused, f));
        let exceeding = if target.is_some() {
            (0..uses.len())
                .filter(|i| uses[*i].judgement.as_ref().is_some_and(|j| !j.verdict.is_usable()))
                .collect()
        } else {
            Vec::new()
        };
        let mut report = Report {
            input,
            target,
            shown,
            min,
            uses,
            blockers,
            refusing,
            exceeding,
            wheels: Vec::new(),
            findings: Vec::new(),
        };
        report.wheels = (0..input.wheels.len()).map(|w| report.wheel(&ok, w)).collect();
        report.findings = report.setting_findings(catalog, &ok);
        report.findings.extend(report.refused_targets());
        report
    }

    /// Nothing in what was read uses the C API (nor refuses a build).
    pub fn nothing_used(&self) -> bool {
        self.input.uses.is_empty() && self.input.refusals.is_empty()
    }

    pub fn outcome(&self) -> Outcome {
        if !self.input.errors.is_empty() {
            Outcome::Unreadable
        } else if !self.exceeding.is_empty()
            || !self.findings.is_empty()
            || self.wheels.iter().any(|w| !w.findings.is_empty())
        {
            Outcome::Exceeds
        } else if self.input.units.is_empty() {
            Outcome::NothingRead
        } else {
            Outcome::Clean
        }
    }

    /// How many uses the given use groups hold.
    pub fn count(&self, uses: &[usize]) -> usize {
        uses.iter().map(|i| self.input.uses[*i].count).sum()
    }

    /// The names (as written, each once, in order) of the given uses.
    pub fn names(&self, uses: &[usize]) -> Vec<&str> {
        let mut seen = std::collections::HashSet::new();
        uses.iter()
            .map(|i| self.input.uses[*i].name.as_str())
            .filter(|name| seen.insert(*name))
            .collect()
    }

    /// The uses (by index) that raise `family`'s minimum to its value:
    /// those usable no earlier.
    pub fn raising(&self, family: Family) -> Vec<usize> {
        let Some(min) = self.min[slot(family)].filter(|v| *v > family.first()) else {
            return Vec::new();
        };
        (0..self.uses.len())
            .filter(|i| self.uses[*i].needs[slot(family)] == Some(min))
            .collect()
    }

    /// The refusals (by index) that raise `family`'s minimum to its value.
    pub fn refusals_raising(&self, family: Family) -> Vec<usize> {
        let Some(min) = self.min[slot(family)].filter(|v| *v > family.first()) else {
            return Vec::new();
        };
        let below = family.versions().take_while(|v| *v < min).last();
        (0..self.input.refusals.len())
            .filter(|i| below.is_some_and(|version| self.input.refusals[*i].builds.contains(Build { family, version })))
            .collect()
    }

    /// A file's own setting (`#define Py_LIMITED_API`, PyO3's
    /// `abi3-pyXY`) is a target for that file: its uses that the setting's
    /// build cannot have, each named with what it needs.
    fn setting_findings(&self, catalog: &Catalog, ok: &[Builds]) -> Vec<Finding> {
        let mut by_unit: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, u) in self.input.uses.iter().enumerate() {
            by_unit.entry(u.unit).or_default().push(i);
        }
        let mut out = Vec::new();
        let mut done = std::collections::HashSet::new();
        for setting in &self.input.settings {
            let floors = [(Family::Abi3, setting.abi3), (Family::Abi3t, setting.abi3t)];
            for (family, floor) in floors {
                let Some(floor) = floor else { continue };
                if !done.insert((setting.unit, family, floor)) {
                    continue;
                }
                let build = Build { family, version: floor };
                let uses = by_unit.get(&setting.unit).map_or(&[][..], Vec::as_slice);
                let exceeding: Vec<usize> = uses.iter().copied().filter(|i| !ok[*i].contains(build)).collect();
                let refused = self
                    .input
                    .refusals
                    .iter()
                    .find(|r| r.unit == setting.unit && r.builds.contains(build));
                if exceeding.is_empty() && refused.is_none() {
                    continue;
                }
                let mut what: Vec<String> = Vec::new();
                let mut seen = std::collections::HashSet::new();
                for i in &exceeding {
                    let u = &self.input.uses[*i];
                    if !seen.insert(u.name.as_str()) {
                        continue;
                    }
                    let verdict = judge_at(catalog, u.item, &u.name, u.form, build, &self.input.env).verdict;
                    let need = self.uses[*i].needs[slot(family)]
                        .map_or_else(|| verdict.as_str().to_string(), |v| format!("{family} {v}"));
                    what.push(format!("{} ({need})", u.name));
                }
                if let Some(r) = refused {
                    what.push(match r.site {
                        Some(site) => format!("#error at line {}", site.line),
                        None => r.message.clone(),
                    });
                }
                let described = match (setting.name.as_str(), setting.value.as_deref()) {
                    ("pyo3", Some(feature)) => format!("declares PyO3's {feature}"),
                    (name, Some(value)) => format!("defines {name} {value} ({family} {floor})"),
                    (name, None) => format!("defines {name} ({family} {floor})"),
                };
                out.push(Finding {
                    path: format!("{}", setting.location),
                    message: format!(
                        "{described}, but {} cannot be built for it: {}",
                        self.input.units[setting.unit].path,
                        list_owned(&what)
                    ),
                });
            }
        }
        out
    }

    /// The target's builds that a file refuses (`#error`, a module's name).
    fn refused_targets(&self) -> Vec<Finding> {
        let Some(target) = self.target else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for r in &self.input.refusals {
            for family in Family::ALL {
                let Some(version) = family.of(target) else { continue };
                if r.builds.contains(Build { family, version }) {
                    let unit = &self.input.units[r.unit];
                    let how = match r.site {
                        Some(site) => format!("#error at line {}: {}", site.line, r.message),
                        None => r.message.clone(),
                    };
                    out.push(Finding {
                        path: unit.path.clone(),
                        message: format!("cannot be built for {family} {version}: {how}"),
                    });
                }
            }
        }
        out
    }

    /// Counts for the summary line.
    pub fn counts(&self) -> (usize, usize, usize) {
        let sources = self.input.units.iter().filter(|u| u.kind == UnitKind::Source).count();
        let modules = self.input.units.iter().filter(|u| u.kind == UnitKind::Module).count();
        (sources, modules, self.input.wheels.len())
    }
}

/// Each use's verdict under the shown target (where a build of it compiles
/// the use), its alternatives, and the lowest version per ABI it needs.
fn report_uses(catalog: &Catalog, input: &Input, ok: &[Builds], shown: Target) -> Vec<UseReport> {
    let mut judged: HashMap<((&str, Form), Target), Judged> = HashMap::new();
    input
        .uses
        .iter()
        .zip(ok)
        .map(|(u, ok)| {
            let compiled = |family: Family| {
                family
                    .of(shown)
                    .filter(|v| u.builds.contains(Build { family, version: *v }))
            };
            let under = Target {
                abi3: compiled(Family::Abi3),
                abi3t: compiled(Family::Abi3t),
                build: shown.build,
            };
            let (judgement, alternatives) = if under.is_set() {
                let key = (u.item.map_or(u.name.as_str(), |i| i.name()), u.form);
                let (j, alts) = judged.entry((key, under)).or_insert_with(|| {
                    let per_family = Family::ALL.map(|family| {
                        family.of(under).map(|version| {
                            judge_at(catalog, u.item, &u.name, u.form, Build { family, version }, &input.env)
                        })
                    });
                    let [abi3, abi3t] = per_family;
                    let j = stricter(abi3, abi3t);
                    let alts = if j.verdict.is_usable() {
                        Vec::new()
                    } else {
                        alternatives(catalog, u.item.map_or(u.name.as_str(), |i| i.name()), u.item, under)
                    };
                    (j, alts)
                });
                (Some(j.clone()), alts.clone())
            } else {
                (None, Vec::new())
            };
            let needs =
                Family::ALL.map(|family| family.versions().find(|v| ok.contains(Build { family, version: *v })));
            UseReport {
                needs,
                judgement,
                alternatives,
            }
        })
        .collect()
}

/// Per ABI, the lowest version at which every one of these is fine.
fn lowest(ok: &[Builds]) -> PerFamily<Option<Version>> {
    Family::ALL.map(|family| {
        family.versions().find(|version| {
            ok.iter().all(|b| {
                b.contains(Build {
                    family,
                    version: *version,
                })
            })
        })
    })
}

/// A `Py_LIMITED_API` value as a version: `0x030B0000`,
/// `Py_PACK_VERSION(3, 11)`; values below 3.2 mean 3.2, as in the headers.
pub fn limited_api_version(value: &str) -> Option<Version> {
    let truth = super::cond::value_of(value)?;
    let byte = |shift: u32| u8::try_from((truth >> shift) & 0xff).ok();
    let version = Version::new(byte(24)?, byte(16)?);
    Some(version.max(crate::catalog::FIRST_STABLE))
}

/// `A, B, C` (up to eight, then `and N more`).
pub fn list(names: &[&str]) -> String {
    const SHOWN: usize = 8;
    let shown = names.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", ");
    match names.len().checked_sub(SHOWN) {
        Some(more) if more > 0 => format!("{shown} and {more} more"),
        _ => shown,
    }
}

fn list_owned(names: &[String]) -> String {
    list(&names.iter().map(String::as_str).collect::<Vec<_>>())
}
