//! The Sphinx inventory (`objects.inv`): every documented C name with its
//! role, page and anchor, and every page's title.

use std::io::{BufRead, Read};
use std::path::Path;

use anyhow::{Context, Result, bail};

#[derive(Debug, Clone)]
pub struct Entry {
    /// As Sphinx files it: nested names are dotted (`PyObject.ob_type`).
    pub name: String,
    /// Without the `c:` domain: `function`, `macro`, `member`, ...
    pub role: String,
    /// Page and anchor, e.g. `c-api/buffer.html#c.PyBuffer_FillInfo`.
    pub uri: String,
}

#[derive(Debug, Default)]
pub struct Inventory {
    /// C entries except function parameters, in file order.
    pub entries: Vec<Entry>,
    /// Page path without `.html` -> title, from `std:doc` entries.
    pub page_titles: std::collections::BTreeMap<String, String>,
    /// The catalog names of the entries: members belong to their struct.
    pub item_names: std::collections::BTreeSet<String>,
}

impl Inventory {
    pub fn load(path: &Path) -> Result<Self> {
        let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
        let mut reader = std::io::BufReader::new(file);
        let mut header = Vec::new();
        for _ in 0..4 {
            let mut line = String::new();
            reader.read_line(&mut line)?;
            header.push(line);
        }
        if !header[0].starts_with("# Sphinx inventory version 2") {
            bail!("{} is not a Sphinx version 2 inventory", path.display());
        }
        let mut text = String::new();
        flate2::read::ZlibDecoder::new(reader)
            .read_to_string(&mut text)
            .with_context(|| format!("decompressing {}", path.display()))?;
        let mut inv = Inventory::default();
        for line in text.lines() {
            let Some((name, role, uri, display)) = split_line(line) else {
                continue;
            };
            let uri = uri.replace('$', name);
            if role == "std:doc" {
                let page = uri.trim_end_matches(".html").to_string();
                inv.page_titles.insert(page, display.to_string());
            } else if let Some(role) = role.strip_prefix("c:")
                && role != "functionParam"
            {
                inv.entries.push(Entry {
                    name: name.to_string(),
                    role: role.to_string(),
                    uri,
                });
            }
        }
        inv.item_names = inv
            .entries
            .iter()
            .filter_map(|e| match catalog_name(&e.name, &e.role) {
                Placement::Item(name) => Some(name),
                Placement::Member { .. } => None,
            })
            .collect();
        Ok(inv)
    }
}

pub enum Placement {
    Item(String),
    Member { parent: String, member: String },
}

/// How a dotted Sphinx name maps to a C name: members belong to their
/// struct; nested enumerators and macros are global C names (their last
/// part); nested functions are callback prototypes documented inside a
/// slot, which keep their qualified name since they are no C name at all.
pub fn catalog_name(name: &str, role: &str) -> Placement {
    match name.split_once('.') {
        Some((parent, member)) if role == "member" => Placement::Member {
            parent: parent.to_string(),
            member: member.to_string(),
        },
        Some(_) if role == "enumerator" || role == "macro" => {
            Placement::Item(name.rsplit('.').next().unwrap_or(name).to_string())
        }
        _ => Placement::Item(name.to_string()),
    }
}

/// `name domain:role priority uri display`; names may contain spaces, so
/// the role is the first word with a colon that a priority number follows.
fn split_line(line: &str) -> Option<(&str, &str, &str, &str)> {
    let words: Vec<&str> = line.split(' ').collect();
    let role_at =
        (1..words.len().saturating_sub(2)).find(|&k| words[k].contains(':') && words[k + 1].parse::<i32>().is_ok())?;
    let offset = |k: usize| words[..k].iter().map(|w| w.len() + 1).sum::<usize>();
    let name = &line[..offset(role_at) - 1];
    let display = line.get(offset(role_at + 3)..).unwrap_or("");
    let display = if display == "-" { name } else { display };
    Some((name, words[role_at], words[role_at + 2], display))
}
