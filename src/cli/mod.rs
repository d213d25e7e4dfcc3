//! The scriptable commands: `search`, `show`, `list`, `tree`, `diff`,
//! completions and the manual page, over the embedded catalog.
//!
//! Each command writes to the given stream and reports whether it found
//! anything; `main` turns that into the exit status. Under a target the
//! commands add verdicts, rank usable items first and list alternatives.

pub mod args;
pub mod check;
mod diff;
mod docs;
pub mod json;
pub mod output;

use std::io::{self, Write};

use serde::Serialize;

pub use args::Cli;
use args::{Command, ListArgs, SearchArgs, ShowArgs};

use crate::catalog::{Catalog, Item};
use crate::config::Config;
use crate::search::{Hit, Query, Searcher};
use crate::target::{Target, Verdict, judge};
use crate::tree::Tree;
use crate::{detail, tree};

/// What a command found, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Found,
    /// Exit 1.
    NothingFound,
    /// Exit 2, after reporting what could be read.
    Incomplete,
}

impl Outcome {
    pub(crate) fn of(found: bool) -> Outcome {
        if found { Outcome::Found } else { Outcome::NothingFound }
    }
}

/// Runs one command under `target` (from `--target` or the config).
/// `err` receives messages such as "no item named X".
pub fn run(cli: Cli, config: &Config, out: &mut impl Write, err: &mut impl Write) -> io::Result<Outcome> {
    let catalog = Catalog::embedded();
    let target = config.target;
    match cli.command {
        Some(Command::Search(args)) if args.text => docs::search_text(&catalog, &args, config.docs.as_deref(), out),
        Some(Command::Search(args)) => search(&catalog, target, &args, out),
        Some(Command::Show(args)) => show(&catalog, config, &args, out, err),
        Some(Command::Docs) => docs::list(config.docs.as_deref(), out, err),
        Some(Command::List(args)) => list(&catalog, target, &args, out, err),
        Some(Command::Diff(args)) => diff::run(&catalog, &args, out),
        Some(Command::Check(args)) => check::run(&catalog, target, &args, io::stdin().lock(), out),
        Some(Command::Tree(args)) => {
            let tree = Tree::embedded();
            if args.json {
                json_line(out, &json_tree(&catalog, &tree, Tree::ROOT))?;
            } else {
                output::tree(out, &tree)?;
            }
            Ok(Outcome::Found)
        }
        Some(Command::Config(args)) => {
            if args.default {
                out.write_all(crate::config::DEFAULT_TOML.as_bytes())?;
            } else if args.check {
                crate::config::Config::load(cli.config.as_deref()).map_err(io::Error::other)?;
                match crate::config::resolve(cli.config.as_deref()) {
                    Some((path, _)) if path.exists() => writeln!(out, "{}: valid", path.display())?,
                    _ => writeln!(out, "no configuration file: the defaults apply")?,
                }
            } else {
                let Some((path, _)) = crate::config::resolve(cli.config.as_deref()) else {
                    return Err(io::Error::other(
                        "no configuration path: the home directory is unknown (use --config or ABISCOPE_CONFIG)",
                    ));
                };
                writeln!(out, "{}", path.display())?;
            }
            Ok(Outcome::Found)
        }
        Some(Command::Completions { shell }) => {
            // clap_complete panics when a write fails (a closed pipe, a
            // full disk): the script is made in memory, then written.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut args::command(), "abiscope", &mut script);
            out.write_all(&script)?;
            Ok(Outcome::Found)
        }
        Some(Command::Man { command }) => {
            let cmd = args::command();
            let page = match command {
                None => cmd,
                Some(name) => {
                    let names: Vec<String> = cmd.get_subcommands().map(|c| c.get_name().to_string()).collect();
                    let Some(sub) = cmd.find_subcommand(&name).cloned() else {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidInput,
                            format!("no command '{name}' (valid: {})", names.join(", ")),
                        ));
                    };
                    // The page's title as the main page names it: abiscope-check(1).
                    sub.display_name(format!("abiscope-{name}"))
                        .bin_name(format!("abiscope {name}"))
                }
            };
            clap_mangen::Man::new(page).render(out)?;
            Ok(Outcome::Found)
        }
        None if !cli.query.is_empty() => search(
            &catalog,
            target,
            &SearchArgs {
                query: cli.query,
                limit: 20,
                json: false,
                text: false,
            },
            out,
        ),
        None => {
            write!(out, "{}", args::command().render_usage())?;
            writeln!(
                out,
                "\n\nRun it in a terminal to open the explorer; `abiscope --help` lists the commands."
            )?;
            Ok(Outcome::Found)
        }
    }
}

