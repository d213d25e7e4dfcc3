//! abiscope where Python extension authors meet it, with their own tools:
//! the wheel maturin builds (manylinux through zig, no Docker) installed
//! into a fresh venv and run by pip's script, `python -m abiscope`, `uvx`
//! and `pipx run`; the pre-commit hook run by `pre-commit try-repo` on a
//! repository with a good and a bad C file; and the README's cibuildwheel
//! recipe, resolved by cibuildwheel's own option reader and run as its
//! command line on abi3 and `abi3.abi3t` wheels the test builds.
//!
//! The Python tools come from `PyPI` into a venv under `target/`
//! (`scripts/python-tools.sh`, which `.ci/run` runs; `ABISCOPE_PYTHON_TOOLS`
//! names another). Nothing here reaches the network: pip installs from the
//! wheels the test built and from maturin's wheel kept beside the venv.
//! Without a tool the test is ignored with a note saying how to get it;
//! with `ABISCOPE_REQUIRE_TOOLS` set (as in CI) it fails instead.
//!
//! Building the wheel compiles abiscope in release mode, as the published
//! wheel is built, in the repository's target directory, so a second run
//! only links.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output};
use std::time::Duration;

use common::python::{self, path_with};
use common::run::{check, code, eq, finish, stderr, stdout};
use libtest_mimic::Failed;

const BIN: &str = env!("CARGO_BIN_EXE_abiscope");
const REPO: &str = env!("CARGO_MANIFEST_DIR");
const VERSION: &str = env!("CARGO_PKG_VERSION");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
/// A release build on a loaded 2-core machine takes minutes; past this it hangs.
const BUILD_DEADLINE: Duration = Duration::from_mins(45);
const RUN_DEADLINE: Duration = Duration::from_mins(2);

/// What the machine offers the tests.
struct Env {
    /// The venv of `scripts/python-tools.sh`, when it has the tools.
    tools: Result<PathBuf, String>,
    include: Option<PathBuf>,
    cc: Option<String>,
    git: bool,
}

#[derive(Clone, Copy)]
enum Need {
    Tools,
    Headers,
    Cc,
    Git,
}

fn main() -> ExitCode {
    let env = Env::find();
    let cases: Vec<python::Case<Env>> = vec![
        (
            "the_wheel_maturin_builds_installs_and_runs",
            env.missing(&[Need::Tools]),
            wheel_installs_and_runs,
        ),
        (
            "pre_commit_try_repo_fails_on_the_bad_file",
            env.missing(&[Need::Tools, Need::Git]),
            pre_commit_hook,
        ),
        (
            "the_cibuildwheel_recipe_audits_abi3_and_abi3t_wheels",
            env.missing(&[Need::Tools, Need::Headers, Need::Cc]),
            cibuildwheel_recipe,
        ),
    ];
    python::run(env, cases)
}

impl Env {
    fn find() -> Env {
        Env {
            tools: python::tools(),
            include: common::Upstream::find().ok().map(|u| u.include()),
            cc: common::c_compiler().ok(),
            git: python::runs(Command::new("git").arg("--version")),
        }
    }

    /// Why a test cannot run, and whether that is a missing tool.
    fn missing(&self, needs: &[Need]) -> Option<(String, bool)> {
        needs.iter().find_map(|need| match need {
            Need::Tools => self.tools.as_ref().err().map(|why| (why.clone(), true)),
            Need::Headers if self.include.is_none() => Some(common::no_upstream()),
            Need::Cc if self.cc.is_none() => Some(common::no_c_compiler()),
            Need::Git if !self.git => Some(("no git (apt-get install git)".to_string(), true)),
            _ => None,
        })
    }

    fn tools(&self) -> Result<&Path, Failed> {
        Ok(self.tools.as_deref().map_err(Clone::clone)?)
    }
}

/// Runs `cmd` to the end; a failure's output is the error.
fn succeed(cmd: Command, deadline: Duration) -> Result<Output, Failed> {
    let shown = format!("{cmd:?}");
    let out = finish(cmd, deadline)?;
    check(out.status.success(), || {
        format!("{shown} failed ({}):\n{}\n{}", out.status, stdout(&out), stderr(&out))
    })?;
    Ok(out)
}

