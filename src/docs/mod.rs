//! The full documentation text, offline, from the user's own Python docs.
//!
//! [`locate`] picks the HTML docs (an extracted tree, or the `.zip` /
//! `.tar.bz2` download read in place) that `--docs` or the config name, else
//! the newest [`discover`] finds in the [`usual_places`]; [`Docs`] reads an
//! item's page once,
//! [`html`] cuts the entry out of it, [`text`] turns it into blocks and
//! [`render`] lays them out for a width.

pub mod escaped;
pub mod fulltext;
pub mod html;
pub mod load;
pub mod render;
pub mod text;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::catalog::{Catalog, Item, doc_path};
use crate::io_error::io_message;
use crate::untrusted::{self, size};
use text::Block;

/// What the tarball reader keeps: pages under `c-api/` and the root files,
/// up to this much text.
const TAR_BUDGET: usize = 64 << 20;

/// What the tarball reader decompresses at most, skipped members included
/// (a 31 KB `.tar.bz2` can inflate to 20 GiB). Python's whole HTML docs are
/// under 100 MiB.
const TAR_INFLATED: u64 = 256 << 20;

/// The most entries a `.zip` download may have (Python's has about 2,000).
const ZIP_ENTRIES: u64 = 100_000;

/// The largest page read (Python's largest C API page is under 1 MiB).
const PAGE_CAP: u64 = 16 << 20;

/// A docs release's version: `3.15.2` (or `3.15` from `objects.inv`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DocsVersion(pub Vec<u32>);

impl DocsVersion {
    pub fn parse(text: &str) -> Option<DocsVersion> {
        let parts: Option<Vec<u32>> = text.split('.').map(|p| p.parse().ok()).collect();
        parts.filter(|p| (2..=3).contains(&p.len())).map(DocsVersion)
    }

    /// Major and minor.
    pub fn minor(&self) -> (u32, u32) {
        (self.0[0], self.0.get(1).copied().unwrap_or(0))
    }
}

impl std::fmt::Display for DocsVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&parts.join("."))
    }
}

/// Where the pages come from.
enum Store {
    Dir(PathBuf),
    Zip {
        archive: zip::ZipArchive<BufReader<File>>,
        /// Page path relative to the docs root → member index.
        members: HashMap<String, usize>,
    },
    /// Read once, on first use: the whole archive must be decompressed to
    /// reach any page.
    TarBz2(Option<HashMap<String, Arc<str>>>),
}

/// An opened set of HTML docs.
pub struct Docs {
    pub path: PathBuf,
    pub kind: &'static str,
    pub version: Option<DocsVersion>,
    store: Store,
    /// Pages read so far (`None`: not in these docs).
    pages: HashMap<String, Option<Arc<str>>>,
}

impl std::fmt::Debug for Docs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Docs")
            .field("path", &self.path)
            .field("kind", &self.kind)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// A way to cut an entry's tokens out of a page.
type Cut = for<'p> fn(&'p str, &str) -> Option<Vec<html::Token<'p>>>;

/// Why an item has no text to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// The item has no documentation entry at all.
    Undocumented,
    /// These docs lack the page or the entry.
    NotInDocs(String),
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Missing::Undocumented => f.write_str("The C API reference has no entry for it."),
            Missing::NotInDocs(why) => f.write_str(why),
        }
    }
}

