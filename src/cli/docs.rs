//! `abiscope docs` (the docs found, with versions) and `show --doc` (an
//! entry's full text from them), as text or JSON.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use anstyle::{AnsiColor, Effects, Style};

use super::Outcome;
use crate::catalog::{Catalog, Item};
use crate::docs::render::{self, Class, Rendered};
use crate::docs::text::Block;
use crate::docs::{self, Missing, escaped};
use crate::sanitize::escape;

const DIM: Style = Style::new().effects(Effects::DIMMED);
const HEAD: Style = Style::new().effects(Effects::BOLD);

/// `abiscope docs`: every docs set found, newest first; `*` marks the one
/// used (the one given with --docs or the config, else the newest).
pub fn list(given: Option<&Path>, out: &mut impl Write, err: &mut impl Write) -> io::Result<Outcome> {
    let places = docs::usual_places();
    let found = docs::discover(&places);
    let mut used = None;
    if let Some(path) = given {
        match docs::Docs::open(path) {
            Ok(d) => {
                let version = d.version.as_ref().map_or_else(|| "?".to_string(), ToString::to_string);
                writeln!(
                    out,
                    "* {version:<8} {:<9} {}  (given)",
                    d.kind,
                    escape(&d.path.to_string_lossy())
                )?;
                used = Some(d.path);
            }
            Err(e) => return Err(io::Error::other(e)),
        }
    }
    for f in &found {
        let mark = if used.is_none() { "*" } else { " " };
        if used.as_ref() == Some(&f.path) {
            continue;
        }
        let version = f.version.as_ref().map_or_else(|| "?".to_string(), ToString::to_string);
        writeln!(
            out,
            "{mark} {version:<8} {:<9} {}",
            f.kind,
            escape(&f.path.to_string_lossy())
        )?;
        used.get_or_insert_with(|| f.path.clone());
    }
    if used.is_none() {
        writeln!(
            err,
            "abiscope: no Python HTML docs in the usual places. {}",
            docs::HOW_TO_GET
        )?;
        return Ok(Outcome::NothingFound);
    }
    Ok(Outcome::Found)
}

/// An entry's text, or why there is none.
pub struct EntryText {
    /// "Python 3.15.2 docs, PATH", when docs were found.
    pub source: Option<String>,
    /// The entry as read: [`print`] shows it escaped, [`json`] exact.
    pub text: Result<Vec<Block>, String>,
}

/// The width `show --doc` wraps to: the terminal's (at most 100), or 80.
fn width() -> usize {
    let terminal = io::stdout()
        .is_terminal()
        .then(ratatui::crossterm::terminal::size)
        .and_then(Result::ok);
    terminal.map_or(80, |(w, _)| usize::from(w).min(100)).saturating_sub(2)
}

/// Finds the docs (an error only when the given path is unusable) and
/// renders `item`'s entry.
pub fn entry_text(catalog: &Catalog, item: &Item, given: Option<&Path>) -> Result<EntryText, String> {
    let Some(mut found) = docs::locate(given, &docs::usual_places())? else {
        return Ok(EntryText {
            source: None,
            text: Err(docs::HOW_TO_GET.to_string()),
        });
    };
    let text = match found.entry(catalog, item)? {
        Ok(blocks) => Ok(blocks),
        Err(Missing::Undocumented) => Err(format!("{} {}", item.name(), Missing::Undocumented)),
        Err(missing) => Err(missing.to_string()),
    };
    Ok(EntryText {
        source: Some(found.describe()),
        text,
    })
}

fn style(class: Class) -> Style {
    let colour = |c: AnsiColor| Style::new().fg_color(Some(anstyle::Color::Ansi(c)));
    match class {
        Class::Text => Style::new(),
        Class::Code | Class::CodeBlock => colour(AnsiColor::Cyan),
        Class::Emph => Style::new().effects(Effects::ITALIC),
        Class::Strong | Class::Heading => HEAD,
        Class::Link => Style::new().effects(Effects::UNDERLINE),
        Class::Note => colour(AnsiColor::Yellow),
        Class::Version => Style::new().effects(Effects::ITALIC.insert(Effects::DIMMED)),
        Class::Marker => DIM,
    }
}

/// Prints the entry after the facts, indented like them.
pub fn print(out: &mut impl Write, doc: &EntryText) -> io::Result<()> {
    writeln!(out)?;
    match &doc.source {
        Some(source) => writeln!(out, "  {HEAD}Documentation{HEAD:#} {DIM}({}){DIM:#}", escape(source))?,
        None => writeln!(out, "  {HEAD}Documentation{HEAD:#}")?,
    }
    match &doc.text {
        Ok(blocks) => {
            for line in &render::render(&escaped::blocks(blocks), width()).lines {
                if !line.is_empty() {
                    write!(out, "  ")?;
                }
                for piece in line {
                    let s = style(piece.class);
                    write!(out, "{s}{}{s:#}", piece.text)?;
                }
                writeln!(out)?;
            }
        }
        Err(why) => writeln!(out, "  {DIM}{}{DIM:#}", escape(why))?,
    }
    Ok(())
}

/// The `doc` key of `show --json --doc`.
pub fn json(doc: &EntryText) -> serde_json::Value {
    let text = doc.text.as_ref().ok().map(|blocks| {
        let rendered = render::render(blocks, width());
        rendered
            .lines
            .iter()
            .map(Rendered::plain)
            .collect::<Vec<_>>()
            .join("\n")
    });
    serde_json::json!({
        "source": doc.source,
        "text": text,
        "missing": doc.text.as_ref().err(),
    })
}

/// `search --text PHRASE`: the entries of the local docs containing the
/// phrase, most occurrences first, each with the text around its first
/// occurrence; as JSON `[{"name", "matches", "context"}]`.
pub fn search_text(
    catalog: &Catalog,
    args: &super::args::SearchArgs,
    given: Option<&Path>,
    out: &mut impl Write,
) -> io::Result<Outcome> {
    let phrase = args.query.join(" ");
    let Some(mut found) = docs::locate(given, &docs::usual_places()).map_err(io::Error::other)? else {
        return Err(io::Error::other(format!(
            "searching the documentation text needs Python's HTML docs. {}",
            docs::HOW_TO_GET
        )));
    };
    let index = docs::fulltext::TextIndex::build(&mut found, catalog).map_err(io::Error::other)?;
    let hits: Vec<_> = index.search(&phrase).into_iter().take(args.limit).collect();
    if args.json {
        let rows: Vec<serde_json::Value> = hits
            .iter()
            .map(|h| {
                serde_json::json!({
                    "name": catalog.items()[h.index].name(),
                    "matches": h.count,
                    "context": h.context,
                })
            })
            .collect();
        super::json_line(out, &rows)?;
    } else {
        let width = hits
            .iter()
            .map(|h| catalog.items()[h.index].name().len())
            .max()
            .unwrap_or(0);
        for h in &hits {
            let name = catalog.items()[h.index].name();
            writeln!(out, "{name:width$}  {:>3}  {}", h.count, escape(&h.context))?;
        }
    }
    Ok(Outcome::of(!hits.is_empty()))
}
