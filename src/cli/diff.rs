//! `abiscope diff FROM TO`: the changes between two versions, grouped by
//! kind with counts, as text or JSON.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::args::DiffArgs;
use super::{Outcome, json_line};
use crate::catalog::Catalog;
use crate::changes::{self, ByKind};

#[derive(Serialize)]
struct JsonDiff {
    from: String,
    to: String,
    added_limited: BTreeMap<&'static str, Vec<&'static str>>,
    added_abi_only: BTreeMap<&'static str, Vec<&'static str>>,
    became_abi_only: BTreeMap<&'static str, Vec<&'static str>>,
    deprecated: BTreeMap<&'static str, Vec<&'static str>>,
    removed: BTreeMap<&'static str, Vec<&'static str>>,
    counts: BTreeMap<&'static str, usize>,
}

fn names(group: &ByKind) -> BTreeMap<&'static str, Vec<&'static str>> {
    group
        .iter()
        .map(|(k, items)| (k.as_str(), items.iter().map(|i| i.name()).collect()))
        .collect()
}

pub fn run(catalog: &Catalog, args: &DiffArgs, out: &mut impl Write) -> io::Result<Outcome> {
    if args.from >= args.to {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "diff needs an older version first: {} is not before {}",
                args.from, args.to
            ),
        ));
    }
    let c = changes::between(catalog, args.from, args.to);
    let groups: [(&'static str, &str, &ByKind); 5] = [
        ("added_limited", "Entered the Limited API", &c.added_limited),
        (
            "added_abi_only",
            "Entered the Stable ABI only (not the Limited API)",
            &c.added_abi_only,
        ),
        (
            "became_abi_only",
            "Left the API, stay in the Stable ABI (ABI-only)",
            &c.became_abi_only,
        ),
        ("deprecated", "Deprecated", &c.deprecated),
        ("removed", "Removed (outside the Stable ABI)", &c.removed),
    ];
    let total: usize = groups.iter().map(|(_, _, g)| changes::count(g)).sum();
    if args.json {
        let json = JsonDiff {
            from: args.from.to_string(),
            to: args.to.to_string(),
            added_limited: names(&c.added_limited),
            added_abi_only: names(&c.added_abi_only),
            became_abi_only: names(&c.became_abi_only),
            deprecated: names(&c.deprecated),
            removed: names(&c.removed),
            counts: groups.iter().map(|(key, _, g)| (*key, changes::count(g))).collect(),
        };
        json_line(out, &json)?;
    } else {
        writeln!(out, "Changes after {} up to {}:", args.from, args.to)?;
        for (_, title, group) in groups {
            writeln!(out, "\n{title}: {}", changes::count(group))?;
            for (kind, items) in group {
                let list: Vec<&str> = items.iter().map(|i| i.name()).collect();
                writeln!(out, "  {} ({}): {}", kind.as_str(), items.len(), list.join(", "))?;
            }
        }
    }
    Ok(Outcome::of(total > 0))
}
