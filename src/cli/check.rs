//! `abiscope check`: the report as text (grouped by verdict, coloured on a
//! terminal) or JSON, and the exit status (0 clean, 1 something exceeds the
//! target or contradicts a claim, 2 some input unreadable).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use anstyle::{AnsiColor, Effects, Style};
use serde::Serialize;

use super::Outcome;
use super::args::CheckArgs;
use super::output::verdict_style;
use crate::catalog::{Catalog, Version};
use crate::check::analysis::{self, Finding, Report};
use crate::check::{Family, Form, Input, InputError, Limits, Use};
use crate::sanitize::{Escaped, escape};
use crate::target::{Target, Verdict};

const BOLD: Style = Style::new().effects(Effects::BOLD);
const DIM: Style = Style::new().effects(Effects::DIMMED);
const BAD: Style = Style::new()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)))
    .effects(Effects::BOLD);
const GOOD: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));

/// Locations shown per name without `--verbose`.
const LOCATIONS: usize = 3;

pub fn run(
    catalog: &Catalog,
    target: Target,
    args: &CheckArgs,
    stdin: impl io::Read,
    out: &mut impl Write,
) -> io::Result<Outcome> {
    let input = Input::read(catalog, &args.paths, stdin, &Limits::default());
    let report = Report::new(catalog, &input, target.is_set().then_some(target));
    if args.json {
        super::json_line(out, &json(&report))?;
    } else {
        text(catalog, &report, args.verbose, out)?;
    }
    Ok(outcome(&report))
}

/// `check --tui`: the explorer on the report, showing the names used,
/// under the target (or the lowest versions found).
pub fn explore(config: &crate::config::Config, target: Target, args: &CheckArgs) -> io::Result<Outcome> {
    let catalog = Catalog::embedded();
    let input = Input::read(&catalog, &args.paths, io::stdin().lock(), &Limits::default());
    let report = Report::new(&catalog, &input, target.is_set().then_some(target));
    let mut view = crate::app::ReportView {
        locations: vec![Vec::new(); catalog.items().len()],
        verdicts: vec![None; catalog.items().len()],
    };
    let mut unknown = std::collections::BTreeSet::new();
    for (u, r) in input.uses.iter().zip(&report.uses) {
        let Some(index) = u.item.and_then(|i| catalog.index_of(i.name)) else {
            unknown.insert(u.name.as_str());
            continue;
        };
        // A use no build of the target compiles cannot exceed it.
        let verdict = r.judgement.as_ref().map(|j| j.verdict);
        let said = verdict.map_or("not compiled for the target", Verdict::as_str);
        view.locations[index].push(format!("{} {}: {said}", Escaped(&u.location), escape(&u.name)));
        view.verdicts[index] = view.verdicts[index].max(Some(verdict.unwrap_or(Verdict::Usable)));
    }
    let blocked = |v: Option<Version>| v.map_or_else(|| "blocked".to_string(), |v| v.to_string());
    let mut message = format!(
        "check: abi3 {}, abi3t {}",
        blocked(report.min[0]),
        blocked(report.min[1])
    );
    if !report.exceeding.is_empty() {
        let n = report.exceeding.len();
        let verb = if n == 1 { "exceeds" } else { "exceed" };
        let _ = write!(message, "; {} {verb} the target", plural(n, "use", "uses"));
    }
    if !unknown.is_empty() {
        let _ = write!(
            message,
            "; not in the catalog: {}",
            escape(&unknown.into_iter().collect::<Vec<_>>().join(", "))
        );
    }
    if !input.errors.is_empty() {
        let _ = write!(
            message,
            "; {} unreadable",
            plural(input.errors.len(), "input", "inputs")
        );
    }
    let mut app = crate::app::App::new(catalog, config.keymap.clone(), "", Target::default());
    app.show_report(view, report.shown, message);
    crate::tui::explore_app(config, app)?;
    Ok(outcome(&report))
}

/// The exit status: 0 clean, 1 exceeds or contradicts, 2 unreadable input.
pub fn outcome(report: &Report<'_>) -> Outcome {
    match report.outcome() {
        analysis::Outcome::Clean => Outcome::Found,
        analysis::Outcome::Exceeds => Outcome::NothingFound,
        analysis::Outcome::Unreadable => Outcome::Incomplete,
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn version(v: Option<Version>) -> String {
    v.map_or_else(|| "none".to_string(), |v| v.to_string())
}

/// One group of the text report: a name with one verdict and reason.
struct Group<'r> {
    verdict: Verdict,
    name: &'r str,
    reason: &'r str,
    alternatives: &'r [&'static str],
    uses: Vec<&'r Use>,
}

fn text(catalog: &Catalog, report: &Report<'_>, verbose: bool, out: &mut impl Write) -> io::Result<()> {
    summary_head(report, out)?;
    verdict_groups(catalog, report, verbose, out)?;
    settings_and_wheels(report, out)?;
    closing_line(report, out)
}