fn tempdir() -> Result<tempfile::TempDir, Failed> {
    Ok(tempfile::Builder::new().prefix("abiscope-packaging-").tempdir()?)
}

/// The one file in `dir` whose name ends with `suffix`.
fn only_file(dir: &Path, suffix: &str) -> Result<PathBuf, Failed> {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!("expected one {suffix} in {}, found {found:?}", dir.display()).into()),
    }
}

// ---------------------------------------------------------------------------
// The wheel

/// The manylinux wheel of abiscope, built by maturin with zig.
fn build_wheel(tools: &Path, out: &Path) -> Result<PathBuf, Failed> {
    let mut cmd = Command::new(tools.join("bin/maturin"));
    cmd.current_dir(REPO)
        .args([
            "build",
            "--release",
            "--zig",
            "--compatibility",
            "manylinux_2_17",
            "--out",
        ])
        .arg(out)
        .env("PATH", path_with(&tools.join("bin")))
        // zig is `python -m ziglang` with the venv's python.
        .env("CARGO_ZIGBUILD_PYTHON_PATH", tools.join("bin/python"));
    succeed(cmd, BUILD_DEADLINE)?;
    only_file(out, ".whl")
}

fn wheel_installs_and_runs(env: &Env) -> Result<(), Failed> {
    let tools = env.tools()?;
    let dir = tempdir()?;
    let d = dir.path();
    let wheel = build_wheel(tools, &d.join("dist"))?;
    let name = wheel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    check(
        name.starts_with(&format!("abiscope-{VERSION}-py3-none-")) && name.contains("manylinux_2_17_x86_64"),
        || format!("the wheel's name: {name}"),
    )?;
    let members = wheel_members(&wheel)?;
    for want in [
        format!("abiscope-{VERSION}.data/scripts/abiscope"),
        "abiscope/__init__.py".to_string(),
        "abiscope/__main__.py".to_string(),
    ] {
        check(members.contains(&want), || {
            format!("{want} not in the wheel: {members:?}")
        })?;
    }
    glibc_at_most_2_17(&wheel, &d.join("unpacked"))?;

    // A fresh venv with nothing but the wheel, installed offline.
    let venv = d.join("venv");
    succeed(
        {
            let mut c = Command::new("python3");
            c.arg("-m").arg("venv").arg(&venv);
            c
        },
        RUN_DEADLINE,
    )?;
    let mut pip = Command::new(venv.join("bin/python"));
    pip.args([
        "-m",
        "pip",
        "install",
        "--no-index",
        "--no-deps",
        "--disable-pip-version-check",
    ])
    .arg(&wheel);
    succeed(pip, RUN_DEADLINE)?;

    // What the built binary prints is what the installed one must print.
    let expected =
        |args: &[&str]| -> Result<Output, Failed> { finish(isolated(d, Command::new(BIN), args), RUN_DEADLINE) };
    let same = |what: &str, got: &Output, want: &Output| -> Result<(), Failed> {
        eq(code(got), code(want), &format!("{what}: exit status"))?;
        eq(stdout(got), stdout(want), &format!("{what}: output"))?;
        eq(stderr(got), stderr(want), &format!("{what}: errors"))
    };
    let script = venv.join("bin/abiscope");
    let version = finish(isolated(d, Command::new(&script), &["--version"]), RUN_DEADLINE)?;
    eq(stdout(&version), format!("abiscope {VERSION}\n"), "abiscope --version")?;
    eq(code(&version), 0, "abiscope --version: exit status")?;
    let search = finish(
        isolated(d, Command::new(&script), &["search", "PyBuffer_"]),
        RUN_DEADLINE,
    )?;
    check(stdout(&search).starts_with("PyBuffer_Release "), || {
        format!("abiscope search PyBuffer_:\n{}", stdout(&search))
    })?;
    same(
        "abiscope search PyBuffer_",
        &search,
        &expected(&["search", "PyBuffer_"])?,
    )?;

    // `python -m abiscope` finds the binary without PATH, and its exit
    // status is the binary's.
    for args in [&["show", "Py_INCREF"][..], &["show", "Py_INCREFF"][..]] {
        let mut python = Command::new(venv.join("bin/python"));
        python.args(["-m", "abiscope"]);
        let got = finish(isolated(d, python, args), RUN_DEADLINE)?;
        same(
            &format!("python -m abiscope {}", args.join(" ")),
            &got,
            &expected(args)?,
        )?;
    }

    // uvx and pipx run the same wheel (offline: the wheel is the source).
    let mut uvx = Command::new(tools.join("bin/uvx"));
    uvx.args(["--quiet", "--offline", "--from"]).arg(&wheel).arg("abiscope");
    uvx.env("UV_CACHE_DIR", d.join("uv-cache")).env("UV_NO_CONFIG", "1");
    let got = finish(isolated(d, uvx, &["show", "Py_INCREF"]), RUN_DEADLINE)?;
    same("uvx abiscope show Py_INCREF", &got, &expected(&["show", "Py_INCREF"])?)?;
    let mut pipx = Command::new(tools.join("bin/pipx"));
    pipx.arg("run").arg("--spec").arg(&wheel).arg("abiscope");
    pipx.env("PIPX_HOME", d.join("pipx")).env("PIP_NO_INDEX", "1");
    let got = finish(isolated(d, pipx, &["search", "PyBuffer_"]), RUN_DEADLINE)?;
    eq(
        stdout(&got),
        stdout(&expected(&["search", "PyBuffer_"])?),
        "pipx run abiscope search PyBuffer_",
    )
}

