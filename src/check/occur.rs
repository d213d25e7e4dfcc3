//! Occurrences of names in a source, aggregated as they are found: per
//! name and circumstance (builds, form, macro body, what left it
//! undecided) the first [`SITES_KEPT`] places and a count. Memory grows
//! with the distinct names, not with the size of the file: a million uses
//! of `Py_None` are one entry.

use std::collections::HashMap;

use super::build::Builds;

/// Places kept per name and circumstance; the rest are counted.
pub const SITES_KEPT: usize = 100;

/// A line and column (in characters, from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Site {
    pub line: u32,
    pub column: u32,
}

/// One name in one circumstance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence<'a> {
    pub name: &'a str,
    /// The builds that compile it.
    pub builds: Builds,
    /// Followed by `*`: a pointer to the named type.
    pub pointer: bool,
    /// The macro whose body holds it: it counts only where that macro is
    /// expanded.
    pub in_macro: Option<&'a str>,
    /// What left it compiled in some builds only maybe: an index into the
    /// scan's lists of undecided names.
    pub reason: Option<u32>,
    /// The file declares it itself (a prototype): the headers need not,
    /// but its symbol must exist.
    pub declared_here: bool,
    /// The first places, in order.
    pub sites: Vec<Site>,
    /// Every place.
    pub count: usize,
}

type Key<'a> = (&'a str, Builds, bool, Option<&'a str>, Option<u32>, bool);

/// The occurrences of one source, aggregated.
#[derive(Debug, Default)]
pub struct Occurrences<'a> {
    list: Vec<Occurrence<'a>>,
    index: HashMap<Key<'a>, usize>,
}

impl<'a> Occurrences<'a> {
    pub fn add(&mut self, o: Occurrence<'a>) {
        let key = (o.name, o.builds, o.pointer, o.in_macro, o.reason, o.declared_here);
        if let Some(&i) = self.index.get(&key) {
            let kept = &mut self.list[i];
            kept.count += o.count;
            let room = SITES_KEPT.saturating_sub(kept.sites.len());
            kept.sites.extend(o.sites.into_iter().take(room));
        } else {
            self.index.insert(key, self.list.len());
            self.list.push(o);
        }
    }

    /// One place.
    pub fn at(
        &mut self,
        name: &'a str,
        site: Site,
        builds: Builds,
        pointer: bool,
        in_macro: Option<&'a str>,
        reason: Option<u32>,
    ) {
        let key = (name, builds, pointer, in_macro, reason, false);
        if let Some(&i) = self.index.get(&key) {
            let kept = &mut self.list[i];
            kept.count += 1;
            if kept.sites.len() < SITES_KEPT {
                kept.sites.push(site);
            }
            return;
        }
        self.add(Occurrence {
            name,
            builds,
            pointer,
            in_macro,
            reason,
            declared_here: false,
            sites: vec![site],
            count: 1,
        });
    }

    /// Removes, from each occurrence, the builds where `owned` says the
    /// name is the file's own, and splits off those where `prototyped`
    /// says the file declares it itself; what remains is regrouped.
    #[must_use]
    pub fn settle(self, owned: impl Fn(&str) -> Builds, prototyped: impl Fn(&str) -> Builds) -> Occurrences<'a> {
        let mut out = Occurrences::default();
        for mut o in self.list {
            o.builds = o.builds.minus(owned(o.name));
            let declared = o.builds.and(prototyped(o.name));
            if o.in_macro.is_none() && !declared.is_empty() {
                out.add(Occurrence {
                    builds: declared,
                    declared_here: true,
                    ..o.clone()
                });
                o.builds = o.builds.minus(declared);
            }
            if !o.builds.is_empty() {
                out.add(o);
            }
        }
        out
    }

    pub fn into_vec(self) -> Vec<Occurrence<'a>> {
        self.list
    }

    pub fn iter(&self) -> impl Iterator<Item = &Occurrence<'a>> {
        self.list.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_kept_up_to_the_limit_and_counted_beyond() {
        let mut o = Occurrences::default();
        for line in 1..=1000 {
            o.at("Py_None", Site { line, column: 1 }, Builds::ALL, false, None, None);
        }
        o.at(
            "Py_None",
            Site { line: 1, column: 5 },
            Builds::family(crate::check::build::Family::Abi3t),
            false,
            None,
            None,
        );
        let all = o.into_vec();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].count, 1000);
        assert_eq!(all[0].sites.len(), SITES_KEPT);
        assert_eq!(all[0].sites[1], Site { line: 2, column: 1 });
    }
}