/// What was read, and the lowest versions per ABI.
fn summary_head(report: &Report<'_>, out: &mut impl Write) -> io::Result<()> {
    let input = report.input;
    let (sources, modules, wheels) = report.counts();
    let names: std::collections::BTreeSet<&str> = input.uses.iter().map(|u| u.name.as_str()).collect();
    let mut read = Vec::new();
    if sources > 0 {
        read.push(plural(sources, "source", "sources"));
    }
    if modules > 0 {
        read.push(plural(modules, "module", "modules"));
    }
    if wheels > 0 {
        read.push(plural(wheels, "wheel", "wheels"));
    }
    if read.is_empty() {
        read.push("nothing".to_string());
    }
    writeln!(
        out,
        "Read {}: {} of {}.",
        read.join(", "),
        plural(input.uses.len(), "use", "uses"),
        plural(names.len(), "C API name", "C API names")
    )?;
    if input.left_out > 0 {
        writeln!(
            out,
            "{DIM}Left out {} in code that no Stable ABI build compiles (#ifndef Py_LIMITED_API, #[cfg(not(Py_LIMITED_API))]).{DIM:#}",
            plural(input.left_out, "use", "uses")
        )?;
    }
    let unexpanded = input.unexpanded();
    if unexpanded > 0 {
        writeln!(
            out,
            "{DIM}Left out {} in the bodies of macros that no compiled code expands.{DIM:#}",
            plural(unexpanded, "use", "uses")
        )?;
    }
    writeln!(out)?;
    for family in Family::ALL {
        let slot = usize::from(family == Family::Abi3t);
        let style = if report.min[slot].is_some() { GOOD } else { BAD };
        let why = if report.min[slot].is_none() {
            let names = report.names(&report.blockers[slot]);
            format!(
                "blocked by {}: {}",
                plural(names.len(), "name", "names"),
                names.join(", ")
            )
        } else {
            let names = report.names(&report.raising(family));
            if names.is_empty() {
                String::new()
            } else {
                format!("needed by {}", names.join(", "))
            }
        };
        let v = version(report.min[slot]);
        let family = family.as_str();
        if why.is_empty() {
            writeln!(out, "{BOLD}{family:<6}{BOLD:#} {style}{v}{style:#}")?;
        } else {
            writeln!(out, "{BOLD}{family:<6}{BOLD:#} {style}{v:<5}{style:#} {}", escape(&why))?;
        }
    }
    writeln!(out)?;
    match report.target {
        Some(t) => writeln!(out, "{BOLD}Under the target {t}:{BOLD:#}")?,
        None => writeln!(
            out,
            "{BOLD}Under {}{BOLD:#} {DIM}(the lowest versions found, the newest for a blocked ABI; --target sets yours){DIM:#}",
            report.shown
        )?,
    }
    Ok(())
}

/// The uses, grouped by verdict (worst first) and name.
fn verdict_groups(catalog: &Catalog, report: &Report<'_>, verbose: bool, out: &mut impl Write) -> io::Result<()> {
    let groups = groups(report);
    let mut usable_names = 0;
    let mut usable_uses = 0;
    for group in &groups {
        if group.verdict.is_usable() && !verbose && group.verdict == Verdict::Usable {
            usable_names += 1;
            usable_uses += group.uses.len();
            continue;
        }
        let style = verdict_style(group.verdict);
        writeln!(
            out,
            "  {style}{:<14}{style:#} {BOLD}{}{BOLD:#} {DIM}({}){DIM:#}",
            group.verdict.as_str(),
            escape(group.name),
            plural(group.uses.len(), "use", "uses")
        )?;
        let shown = if verbose { group.uses.len() } else { LOCATIONS };
        let mut places: Vec<String> = group
            .uses
            .iter()
            .take(shown)
            .map(|u| Escaped(&u.location).to_string())
            .collect();
        if group.uses.len() > shown {
            places.push(format!("+{} more", group.uses.len() - shown));
        }
        writeln!(out, "      {}", places.join(", "))?;
        writeln!(out, "      {}", escape(group.reason))?;
        if !group.verdict.is_usable() {
            if group.alternatives.is_empty() {
                writeln!(out, "      {DIM}instead: no Limited API alternative{DIM:#}")?;
            } else {
                let alts: Vec<String> = group
                    .alternatives
                    .iter()
                    .map(|n| match catalog.get(n).and_then(|i| i.stable_since) {
                        Some(v) => format!("{n} ({v})"),
                        None => (*n).to_string(),
                    })
                    .collect();
                writeln!(out, "      instead: {}", alts.join(", "))?;
            }
        }
    }
    if usable_names > 0 {
        writeln!(
            out,
            "  {GOOD}usable{GOOD:#}         {} {DIM}({}; --verbose lists them){DIM:#}",
            plural(usable_names, "name", "names"),
            plural(usable_uses, "use", "uses")
        )?;
    }
    let not_compiled = report.uses.iter().filter(|u| u.judgement.is_none()).count();
    if not_compiled > 0 {
        writeln!(
            out,
            "  {DIM}not compiled   {} (code for other versions or ABIs){DIM:#}",
            plural(not_compiled, "use", "uses")
        )?;
    }
    if groups.is_empty() && not_compiled == 0 {
        writeln!(out, "  {DIM}no uses of the C API{DIM:#}")?;
    }
    Ok(())
}

