//! The command line, as clap sees it. Values are parsed into the catalog's
//! own types here, so a bad `--kind` or version is rejected with the list
//! of valid values before anything runs.

use clap::{Args, CommandFactory as _, Parser, Subcommand};

use crate::catalog::{Kind, Tier, Version};
use crate::target::Target;

#[derive(Debug, Default, Parser)]
#[command(
    name = "abiscope",
    version,
    about = "Explore CPython's C API, Limited API and Stable ABI (abi3, abi3t) offline",
    after_help = "Without a command, abiscope opens the explorer (press ? there for the keys).\n\
                  Exit status: 0 when something was found, 1 when nothing was, 2 on errors."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Open the explorer with this query already typed (in a pipe: print
    /// what `abiscope search QUERY` prints).
    pub query: Vec<String>,
    /// Picker mode: open the explorer (on the terminal, even when standard
    /// output is a pipe) and print the item chosen with Enter: its name, or
    /// with --print=signature, link or snippet that instead. Esc exits 130.
    #[arg(
        long,
        value_name = "WHAT",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "name",
        value_parser = parse_print
    )]
    pub print: Option<crate::snippets::CopyWhat>,
    /// The explorer's configuration file (default: $`ABISCOPE_CONFIG`, else
    /// abiscope/config.toml in $`XDG_CONFIG_HOME` or ~/.config on Linux,
    /// ~/Library/Application Support on macOS, %APPDATA% on Windows).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<std::path::PathBuf>,
    /// The Stable ABI(s) and minimum version you build for: abi3=3.9,
    /// abi3t=3.15, or both (abi3=3.9,abi3t=3.15). Adds verdicts and
    /// alternatives, and ranks usable items first. Default: `target` in the
    /// config, else none.
    #[arg(long, global = true, value_name = "TARGET", value_parser = parse_target)]
    pub target: Option<Target>,
    /// The Python whose headers build the code, e.g. 3.12 (default:
    /// `build_python` in the config, else each version's own headers, as
    /// when building on the oldest Python the wheel supports).
    #[arg(long, global = true, value_name = "VERSION", value_parser = crate::target::parse_build_python)]
    pub build_python: Option<crate::catalog::Version>,
    /// Python's HTML documentation, for the full text of each entry: a
    /// directory (the one with c-api/), or the .zip or .tar.bz2 download
    /// from docs.python.org. Default: `docs` in the config, else the newest
    /// found in the usual places (`abiscope docs` lists them).
    #[arg(long, global = true, value_name = "PATH")]
    pub docs: Option<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Search names, best match first.
    Search(SearchArgs),
    /// Show every fact about one item.
    Show(ShowArgs),
    /// List catalog items, filtered.
    List(ListArgs),
    /// What entered the Stable ABI, became ABI-only, was deprecated or
    /// removed between two versions.
    Diff(DiffArgs),
    /// Print the category tree (the C API reference's table of contents).
    Tree(TreeArgs),
    /// What Stable ABI sources, built modules or wheels need: the lowest
    /// abi3 and abi3t versions, what blocks them, what exceeds the target.
    #[command(
        after_help = "Exit status: 0 when nothing exceeds the target and no wheel or setting contradicts its uses; \
                  1 when something does; 2 when an input could not be read (the rest is still reported)."
    )]
    Check(CheckArgs),
    /// Show the configuration file's path, or print the commented default.
    Config(ConfigArgs),
    /// List the Python HTML docs found on this machine, with their versions;
    /// `*` marks the one abiscope reads.
    Docs,
    /// Print a shell completion script.
    Completions {
        /// bash, elvish, fish, powershell or zsh.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): abiscope(1), or with a command's name
    /// its own page (abiscope-check(1) is `abiscope man check`).
    Man {
        /// A command, for its page.
        command: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Terms that must all match, e.g. `PyBuffer_` or `list item`.
    #[arg(required = true)]
    pub query: Vec<String>,
    /// Show at most N results.
    #[arg(long, short = 'n', default_value_t = 20, value_name = "N", value_parser = parse_limit)]
    pub limit: usize,
    /// Print JSON (an array of items).
    #[arg(long)]
    pub json: bool,
    /// Search the documentation text instead of the names: the entries
    /// of the local Python docs (see --docs) that contain the words, as a
    /// phrase, most occurrences first.
    #[arg(long)]
    pub text: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The item's exact name (case counts: `PyThreadState_GET` is not `PyThreadState_Get`).
    pub name: String,
    /// Print JSON (one item).
    #[arg(long)]
    pub json: bool,
    /// Add the entry's full text from the local Python docs (see --docs).
    #[arg(long)]
    pub doc: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only these kinds (repeatable): function, variable, macro, constant, type, struct, enumerator, `feature_macro`.
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    pub kind: Vec<Kind>,
    /// Only these tiers (repeatable): limited, abi-only, unstable, general, private.
    #[arg(long, value_name = "TIER", value_parser = parse_tier)]
    pub tier: Vec<Tier>,
    /// Only items under this section of the reference (a path such as
    /// "Abstract Objects Layer > Buffer Protocol", or a unique title).
    #[arg(long, value_name = "SECTION", value_parser = parse_section)]
    pub section: Option<String>,
    /// Only items that entered the Stable ABI in this version, e.g. 3.11.
    #[arg(long, value_name = "VERSION", value_parser = parse_version)]
    pub since: Option<Version>,
    /// Only what the target allows (needs --target or a configured target).
    #[arg(long)]
    pub usable: bool,
    /// Print JSON (an array of items).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct ConfigArgs {
    /// Print the path abiscope reads its configuration from.
    #[arg(long)]
    pub path: bool,
    /// Print the default configuration, with comments.
    #[arg(long)]
    pub default: bool,
    /// Check the configuration file: exit 0 when it is valid (or absent),
    /// 2 with the line, column and what is valid when it is not.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older version, e.g. 3.12 (what came after it is listed).
    #[arg(value_parser = parse_version)]
    pub from: Version,
    /// The newer version, e.g. 3.14 (included).
    #[arg(value_parser = parse_version)]
    pub to: Version,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// C, C++ and Rust sources, directories (searched recursively), extension
    /// modules (.so, .pyd, .dylib), wheels (.whl), or - for standard input
    /// (C API names, or `nm -D` output).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<std::path::PathBuf>,
    /// Print JSON (one object); the same as --format json.
    #[arg(long, conflicts_with_all = ["tui", "format"])]
    pub json: bool,
    /// The report's form: text, json, github (GitHub Actions annotations
    /// on the lines concerned) or sarif (a SARIF 2.1.0 log for code
    /// scanning). The exit status is the same for all.
    #[arg(long, value_enum, default_value_t, conflicts_with = "tui")]
    pub format: CheckFormat,
    /// Open the explorer on the report: the names used, with verdicts and alternatives.
    #[arg(long)]
    pub tui: bool,
    /// List every location and the usable names too.
    #[arg(long, short)]
    pub verbose: bool,
    /// A macro your build defines (as a compiler's -D): NAME or NAME=VALUE.
    /// A macro that nothing defines is taken as undefined.
    #[arg(long = "define", short = 'D', value_name = "NAME[=VALUE]")]
    pub defines: Vec<String>,
    /// A macro your build leaves undefined (as a compiler's -U).
    #[arg(long = "undefine", short = 'U', value_name = "NAME")]
    pub undefines: Vec<String>,
}

/// `check --format`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    #[default]
    Text,
    Json,
    Github,
    Sarif,
}

