//! The `abiscope` binary: parse, dispatch, map the outcome to an exit code
//! (0 found, 1 nothing found, 2 error; a closed pipe is not an error).

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

use abiscope::cli::{self, Cli, Outcome};
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = anstream::stdout().lock();
    let mut err = anstream::stderr().lock();
    let result = cli::run(cli, &mut out, &mut err).and_then(|outcome| out.flush().map(|()| outcome));
    match result {
        Ok(Outcome::Found) => ExitCode::SUCCESS,
        Ok(Outcome::NothingFound) => ExitCode::from(1),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(err, "abiscope: {e}");
            ExitCode::from(2)
        }
    }
}
