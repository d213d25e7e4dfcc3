//! The `abiscope` binary: parse, dispatch, map the outcome to an exit code
//! (0 found, 1 nothing found, 2 error; a closed pipe is not an error).
//! Without a command and with a terminal on stdout, it opens the explorer.
//! Errors go to stderr through [`fail`], which escapes control characters
//! and never panics on a full or closed stderr (as `eprintln!` does).

use std::fmt::Display;
use std::io::{ErrorKind, IsTerminal, Write};
use std::process::ExitCode;

use abiscope::cli::args::{Command, SearchArgs, ShowArgs};
use abiscope::cli::{self, Cli, Outcome};
use abiscope::config::Config;
use abiscope::target::Target;
use abiscope::tui::{self, Ending};
use clap::FromArgMatches as _;

fn main() -> ExitCode {
    // The binary's own helpers: the clipboard server, the terminal guard.
    match std::env::args_os().nth(1) {
        Some(a) if a == abiscope::clipboard::HELPER_ARG => return abiscope::clipboard::serve(),
        Some(a) if a == tui::guard::GUARD_ARG => return tui::guard::watch(),
        _ => {}
    }
    // Without arguments (the explorer, as most runs are) there is nothing
    // to parse, and building the parser would delay the first frame.
    let cli = if std::env::args_os().len() == 1 {
        Cli::default()
    } else {
        Cli::from_arg_matches(&cli::args::command().get_matches()).unwrap_or_else(|e| e.exit())
    };
    if cli.print.is_some() && cli.command.is_some() {
        return fail("--print opens the explorer to pick an item; it takes a query, not a command");
    }
    let check_tui = matches!(&cli.command, Some(Command::Check(args)) if args.tui);
    if check_tui && !std::io::stdout().is_terminal() {
        return fail("check --tui needs a terminal; without --tui, check prints its report");
    }
    // Picker mode draws on the terminal while standard output is a pipe.
    let explorer = (cli.command.is_none() && (cli.print.is_some() || std::io::stdout().is_terminal()))
        || (check_tui && std::io::stdout().is_terminal());
    if explorer && let Some(why) = tui::unsupported_terminal() {
        return fail(why);
    }
    // The explorer needs the configuration; other commands only its target
    // and docs, when --target and --docs do not give them (and `config`
    // must work on a broken file).
    let wants_docs = matches!(
        &cli.command,
        Some(
            Command::Docs | Command::Show(ShowArgs { doc: true, .. }) | Command::Search(SearchArgs { text: true, .. })
        )
    );
    let needs_config = explorer
        || (!matches!(cli.command, Some(Command::Config(_)))
            && (cli.target.is_none() || (wants_docs && cli.docs.is_none())));
    let mut config = if needs_config {
        match Config::load(cli.config.as_deref()) {
            Ok(config) => config,
            Err(e) => return fail(e),
        }
    } else {
        Config::default()
    };
    if let Some(target) = cli.target {
        config.target = Target {
            build: config.target.build,
            ..target
        };
    }
    if let Some(build) = cli.build_python {
        config.target.build = Some(build);
    }
    if let Some(docs) = &cli.docs {
        config.docs = Some(docs.clone());
    }
    if let Some(Command::Check(args)) = cli.command.as_ref().filter(|_| check_tui) {
        return match cli::check::explore(&config, config.target, args) {
            Ok(outcome) => exit_code(outcome),
            Err(e) => fail(e),
        };
    }
    if explorer {
        let picking = cli.print.is_some();
        return match tui::explore(&config, &cli.query.join(" "), cli.print, cli.target.is_some()) {
            // Esc in picker mode is a cancel, as in fzf.
            Ok(Ending::Quit) if picking => ExitCode::from(130),
            Ok(Ending::Quit) => ExitCode::SUCCESS,
            Ok(Ending::Print(text)) => {
                let mut out = std::io::stdout().lock();
                match writeln!(out, "{text}").and_then(|()| out.flush()) {
                    Err(e) if e.kind() != ErrorKind::BrokenPipe => fail(abiscope::io_error::io_message(&e)),
                    _ => ExitCode::SUCCESS,
                }
            }
            Ok(Ending::Signal(signal)) => ExitCode::from(u8::try_from(128 + signal).unwrap_or(255)),
            Err(e) => fail(e),
        };
    }
    let mut out = anstream::stdout().lock();
    let mut err = anstream::stderr().lock();
    let result = cli::run(cli, &config, &mut out, &mut err).and_then(|outcome| out.flush().map(|()| outcome));
    match result {
        Ok(outcome) => exit_code(outcome),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            drop(err);
            fail(abiscope::io_error::io_message(&e))
        }
    }
}

/// Says what went wrong on stderr (line by line, controls escaped: a
/// message may quote a file name or a configuration line) and exits 2.
fn fail(message: impl Display) -> ExitCode {
    let text = message.to_string();
    let lines: Vec<_> = text.lines().map(abiscope::sanitize::escape).collect();
    let _ = writeln!(std::io::stderr().lock(), "abiscope: {}", lines.join("\n"));
    ExitCode::from(2)
}

fn exit_code(outcome: Outcome) -> ExitCode {
    match outcome {
        Outcome::Found => ExitCode::SUCCESS,
        Outcome::NothingFound => ExitCode::from(1),
        Outcome::Incomplete => ExitCode::from(2),
    }
}
