//! The explorer against fzf in a real pseudo-terminal, side by side in one
//! run (`cargo build --release && cargo bench --bench pty`; needs fzf).
//!
//! Each program runs in a pty of each size (120x40 and 200x60) with the
//! same names. A terminal emulator (vt100) rebuilds the screen from the
//! bytes each program writes, so a frame counts as drawn only when its
//! text is on the screen:
//!
//! - launch: from spawning to the first complete frame, the one that shows
//!   the full count (`2,584 / 2,584` for abiscope, `2584/2584` for fzf);
//! - keystroke: from writing a key while typing `pybuf` to the screen
//!   showing the new query and its match count. Keys go at a typing pace,
//!   one every 100 ms (the next key is written 100 ms after the previous
//!   one, once its frame is on the screen), not back to back: a program
//!   idle between keys is what a user meets.
//!
//! Both programs start through `sh -c 'exec ...'` so they pay the same
//! shell cost; abiscope keeps its history in a temporary state directory.
//! Medians over the runs are printed with their ratio, per size.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use abiscope::catalog::{Catalog, Item};
use abiscope::search::{Query, Searcher};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const RUNS: usize = 40;
/// The terminal sizes measured, columns by rows.
const SIZES: [(u16, u16); 2] = [(120, 40), (200, 60)];
const QUERY: &str = "pybuf";
/// The typing pace: one key per this interval.
const PACE: Duration = Duration::from_millis(100);
const TIMEOUT: Duration = Duration::from_secs(10);

struct Program {
    label: &'static str,
    command: String,
    /// The text on the screen once the first frame is complete.
    ready: String,
    /// For each prefix of QUERY, the texts that prove its frame is drawn.
    typed: Vec<[String; 2]>,
}

