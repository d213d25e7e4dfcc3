//! `check --format sarif`: the problems as a SARIF 2.1.0 log (OASIS
//! Static Analysis Results Interchange Format), the file GitHub code
//! scanning and other CI tools take in: one run, abiscope as the tool
//! with one rule per kind of problem, one result per place.
//!
//! Paths become URIs: a relative path stays relative to the `SRCROOT`
//! base (the directory `check` ran in, given in `originalUriBaseIds`), an
//! absolute one becomes a `file://` URI; bytes outside the unreserved set
//! are percent-encoded, so any file name gives a valid URI. A wheel's
//! member (`dist/x.whl/pkg/_x.abi3.so`) points at the wheel, the member
//! named in the message. Columns count characters (`unicodeCodePoints`).

use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::problems::{Problem, Rule, problems};
use crate::check::analysis::Report;

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

pub fn print(report: &Report<'_>, summary: &str, out: &mut impl Write) -> io::Result<()> {
    let found = problems(report);
    let mut rules: Vec<Rule> = found.iter().map(|p| p.rule).collect();
    rules.sort();
    rules.dedup();
    let results: Vec<Value> = found.iter().map(|p| result(p, &rules, &report.input.wheels)).collect();
    let root = std::env::current_dir()
        .ok()
        .map(|d| format!("{}/", file_uri(&d.to_string_lossy())));
    let mut run = json!({
        "tool": {"driver": {
            "name": "abiscope",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": rules.iter().map(|r| json!({
                "id": r.id(),
                "shortDescription": {"text": r.description()},
                "defaultConfiguration": {"level": "error"},
            })).collect::<Vec<_>>(),
        }},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [{
            "executionSuccessful": report.input.errors.is_empty(),
            "toolExecutionNotifications": [{"level": "note", "message": {"text": summary}}],
        }],
    });
    if let Some(root) = root {
        run["originalUriBaseIds"] = json!({"SRCROOT": {"uri": root}});
    }
    let log = json!({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]});
    super::super::json_line(out, &log)
}

fn result(p: &Problem, rules: &[Rule], wheels: &[crate::check::WheelInput]) -> Value {
    // A wheel's member is not a file on disk: point at the wheel.
    let path = wheels
        .iter()
        .map(|w| w.path.as_str())
        .find(|w| p.path.len() > w.len() && p.path.starts_with(w) && p.path[w.len()..].starts_with('/'))
        .unwrap_or(&p.path);
    let mut location = json!({"artifactLocation": artifact(path)});
    if let Some(line) = p.line {
        let mut region = json!({"startLine": line});
        if let Some(column) = p.column {
            region["startColumn"] = json!(column);
        }
        location["region"] = region;
    }
    json!({
        "ruleId": p.rule.id(),
        "ruleIndex": rules.iter().position(|r| *r == p.rule).unwrap_or(0),
        "level": "error",
        "message": {"text": format!("{}: {}", p.path, p.message)},
        "locations": [{"physicalLocation": location}],
    })
}

/// An `artifactLocation`: relative paths against `SRCROOT`.
fn artifact(path: &str) -> Value {
    if path.starts_with('/') {
        json!({"uri": file_uri(path)})
    } else {
        json!({"uri": encode(path.strip_prefix("./").unwrap_or(path)), "uriBaseId": "SRCROOT"})
    }
}

fn file_uri(absolute: &str) -> String {
    format!("file://{}", encode(absolute))
}

/// Percent-encodes every byte outside RFC 3986's unreserved set and `/`.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uris() {
        assert_eq!(encode("src/a b/ü.c"), "src/a%20b/%C3%BC.c");
        assert_eq!(artifact("./src/x.c")["uri"], "src/x.c");
        assert_eq!(artifact("/tmp/x#1.c")["uri"], "file:///tmp/x%231.c");
        assert!(artifact("/tmp/x.c").get("uriBaseId").is_none());
    }
}