/// Settings the code defines or tests, wheels, contradictions, errors.
fn settings_and_wheels(report: &Report<'_>, out: &mut impl Write) -> io::Result<()> {
    let input = report.input;
    let settings = &input.settings;
    if !settings.is_empty() {
        writeln!(out, "\n{BOLD}Settings{BOLD:#}")?;
        for s in settings {
            match (&s.value, s.defined) {
                (Some(v), true) => writeln!(out, "  {}  defines {} {}", Escaped(&s.location), s.name, escape(v))?,
                (None, true) => writeln!(out, "  {}  defines {}", Escaped(&s.location), s.name)?,
                _ => writeln!(out, "  {}  tests {}", Escaped(&s.location), s.name)?,
            }
        }
    }
    for wheel in &report.wheels {
        let w = &input.wheels[wheel.index];
        let tags = w
            .tags
            .as_ref()
            .map_or_else(|| "no tags in its name".to_string(), ToString::to_string);
        writeln!(
            out,
            "\n{BOLD}Wheel{BOLD:#} {} {DIM}({}){DIM:#}",
            escape(&w.path),
            escape(&tags)
        )?;
        let needs = |v: Option<Version>| v.map_or_else(|| "blocked".to_string(), |v| v.to_string());
        writeln!(
            out,
            "  needs abi3 {}, abi3t {}",
            needs(wheel.min[0]),
            needs(wheel.min[1])
        )?;
        findings(out, &wheel.findings)?;
        if wheel.findings.is_empty() {
            writeln!(
                out,
                "  {GOOD}its tags and file names match what its modules need{GOOD:#}"
            )?;
        }
    }
    if !report.findings.is_empty() {
        writeln!(out, "\n{BOLD}Settings that the uses contradict{BOLD:#}")?;
        findings(out, &report.findings)?;
    }
    if !input.errors.is_empty() {
        writeln!(out, "\n{BOLD}Not read{BOLD:#}")?;
        for e in &input.errors {
            writeln!(out, "  {BAD}✗{BAD:#} {}", Escaped(e))?;
        }
    }
    if !input.skipped.is_empty() {
        writeln!(out, "\n{BOLD}Skipped{BOLD:#}")?;
        for e in &input.skipped {
            writeln!(out, "  {DIM}-{DIM:#} {}", Escaped(e))?;
        }
    }
    Ok(())
}

/// The last line: what the exit status will say.
fn closing_line(report: &Report<'_>, out: &mut impl Write) -> io::Result<()> {
    let input = report.input;
    writeln!(out)?;
    let summary = match (report.outcome(), report.target) {
        (analysis::Outcome::Unreadable, _) => format!(
            "{BAD}{} could not be read{BAD:#} (exit 2).",
            plural(input.errors.len(), "input", "inputs")
        ),
        (analysis::Outcome::Exceeds, Some(t)) if !report.exceeding.is_empty() => format!(
            "{BAD}{} of {} {} {t}{BAD:#} (exit 1).",
            plural(report.exceeding.len(), "use", "uses"),
            plural(report.names(&report.exceeding).len(), "name", "names"),
            if report.exceeding.len() == 1 {
                "exceeds"
            } else {
                "exceed"
            }
        ),
        (analysis::Outcome::Exceeds, _) => {
            format!("{BAD}Claims contradict the uses{BAD:#} (exit 1).")
        }
        (analysis::Outcome::Clean, Some(t)) => format!("{GOOD}Every use fits {t}.{GOOD:#}"),
        (analysis::Outcome::Clean, None) => format!(
            "{GOOD}Done.{GOOD:#} {DIM}Pass --target (e.g. abi3={}) to fail on uses that exceed it.{DIM:#}",
            report.min[0].map_or_else(|| "3.9".to_string(), |v| v.to_string())
        ),
    };
    writeln!(out, "{summary}")
}

fn findings(out: &mut impl Write, findings: &[Finding]) -> io::Result<()> {
    for f in findings {
        writeln!(out, "  {BAD}✗{BAD:#} {}: {}", escape(&f.path), escape(&f.message))?;
    }
    Ok(())
}

