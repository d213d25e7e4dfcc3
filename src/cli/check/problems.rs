//! What makes `check` fail, one problem per place, for the CI formats
//! (`--format github`, `--format sarif`): each use the target cannot have
//! at each of its first places, each source whose own setting claims less
//! than its uses need, each wheel tag or file name its modules contradict,
//! and each input that could not be read. The text and JSON reports say
//! more; these are what a CI run must show on the lines concerned.

use std::fmt::Write as _;

use crate::check::SITES_KEPT;
use crate::check::analysis::Report;
use crate::target::Verdict;

/// Why a problem is one: the rule a CI tool files it under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    /// A use the target cannot have, by its verdict.
    Use(Verdict),
    /// A source's own `Py_LIMITED_API` (or PyO3 feature) lower than its uses need.
    Setting,
    /// A wheel's tags or file names that its modules contradict.
    Wheel,
    /// An input that could not be read.
    Unreadable,
}

impl Rule {
    /// The rule's identifier (SARIF `ruleId`): the verdict's word for uses.
    pub fn id(self) -> &'static str {
        match self {
            Rule::Use(v) => v.as_str(),
            Rule::Setting => "setting-contradicted",
            Rule::Wheel => "wheel-contradicted",
            Rule::Unreadable => "unreadable",
        }
    }

    /// One sentence on what the rule finds.
    pub fn description(self) -> &'static str {
        match self {
            Rule::Use(Verdict::TooNew) => "A C API name that enters the Stable ABI after the target's version.",
            Rule::Use(Verdict::Abi3tUnusable) => {
                "A C API name that abi3 has and the free-threaded Stable ABI (abi3t) does not."
            }
            Rule::Use(Verdict::AbiOnly) => "A symbol the Stable ABI keeps for old binaries only, not for use.",
            Rule::Use(Verdict::NotLimited) => "A C API name outside the Limited API.",
            Rule::Use(_) => "A C API name the target cannot use.",
            Rule::Setting => "A Py_LIMITED_API (or PyO3 abi3-pyXY) lower than what the file's uses need.",
            Rule::Wheel => "A wheel whose tags or module file names claim less than its modules need.",
            Rule::Unreadable => "An input abiscope could not read.",
        }
    }
}

/// One place to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub rule: Rule,
    pub path: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// A few words: `too-new: PyList_GetItemRef`.
    pub title: String,
    pub message: String,
}

/// Every problem of a report, in report order.
pub fn problems(report: &Report<'_>) -> Vec<Problem> {
    let input = report.input;
    let mut out = Vec::new();
    if report.target.is_some() {
        for &i in &report.exceeding {
            let (u, r) = (&input.uses[i], &report.uses[i]);
            let Some(judgement) = &r.judgement else { continue };
            let mut message = format!("{}: {}", u.name, judgement.reason);
            if !r.alternatives.is_empty() {
                let _ = write!(message, " Instead: {}.", r.alternatives.join(", "));
            }
            if u.count > u.sites.len().min(SITES_KEPT) && !u.sites.is_empty() {
                let _ = write!(
                    message,
                    " ({} uses in this file; the first {} are shown.)",
                    u.count,
                    u.sites.len().min(SITES_KEPT)
                );
            }
            let title = format!("{}: {}", judgement.verdict.as_str(), u.name);
            for location in u.locations(input).take(SITES_KEPT) {
                out.push(Problem {
                    rule: Rule::Use(judgement.verdict),
                    path: location.path,
                    line: location.line,
                    column: location.column,
                    title: title.clone(),
                    message: message.clone(),
                });
            }
        }
    }
    for finding in &report.findings {
        let (path, line, column) = split_location(&finding.path);
        out.push(Problem {
            rule: Rule::Setting,
            path,
            line,
            column,
            title: "setting contradicted by its uses".to_string(),
            message: finding.message.clone(),
        });
    }
    for wheel in &report.wheels {
        for finding in &wheel.findings {
            out.push(Problem {
                rule: Rule::Wheel,
                path: finding.path.clone(),
                line: None,
                column: None,
                title: "wheel claims less than its modules need".to_string(),
                message: finding.message.clone(),
            });
        }
    }
    for error in &input.errors {
        out.push(Problem {
            rule: Rule::Unreadable,
            path: error.path.clone(),
            line: None,
            column: None,
            title: "not read".to_string(),
            message: error.message.clone(),
        });
    }
    out
}

/// A finding's `path:line:column` (as the text report names a setting)
/// taken apart; a plain path stays whole.
fn split_location(place: &str) -> (String, Option<u32>, Option<u32>) {
    let mut parts = place.rsplitn(3, ':');
    let (column, line, path) = (parts.next(), parts.next(), parts.next());
    match (
        path,
        line.and_then(|l| l.parse().ok()),
        column.and_then(|c| c.parse().ok()),
    ) {
        (Some(path), Some(line), Some(column)) if !path.is_empty() => (path.to_string(), Some(line), Some(column)),
        _ => (place.to_string(), None, None),
    }
}

/// One line for the CI formats' closing note: the lowest versions found,
/// the target, and where the target came from.
pub fn summary(report: &Report<'_>, target_from: Option<&str>) -> String {
    let version = |v: Option<crate::catalog::Version>| v.map_or_else(|| "none".to_string(), |v| v.to_string());
    let mut line = format!(
        "Lowest versions: abi3 {}, abi3t {}.",
        version(report.min[0]),
        version(report.min[1])
    );
    match report.target {
        Some(t) => {
            let _ = write!(
                line,
                " Target {t}: {} of {} uses exceed it.",
                report.count(&report.exceeding),
                report.input.uses.iter().map(|u| u.count).sum::<usize>()
            );
        }
        None => line.push_str(" No target."),
    }
    if let Some(from) = target_from {
        line.push(' ');
        line.push_str(from);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_split_only_when_whole() {
        assert_eq!(split_location("src/a.c:2:1"), ("src/a.c".to_string(), Some(2), Some(1)));
        assert_eq!(split_location("C:/x.c"), ("C:/x.c".to_string(), None, None));
        assert_eq!(split_location("a.whl/m.so"), ("a.whl/m.so".to_string(), None, None));
    }
}