impl CheckArgs {
    /// The macros and build Python the check runs with.
    pub fn env(&self, build_python: Option<crate::catalog::Version>) -> crate::check::Env {
        let mut env = crate::check::Env {
            build_python,
            ..crate::check::Env::default()
        };
        for d in &self.defines {
            env.define(d);
        }
        for u in &self.undefines {
            env.undefine(u);
        }
        env
    }
}

#[derive(Debug, Args)]
pub struct TreeArgs {
    /// Print JSON (nested sections with their item names).
    #[arg(long)]
    pub json: bool,
}

/// The command line as users read it in `--help`, the manual and the
/// completions: the doc comments keep backticks for rustdoc, the help text
/// drops them.
pub fn command() -> clap::Command {
    fn plain(cmd: clap::Command) -> clap::Command {
        let strip = |s: &clap::builder::StyledStr| s.to_string().replace('`', "");
        let mut cmd = cmd.mut_args(|arg| {
            let help = arg.get_help().map(strip);
            let long = arg.get_long_help().map(strip);
            let arg = match help {
                Some(h) => arg.help(h),
                None => arg,
            };
            match long {
                Some(l) => arg.long_help(l),
                None => arg,
            }
        });
        if let Some(about) = cmd.get_about().map(strip) {
            cmd = cmd.about(about);
        }
        if let Some(long) = cmd.get_long_about().map(strip) {
            cmd = cmd.long_about(long);
        }
        cmd.mut_subcommands(plain)
    }
    plain(Cli::command())
}

