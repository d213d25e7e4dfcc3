//! Opening and reading files abiscope did not write: sources, modules and
//! wheels for `check`, the configuration, docs archives and pages.
//!
//! A path can name a FIFO (opening it for reading blocks until a writer
//! comes), a device (`/dev/zero` never ends) or a file of any size. So a
//! file is opened without blocking (`O_NONBLOCK`), its type is taken from
//! the open handle (a path swapped between a check and the open cannot
//! fool it), and only a regular file is read, unless the caller accepts
//! streams: the paths a user names on the command line, where
//! `check <(cat mod.so)` and `/dev/stdin` are pipes meant to be read. A
//! stream is switched back to blocking reads and read to its end; a FIFO
//! with no writer ends at once. Everything is read up to a cap: a regular
//! file's size is checked before reading, and the bytes read are counted
//! too (a file may grow).

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use crate::io_error::io_message;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}", io_message(.0))]
    Io(#[from] io::Error),
    /// `"a named pipe"`, `"a character device"`...
    #[error("{0}, not a regular file")]
    Special(&'static str),
    #[error("{}, larger than the {} abiscope reads", self::size(*.len), self::size(*.cap))]
    TooLarge { len: u64, cap: u64 },
    /// A stream (or a growing file) went past the cap.
    #[error("larger than the {} abiscope reads", size(*.0))]
    Overflow(u64),
}

impl ReadError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.kind() == io::ErrorKind::NotFound)
    }
}

/// A file opened for reading.
#[derive(Debug)]
pub struct Opened {
    file: File,
    /// Its size when it is a regular file; `None` for a stream.
    len: Option<u64>,
}

impl Opened {
    /// Whether it is a pipe or a device rather than a regular file.
    pub fn is_stream(&self) -> bool {
        self.len.is_none()
    }

    /// The size of a regular file.
    pub fn size(&self) -> Option<u64> {
        self.len
    }

    /// The file itself (a regular file can be seeked).
    pub fn into_file(self) -> File {
        self.file
    }

    /// Reads it whole: a regular file larger than `cap` is refused before
    /// reading, a stream once it passes `cap`.
    pub fn read_capped(self, cap: u64) -> Result<Vec<u8>, ReadError> {
        if let Some(len) = self.len.filter(|len| *len > cap) {
            return Err(ReadError::TooLarge { len, cap });
        }
        read_capped(self.file, cap)
    }
}

impl Read for Opened {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.file.read(buf)
    }
}

/// Opens `path` (following symbolic links) without ever blocking: a
/// regular file always; a pipe, device or socket only with `streams`.
pub fn open(path: &Path, streams: bool) -> Result<Opened, ReadError> {
    let file = open_nonblocking(path)?;
    let file_type = file.metadata()?.file_type();
    if file_type.is_file() {
        let len = file.metadata()?.len();
        return Ok(Opened { file, len: Some(len) });
    }
    let what = special_kind(file_type);
    if !streams || what == "a directory" {
        return Err(ReadError::Special(what));
    }
    set_blocking(&file)?;
    Ok(Opened { file, len: None })
}

/// Reads a regular file whole, at most `cap` bytes.
pub fn read(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    open(path, false)?.read_capped(cap)
}

/// Reads at most `cap` bytes; more is an error.
pub fn read_capped(reader: impl Read, cap: u64) -> Result<Vec<u8>, ReadError> {
    let mut data = Vec::new();
    reader.take(cap.saturating_add(1)).read_to_end(&mut data)?;
    if data.len() as u64 > cap {
        return Err(ReadError::Overflow(cap));
    }
    Ok(data)
}

/// What a file that is not a regular file is, for a message.
fn special_kind(file_type: std::fs::FileType) -> &'static str {
    if file_type.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    use rustix::fs::{Mode, OFlags};
    // NOCTTY: a terminal named as a file must not become ours.
    let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    Ok(File::from(rustix::fs::open(path, flags, Mode::empty())?))
}