struct Session {
    writer: Box<dyn Write + Send>,
    chunks: mpsc::Receiver<(Instant, Vec<u8>)>,
    parser: vt100::Parser,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Session {
    fn spawn(command: &str, (cols, rows): (u16, u16), state: &Path) -> (Session, Instant) {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pty");
        let mut cmd = CommandBuilder::new("sh");
        cmd.args(["-c", command]);
        cmd.env("TERM", "xterm-256color");
        cmd.env("XDG_STATE_HOME", state);
        cmd.env_remove("NO_COLOR");
        let start = Instant::now();
        let child = pty.slave.spawn_command(cmd).expect("spawn in the pty");
        let mut reader = pty.master.try_clone_reader().expect("a reader");
        let writer = pty.master.take_writer().expect("a writer");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 1 << 16];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send((Instant::now(), buf[..n].to_vec())).is_err() {
                    break;
                }
            }
        });
        // Keep the master alive as long as the session.
        std::mem::forget(pty.master);
        (
            Session {
                writer,
                chunks: rx,
                parser: vt100::Parser::new(
                    std::num::NonZero::new(rows).expect("rows"),
                    std::num::NonZero::new(cols).expect("columns"),
                    0,
                ),
                child,
            },
            start,
        )
    }

    /// Feeds output until every text is on screen; returns when the last
    /// needed chunk arrived.
    fn wait_for(&mut self, texts: &[&str]) -> Instant {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let screen = self.parser.screen().contents();
            if texts.iter().all(|t| screen.contains(t)) {
                return Instant::now();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok((at, bytes)) = self.chunks.recv_timeout(left) else {
                panic!("timed out waiting for {texts:?}; the screen:\n{screen}");
            };
            self.parser.process(&bytes);
            // Drain what else is already there, so `at` is the last chunk's time.
            let mut last = at;
            while let Ok((at, bytes)) = self.chunks.try_recv() {
                self.parser.process(&bytes);
                last = at;
            }
            let screen = self.parser.screen().contents();
            if texts.iter().all(|t| screen.contains(t)) {
                return last;
            }
        }
    }

    fn send(&mut self, bytes: &[u8]) -> Instant {
        let at = Instant::now();
        self.writer.write_all(bytes).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
        at
    }

    fn quit(mut self) {
        let _ = self.send(b"\x03");
        let deadline = Instant::now() + TIMEOUT;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = self.child.kill();
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn measure(p: &Program, size: (u16, u16), state: &Path) -> (Duration, Duration) {
    let mut launches = Vec::new();
    let mut keys = Vec::new();
    for _ in 0..RUNS {
        let (mut s, start) = Session::spawn(&p.command, size, state);
        launches.push(s.wait_for(&[p.ready.as_str()]) - start);
        // The first key a typing pace after the first frame.
        let mut next = Instant::now() + PACE;
        for (i, c) in QUERY.bytes().enumerate() {
            std::thread::sleep(next.saturating_duration_since(Instant::now()));
            let sent = s.send(&[c]);
            next = sent + PACE;
            let [a, b] = &p.typed[i];
            keys.push(s.wait_for(&[a.as_str(), b.as_str()]) - sent);
        }
        s.quit();
    }
    (median(launches), median(keys))
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let have_fzf = std::process::Command::new("fzf")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_fzf {
        eprintln!("skipped: fzf is not installed (apt-get install fzf)");
        return;
    }
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/abiscope");
    assert!(bin.exists(), "build the release binary first: cargo build --release");
    let catalog = Catalog::embedded();
    let names: Vec<&str> = catalog.items().iter().map(Item::name).collect();
    let file = std::env::temp_dir().join(format!("abiscope-names-{}.txt", std::process::id()));
    std::fs::write(&file, names.join("\n") + "\n").expect("write the names");
    let total = names.len();
    let searcher = Searcher::default();
    let prefixes: Vec<&str> = (1..=QUERY.len()).map(|n| &QUERY[..n]).collect();
    let abiscope_counts: Vec<usize> = prefixes
        .iter()
        .map(|q| searcher.search(&catalog, &Query::parse(q)).len())
        .collect();
    let fzf_counts: Vec<usize> = prefixes
        .iter()
        .map(|q| {
            let out = std::process::Command::new("sh")
                .args(["-c", &format!("fzf --filter {q} < {}", file.display())])
                .output()
                .expect("fzf --filter runs");
            String::from_utf8_lossy(&out.stdout).lines().count()
        })
        .collect();
    let thousands = |n: usize| {
        if n >= 1000 {
            format!("{},{:03}", n / 1000, n % 1000)
        } else {
            n.to_string()
        }
    };
    let programs = [
        Program {
            label: "abiscope",
            command: format!("exec {}", bin.display()),
            ready: format!("{} / {}", thousands(total), thousands(total)),
            typed: prefixes
                .iter()
                .zip(&abiscope_counts)
                .map(|(q, n)| [format!("› {q} "), format!(" {} / {}", thousands(*n), thousands(total))])
                .collect(),
        },
        Program {
            label: "fzf",
            command: format!("exec fzf < {}", file.display()),
            ready: format!("{total}/{total}"),
            typed: prefixes
                .iter()
                .zip(&fzf_counts)
                .map(|(q, n)| [format!("> {q}"), format!("{n}/{total}")])
                .collect(),
        },
    ];
    let state = std::env::temp_dir().join(format!("abiscope-bench-state-{}", std::process::id()));
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    for size in SIZES {
        println!(
            "{total} names, {RUNS} launches each typing {QUERY:?} at one key per {} ms, {}x{} pty; medians:",
            PACE.as_millis(),
            size.0,
            size.1
        );
        let mut results = Vec::new();
        for p in &programs {
            let (launch, key) = measure(p, size, &state);
            println!(
                "  {:9} launch to first frame {:>9}   keystroke to redrawn screen {:>9}",
                p.label,
                ms(launch),
                ms(key)
            );
            results.push((launch, key));
        }
        println!(
            "  abiscope / fzf: launch {:.2}, keystroke {:.2}",
            ratio(results[0].0, results[1].0),
            ratio(results[0].1, results[1].1)
        );
    }
    let _ = std::fs::remove_file(&file);
    let _ = std::fs::remove_dir_all(&state);
}