fn parse_print(s: &str) -> Result<crate::snippets::CopyWhat, String> {
    use crate::snippets::CopyWhat;
    match s {
        "name" => Ok(CopyWhat::Name),
        "signature" => Ok(CopyWhat::Signature),
        "link" => Ok(CopyWhat::Link),
        "snippet" => Ok(CopyWhat::Snippet),
        _ => Err(format!(
            "'{s}' is not something to print (valid: name, signature, link, snippet)"
        )),
    }
}

fn parse_limit(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("at least 1: 0 would show nothing".to_string()),
        Ok(n) => Ok(n),
        Err(_) => Err("a number of results, such as 10".to_string()),
    }
}

fn parse_section(s: &str) -> Result<String, String> {
    if s.trim().is_empty() {
        Err("a section's path or title, such as \"Abstract Objects Layer > Buffer Protocol\" (`abiscope tree` lists them)".to_string())
    } else {
        Ok(s.to_string())
    }
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    s.parse()
}

fn parse_tier(s: &str) -> Result<Tier, String> {
    s.parse()
}

fn parse_target(s: &str) -> Result<Target, String> {
    s.parse()
}

/// The Stable ABI versions: 3.2 to the newest the catalog knows.
pub const KNOWN_VERSIONS: std::ops::RangeInclusive<u8> = 2..=16;

pub fn parse_version(s: &str) -> Result<Version, String> {
    match s.parse::<Version>() {
        Ok(v) if v.major == 3 && KNOWN_VERSIONS.contains(&v.minor) => Ok(v),
        _ => Err(format!(
            "'{s}' is not a Stable ABI version (valid: 3.{} to 3.{}, e.g. 3.11)",
            KNOWN_VERSIONS.start(),
            KNOWN_VERSIONS.end()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_arguments_parse_as_the_default_the_explorer_starts_with() {
        use clap::FromArgMatches as _;
        let parsed = Cli::from_arg_matches(&command().get_matches_from(["abiscope"])).expect("parses");
        assert_eq!(format!("{parsed:?}"), format!("{:?}", Cli::default()));
    }

    #[test]
    fn the_help_has_no_markdown() {
        let mut cmd = command();
        let help = cmd.render_long_help().to_string();
        assert!(help.contains("$ABISCOPE_CONFIG") && !help.contains('`'), "{help}");
        for sub in cmd.get_subcommands_mut() {
            let help = sub.render_long_help().to_string();
            assert!(!help.contains('`'), "{help}");
        }
    }

    #[test]
    fn versions_are_checked() {
        assert_eq!(parse_version("3.11"), Ok(Version::new(3, 11)));
        assert!(parse_version("3.x").unwrap_err().contains("valid: 3.2 to 3.16"));
        assert!(parse_version("3.1").unwrap_err().contains("valid: 3.2 to 3.16"));
        assert!(parse_version("4.0").is_err());
    }
}
