//! `abiscope check`: the report as text (grouped by verdict, coloured on a
//! terminal) or JSON, and the exit status (0 clean, 1 something exceeds the
//! target or a file's own setting, or nothing was read, 2 some input
//! unreadable).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use anstyle::{AnsiColor, Effects, Style};

use super::Outcome;
use super::args::{CheckArgs, CheckFormat};
use super::output::verdict_style;
use crate::catalog::{Catalog, Version};
use crate::check::analysis::{self, Finding, Report};
use crate::check::{Family, Input, Limits, Use};
use crate::sanitize::{Escaped, escape};
use crate::target::{Target, Verdict};

mod buildfiles;
mod github;
mod json;
mod problems;
mod sarif;

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
    let (project, env, target) = prepare(args, target)?;
    let input = Input::read_with(catalog, &args.paths, stdin, &Limits::default(), env);
    let report = Report::new(catalog, &input, target.is_set().then_some(target));
    let format = if args.json { CheckFormat::Json } else { args.format };
    match format {
        CheckFormat::Json => {
            super::json_line(out, &json::report(&report, project.said.as_deref()))?;
        }
        CheckFormat::Github => github::print(&report, &problems::summary(&report, project.said.as_deref()), out)?,
        CheckFormat::Sarif => sarif::print(&report, &problems::summary(&report, project.said.as_deref()), out)?,
        CheckFormat::Text => {
            if let Some(said) = &project.said {
                writeln!(out, "{said}\n")?;
            }
            text(catalog, &report, args.verbose, out)?;
        }
    }
    Ok(outcome(&report))
}

/// The run's build files, macros and target: the command line's or the
/// config's target, else the one the build files declare.
fn prepare(args: &CheckArgs, target: Target) -> io::Result<(buildfiles::FromBuildFiles, crate::check::Env, Target)> {
    let project = buildfiles::FromBuildFiles::read(&args.paths, target)?;
    let mut env = args.env(target.build);
    project.apply(&mut env);
    let target = project.target.as_ref().map_or(target, |i| Target {
        build: target.build,
        ..i.target
    });
    Ok((project, env, target))
}