impl Docs {
    /// Opens a docs tree, or a `.zip` / `.tar.bz2` docs download.
    pub fn open(path: &Path) -> Result<Docs, String> {
        let shown = path.display();
        let metadata = std::fs::metadata(path).map_err(|e| format!("{shown}: {}", io_message(&e)))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let mut docs = if metadata.is_dir() {
            let root = doc_root(path)
                .ok_or_else(|| format!("{shown}: no c-api/ directory here; expected Python's HTML documentation"))?;
            Docs::new(root.clone(), "directory", Store::Dir(root))
        } else if ends_with_ignore_case(&name, ".zip") {
            let mut file = untrusted::open(path, false)
                .map_err(|e| format!("{shown}: {e}"))?
                .into_file();
            let entries = untrusted::zip_entries(&mut file)
                .map_err(|e| format!("{shown}: not a zip archive: {}", io_message(&e)))?;
            if entries > ZIP_ENTRIES {
                return Err(format!(
                    "{shown}: {entries} entries, more than the {ZIP_ENTRIES} abiscope reads; not a docs download"
                ));
            }
            let archive =
                zip::ZipArchive::new(BufReader::new(file)).map_err(|e| format!("{shown}: not a zip archive: {e}"))?;
            // Names in index order (the archive keeps its entries in order).
            let names: Vec<String> = archive
                .file_names()
                .map(|n| n.map(std::borrow::Cow::into_owned).unwrap_or_default())
                .collect();
            let prefix = archive_prefix(names.iter().map(String::as_str))
                .ok_or_else(|| format!("{shown}: no c-api/ pages in this archive"))?;
            let members = names
                .iter()
                .enumerate()
                .filter_map(|(index, name)| Some((name.strip_prefix(&prefix)?.to_string(), index)))
                .collect();
            Docs::new(path.to_path_buf(), "zip", Store::Zip { archive, members })
        } else if ends_with_ignore_case(&name, ".tar.bz2") || ends_with_ignore_case(&name, ".tbz2") {
            Docs::new(path.to_path_buf(), "tar.bz2", Store::TarBz2(None))
        } else {
            return Err(format!(
                "{shown}: not Python's HTML documentation (a directory with c-api/, or the .zip or .tar.bz2 download)"
            ));
        };
        docs.version = version_in_name(&name);
        if docs.version.is_none() {
            docs.version = docs.read_version()?;
        }
        Ok(docs)
    }

    fn new(path: PathBuf, kind: &'static str, store: Store) -> Docs {
        Docs {
            path,
            kind,
            version: None,
            store,
            pages: HashMap::new(),
        }
    }

    /// The version from a page title, else from `objects.inv`.
    fn read_version(&mut self) -> Result<Option<DocsVersion>, String> {
        for page in ["c-api/index.html", "index.html", "c-api/intro.html"] {
            if let Some(v) = self
                .page(page)?
                .and_then(|p| html::title(&p))
                .and_then(|t| version_in_title(&t))
            {
                return Ok(Some(v));
            }
        }
        Ok(self.page("objects.inv")?.and_then(|inv| {
            inv.lines()
                .take(4)
                .find_map(|l| l.strip_prefix("# Version: "))
                .and_then(|v| DocsVersion::parse(v.trim()))
        }))
    }

    /// Reads what the first entry would otherwise wait for: a tarball's
    /// pages.
    pub fn preload(&mut self) -> Result<(), String> {
        if let Store::TarBz2(pages @ None) = &mut self.store {
            *pages = Some(read_tar_bz2(&self.path)?);
        }
        Ok(())
    }

    /// "Python 3.15.2 docs, /usr/share/doc/python3.15/html".
    pub fn describe(&self) -> String {
        format!("{}, {}", self.label(), self.path.display())
    }

    /// "Python 3.15.2 docs".
    fn label(&self) -> String {
        match &self.version {
            Some(v) => format!("Python {v} docs"),
            None => "Python docs".to_string(),
        }
    }

    /// A page by its path under the docs root (`c-api/buffer.html`).
    fn page(&mut self, rel: &str) -> Result<Option<Arc<str>>, String> {
        if let Some(page) = self.pages.get(rel) {
            return Ok(page.clone());
        }
        let failed = |e: &dyn std::fmt::Display| format!("{}: {rel}: {e}", self.path.display());
        let text = |bytes: Vec<u8>| Arc::from(String::from_utf8_lossy(&bytes).as_ref());
        let page: Option<Arc<str>> = match &mut self.store {
            // A page that is a FIFO, a device or huge is an error, not a hang.
            Store::Dir(root) => match untrusted::read(&root.join(rel), PAGE_CAP) {
                Ok(bytes) => Some(text(bytes)),
                Err(e) if e.is_not_found() => None,
                Err(e) => return Err(failed(&e)),
            },
            Store::Zip { archive, members } => match members.get(rel) {
                Some(&index) => {
                    let member = archive.by_index(index).map_err(|e| failed(&e))?;
                    Some(text(untrusted::read_capped(member, PAGE_CAP).map_err(|e| failed(&e))?))
                }
                None => None,
            },
            Store::TarBz2(pages) => {
                if pages.is_none() {
                    *pages = Some(read_tar_bz2(&self.path)?);
                }
                pages.as_ref().and_then(|p| p.get(rel).cloned())
            }
        };
        self.pages.insert(rel.to_string(), page.clone());
        Ok(page)
    }

