//! Finding and reading the docs beside the explorer, so that its first
//! frame never waits for them.
//!
//! Finding the docs opens every candidate, and a `.tar.bz2` download must
//! be decompressed whole before any page can be shown (up to the reader's
//! limit: seconds for a hostile archive). The explorer starts a
//! [`Loader`], draws at once ("Reading docs…") and polls it between
//! frames; this is the one thread abiscope starts.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, TryRecvError};

use super::{Docs, locate, usual_places};

/// What the loader found: `Ok(None)` when there are no docs anywhere.
pub type Loaded = Result<Option<Docs>, String>;

/// The docs being found and read on their own thread.
#[derive(Debug)]
pub struct Loader {
    result: mpsc::Receiver<Loaded>,
}

impl Loader {
    /// Starts finding the docs: `given` (from `--docs` or the config), else
    /// the newest in the usual places; a tarball's pages are read too.
    pub fn start(given: Option<PathBuf>) -> Loader {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(load(given.as_deref()));
        });
        Loader { result: rx }
    }

    /// The result once it is ready (given once).
    pub fn poll(&self) -> Option<Loaded> {
        match self.result.try_recv() {
            Ok(loaded) => Some(loaded),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err("the docs reader stopped".to_string())),
        }
    }
}

fn load(given: Option<&Path>) -> Loaded {
    let mut docs = locate(given, &usual_places())?;
    if let Some(docs) = &mut docs {
        docs.preload()?;
    }
    Ok(docs)
}