/// Uses grouped by verdict (worst first), then name, then reason.
fn groups<'r>(report: &'r Report<'_>) -> Vec<Group<'r>> {
    let mut map: BTreeMap<(std::cmp::Reverse<Verdict>, &str, &str), Group<'r>> = BTreeMap::new();
    for (u, r) in report.input.uses.iter().zip(&report.uses) {
        let Some(j) = &r.judgement else { continue };
        map.entry((std::cmp::Reverse(j.verdict), u.name.as_str(), j.reason.as_str()))
            .or_insert_with(|| Group {
                verdict: j.verdict,
                name: &u.name,
                reason: &j.reason,
                alternatives: &r.alternatives,
                uses: Vec::new(),
            })
            .uses
            .push(u);
    }
    map.into_values().collect()
}

#[derive(Serialize)]
struct JsonReport<'r> {
    target: Option<String>,
    inputs: JsonInputs,
    min_version: JsonVersions,
    uses: Vec<JsonUse<'r>>,
    blockers: JsonBlockers<'r>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exceeding: Option<Vec<JsonUse<'r>>>,
    settings: Vec<JsonSetting<'r>>,
    findings: Vec<&'r Finding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    wheel: Option<Vec<JsonWheel<'r>>>,
    errors: Vec<JsonError<'r>>,
    skipped: Vec<JsonError<'r>>,
    left_out: usize,
    unexpanded: usize,
}

#[derive(Serialize)]
struct JsonInputs {
    sources: usize,
    modules: usize,
    wheels: usize,
}

#[derive(Serialize)]
struct JsonVersions {
    abi3: Option<Version>,
    abi3t: Option<Version>,
}

#[derive(Serialize, Clone)]
struct JsonUse<'r> {
    name: &'r str,
    path: &'r str,
    line: Option<u32>,
    column: Option<u32>,
    form: &'static str,
    verdict: Option<Verdict>,
    reason: Option<&'r str>,
    alternatives: &'r [&'static str],
    needs: JsonNeeds,
}

#[derive(Serialize, Clone)]
struct JsonNeeds {
    abi3: Option<Version>,
    abi3t: Option<Version>,
}

#[derive(Serialize)]
struct JsonBlockers<'r> {
    abi3: Vec<JsonUse<'r>>,
    abi3t: Vec<JsonUse<'r>>,
}

#[derive(Serialize)]
struct JsonSetting<'r> {
    name: &'r str,
    value: Option<&'r str>,
    defined: bool,
    path: &'r str,
    line: Option<u32>,
    column: Option<u32>,
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

impl Serialize for Verdict {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

fn json_errors(errors: &[InputError]) -> Vec<JsonError<'_>> {
    errors
        .iter()
        .map(|e| JsonError {
            path: &e.path,
            message: &e.message,
        })
        .collect()
}

fn json<'r>(report: &'r Report<'_>) -> JsonReport<'r> {
    let input = report.input;
    let use_json = |i: usize| {
        let (u, r) = (&input.uses[i], &report.uses[i]);
        JsonUse {
            name: &u.name,
            path: &u.location.path,
            line: u.location.line,
            column: u.location.column,
            form: match u.form {
                Form::Source => "source",
                Form::Pointer => "pointer",
                Form::Symbol => "symbol",
                Form::Entry => "entry",
            },
            verdict: r.judgement.as_ref().map(|j| j.verdict),
            reason: r.judgement.as_ref().map(|j| j.reason.as_str()),
            alternatives: &r.alternatives,
            needs: JsonNeeds {
                abi3: r.needs[0],
                abi3t: r.needs[1],
            },
        }
    };
    let (sources, modules, wheels) = report.counts();
    JsonReport {
        target: report.target.map(|t| t.to_string()),
        inputs: JsonInputs {
            sources,
            modules,
            wheels,
        },
        min_version: JsonVersions {
            abi3: report.min[0],
            abi3t: report.min[1],
        },
        uses: (0..input.uses.len()).map(use_json).collect(),
        blockers: JsonBlockers {
            abi3: report.blockers[0].iter().copied().map(use_json).collect(),
            abi3t: report.blockers[1].iter().copied().map(use_json).collect(),
        },
        exceeding: report
            .target
            .map(|_| report.exceeding.iter().copied().map(use_json).collect()),
        settings: input
            .settings
            .iter()
            .map(|s| JsonSetting {
                name: s.name,
                value: s.value.as_deref(),
                defined: s.defined,
                path: &s.location.path,
                line: s.location.line,
                column: s.location.column,
            })
            .collect(),
        findings: report.findings.iter().collect(),
        wheel: (!report.wheels.is_empty()).then(|| {
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
        }),
        errors: json_errors(&input.errors),
        skipped: json_errors(&input.skipped),
        left_out: input.left_out,
        unexpanded: input.unexpanded(),
    }
}