/// `cmd ARGS` in `dir` with a bare environment: a system `PATH` without
/// the venv, a home of its own, no configuration.
fn isolated(dir: &Path, mut cmd: Command, args: &[&str]) -> Command {
    let python_dir = Command::new("python3")
        .args([
            "-c",
            "import sys, os; print(os.path.dirname(os.path.realpath(sys.executable)))",
        ])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let home = dir.join("home");
    let _ = std::fs::create_dir_all(&home);
    cmd.current_dir(dir)
        .args(args)
        .env_remove("ABISCOPE_CONFIG")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("XDG_STATE_HOME")
        .env_remove("VIRTUAL_ENV")
        .env_remove("CLICOLOR_FORCE")
        .env("HOME", home)
        .env("PATH", format!("{python_dir}:/usr/bin:/bin"));
    cmd
}

fn wheel_members(wheel: &Path) -> Result<Vec<String>, Failed> {
    let archive = zip::ZipArchive::new(std::fs::File::open(wheel)?)?;
    archive
        .file_names()
        .map(|n| n.map(std::borrow::Cow::into_owned).map_err(Failed::from))
        .collect()
}

/// The binary in the wheel asks glibc for nothing newer than 2.17, as
/// its `manylinux_2_17` tag promises.
fn glibc_at_most_2_17(wheel: &Path, dir: &Path) -> Result<(), Failed> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(wheel)?)?;
    archive.extract(dir)?;
    let binary = dir.join(format!("abiscope-{VERSION}.data/scripts/abiscope"));
    let mut objdump = Command::new("objdump");
    objdump.arg("-T").arg(&binary);
    let out = succeed(objdump, RUN_DEADLINE)?;
    let newest = stdout(&out)
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter_map(|w| w.strip_prefix("GLIBC_"))
        .filter_map(|v| {
            let (major, minor) = v.split_once('.')?;
            Some((
                major.parse::<u32>().ok()?,
                minor.split('.').next()?.parse::<u32>().ok()?,
            ))
        })
        .max();
    check(newest.is_some_and(|v| v <= (2, 17)), || {
        format!("the binary needs glibc {newest:?}, newer than manylinux_2_17 allows")
    })
}

// ---------------------------------------------------------------------------
// pre-commit

