//! `check --json`: the report as one object. Strings from files stay exact
//! here (JSON escapes them); only the text report escapes controls.

use serde::Serialize;

use crate::catalog::Version;
use crate::check::analysis::{Finding, Report};
use crate::check::{InputError, Location, SITES_KEPT};
use crate::target::Verdict;

#[derive(Serialize)]
pub struct JsonReport<'r> {
    target: Option<String>,
    /// Which build files gave the target, or why none was taken.
    target_from: Option<&'r str>,
    build_python: Option<Version>,
    inputs: JsonInputs,
    min_version: JsonVersions,
    nothing_used: bool,
    uses: Vec<JsonUse<'r>>,
    blockers: JsonBlockers<'r>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exceeding: Option<Vec<JsonUse<'r>>>,
    refusals: Vec<JsonRefusal<'r>>,
    settings: Vec<JsonSetting<'r>>,
    findings: Vec<&'r Finding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    wheel: Option<Vec<JsonWheel<'r>>>,
    assumed_undefined: Vec<JsonNamed<'r>>,
    too_deep: Vec<JsonPlace<'r>>,
    skipped: Vec<JsonError<'r>>,
    errors: Vec<JsonError<'r>>,
    left_out: usize,
    unexpanded: usize,
}

#[derive(Serialize)]
struct JsonInputs {
    sources: usize,
    modules: usize,
    wheels: usize,
}

#[derive(Serialize, Clone)]
struct JsonVersions {
    abi3: Option<Version>,
    abi3t: Option<Version>,
}

#[derive(Serialize, Clone)]
struct JsonSite {
    line: u32,
    column: u32,
}

#[derive(Serialize, Clone)]
struct JsonUse<'r> {
    name: &'r str,
    path: &'r str,
    /// How many uses this entry stands for.
    count: usize,
    /// The first places (up to `SITES_KEPT`); empty for a module's imports.
    locations: Vec<JsonSite>,
    form: &'static str,
    verdict: Option<Verdict>,
    reason: Option<&'r str>,
    alternatives: &'r [&'static str],
    needs: JsonVersions,
    /// Macros whose values are unknown, which leave the use compiled only
    /// maybe.
    undecided: &'r [String],
}

#[derive(Serialize)]
struct JsonBlockers<'r> {
    abi3: Vec<JsonUse<'r>>,
    abi3t: Vec<JsonUse<'r>>,
}

#[derive(Serialize)]
struct JsonRefusal<'r> {
    path: &'r str,
    line: Option<u32>,
    column: Option<u32>,
    message: &'r str,
    /// The lowest versions the file accepts, per ABI (`null`: none).
    accepts: JsonVersions,
}

#[derive(Serialize)]
struct JsonSetting<'r> {
    name: &'r str,
    value: Option<&'r str>,
    defined: bool,
    path: &'r str,
    line: Option<u32>,
    column: Option<u32>,
    abi3: Option<Version>,
    abi3t: Option<Version>,
}

#[derive(Serialize)]
struct JsonWheel<'r> {
    path: &'r str,
    tags: Option<String>,
    claim: JsonVersions,
    min_version: JsonVersions,
    findings: &'r [Finding],
}

#[derive(Serialize)]
struct JsonError<'r> {
    path: &'r str,
    message: &'r str,
}

#[derive(Serialize)]
struct JsonNamed<'r> {
    name: &'r str,
    #[serde(flatten)]
    place: JsonPlace<'r>,
}

#[derive(Serialize)]
struct JsonPlace<'r> {
    path: &'r str,
    line: Option<u32>,
    column: Option<u32>,
}

fn errors(errors: &[InputError]) -> Vec<JsonError<'_>> {
    errors
        .iter()
        .map(|e| JsonError {
            path: &e.path,
            message: &e.message,
        })
        .collect()
}

fn place(l: &Location) -> JsonPlace<'_> {
    JsonPlace {
        path: &l.path,
        line: l.line,
        column: l.column,
    }
}