/// `check --tui`: the explorer on the report, showing the names used,
/// under the target (or the lowest versions found): what blocks first,
/// then what exceeds the target, then what is usable.
pub fn explore(config: &crate::config::Config, target: Target, args: &CheckArgs) -> io::Result<Outcome> {
    let catalog = Catalog::embedded();
    let (project, env, target) = prepare(args, target)?;
    let input = Input::read_with(&catalog, &args.paths, io::stdin().lock(), &Limits::default(), env);
    let report = Report::new(&catalog, &input, target.is_set().then_some(target));
    let n = catalog.items().len();
    let mut view = crate::app::ReportView {
        locations: vec![Vec::new(); n],
        verdicts: vec![None; n],
        rank: vec![u8::MAX; n],
    };
    let blocking: std::collections::HashSet<usize> = report.blockers.iter().flatten().copied().collect();
    let mut unknown = std::collections::BTreeSet::new();
    for (i, (u, r)) in input.uses.iter().zip(&report.uses).enumerate() {
        let Some(index) = u.item.and_then(|it| catalog.index_of(it.name())) else {
            unknown.insert(u.name.as_str());
            continue;
        };
        // A use no build of the target compiles cannot exceed it.
        let verdict = r.judgement.as_ref().map(|j| j.verdict);
        let said = verdict.map_or("not compiled for the target", Verdict::as_str);
        for location in u.locations(&input) {
            view.locations[index].push(format!("{location} {}: {said}", escape(&u.name)));
        }
        view.verdicts[index] = view.verdicts[index].max(Some(verdict.unwrap_or(Verdict::Usable)));
        let rank = if blocking.contains(&i) {
            0
        } else if verdict.is_some_and(|v| !v.is_usable()) {
            1
        } else {
            2
        };
        view.rank[index] = view.rank[index].min(rank);
    }
    let blocked = |v: Option<Version>| v.map_or_else(|| "blocked".to_string(), |v| v.to_string());
    let mut message = format!(
        "check: abi3 {}, abi3t {}",
        blocked(report.min[0]),
        blocked(report.min[1])
    );
    if let Some(inferred) = &project.target {
        let _ = write!(message, "; target {} from the build files", inferred.target);
    }
    if !report.exceeding.is_empty() {
        let n = report.count(&report.exceeding);
        let verb = if n == 1 { "exceeds" } else { "exceed" };
        let _ = write!(message, "; {} {verb} the target", plural(n, "use", "uses"));
    }
    if !unknown.is_empty() {
        let names: Vec<String> = unknown.into_iter().map(|n| escape(n).into_owned()).collect();
        let _ = write!(message, "; not in the catalog: {}", names.join(", "));
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

/// The exit status: 0 clean, 1 exceeds, contradicts or nothing read, 2
/// unreadable input.
pub fn outcome(report: &Report<'_>) -> Outcome {
    match report.outcome() {
        analysis::Outcome::Clean => Outcome::Found,
        analysis::Outcome::Exceeds | analysis::Outcome::NothingRead => Outcome::NothingFound,
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
    /// Macros whose unknown values leave some of these uses only maybe
    /// compiled.
    undecided: Vec<&'r str>,
}

impl Group<'_> {
    fn count(&self) -> usize {
        self.uses.iter().map(|u| u.count).sum()
    }
}

fn text(catalog: &Catalog, report: &Report<'_>, verbose: bool, out: &mut impl Write) -> io::Result<()> {
    summary_head(report, out)?;
    versions(report, out)?;
    verdict_groups(catalog, report, verbose, out)?;
    settings_and_wheels(report, out)?;
    closing_line(report, out)
}

/// What was read, left out, skipped and assumed.
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
    let all: Vec<usize> = (0..input.uses.len()).collect();
    writeln!(
        out,
        "Read {}: {} of {}.",
        read.join(", "),
        plural(report.count(&all), "use", "uses"),
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
    if !input.assumed.is_empty() {
        let names: Vec<String> = input
            .assumed
            .iter()
            .take(12)
            .map(|a| format!("{} ({})", a.name, Escaped(&a.location)))
            .collect();
        let more = input.assumed.len().saturating_sub(12);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        writeln!(
            out,
            "Assumed undefined, as nothing defines them: {}{more}. If your build defines one, pass -D NAME[=VALUE].",
            names.join(", ")
        )?;
    }
    for path in input.compile_commands() {
        writeln!(out, "Macros and settings per file from {}.", Escaped(path.display()))?;
    }
    if !input.too_deep.is_empty() {
        let places: Vec<String> = input.too_deep.iter().take(5).map(|l| Escaped(l).to_string()).collect();
        writeln!(
            out,
            "Conditions nested too deep to evaluate, treated as unknown: {}.",
            places.join(", ")
        )?;
    }
    writeln!(out)
}

/// The lowest versions per ABI, and what decides them.
fn versions(report: &Report<'_>, out: &mut impl Write) -> io::Result<()> {
    if report.input.units.is_empty() {
        return Ok(());
    }
    if report.nothing_used() {
        writeln!(
            out,
            "{BOLD}No uses of the C API{BOLD:#} in what was read: nothing to judge for abi3 or abi3t."
        )?;
        return writeln!(out);
    }
    let input = report.input;
    let refusal = |i: &usize| {
        let r = &input.refusals[*i];
        let place = Escaped(crate::check::Location::at(&input.units[r.unit].path, r.site));
        match r.site {
            Some(_) => format!("#error at {place} ({})", escape(&r.message)),
            None => format!("{place}: {}", escape(&r.message)),
        }
    };
    for family in Family::ALL {
        let slot = analysis::slot(family);
        let style = if report.min[slot].is_some() { GOOD } else { BAD };
        let why = if report.min[slot].is_none() {
            let names: Vec<String> = report
                .names(&report.blockers[slot])
                .into_iter()
                .map(|n| escape(n).into_owned())
                .collect();
            let mut parts = Vec::new();
            if !names.is_empty() {
                parts.push(format!(
                    "blocked by {}: {}",
                    plural(names.len(), "name", "names"),
                    names.join(", ")
                ));
            }
            parts.extend(
                report.refusing[slot]
                    .iter()
                    .map(|i| format!("refused by {}", refusal(i))),
            );
            parts.join("; ")
        } else {
            let names: Vec<String> = report
                .names(&report.raising(family))
                .into_iter()
                .map(|n| escape(n).into_owned())
                .collect();
            let mut parts = Vec::new();
            if !names.is_empty() {
                parts.push(format!("needed by {}", names.join(", ")));
            }
            parts.extend(
                report
                    .refusals_raising(family)
                    .iter()
                    .map(|i| format!("lower versions refused by {}", refusal(i))),
            );
            parts.join("; ")
        };
        let v = version(report.min[slot]);
        let family = family.as_str();
        if why.is_empty() {
            writeln!(out, "{BOLD}{family:<6}{BOLD:#} {style}{v}{style:#}")?;
        } else {
            writeln!(out, "{BOLD}{family:<6}{BOLD:#} {style}{v:<5}{style:#} {why}")?;
        }
    }
    writeln!(out)?;
    match report.target {
        Some(t) => writeln!(out, "{BOLD}Under the target {t}:{BOLD:#}"),
        None => writeln!(
            out,
            "{BOLD}Under {}{BOLD:#} {DIM}(the lowest versions found, the newest for a blocked ABI; --target sets yours){DIM:#}",
            report.shown
        ),
    }
}

/// The uses, grouped by verdict (worst first) and name.
fn verdict_groups(catalog: &Catalog, report: &Report<'_>, verbose: bool, out: &mut impl Write) -> io::Result<()> {
    if report.nothing_used() {
        return Ok(());
    }
    let groups = groups(report);
    let mut usable_names = 0;
    let mut usable_uses = 0;
    for group in &groups {
        if group.verdict.is_usable() && !verbose && group.verdict == Verdict::Usable {
            usable_names += 1;
            usable_uses += group.count();
            continue;
        }
        let style = verdict_style(group.verdict);
        writeln!(
            out,
            "  {style}{:<14}{style:#} {BOLD}{}{BOLD:#} {DIM}({}){DIM:#}",
            group.verdict.as_str(),
            escape(group.name),
            plural(group.count(), "use", "uses")
        )?;
        let shown = if verbose { usize::MAX } else { LOCATIONS };
        let mut places: Vec<String> = group
            .uses
            .iter()
            .flat_map(|u| u.locations(report.input))
            .take(shown)
            .map(|l| Escaped(l).to_string())
            .collect();
        let more = group.count().saturating_sub(places.len());
        if more > 0 {
            places.push(format!("+{more} more"));
        }
        writeln!(out, "      {}", places.join(", "))?;
        writeln!(out, "      {}", escape(group.reason))?;
        if !group.undecided.is_empty() {
            writeln!(
                out,
                "      {DIM}compiled only maybe: {} undecided here; -D NAME[=VALUE] or -U NAME decides{DIM:#}",
                group.undecided.join(", ")
            )?;
        }
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
    let not_compiled: usize = report
        .input
        .uses
        .iter()
        .zip(&report.uses)
        .filter(|(_, r)| r.judgement.is_none())
        .map(|(u, _)| u.count)
        .sum();
    if not_compiled > 0 {
        writeln!(
            out,
            "  {DIM}not compiled   {} (code for other versions or ABIs){DIM:#}",
            plural(not_compiled, "use", "uses")
        )?;
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
            let place = Escaped(&s.location).to_string();
            match (&s.value, s.defined, s.name.as_str()) {
                (Some(v), true, "pyo3") => writeln!(out, "  {place}  declares PyO3's {}", escape(v))?,
                (Some(v), true, _) => writeln!(out, "  {place}  defines {} {}", s.name, escape(v))?,
                (None, true, _) => writeln!(out, "  {place}  defines {}", s.name)?,
                _ => writeln!(out, "  {place}  tests {}", s.name)?,
            }
        }
    }
    for wheel in &report.wheels {
        let w = &input.wheels[wheel.index];
        let tags = w
            .tags
            .as_ref()
            .map_or_else(|| "no tags in its name".to_string(), |t| Escaped(t).to_string());
        writeln!(out, "\n{BOLD}Wheel{BOLD:#} {} {DIM}({tags}){DIM:#}", escape(&w.path))?;
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
        (analysis::Outcome::NothingRead, _) => {
            format!("{BAD}Nothing was read{BAD:#}: no sources, modules or wheels in what was given (exit 1).")
        }
        (analysis::Outcome::Exceeds, Some(t)) if !report.exceeding.is_empty() => {
            let n = report.count(&report.exceeding);
            format!(
                "{BAD}{} of {} {} {t}{BAD:#} (exit 1).",
                plural(n, "use", "uses"),
                plural(report.names(&report.exceeding).len(), "name", "names"),
                if n == 1 { "exceeds" } else { "exceed" }
            )
        }
        (analysis::Outcome::Exceeds, _) if !report.findings.is_empty() => format!(
            "{BAD}{} contradict the uses{BAD:#}: a file's own setting, or a target the file refuses (exit 1).",
            plural(report.findings.len(), "finding", "findings")
        ),
        (analysis::Outcome::Exceeds, _) => format!("{BAD}Claims contradict the uses{BAD:#} (exit 1)."),
        (analysis::Outcome::Clean, _) if report.nothing_used() => {
            format!("{GOOD}Done{GOOD:#}: no C API use to judge.")
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
    let input = report.input;
    let mut map: BTreeMap<(std::cmp::Reverse<Verdict>, &str, &str), Group<'r>> = BTreeMap::new();
    for (u, r) in input.uses.iter().zip(&report.uses) {
        let Some(j) = &r.judgement else { continue };
        let group = map
            .entry((std::cmp::Reverse(j.verdict), u.name.as_str(), j.reason.as_str()))
            .or_insert_with(|| Group {
                verdict: j.verdict,
                name: &u.name,
                reason: &j.reason,
                alternatives: &r.alternatives,
                uses: Vec::new(),
                undecided: Vec::new(),
            });
        group.uses.push(u);
        for name in u.reason.and_then(|i| input.reasons.get(i)).into_iter().flatten() {
            if !group.undecided.contains(&name.as_str()) {
                group.undecided.push(name);
            }
        }
    }
    map.into_values().collect()
}