fn pre_commit_hook(env: &Env) -> Result<(), Failed> {
    let tools = env.tools()?;
    let dir = tempdir()?;
    let d = dir.path();
    let project = d.join("project");
    std::fs::create_dir_all(&project)?;
    let fixtures = Path::new(FIXTURES).join("pre-commit");
    for file in ["good.c", "bad.c"] {
        std::fs::copy(fixtures.join(file), project.join(file))?;
    }
    let git = |args: &[&str]| -> Result<(), Failed> {
        let mut cmd = Command::new("git");
        cmd.current_dir(&project)
            .args([
                "-c",
                "user.name=abiscope tests",
                "-c",
                "user.email=tests@abiscope.invalid",
            ])
            .args(args);
        succeed(cmd, RUN_DEADLINE).map(drop)
    };
    git(&["init", "--quiet"])?;
    git(&["add", "good.c", "bad.c"])?;
    git(&["commit", "--quiet", "--message", "two extensions"])?;

    // pre-commit installs the hook from this repository: pip builds it
    // with maturin (from the wheel kept beside the venv, offline). Its
    // copy of the repository is new each time, so cargo rebuilds abiscope
    // itself; the dependencies stay compiled in a target directory of
    // its own (sharing the wheel's would make each build undo the other:
    // zig's linker wrapper differs with the source path).
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| Path::new(REPO).join("target"), PathBuf::from);
    let mut cmd = Command::new(tools.join("bin/pre-commit"));
    cmd.current_dir(&project)
        .args(["try-repo", REPO, "abiscope-check", "--all-files", "--color", "never"])
        .env("PATH", path_with(&tools.join("bin")))
        .env("PRE_COMMIT_HOME", d.join("pre-commit-home"))
        .env("PIP_NO_INDEX", "1")
        .env("PIP_FIND_LINKS", tools.join("wheels"))
        .env("CARGO_TARGET_DIR", target.join("pre-commit"))
        .env_remove("ABISCOPE_CONFIG");
    let out = finish(cmd, BUILD_DEADLINE)?;
    let text = format!("{}{}", stdout(&out), stderr(&out));
    eq(code(&out), 1, &format!("pre-commit's exit status; it said:\n{text}"))?;
    check(text.contains("abiscope check") && text.contains("Failed"), || {
        format!("the hook did not fail:\n{text}")
    })?;
    check(text.contains("bad.c:2:1") && text.contains("PyList_GetItemRef"), || {
        format!("the report does not name bad.c's line and its use:\n{text}")
    })?;
    check(!text.contains("✗ good.c"), || format!("good.c is reported:\n{text}"))
}

// ---------------------------------------------------------------------------
// cibuildwheel