    /// The documentation entry of `item`, as blocks.
    pub fn entry(&mut self, catalog: &Catalog, item: &Item) -> Result<Result<Vec<Block>, Missing>, String> {
        // Older releases' pages keep their paths, so local docs of that
        // release (or any with the page) still have the entry.
        let Some(url) = item.doc_url().and_then(doc_path).map(|(_, rel)| rel) else {
            return Ok(Err(Missing::Undocumented));
        };
        let (rel, anchor) = url.split_once('#').unwrap_or((url, ""));
        let which = self.label();
        let Some(page) = self.page(rel)? else {
            return Ok(Err(Missing::NotInDocs(format!("The {which} have no page {rel}."))));
        };
        // Older docs anchor some entries by the plain name (`METH_VARARGS`,
        // the `Py_TPFLAGS_*` flags) rather than `c.NAME`.
        let plain = anchor.strip_prefix("c.").filter(|p| !p.is_empty());
        let found = [Some(anchor), plain]
            .into_iter()
            .flatten()
            .filter(|a| !a.is_empty())
            .find_map(|a| html::entry(&page, a).map(|tokens| (a, tokens)));
        let Some((anchor, tokens)) = found else {
            return Ok(Err(Missing::NotInDocs(self.no_entry(catalog, item))));
        };
        let known = |name: &str| catalog.get(name).is_some();
        let mut blocks = text::blocks(&tokens, &known);
        // An empty entry is explained around it: in its table row, in the
        // paragraph its anchor sits in, or in the paragraphs after it.
        let fallbacks: [Cut; 3] = [html::row_rest, html::around, html::after];
        for fallback in fallbacks {
            if !blocks.is_empty() {
                break;
            }
            if let Some(tokens) = fallback(&page, anchor) {
                blocks = text::blocks(&tokens, &known);
            }
        }
        Ok(Ok(blocks))
    }

    /// A `file://` URL for an online docs URL's page in these docs, when
    /// they are a directory holding that page.
    pub fn local_page(&self, url: &str) -> Option<String> {
        let (_, rel) = doc_path(url)?;
        let (page, anchor) = rel.split_once('#').map_or((rel, None), |(p, a)| (p, Some(a)));
        let Store::Dir(root) = &self.store else { return None };
        let path = root.join(page);
        if !path.is_file() {
            return None;
        }
        let path = path.canonicalize().unwrap_or(path);
        // Percent-encoded, so that a space or `#` in the path stays path.
        let mut encoded = String::new();
        for byte in path.to_string_lossy().bytes() {
            if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
                encoded.push(char::from(byte));
            } else {
                let _ = write!(encoded, "%{byte:02X}");
            }
        }
        Some(format!(
            "file://{encoded}{}",
            anchor.map(|a| format!("#{a}")).unwrap_or_default()
        ))
    }

    /// Why these docs have no entry for an item. They "predate" it only
    /// when the item was added after their version; otherwise the entry is
    /// missing, or lives elsewhere, in these docs.
    fn no_entry(&self, catalog: &Catalog, item: &Item) -> String {
        let which = self.label();
        let docs = self.version.as_ref().map(DocsVersion::minor);
        let added = item.added_in.map(|v| (u32::from(v.major), u32::from(v.minor)));
        match (docs, added) {
            (Some(docs), Some(added)) if added > docs => format!(
                "The {which} predate {} (added in {}.{}): the catalog describes Python {}.",
                item.name(),
                added.0,
                added.1,
                catalog.source().python
            ),
            _ => format!("The {which} have no entry for {}.", item.name()),
        }
    }

    /// Whether these docs are for an older Python than the catalog.
    pub fn older_than(&self, catalog: &Catalog) -> bool {
        let ours = DocsVersion::parse(catalog.source().python);
        match (&self.version, ours) {
            (Some(v), Some(ours)) => v.minor() < ours.minor(),
            _ => false,
        }
    }
}

/// The directory holding `c-api/`: `path` itself or its `html/` child.
fn doc_root(path: &Path) -> Option<PathBuf> {
    [path.to_path_buf(), path.join("html")]
        .into_iter()
        .find(|p| p.join("c-api").is_dir())
}

/// The prefix before `c-api/` in an archive's member names.
fn archive_prefix<'a>(names: impl Iterator<Item = &'a str>) -> Option<String> {
    names.filter(|n| ends_with_ignore_case(n, ".html")).find_map(|n| {
        let at = if n.starts_with("c-api/") {
            Some(0)
        } else {
            n.find("/c-api/").map(|i| i + 1)
        }?;
        Some(n[..at].to_string())
    })
}