pub(crate) fn json_line(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// The verdict of each item, when a target is set.
fn verdict(catalog: &Catalog, target: Target, item: &Item) -> Option<Verdict> {
    target.is_set().then(|| judge(catalog, item, target).verdict)
}

/// Prints items as rows or as JSON.
fn print_items(
    catalog: &Catalog,
    target: Target,
    items: &[&Item],
    positions: impl Fn(&Item) -> Vec<usize>,
    json_out: bool,
    out: &mut impl Write,
) -> io::Result<()> {
    if json_out {
        let json: Vec<json::JsonItem> = items.iter().map(|i| json::JsonItem::new(catalog, i, target)).collect();
        json_line(out, &json)
    } else {
        let rows: Vec<output::Row<'_>> = items
            .iter()
            .map(|i| output::Row {
                item: i,
                positions: positions(i),
                verdict: verdict(catalog, target, i),
            })
            .collect();
        output::rows(out, &rows)
    }
}

/// Under a target, usable hits before the rest, the exact match staying first.
fn usable_first(catalog: &Catalog, target: Target, hits: &mut [Hit]) {
    if target.is_set() {
        let items = catalog.items();
        hits.sort_by_key(|h| {
            let exact = h.class == crate::search::MatchClass::Exact;
            (!exact, !judge(catalog, &items[h.index], target).verdict.is_usable())
        });
    }
}

fn search(catalog: &Catalog, target: Target, args: &SearchArgs, out: &mut impl Write) -> io::Result<Outcome> {
    let query = Query::parse(&args.query.join(" "));
    if let Some(error) = query.errors().first() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, error.clone()));
    }
    let searcher = Searcher::default();
    let items = catalog.items();
    let mut hits = searcher.search(catalog, &query);
    usable_first(catalog, target, &mut hits);
    let shown: Vec<&Item> = hits.iter().take(args.limit).map(|h| &items[h.index]).collect();
    print_items(
        catalog,
        target,
        &shown,
        |i| searcher.positions(i.name(), &query),
        args.json,
        out,
    )?;
    Ok(Outcome::of(!shown.is_empty()))
}

fn show(
    catalog: &Catalog,
    config: &Config,
    args: &ShowArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<Outcome> {
    let target = config.target;
    let Some(item) = catalog.get(&args.name) else {
        writeln!(err, "abiscope: {}", output::unknown_name(catalog, &args.name))?;
        return Ok(Outcome::NothingFound);
    };
    let doc = if args.doc {
        Some(docs::entry_text(catalog, item, config.docs.as_deref()).map_err(io::Error::other)?)
    } else {
        None
    };
    if args.json {
        let mut value = serde_json::to_value(json::JsonItem::new(catalog, item, target)).map_err(io::Error::other)?;
        if let (Some(doc), Some(object)) = (&doc, value.as_object_mut()) {
            object.insert("doc".to_string(), docs::json(doc));
        }
        json_line(out, &value)?;
    } else {
        let advice = detail::advice(catalog, item, target);
        output::detail(out, item, &detail::fields(catalog, item, &advice))?;
        if let Some(doc) = &doc {
            docs::print(out, doc)?;
        }
    }
    Ok(Outcome::Found)
}

fn list(
    catalog: &Catalog,
    target: Target,
    args: &ListArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<Outcome> {
    if args.usable && !target.is_set() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "--usable needs a target: --target abi3=3.9 (or abi3t=3.15, or both), or `target = ...` in the config",
        ));
    }
    let items = catalog.items();
    let in_section: Option<Vec<usize>> = match &args.section {
        Some(path) => {
            let tree = Tree::embedded();
            let Some(node) = tree.find(path) else {
                writeln!(
                    err,
                    "abiscope: no section '{}'; `abiscope tree` lists them",
                    crate::sanitize::escape(path)
                )?;
                return Ok(Outcome::NothingFound);
            };
            Some(tree.items_under(node))
        }
        None => None,
    };
    let selected: Vec<&Item> = items
        .iter()
        .enumerate()
        .filter(|(n, i)| {
            (args.kind.is_empty() || args.kind.contains(&i.kind))
                && (args.tier.is_empty() || args.tier.contains(&i.tier))
                && args.since.is_none_or(|v| i.stable_since == Some(v))
                && in_section.as_ref().is_none_or(|s| s.binary_search(n).is_ok())
                && (!args.usable || judge(catalog, i, target).verdict.is_usable())
        })
        .map(|(_, i)| i)
        .collect();
    print_items(catalog, target, &selected, |_| Vec::new(), args.json, out)?;
    Ok(Outcome::of(!selected.is_empty()))
}

#[derive(Serialize)]
struct JsonNode {
    title: String,
    path: String,
    url: Option<String>,
    count: usize,
    items: Vec<&'static str>,
    children: Vec<JsonNode>,
}

fn json_tree(catalog: &Catalog, tree: &Tree, id: usize) -> JsonNode {
    let node: &tree::Node = tree.node(id);
    JsonNode {
        title: node.title.to_string(),
        path: node.path.to_string(),
        url: node.url.map(|u| format!("{}{u}", crate::catalog::DOCS_BASE)),
        count: node.total,
        items: node.items.iter().map(|&i| catalog.items()[i].name()).collect(),
        children: node.children.iter().map(|&c| json_tree(catalog, tree, c)).collect(),
    }
}
