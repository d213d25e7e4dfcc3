//! Judging what was read: per use, the builds where it is usable; per ABI,
//! the lowest version where every use is; the uses that block an ABI, the
//! uses that exceed the target, and what wheels and settings get wrong.

use std::collections::HashMap;

use super::build::{Build, Builds, Family};
use super::wheel::{Claim, Suffix, Tags};
use super::{Form, Input, UnitKind, Use};
use crate::alternatives::alternatives;
use crate::catalog::{Abi3t, Catalog, Item, Kind, Version};
use crate::target::{ABI3T_FIRST, Judgement, NEWEST, Target, Verdict, judge, judge_symbol, judge_unknown};

/// A verdict and the alternatives it calls for.
type Judged = (Judgement, Vec<&'static str>);

/// Per ABI: abi3 first, then abi3t.
pub type PerFamily<T> = [T; 2];

fn slot(family: Family) -> usize {
    match family {
        Family::Abi3 => 0,
        Family::Abi3t => 1,
    }
}

/// The verdict for a name written (or imported) in a given form.
pub fn judge_form(catalog: &Catalog, item: Option<&Item>, name: &str, form: Form, target: Target) -> Judgement {
    let Some(item) = item else {
        return judge_unknown(name);
    };
    match form {
        Form::Symbol => judge_symbol(catalog, item, target),
        Form::Pointer if item.kind == Kind::Struct && item.abi3t == Some(Abi3t::Opaque) => {
            let judgement = judge(catalog, item, target);
            if judgement.verdict != Verdict::Abi3tUnusable {
                return judgement;
            }
            match target.abi3 {
                Some(v) => judge(catalog, item, Family::Abi3.target(v)),
                None => Judgement::new(
                    Verdict::Usable,
                    "Used through pointers only, which abi3t allows for this opaque struct.",
                ),
            }
        }
        _ => judge(catalog, item, target),
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
    /// The wheel, member or source it is about.
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
    /// Exit 1: uses exceed the target, or a wheel or setting claims less
    /// than the uses need.
    Exceeds,
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
    /// Per ABI, the lowest version covering every use; `None`: blocked.
    pub min: PerFamily<Option<Version>>,
    pub uses: Vec<UseReport>,
    /// Per ABI, indices of the uses that block it.
    pub blockers: PerFamily<Vec<usize>>,
    /// Indices of the uses the target cannot have.
    pub exceeding: Vec<usize>,
    pub wheels: Vec<WheelReport>,
    /// Sources whose own `Py_LIMITED_API` is lower than their uses need.
    pub findings: Vec<Finding>,
}

impl<'a> Report<'a> {
    pub fn new(catalog: &Catalog, input: &'a Input, target: Option<Target>) -> Report<'a> {
        let mut ok_by_key: HashMap<(&str, Form), Builds> = HashMap::new();
        let key = |u: &'a Use| (u.item.map_or(u.name.as_str(), |i| i.name), u.form);
        let ok: Vec<Builds> = input
            .uses
            .iter()
            .map(|u| {
                let usable = *ok_by_key.entry(key(u)).or_insert_with(|| {
                    Builds::filter(|b| {
                        judge_form(catalog, u.item, &u.name, u.form, b.family.target(b.version))
                            .verdict
                            .is_usable()
                    })
                });
                Builds::ALL.minus(u.builds).or(usable)
            })
            .collect();
        let all: Vec<usize> = (0..ok.len()).collect();
        let min = lowest(&ok, &all);
        let shown = target.unwrap_or(Target {
            abi3: Some(min[0].unwrap_or(NEWEST)),
            abi3t: Some(min[1].unwrap_or(NEWEST)),
        });
        let mut judged: HashMap<((&str, Form), Target), Judged> = HashMap::new();
        let uses: Vec<UseReport> = input
            .uses
            .iter()
            .zip(&ok)
            .map(|(u, ok)| {
                let compiled = |family: Family| {
                    family
                        .of(shown)
                        .filter(|v| u.builds.contains(Build { family, version: *v }))
                };
                let under = Target {
                    abi3: compiled(Family::Abi3),
                    abi3t: compiled(Family::Abi3t),
                };
                let (judgement, alternatives) = if under.is_set() {
                    let (j, alts) = judged.entry((key(u), under)).or_insert_with(|| {
                        let j = judge_form(catalog, u.item, &u.name, u.form, under);
                        let alts = if j.verdict.is_usable() {
                            Vec::new()
                        } else {
                            alternatives(catalog, u.item.map_or(u.name.as_str(), |i| i.name), u.item, under)
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
            .collect();
        let blockers = Family::ALL.map(|family| {
            let newest = Build {
                family,
                version: NEWEST,
            };
            if min[slot(family)].is_some() {
                Vec::new()
            } else {
                (0..ok.len()).filter(|i| !ok[*i].contains(newest)).collect()
            }
        });
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
            exceeding,
            wheels: Vec::new(),
            findings: Vec::new(),
        };
        report.wheels = (0..input.wheels.len()).map(|w| report.wheel(&ok, w)).collect();
        report.findings = report.setting_findings(&ok);
        report
    }

    pub fn outcome(&self) -> Outcome {
        if !self.input.errors.is_empty() {
            Outcome::Unreadable
        } else if !self.exceeding.is_empty()
            || !self.findings.is_empty()
            || self.wheels.iter().any(|w| !w.findings.is_empty())
        {
            Outcome::Exceeds
        } else {
            Outcome::Clean
        }
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

    fn wheel(&self, ok: &[Builds], index: usize) -> WheelReport {
        let wheel = &self.input.wheels[index];
        let members: Vec<usize> = (0..self.input.units.len())
            .filter(|u| self.input.units[*u].wheel == Some(index))
            .collect();
        let uses: Vec<usize> = (0..self.input.uses.len())
            .filter(|i| members.contains(&self.input.uses[*i].unit))
            .collect();
        let min = lowest(ok, &uses);
        let claim = wheel.tags.as_ref().map(Tags::claim).unwrap_or_default();
        let mut findings = Vec::new();
        let mut say = |path: &str, message: String| {
            findings.push(Finding {
                path: path.to_string(),
                message,
            });
        };
        let tag = wheel.tags.as_ref().map(ToString::to_string).unwrap_or_default();
        for family in Family::ALL {
            let Some(claimed) = family.of(Target {
                abi3: claim.abi3,
                abi3t: claim.abi3t,
            }) else {
                continue;
            };
            let version = |i: &usize| self.uses[*i].needs[slot(family)];
            match min[slot(family)] {
                None => {
                    let blocking: Vec<usize> = uses.iter().copied().filter(|i| version(i).is_none()).collect();
                    let names = self.names(&blocking);
                    let which = match names.as_slice() {
                        [one] => format!("{one} is"),
                        _ => format!("{} of its names are", names.len()),
                    };
                    say(
                        &wheel.path,
                        format!(
                            "tagged {tag}, but {which} not in the {family} Stable ABI: {}",
                            list(&names)
                        ),
                    );
                }
                Some(needed) if needed > claimed => {
                    let raising: Vec<usize> = uses.iter().copied().filter(|i| version(i) > Some(claimed)).collect();
                    say(
                        &wheel.path,
                        format!(
                            "tagged {tag} ({family} from {claimed}), but its modules need {family} {needed}: {}",
                            list(&self.names(&raising))
                        ),
                    );
                }
                Some(_) => {}
            }
        }
        if let Some(message) = wheel
            .tags
            .as_ref()
            .and_then(|t| metadata_mismatch(t, &wheel.metadata_tags))
        {
            say(&wheel.path, message);
        }
        for path in &wheel.unsafe_paths {
            say(
                &wheel.path,
                format!("the member {path} would be installed outside the package directory"),
            );
        }
        for unit in members.iter().map(|u| &self.input.units[*u]).filter(|u| u.extension) {
            for message in module_findings(unit, &claim, &tag) {
                say(&unit.path, message);
            }
        }
        WheelReport {
            index,
            claim,
            min,
            findings,
        }
    }

    /// A source that defines `Py_LIMITED_API` lower than its uses need.
    fn setting_findings(&self, ok: &[Builds]) -> Vec<Finding> {
        let mut out = Vec::new();
        for setting in &self.input.settings {
            if setting.name != "Py_LIMITED_API" || !setting.defined {
                continue;
            }
            let Some(defined) = setting
                .value
                .as_deref()
                .map_or(Some(crate::catalog::FIRST_STABLE), limited_api_version)
            else {
                continue;
            };
            let uses: Vec<usize> = (0..self.input.uses.len())
                .filter(|i| self.input.uses[*i].unit == setting.unit)
                .collect();
            let Some(needed) = lowest(ok, &uses)[0] else { continue };
            if needed > defined {
                let raising: Vec<usize> = uses
                    .iter()
                    .copied()
                    .filter(|i| self.uses[*i].needs[0].is_none_or(|v| v > defined))
                    .collect();
                out.push(Finding {
                    path: setting.location.to_string(),
                    message: format!(
                        "defines Py_LIMITED_API {defined}, but this file needs abi3 {needed}: {}",
                        list(&self.names(&raising))
                    ),
                });
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

/// What a module's file name and DLL imports get wrong for its wheel's tags.
fn module_findings(unit: &super::Unit, claim: &Claim, tag: &str) -> Vec<String> {
    let mut out = Vec::new();
    let stable = claim.abi3.is_some() || claim.abi3t.is_some();
    match Suffix::of(&unit.path) {
        Suffix::Abi3 if claim.abi3t.is_some() => out.push(
            "named .abi3, but the wheel is tagged abi3t and free-threaded CPython loads only .abi3t modules"
                .to_string(),
        ),
        Suffix::Abi3t if claim.abi3t.is_none() && claim.abi3.is_some_and(|v| v < ABI3T_FIRST) => {
            out.push(format!(
                "named .abi3t, which CPython before 3.15 does not load, in a wheel tagged {tag}"
            ));
        }
        Suffix::Versioned(v) if stable => out.push(format!("named for CPython {v} only, in a wheel tagged {tag}")),
        _ => {}
    }
    for library in &unit.libraries {
        let lower = library.to_ascii_lowercase();
        let versioned = lower
            .strip_prefix("python3")
            .and_then(|r| r.strip_suffix(".dll"))
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
        if versioned && stable {
            out.push(format!(
                "imports {library}, which ties it to one CPython version; Stable ABI modules link python3.dll (abi3) or python3t.dll (abi3t)"
            ));
        } else if lower == "python3.dll" && claim.abi3t.is_some() {
            out.push(
                "imports python3.dll, but the wheel is tagged abi3t: free-threaded CPython provides python3t.dll"
                    .to_string(),
            );
        } else if lower == "python3t.dll" && claim.abi3.is_some() && claim.abi3t.is_none() {
            out.push("imports python3t.dll (abi3t), but the wheel is tagged abi3 only".to_string());
        }
    }
    out
}

/// The `WHEEL` metadata's `Tag:` lines against the file name's tags.
fn metadata_mismatch(tags: &Tags, listed: &[String]) -> Option<String> {
    if listed.is_empty() {
        return None;
    }
    let mut from_name: Vec<String> = tags
        .python
        .iter()
        .flat_map(|p| {
            tags.abi
                .iter()
                .flat_map(move |a| tags.platform.iter().map(move |pl| format!("{p}-{a}-{pl}")))
        })
        .collect();
    let mut listed = listed.to_vec();
    from_name.sort();
    listed.sort();
    (from_name != listed).then(|| {
        format!(
            "the WHEEL metadata lists {}, the file name says {tags}",
            listed.join(", ")
        )
    })
}

/// Per ABI, the lowest version at which all the given uses are fine.
fn lowest(ok: &[Builds], uses: &[usize]) -> PerFamily<Option<Version>> {
    Family::ALL.map(|family| {
        family.versions().find(|version| {
            uses.iter().all(|i| {
                ok[*i].contains(Build {
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
fn list(names: &[&str]) -> String {
    const SHOWN: usize = 8;
    let shown = names.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", ");
    match names.len().checked_sub(SHOWN) {
        Some(more) if more > 0 => format!("{shown} and {more} more"),
        _ => shown,
    }
}
