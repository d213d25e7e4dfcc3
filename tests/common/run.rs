//! Running the built binary from tests: in a directory, without the
//! user's configuration, killed at a deadline (a hang fails the test
//! instead of stalling the suite) and, for memory, under `ulimit -v`. No
//! test asserts a duration.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use libtest_mimic::Failed;

pub const BIN: &str = env!("CARGO_BIN_EXE_abiscope");

pub fn check(cond: bool, what: impl FnOnce() -> String) -> Result<(), Failed> {
    if cond { Ok(()) } else { Err(what().into()) }
}

pub fn tempdir() -> Result<tempfile::TempDir, Failed> {
    Ok(tempfile::Builder::new().prefix("abiscope-hostile-").tempdir()?)
}

/// `abiscope ARGS` in `dir` with no configuration, killed after a minute
/// (a hang fails the test instead of stalling the suite).
pub fn abiscope(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<Output, Failed> {
    finish(command(dir, BIN, args, env), Duration::from_mins(1))
}

/// The same under a 1 GiB address-space limit (`ulimit -v`): reading
/// without bound fails there.
pub fn bounded(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<Output, Failed> {
    let mut all = vec!["-c", "ulimit -v 1048576 && exec \"$0\" \"$@\"", BIN];
    all.extend_from_slice(args);
    finish(command(dir, "sh", &all, env), Duration::from_mins(1))
}

pub fn command(dir: &Path, program: &str, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(dir)
        .args(args)
        .env_remove("ABISCOPE_CONFIG")
        .env_remove("CLICOLOR_FORCE")
        .env("XDG_CONFIG_HOME", dir.join("no-config"))
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

#[allow(clippy::needless_pass_by_value)] // call sites read better with values
pub fn eq<T: PartialEq + std::fmt::Debug>(got: T, want: T, what: &str) -> Result<(), Failed> {
    check(got == want, || format!("{what}: got {got:?}, want {want:?}"))
}

pub fn mkfifo(path: &Path) -> Result<(), Failed> {
    let out = Command::new("mkfifo").arg(path).output()?;
    check(out.status.success(), || format!("mkfifo: {}", stderr(&out)))
}

/// Runs `cmd` to the end, or kills it at the deadline and fails.
pub fn finish(mut cmd: Command, deadline: Duration) -> Result<Output, Failed> {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
    let start = Instant::now();
    // Drain the pipes on threads so that a large output cannot block it.
    let mut stdout = child.stdout.take().ok_or("stdout")?;
    let mut stderr = child.stderr.take().ok_or("stderr")?;
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut v);
        v
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut v);
        v
    });
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("{cmd:?} still running after {deadline:?}: it hangs").into());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Ok(Output {
        status,
        stdout: out.join().map_err(|_| "stdout reader")?,
        stderr: err.join().map_err(|_| "stderr reader")?,
    })
}