impl Serialize for Verdict {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

pub fn report<'r>(report: &'r Report<'_>, target_from: Option<&'r str>) -> JsonReport<'r> {
    let input = report.input;
    let use_json = |i: usize| {
        let (u, r) = (&input.uses[i], &report.uses[i]);
        JsonUse {
            name: &u.name,
            path: &input.units[u.unit].path,
            count: u.count,
            locations: u
                .sites
                .iter()
                .take(SITES_KEPT)
                .map(|s| JsonSite {
                    line: s.line,
                    column: s.column,
                })
                .collect(),
            form: u.form.as_str(),
            verdict: r.judgement.as_ref().map(|j| j.verdict),
            reason: r.judgement.as_ref().map(|j| j.reason.as_str()),
            alternatives: &r.alternatives,
            needs: JsonVersions {
                abi3: r.needs[0],
                abi3t: r.needs[1],
            },
            undecided: u
                .reason
                .and_then(|i| input.reasons.get(i))
                .map_or(&[][..], Vec::as_slice),
        }
    };
    let (sources, modules, wheels) = report.counts();
    let accepts = |builds: crate::check::Builds| JsonVersions {
        abi3: crate::check::Family::Abi3.versions().find(|v| {
            !builds.contains(crate::check::Build {
                family: crate::check::Family::Abi3,
                version: *v,
            })
        }),
        abi3t: crate::check::Family::Abi3t.versions().find(|v| {
            !builds.contains(crate::check::Build {
                family: crate::check::Family::Abi3t,
                version: *v,
            })
        }),
    };
    JsonReport {
        target: report.target.map(|t| t.to_string()),
        target_from,
        build_python: input.env.build_python,
        inputs: JsonInputs {
            sources,
            modules,
            wheels,
        },
        min_version: JsonVersions {
            abi3: report.min[0],
            abi3t: report.min[1],
        },
        nothing_used: report.nothing_used(),
        uses: (0..input.uses.len()).map(use_json).collect(),
        blockers: JsonBlockers {
            abi3: report.blockers[0].iter().copied().map(use_json).collect(),
            abi3t: report.blockers[1].iter().copied().map(use_json).collect(),
        },
        exceeding: report
            .target
            .map(|_| report.exceeding.iter().copied().map(use_json).collect()),
        refusals: input
            .refusals
            .iter()
            .map(|r| JsonRefusal {
                path: &input.units[r.unit].path,
                line: r.site.map(|s| s.line),
                column: r.site.map(|s| s.column),
                message: &r.message,
                accepts: accepts(r.builds),
            })
            .collect(),
        settings: settings(input),
        findings: report.findings.iter().collect(),
        wheel: (!report.wheels.is_empty()).then(|| wheels_json(report)),
        assumed_undefined: input
            .assumed
            .iter()
            .map(|a| JsonNamed {
                name: &a.name,
                place: place(&a.location),
            })
            .collect(),
        too_deep: input.too_deep.iter().map(place).collect(),
        skipped: errors(&input.skipped),
        errors: errors(&input.errors),
        left_out: input.left_out,
        unexpanded: input.unexpanded(),
    }
}

fn settings(input: &crate::check::Input) -> Vec<JsonSetting<'_>> {
    input
        .settings
        .iter()
        .map(|s| JsonSetting {
            name: &s.name,
            value: s.value.as_deref(),
            defined: s.defined,
            path: &s.location.path,
            line: s.location.line,
            column: s.location.column,
            abi3: s.abi3,
            abi3t: s.abi3t,
        })
        .collect()
}

fn wheels_json<'r>(report: &'r Report<'_>) -> Vec<JsonWheel<'r>> {
    let input = report.input;
    report
        .wheels
        .iter()
        .map(|w| JsonWheel {
            path: &input.wheels[w.index].path,
            tags: input.wheels[w.index].tags.as_ref().map(ToString::to_string),
            claim: JsonVersions {
                abi3: w.claim.abi3,
                abi3t: w.claim.abi3t,
            },
            min_version: JsonVersions {
                abi3: w.min[0],
                abi3t: w.min[1],
            },
            findings: &w.findings,
        })
        .collect()
}