#[cfg(unix)]
fn set_blocking(file: &File) -> io::Result<()> {
    let flags = rustix::fs::fcntl_getfl(file)?;
    rustix::fs::fcntl_setfl(file, flags - rustix::fs::OFlags::NONBLOCK)?;
    Ok(())
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

#[cfg(not(unix))]
fn set_blocking(_: &File) -> io::Result<()> {
    Ok(())
}

/// The entries a zip archive declares: the most that any end of central
/// directory record in its last 64 KiB says (zip64 ones included), read
/// before the archive is parsed, since parsing allocates per entry. Every
/// candidate counts, so that a fake record in a comment cannot hide the
/// real one. The reader is left at the start.
pub fn zip_entries(reader: &mut (impl Read + io::Seek)) -> std::io::Result<u64> {
    use std::io::SeekFrom;
    const EOCD: &[u8] = b"PK\x05\x06";
    let len = reader.seek(SeekFrom::End(0))?;
    let tail_len = len.min(22 + 0xFFFF);
    reader.seek(SeekFrom::Start(len - tail_len))?;
    let mut tail = vec![0; usize::try_from(tail_len).unwrap_or(0)];
    reader.read_exact(&mut tail)?;
    let u16_at = |b: &[u8], at: usize| {
        b.get(at..at + 2)
            .map_or(0, |v| u64::from(u16::from_le_bytes([v[0], v[1]])))
    };
    let u64_at = |b: &[u8], at: usize| {
        b.get(at..at + 8)
            .and_then(|v| v.try_into().ok())
            .map_or(0, u64::from_le_bytes)
    };
    let mut most = 0;
    for at in (0..tail.len().saturating_sub(3)).filter(|&at| tail[at..].starts_with(EOCD)) {
        let entries = u16_at(&tail, at + 10).max(u16_at(&tail, at + 8));
        most = most.max(entries);
        // Zip64: a locator just before points at the zip64 record.
        let locator = at.checked_sub(20).map(|l| &tail[l..at]);
        if let Some(locator) = locator.filter(|l| l.starts_with(b"PK\x06\x07")) {
            let mut record = [0_u8; 56];
            reader.seek(SeekFrom::Start(u64_at(locator, 8)))?;
            if reader.read_exact(&mut record).is_ok() && record.starts_with(b"PK\x06\x06") {
                most = most.max(u64_at(&record, 32)).max(u64_at(&record, 24));
            }
        }
    }
    reader.seek(SeekFrom::Start(0))?;
    Ok(most)
}

/// `256 MiB`, `12 KiB`.
pub fn size(bytes: u64) -> String {
    const MIB: u64 = 1 << 20;
    if bytes >= MIB {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{} KiB", bytes.div_ceil(1024))
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_under_a_cap() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.c");
        std::fs::write(&path, [b'x'; 3000]).expect("written");
        assert_eq!(read(&path, 3000).expect("read").len(), 3000);
        let err = read(&path, 1024).expect_err("too large");
        assert_eq!(err.to_string(), "3 KiB, larger than the 1 KiB abiscope reads");
        assert!(
            read(&dir.path().join("missing"), 4)
                .expect_err("missing")
                .is_not_found()
        );
        let err = read(dir.path(), 4).expect_err("a directory");
        assert_eq!(err.to_string(), "a directory, not a regular file");
    }

    #[test]
    fn zip_entries_are_read_from_every_end_record() {
        let zip = |comment: &[u8]| {
            let mut w = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
            for n in 0..3 {
                w.start_file(format!("f{n}"), zip::write::SimpleFileOptions::default())
                    .expect("an entry");
            }
            w.set_raw_comment(comment.to_vec().into_boxed_slice())
                .expect("a comment");
            w.finish().expect("a zip")
        };
        assert_eq!(zip_entries(&mut zip(b"")).expect("read"), 3);
        // A record in the comment claiming more counts too.
        let fake = [b"PK\x05\x06".as_slice(), &[0, 0, 0, 0, 0x0f, 0x27, 0x0f, 0x27]].concat();
        let mut hidden = zip(&fake);
        assert_eq!(zip_entries(&mut hidden).expect("read"), 9999);
        assert_eq!(hidden.position(), 0);
    }

    #[test]
    fn devices_are_refused_or_read_as_capped_streams() {
        let err = read(Path::new("/dev/zero"), 1 << 20).expect_err("a device");
        assert_eq!(err.to_string(), "a character device, not a regular file");
        let stream = open(Path::new("/dev/zero"), true).expect("a stream");
        assert!(stream.is_stream());
        let err = stream.read_capped(4096).expect_err("endless");
        assert_eq!(err.to_string(), "larger than the 4 KiB abiscope reads");
    }
}
