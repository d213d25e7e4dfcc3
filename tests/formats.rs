//! `check --format github` and `--format sarif` on the same inputs: the
//! workflow annotations as a golden file, and the SARIF log validated
//! against the SARIF 2.1.0 JSON schema (`tests/schemas/`, with its
//! licence) by the `jsonschema` package from the Python tools venv
//! (`scripts/python-tools.sh`); without it that test is ignored with a
//! note, or fails under `ABISCOPE_REQUIRE_TOOLS`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output};

use common::python;
use common::run::{check, code, eq, finish, stdout};
use libtest_mimic::Failed;

const BIN: &str = env!("CARGO_BIN_EXE_abiscope");
const REPO: &str = env!("CARGO_MANIFEST_DIR");

struct Env {
    tools: Result<PathBuf, String>,
}

fn main() -> ExitCode {
    let env = Env { tools: python::tools() };
    let tools = env.tools.as_ref().err().map(|why| (why.clone(), true));
    let cases: Vec<python::Case<Env>> = vec![
        ("github_annotations", None, github_annotations),
        ("sarif_validates_against_the_2_1_0_schema", tools, sarif_validates),
    ];
    python::run(env, cases)
}

/// The inputs: a use beyond the target (and one beyond its own
/// `Py_LIMITED_API`), a file with a newline and a comma in its name, and
/// a path that does not exist.
fn inputs(dir: &Path) -> Result<Vec<String>, Failed> {
    let odd = dir.join("odd,name\n:x.c");
    std::fs::copy(Path::new(REPO).join("tests/fixtures/check/modern.c"), &odd)?;
    Ok(vec![
        "tests/fixtures/check/modern.c".to_string(),
        "tests/fixtures/pre-commit/bad.c".to_string(),
        odd.display().to_string(),
        "tests/fixtures/no-such-file.c".to_string(),
    ])
}

fn abiscope(args: &[String]) -> Result<Output, Failed> {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(REPO)
        .args(args)
        .env_remove("ABISCOPE_CONFIG")
        .env("XDG_CONFIG_HOME", "/nonexistent-abiscope-test");
    finish(cmd, std::time::Duration::from_mins(1))
}

fn github_annotations(_: &Env) -> Result<(), Failed> {
    let dir = tempfile::tempdir()?;
    let mut args: Vec<String> = ["check", "--format", "github", "--target", "abi3=3.9"]
        .map(String::from)
        .to_vec();
    args.extend(inputs(dir.path())?);
    let out = abiscope(&args)?;
    eq(code(&out), 2, "exit status (an input is missing)")?;
    let text = stdout(&out).replace(&dir.path().display().to_string(), "TMP");
    for line in text.lines() {
        check(line.starts_with("::error ") || line.starts_with("::notice "), || {
            format!("not a workflow command: {line:?}")
        })?;
        check(!line.chars().any(char::is_control), || {
            format!("a control character in {line:?}")
        })?;
    }
    insta::assert_snapshot!("github_annotations", text);
    Ok(())
}

fn sarif_validates(env: &Env) -> Result<(), Failed> {
    let tools = env.tools.as_deref().map_err(Clone::clone)?;
    let dir = tempfile::tempdir()?;
    let mut args: Vec<String> = ["check", "--format", "sarif", "--target", "abi3=3.9"]
        .map(String::from)
        .to_vec();
    args.extend(inputs(dir.path())?);
    let out = abiscope(&args)?;
    eq(code(&out), 2, "exit status (an input is missing)")?;
    let log: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let sarif = dir.path().join("check.sarif");
    std::fs::write(&sarif, &out.stdout)?;
    let schema = Path::new(REPO).join("tests/schemas/sarif-schema-2.1.0.json");
    eq(validate(tools, &schema, &sarif)?, String::new(), "schema errors")?;

    // What it says: the use at its line and column, relative to SRCROOT.
    let results = log["runs"][0]["results"].as_array().ok_or("results")?;
    let located = |uri: &str| {
        results
            .iter()
            .find(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri)
    };
    let modern = located("tests/fixtures/check/modern.c").ok_or("no result for modern.c")?;
    eq(modern["ruleId"].as_str(), Some("too-new"), "rule")?;
    let region = &modern["locations"][0]["physicalLocation"]["region"];
    eq(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(17), Some(12)),
        "region",
    )?;
    check(results.iter().any(|r| r["ruleId"] == "unreadable"), || {
        "no unreadable result".to_string()
    })?;
    check(results.iter().any(|r| r["ruleId"] == "setting-contradicted"), || {
        "no setting result".to_string()
    })?;
    let odd = results
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .find(|u| u.contains("odd"))
        .ok_or("no result for the odd name")?;
    check(
        odd.starts_with("file:///") && odd.ends_with("odd%2Cname%0A%3Ax.c"),
        || odd.to_string(),
    )?;

    // The validator is not a formality: a log without its version fails.
    let mut broken = log.clone();
    broken.as_object_mut().ok_or("an object")?.remove("version");
    std::fs::write(&sarif, serde_json::to_vec(&broken)?)?;
    check(validate(tools, &schema, &sarif)?.contains("version"), || {
        "a log without its version passed the schema".to_string()
    })
}

/// The schema's complaints about a file (empty when it is valid), from
/// `jsonschema`'s validator for the schema's draft.
fn validate(tools: &Path, schema: &Path, file: &Path) -> Result<String, Failed> {
    let script = "import json, sys\n\
                  from jsonschema import validators\n\
                  schema = json.load(open(sys.argv[1]))\n\
                  cls = validators.validator_for(schema)\n\
                  cls.check_schema(schema)\n\
                  v = cls(schema, format_checker=cls.FORMAT_CHECKER)\n\
                  for e in v.iter_errors(json.load(open(sys.argv[2]))):\n    \
                  print(f\"{list(e.absolute_path)}: {e.message}\")\n";
    let mut cmd = Command::new(tools.join("bin/python"));
    cmd.args(["-c", script]).arg(schema).arg(file);
    let out = finish(cmd, std::time::Duration::from_mins(2))?;
    check(out.status.success(), || {
        format!("the validator failed: {}", common::run::stderr(&out))
    })?;
    Ok(stdout(&out))
}