/// `python-3.15.2-docs-html.zip` → 3.15.2.
fn version_in_name(name: &str) -> Option<DocsVersion> {
    name.split(['-', '_'])
        .find_map(|part| DocsVersion::parse(part).filter(|v| v.0[0] == 3))
}

/// `Buffer Protocol — Python 3.15.2 documentation` → 3.15.2.
fn version_in_title(title: &str) -> Option<DocsVersion> {
    let after = &title[title.find("Python ")? + "Python ".len()..];
    let word = after.split_whitespace().next()?;
    // `3.12.0a1` → 3.12.0.
    let numeric = word.split(|c: char| !(c.is_ascii_digit() || c == '.')).next()?;
    DocsVersion::parse(numeric.trim_end_matches('.'))
}

/// The `c-api/` pages and root files of a `.tar.bz2` download, reading
/// at most [`TAR_INFLATED`] decompressed bytes.
fn read_tar_bz2(path: &Path) -> Result<HashMap<String, Arc<str>>, String> {
    let shown = path.display();
    let file = untrusted::open(path, false)
        .map_err(|e| format!("{shown}: {e}"))?
        .into_file();
    let inflated = Counted {
        inner: bzip2::read::MultiBzDecoder::new(BufReader::new(file)),
        left: TAR_INFLATED,
        exceeded: false,
    };
    let mut archive = tar::Archive::new(inflated);
    let read = tar_pages(&mut archive);
    if archive.into_inner().exceeded {
        return Err(format!(
            "{shown}: decompresses to more than {}; not a docs download",
            size(TAR_INFLATED)
        ));
    }
    let files = read.map_err(|e| format!("{shown}: {e}"))?;
    let prefix = archive_prefix(files.iter().map(|(n, _)| n.as_str()))
        .ok_or_else(|| format!("{shown}: no c-api/ pages in this archive"))?;
    Ok(files
        .into_iter()
        .filter_map(|(name, text)| Some((name.strip_prefix(&prefix)?.to_string(), Arc::from(text.as_str()))))
        .collect())
}

/// The wanted members of a tarball, by name.
fn tar_pages(archive: &mut tar::Archive<impl Read>) -> Result<Vec<(String, String)>, String> {
    let damaged = |e: std::io::Error| format!("damaged archive: {}", io_message(&e));
    let entries = archive
        .entries()
        .map_err(|e| format!("not a tar.bz2 archive: {}", io_message(&e)))?;
    let mut files: Vec<(String, String)> = Vec::new();
    let mut used = 0;
    for entry in entries {
        let mut entry = entry.map_err(damaged)?;
        let name = entry.path().map_err(damaged)?.to_string_lossy().into_owned();
        let wanted = ends_with_ignore_case(&name, ".html") && name.contains("c-api/")
            || ends_with_ignore_case(&name, "/index.html")
            || ends_with_ignore_case(&name, "objects.inv");
        if !wanted || !entry.header().entry_type().is_file() {
            continue;
        }
        let mut bytes = Vec::new();
        entry
            .by_ref()
            .take((TAR_BUDGET - used) as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(damaged)?;
        used += bytes.len();
        if used > TAR_BUDGET {
            return Err(format!(
                "more than {} of pages; not a docs download",
                size(TAR_BUDGET as u64)
            ));
        }
        files.push((name, String::from_utf8_lossy(&bytes).into_owned()));
    }
    Ok(files)
}

/// A reader that fails when there is more than `left` bytes to give.
struct Counted<R> {
    inner: R,
    left: u64,
    exceeded: bool,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            let more = self.inner.read(&mut [0])?;
            self.exceeded = more > 0;
            return if self.exceeded {
                Err(std::io::Error::other("the decompression limit"))
            } else {
                Ok(0)
            };
        }
        let room = usize::try_from(self.left).unwrap_or(usize::MAX).min(buf.len());
        let n = self.inner.read(&mut buf[..room])?;
        self.left -= n as u64;
        Ok(n)
    }
}

fn ends_with_ignore_case(name: &str, suffix: &str) -> bool {
    name.len()
        .checked_sub(suffix.len())
        .and_then(|at| name.get(at..))
        .is_some_and(|end| end.eq_ignore_ascii_case(suffix))
}