fn cibuildwheel_recipe(env: &Env) -> Result<(), Failed> {
    let tools = env.tools()?;
    let include = env.include.as_deref().ok_or("no headers")?;
    let cc = env.cc.as_deref().ok_or("no C compiler")?;
    let dir = tempdir()?;
    let d = dir.path();
    let dist = d.join("dist");
    std::fs::create_dir_all(&dist)?;

    // abi3 wheels, built by setuptools with py_limited_api as projects do:
    // one within its cp39 tag, one calling 3.13's PyList_GetItemRef.
    let good_abi3 = setuptools_wheel(tools, d, include, "counter", "0x03090000", &dist)?;
    let bad_abi3 = setuptools_wheel(tools, d, include, "modern", "0x030D0000", &dist)?;
    // abi3.abi3t wheels, packed by `wheel pack` (setuptools makes them
    // only on a free-threaded 3.15): a PyModExport module compiled for
    // abi3t, and a module built for abi3 (it passes its own PyModuleDef
    // to PyModule_Create2) that only its name says is abi3t.
    let good_abi3t = abi3t_wheel(
        tools,
        cc,
        d,
        include,
        "freethreaded",
        &["-DPy_TARGET_ABI3T=0x030F0000"],
        &dist,
    )?;
    let bad_abi3t = abi3t_wheel(
        tools,
        cc,
        d,
        include,
        "counter",
        &["-DPy_LIMITED_API=0x030F0000"],
        &dist,
    )?;

    // The recipe exactly as the README gives it, in a project's
    // pyproject.toml, resolved per build by cibuildwheel itself.
    let recipe = readme_recipe()?;
    let project = d.join("project");
    std::fs::create_dir_all(&project)?;
    std::fs::write(
        project.join("pyproject.toml"),
        format!("[project]\nname = \"counter\"\nversion = \"1.0\"\n\n{recipe}"),
    )?;
    let resolved = |identifier: &str, wheel: &Path| -> Result<(Vec<String>, Vec<String>), Failed> {
        let mut python = Command::new(tools.join("bin/python"));
        python
            .current_dir(&project)
            .args(["-c", RESOLVE, identifier])
            .arg(wheel);
        let out = succeed(python, RUN_DEADLINE)?;
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        let list = |key: &str| -> Vec<String> {
            json[key]
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
                .unwrap_or_default()
        };
        Ok((list("requires"), list("commands")))
    };

    let bin_dir = Path::new(BIN).parent().ok_or("the binary's directory")?;
    let cases = [
        ("cp39-manylinux_x86_64", &good_abi3, 0, "Every use fits abi3 3.9."),
        ("cp39-manylinux_x86_64", &bad_abi3, 1, "PyList_GetItemRef"),
        (
            "cp315t-manylinux_x86_64",
            &good_abi3t,
            0,
            "Every use fits abi3 3.15 + abi3t 3.15.",
        ),
        ("cp315t-manylinux_x86_64", &bad_abi3t, 1, "PyModule_Create2"),
    ];
    for (identifier, wheel, want, says) in cases {
        let (requires, commands) = resolved(identifier, wheel)?;
        eq(
            requires,
            vec!["abiscope".to_string()],
            &format!("{identifier}: audit-requires"),
        )?;
        check(commands.len() == 1, || {
            format!("{identifier}: audit commands {commands:?}")
        })?;
        // cibuildwheel runs each command through the shell, in the project.
        let mut sh = Command::new("sh");
        sh.current_dir(&project)
            .arg("-c")
            .arg(&commands[0])
            .env("PATH", path_with(bin_dir))
            .env_remove("ABISCOPE_CONFIG")
            .env("XDG_CONFIG_HOME", d.join("no-config"));
        let out = finish(sh, RUN_DEADLINE)?;
        let shown = format!("{identifier}: {}\n{}{}", commands[0], stdout(&out), stderr(&out));
        eq(code(&out), want, &format!("exit status of {shown}"))?;
        check(stdout(&out).contains(says), || format!("'{says}' not said by {shown}"))?;
    }
    Ok(())
}

/// Resolves a build's audit requirements and commands from the project's
/// pyproject.toml with cibuildwheel's own option reader, the placeholders
/// filled as cibuildwheel fills them.
const RESOLVE: &str = r#"
import dataclasses, json, sys
from pathlib import Path
from cibuildwheel.options import CommandLineArguments, compute_options
from cibuildwheel.util.helpers import prepare_command

identifier, wheel = sys.argv[1:]
args = dataclasses.replace(
    CommandLineArguments.defaults(), platform="linux", package_dir=Path("."),
    config_file="pyproject.toml",
)
build = compute_options(platform="linux", command_line_arguments=args, env={}).build_options(identifier)
commands = [prepare_command(c, wheel=wheel, abi3_wheel=wheel, project=".", package=".")
            for c in build.audit_command]
print(json.dumps({"requires": build.audit_requires, "commands": commands}))
"#;

