//! The scriptable commands: `search`, `show`, `list`, `tree`, completions
//! and the manual page, over the embedded catalog.
//!
//! Each command writes to the given stream and reports whether it found
//! anything; `main` turns that into the exit status.

pub mod args;
pub mod json;
pub mod output;

use std::io::{self, Write};

use clap::CommandFactory;
use serde::Serialize;

pub use args::Cli;
use args::{Command, ListArgs, SearchArgs, ShowArgs};

use crate::catalog::{Catalog, Item};
use crate::search::{Query, Searcher};
use crate::tree::Tree;
use crate::{detail, tree};

/// What a command found, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Found,
    /// Exit 1.
    NothingFound,
}

impl Outcome {
    fn of(found: bool) -> Outcome {
        if found { Outcome::Found } else { Outcome::NothingFound }
    }
}

/// Runs one command. `err` receives messages such as "no item named X".
pub fn run(cli: Cli, out: &mut impl Write, err: &mut impl Write) -> io::Result<Outcome> {
    let catalog = Catalog::embedded();
    match cli.command {
        Some(Command::Search(args)) => search(&catalog, &args, out),
        Some(Command::Show(args)) => show(&catalog, &args, out, err),
        Some(Command::List(args)) => list(&catalog, &args, out, err),
        Some(Command::Tree(args)) => {
            let tree = Tree::build(&catalog);
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
                match crate::config::resolve(cli.config.as_deref()) {
                    Some((path, _)) => writeln!(out, "{}", path.display())?,
                    None => writeln!(
                        err,
                        "abiscope: no configuration path: HOME and XDG_CONFIG_HOME are unset"
                    )?,
                }
            }
            Ok(Outcome::Found)
        }
        Some(Command::Completions { shell }) => {
            clap_complete::generate(shell, &mut Cli::command(), "abiscope", out);
            Ok(Outcome::Found)
        }
        Some(Command::Man) => {
            clap_mangen::Man::new(Cli::command()).render(out)?;
            Ok(Outcome::Found)
        }
        None if !cli.query.is_empty() => search(
            &catalog,
            &SearchArgs {
                query: cli.query,
                limit: 20,
                json: false,
            },
            out,
        ),
        None => {
            write!(out, "{}", Cli::command().render_usage())?;
            writeln!(
                out,
                "\n\nRun it in a terminal to open the explorer; `abiscope --help` lists the commands."
            )?;
            Ok(Outcome::Found)
        }
    }
}

fn json_line(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

fn search(catalog: &Catalog, args: &SearchArgs, out: &mut impl Write) -> io::Result<Outcome> {
    let query = Query::parse(&args.query.join(" "));
    let searcher = Searcher::default();
    let items = catalog.items();
    let hits = searcher.search(items, &query);
    let shown: Vec<&Item> = hits.iter().take(args.limit).map(|h| &items[h.index]).collect();
    if args.json {
        let json: Vec<json::JsonItem> = shown.iter().map(|i| json::JsonItem::from(*i)).collect();
        json_line(out, &json)?;
    } else {
        let rows: Vec<(&Item, Vec<usize>)> = shown.iter().map(|i| (*i, searcher.positions(i.name, &query))).collect();
        output::rows(out, &rows)?;
    }
    Ok(Outcome::of(!shown.is_empty()))
}

fn show(catalog: &Catalog, args: &ShowArgs, out: &mut impl Write, err: &mut impl Write) -> io::Result<Outcome> {
    let Some(item) = catalog.lookup(&args.name) else {
        writeln!(err, "abiscope: {}", output::unknown_name(catalog, &args.name))?;
        return Ok(Outcome::NothingFound);
    };
    if args.json {
        json_line(out, &json::JsonItem::from(item))?;
    } else {
        output::detail(out, item, &detail::fields(item))?;
    }
    Ok(Outcome::Found)
}

fn list(catalog: &Catalog, args: &ListArgs, out: &mut impl Write, err: &mut impl Write) -> io::Result<Outcome> {
    let items = catalog.items();
    let in_section: Option<Vec<usize>> = match &args.section {
        Some(path) => {
            let tree = Tree::build(catalog);
            let Some(node) = tree.find(path) else {
                writeln!(err, "abiscope: no section '{path}'; `abiscope tree` lists them")?;
                return Ok(Outcome::NothingFound);
            };
            let mut under = tree.items_under(node);
            under.sort_unstable();
            Some(under)
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
        })
        .map(|(_, i)| i)
        .collect();
    if args.json {
        let json: Vec<json::JsonItem> = selected.iter().map(|i| json::JsonItem::from(*i)).collect();
        json_line(out, &json)?;
    } else {
        let rows: Vec<(&Item, Vec<usize>)> = selected.iter().map(|i| (*i, Vec::new())).collect();
        output::rows(out, &rows)?;
    }
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
        title: node.title.clone(),
        path: node.path.clone(),
        url: node.url.map(|u| format!("{}{u}", crate::catalog::DOCS_BASE)),
        count: node.total,
        items: node.items.iter().map(|&i| catalog.items()[i].name).collect(),
        children: node.children.iter().map(|&c| json_tree(catalog, tree, c)).collect(),
    }
}