/// Docs found on this machine, with their versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    pub kind: &'static str,
    pub version: Option<DocsVersion>,
}

/// The places Python's HTML docs are installed: Debian and Ubuntu's
/// `python3-doc` / `python3.X-doc` and Fedora's `python3-docs` under
/// `/usr/share/doc`, the python.org macOS framework, and on Windows the
/// installs under `%LOCALAPPDATA%`, `%ProgramFiles%` and the system drive.
pub fn usual_places() -> Vec<PathBuf> {
    let mut places = Vec::new();
    let mut children = |dir: PathBuf, keep: &dyn Fn(&str) -> bool, then: &[&str]| {
        let Ok(entries) = std::fs::read_dir(&dir) else { return };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| keep(n))
            .collect();
        names.sort();
        for name in names {
            places.push(then.iter().fold(dir.join(name), |p, part| p.join(part)));
        }
    };
    let python3 = |n: &str| n.to_ascii_lowercase().starts_with("python3");
    for share in ["/usr/share/doc", "/usr/local/share/doc"] {
        children(PathBuf::from(share), &python3, &["html"]);
    }
    children(
        PathBuf::from("/Library/Frameworks/Python.framework/Versions"),
        &|n: &str| n.starts_with('3'),
        &["Resources", "English.lproj", "Documentation"],
    );
    // Windows places only on Windows: elsewhere these variables are
    // anyone's to set and must not choose the docs.
    #[cfg(windows)]
    {
        let windows_roots = [
            std::env::var_os("LOCALAPPDATA").map(|d| PathBuf::from(d).join("Programs").join("Python")),
            std::env::var_os("ProgramFiles").map(PathBuf::from),
            std::env::var_os("SystemDrive").map(|d| PathBuf::from(format!("{}\\", d.to_string_lossy()))),
        ];
        for root in windows_roots.into_iter().flatten() {
            children(root, &python3, &["Doc", "html"]);
        }
    }
    places
}

/// The docs among `places`, newest first (unversioned last), each once.
pub fn discover(places: &[PathBuf]) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    let mut seen = Vec::new();
    for place in places {
        let Ok(real) = place.canonicalize() else { continue };
        if seen.contains(&real) {
            continue;
        }
        seen.push(real);
        if let Ok(docs) = Docs::open(place) {
            found.push(Found {
                path: docs.path.clone(),
                kind: docs.kind,
                version: docs.version.clone(),
            });
        }
    }
    found.sort_by(|a, b| b.version.cmp(&a.version));
    found
}

/// The docs to use: `given` (from `--docs` or the config) when set, else
/// the newest found in `places`. `Ok(None)`: none anywhere.
pub fn locate(given: Option<&Path>, places: &[PathBuf]) -> Result<Option<Docs>, String> {
    if let Some(path) = given {
        return Docs::open(path).map(Some);
    }
    Ok(discover(places).first().and_then(|f| Docs::open(&f.path).ok()))
}

/// What to say when no docs are found.
pub const HOW_TO_GET: &str =
    "Full text offline: apt install python3-doc, or --docs PATH to the docs.python.org HTML download.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_from_names_and_titles() {
        assert_eq!(
            version_in_name("python-3.15.2-docs-html.zip"),
            DocsVersion::parse("3.15.2")
        );
        assert_eq!(
            version_in_name("python-3.12-docs-html.tar.bz2"),
            DocsVersion::parse("3.12")
        );
        assert_eq!(version_in_name("docs.zip"), None);
        assert_eq!(
            version_in_title("The None Object — Python 3.15.2 documentation"),
            DocsVersion::parse("3.15.2")
        );
        assert_eq!(
            version_in_title("Python/C API Reference Manual — Python 3.12.0a1 documentation"),
            DocsVersion::parse("3.12.0")
        );
        assert!(DocsVersion::parse("3.15.2") > DocsVersion::parse("3.9.18"));
    }

    #[test]
    fn archive_prefixes() {
        let names = ["python-3.15.2-docs-html/", "python-3.15.2-docs-html/c-api/buffer.html"];
        assert_eq!(
            archive_prefix(names.into_iter()).as_deref(),
            Some("python-3.15.2-docs-html/")
        );
        assert_eq!(archive_prefix(["c-api/a.html"].into_iter()).as_deref(), Some(""));
        assert_eq!(archive_prefix(["a/b.html"].into_iter()), None);
    }
}