/// The README's cibuildwheel recipe: the TOML block with `[tool.cibuildwheel]`.
fn readme_recipe() -> Result<String, Failed> {
    let readme = std::fs::read_to_string(Path::new(REPO).join("README.md"))?;
    readme
        .split("```toml\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .find(|block| block.contains("[tool.cibuildwheel]"))
        .map(String::from)
        .ok_or_else(|| "no ```toml block with [tool.cibuildwheel] in README.md".into())
}

/// A `cp39-abi3` wheel of one module, built by setuptools
/// (`Extension(py_limited_api=True)`, `bdist_wheel --py-limited-api cp39`)
/// against the upstream headers at `Py_LIMITED_API` `limited`.
fn setuptools_wheel(
    tools: &Path,
    dir: &Path,
    include: &Path,
    module: &str,
    limited: &str,
    dist: &Path,
) -> Result<PathBuf, Failed> {
    let src = dir.join(format!("{module}-src"));
    std::fs::create_dir_all(&src)?;
    std::fs::copy(
        Path::new(FIXTURES).join("check").join(format!("{module}.c")),
        src.join(format!("{module}.c")),
    )?;
    std::fs::write(
        src.join("setup.py"),
        format!(
            "from setuptools import Extension, setup\n\
             setup(\n    name={module:?}, version='1.0',\n    ext_modules=[Extension(\n        \
             {module:?}, [{source:?}], include_dirs=[{include:?}],\n        \
             define_macros=[('Py_LIMITED_API', {limited:?})], py_limited_api=True,\n    )],\n)\n",
            source = format!("{module}.c"),
            include = include.display().to_string(),
        ),
    )?;
    std::fs::write(src.join("setup.cfg"), "[bdist_wheel]\npy_limited_api = cp39\n")?;
    let out = dir.join(format!("{module}-dist"));
    let mut pip = Command::new(tools.join("bin/python"));
    pip.args(["-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index"])
        .args(["--disable-pip-version-check", "--wheel-dir"])
        .arg(&out)
        .arg(&src);
    succeed(pip, BUILD_DEADLINE)?;
    let wheel = only_file(&out, ".whl")?;
    let name = wheel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    check(name.starts_with(&format!("{module}-1.0-cp39-abi3-")), || {
        format!("setuptools named the wheel {name}")
    })?;
    let target = dist.join(&name);
    std::fs::rename(&wheel, &target)?;
    Ok(target)
}

/// A `cp315-abi3.abi3t` wheel of one module compiled with `cc` and packed
/// by the `wheel` tool, which names the file from the `WHEEL` tags.
fn abi3t_wheel(
    tools: &Path,
    cc: &str,
    dir: &Path,
    include: &Path,
    module: &str,
    defines: &[&str],
    dist: &Path,
) -> Result<PathBuf, Failed> {
    let name = format!("{module}_t");
    let tree = dir.join(format!("{name}-tree"));
    let package = tree.join(&name);
    let info = tree.join(format!("{name}-1.0.dist-info"));
    std::fs::create_dir_all(&package)?;
    std::fs::create_dir_all(&info)?;
    let mut compile = Command::new(cc);
    compile
        .args(["-shared", "-fPIC", "-O2", "-w", "-I"])
        .arg(include)
        .args(defines)
        .arg(Path::new(FIXTURES).join("check").join(format!("{module}.c")))
        .arg("-o")
        .arg(package.join(format!("_{module}.abi3t.so")));
    succeed(compile, RUN_DEADLINE)?;
    std::fs::write(
        info.join("METADATA"),
        format!("Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n"),
    )?;
    std::fs::write(
        info.join("WHEEL"),
        "Wheel-Version: 1.0\nGenerator: abiscope-tests\nRoot-Is-Purelib: false\n\
         Tag: cp315-abi3-linux_x86_64\nTag: cp315-abi3t-linux_x86_64\n",
    )?;
    let out = dir.join(format!("{name}-dist"));
    std::fs::create_dir_all(&out)?;
    let mut pack = Command::new(tools.join("bin/python"));
    pack.args(["-m", "wheel", "pack", "--dest-dir"]).arg(&out).arg(&tree);
    succeed(pack, RUN_DEADLINE)?;
    let wheel = only_file(&out, ".whl")?;
    let file = wheel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    eq(
        file.as_str(),
        format!("{name}-1.0-cp315-abi3.abi3t-linux_x86_64.whl").as_str(),
        "the packed wheel's name",
    )?;
    let target = dist.join(&file);
    std::fs::rename(&wheel, &target)?;
    Ok(target)
}
