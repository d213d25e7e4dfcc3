//! Plain-text output: result rows, the detail of one item, the tree.
//!
//! Everything is written with ANSI styles; the caller's `anstream` stream
//! strips them when stdout is not a terminal or `NO_COLOR` is set, so
//! pipes get plain text.

use std::io::{self, Write};

use anstyle::{AnsiColor, Effects, Style};

use crate::catalog::{Catalog, Item, Tier};
use crate::detail::{Field, Value};
use crate::highlight::{self, Class};
use crate::target::Verdict;
use crate::tree::Tree;

const NAME: Style = Style::new().effects(Effects::BOLD);
const MATCHED: Style = Style::new()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)))
    .effects(Effects::BOLD);
const KIND: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)));
const LABEL: Style = Style::new()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Blue)))
    .effects(Effects::BOLD);
const DIM: Style = Style::new().effects(Effects::DIMMED);
const LINK: Style = Style::new().effects(Effects::UNDERLINE);

pub fn tier_style(tier: Tier) -> Style {
    let color = match tier {
        Tier::Limited => Some(AnsiColor::Green),
        Tier::AbiOnly => Some(AnsiColor::Magenta),
        Tier::Unstable => Some(AnsiColor::Yellow),
        Tier::General => None,
        Tier::Private => Some(AnsiColor::BrightBlack),
    };
    Style::new().fg_color(color.map(anstyle::Color::Ansi))
}

/// One result row: the item, the matched positions, the verdict under a target.
pub struct Row<'a> {
    pub item: &'a Item,
    pub positions: Vec<usize>,
    pub verdict: Option<Verdict>,
}

pub fn verdict_style(v: Verdict) -> Style {
    let color = match v {
        Verdict::Usable => AnsiColor::Green,
        Verdict::PlatformOnly | Verdict::TooNew => AnsiColor::Yellow,
        Verdict::Abi3tUnusable | Verdict::AbiOnly | Verdict::NotLimited => AnsiColor::Red,
    };
    Style::new().fg_color(Some(anstyle::Color::Ansi(color)))
}

/// Result rows: name (matched characters highlighted), kind, tier, the
/// Stable ABI version (or the removal) and, under a target, the verdict;
/// aligned columns.
pub fn rows(out: &mut impl Write, rows: &[Row<'_>]) -> io::Result<()> {
    let name_width = rows
        .iter()
        .map(|r| r.item.name().chars().count())
        .max()
        .unwrap_or(0)
        .min(48);
    let kind_width = rows.iter().map(|r| r.item.kind.as_str().len()).max().unwrap_or(0);
    let tier_width = rows.iter().map(|r| r.item.tier.as_str().len()).max().unwrap_or(0);
    for row in rows {
        let item = row.item;
        let len = item.name().chars().count();
        for (n, c) in item.name().chars().enumerate() {
            let style = if row.positions.contains(&n) { MATCHED } else { NAME };
            write!(out, "{style}{c}{style:#}")?;
        }
        let pad = name_width.saturating_sub(len);
        let since = match (item.removed_in, item.stable_since) {
            (Some(v), _) => format!("{DIM}removed {v}{DIM:#}"),
            (None, Some(v)) => format!("since {v}"),
            (None, None) => String::new(),
        };
        let tier = tier_style(item.tier);
        let verdict = row.verdict.map(|v| {
            let style = verdict_style(v);
            format!("  {style}{:<14}{style:#}", v.as_str())
        });
        let line = format!(
            "{:pad$}  {KIND}{:kind_width$}{KIND:#}  {tier}{:tier_width$}{tier:#}{}  {since}",
            "",
            item.kind.as_str(),
            item.tier.as_str(),
            verdict.unwrap_or_default(),
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// Every field of one item, labels aligned.
pub fn detail(out: &mut impl Write, item: &Item, fields: &[Field]) -> io::Result<()> {
    writeln!(out, "{NAME}{}{NAME:#}", item.name())?;
    let width = fields.iter().map(|f| f.label.len()).max().unwrap_or(0);
    let indent = " ".repeat(width + 4);
    for field in fields {
        write!(out, "  {LABEL}{:width$}{LABEL:#}  ", field.label)?;
        match &field.value {
            Value::Text(t) => writeln!(out, "{t}")?,
            Value::Code(c) => {
                code(out, c, item.name())?;
                writeln!(out)?;
            }
            Value::Url(u) => writeln!(out, "{LINK}{u}{LINK:#}")?,
            Value::Names(names) => writeln!(out, "{}", names.join(", "))?,
            Value::Alternatives(alts) => {
                let list: Vec<String> = alts
                    .iter()
                    .map(|(n, note)| {
                        if note.is_empty() {
                            (*n).to_string()
                        } else {
                            format!("{n} ({note})")
                        }
                    })
                    .collect();
                writeln!(out, "{}", list.join(", "))?;
            }
            Value::Verdict(v, reason) => {
                let style = verdict_style(*v);
                writeln!(out, "{style}{v}{style:#}: {reason}")?;
            }
            Value::Lines(lines) => {
                for (n, line) in lines.iter().enumerate() {
                    if n > 0 {
                        write!(out, "{indent}")?;
                    }
                    writeln!(out, "{line}")?;
                }
            }
            Value::Members(members) => {
                let w = members.iter().map(|m| m.name().len()).max().unwrap_or(0);
                let tw = members
                    .iter()
                    .map(|m| m.ctype().unwrap_or("?").len())
                    .max()
                    .unwrap_or(0);
                for (n, m) in members.iter().enumerate() {
                    if n > 0 {
                        write!(out, "{indent}")?;
                    }
                    let mark = if m.stable { "stable" } else { "" };
                    let line = format!(
                        "{:w$}  {KIND}{:tw$}{KIND:#}  {mark}",
                        m.name(),
                        m.ctype().unwrap_or("?")
                    );
                    writeln!(out, "{}", line.trim_end())?;
                }
            }
        }
    }
    Ok(())
}

/// A declaration with C syntax colouring.
pub fn code(out: &mut impl Write, sig: &str, name: &str) -> io::Result<()> {
    for (class, text) in highlight::classify(sig, name) {
        let style = match class {
            Class::Keyword => Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Magenta))),
            Class::Type => KIND,
            Class::Name => NAME,
            Class::Param => Style::new().effects(Effects::ITALIC),
            Class::Literal => Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow))),
            Class::Punct | Class::Space => Style::new(),
        };
        write!(out, "{style}{text}{style:#}")?;
    }
    Ok(())
}

/// The tree, indented, with item counts.
pub fn tree(out: &mut impl Write, tree: &Tree) -> io::Result<()> {
    fn walk(out: &mut impl Write, tree: &Tree, id: usize, depth: usize) -> io::Result<()> {
        let node = tree.node(id);
        writeln!(
            out,
            "{:indent$}{} {DIM}({}){DIM:#}",
            "",
            node.title,
            node.total,
            indent = depth * 2
        )?;
        for &child in &node.children {
            walk(out, tree, child, depth + 1)?;
        }
        Ok(())
    }
    walk(out, tree, Tree::ROOT, 0)
}

/// The message for an unknown name, with the closest names.
pub fn unknown_name(catalog: &Catalog, name: &str) -> String {
    let closest = catalog.closest(name, 5);
    let name = crate::sanitize::escape(name);
    if closest.is_empty() {
        format!("no item named '{name}'")
    } else {
        format!("no item named '{name}'; closest: {}", closest.join(", "))
    }
}
