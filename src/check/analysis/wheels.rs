//! A wheel's verdict: the lowest versions its modules need, against what
//! its tags claim, its `WHEEL` metadata, its members' names and DLL imports.

use super::{Finding, Report, WheelReport, list, lowest, slot};
use crate::check::build::{Builds, Family};
use crate::check::wheel::{Claim, Suffix, Tags};
use crate::target::{ABI3T_FIRST, Target};

impl Report<'_> {
    pub(super) fn wheel(&self, ok: &[Builds], index: usize) -> WheelReport {
        let wheel = &self.input.wheels[index];
        let members: Vec<usize> = (0..self.input.units.len())
            .filter(|u| self.input.units[*u].wheel == Some(index))
            .collect();
        let uses: Vec<usize> = (0..self.input.uses.len())
            .filter(|i| members.contains(&self.input.uses[*i].unit))
            .collect();
        let refused = self
            .input
            .refusals
            .iter()
            .filter(|r| members.contains(&r.unit))
            .map(|r| Builds::ALL.minus(r.builds));
        let min = lowest(&uses.iter().map(|i| ok[*i]).chain(refused).collect::<Vec<_>>());
        let claim = wheel.tags.as_ref().map(Tags::claim).unwrap_or_default();
        let mut findings = Vec::new();
        let mut say = |path: &str, message: String| {
            findings.push(Finding {
                path: path.to_string(),
                message,
            });
        };
        let tag = wheel.tags.as_ref().map(ToString::to_string).unwrap_or_default();
        if let Some(message) = claim.error.as_deref() {
            say(&wheel.path, format!("tagged {tag}: {message}"));
        }
        for family in Family::ALL {
            let Some(claimed) = family.of(Target {
                abi3: claim.abi3,
                abi3t: claim.abi3t,
                build: None,
            }) else {
                continue;
            };
            let version = |i: &usize| self.uses[*i].needs[slot(family)];
            match min[slot(family)] {
                None => {
                    let blocking: Vec<usize> = uses.iter().copied().filter(|i| version(i).is_none()).collect();
                    let names = self.names(&blocking);
                    if names.is_empty() {
                        // Blocked by the modules' names, said per module.
                        continue;
                    }
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
}

/// What a module's file name and DLL imports get wrong for its wheel's tags.
fn module_findings(unit: &crate::check::Unit, claim: &Claim, tag: &str) -> Vec<String> {
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
        Suffix::Versioned(v, _) if stable => out.push(format!("named for CPython {v} only, in a wheel tagged {tag}")),
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
