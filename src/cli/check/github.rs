//! `check --format github`: GitHub Actions workflow commands, one
//! `::error file=…,line=…,col=…,title=…::message` per problem (so each
//! shows on its line in the pull request), then one `::notice` with the
//! lowest versions found.
//!
//! Every string from a file passes through [`sanitize`](crate::sanitize)
//! first, so no control character reaches the log (a newline becomes a
//! visible `\n` and cannot start another command), then `%` is escaped as
//! the runner requires, and in the properties also `:` and `,`, so that a
//! file name cannot end the property list or add a property.

use std::io::{self, Write};

use super::problems::problems;
use crate::check::analysis::Report;
use crate::sanitize::escape;

pub fn print(report: &Report<'_>, summary: &str, out: &mut impl Write) -> io::Result<()> {
    for p in problems(report) {
        let mut properties = vec![format!("file={}", property(&p.path))];
        if let Some(line) = p.line {
            properties.push(format!("line={line}"));
        }
        if let Some(column) = p.column {
            properties.push(format!("col={column}"));
        }
        properties.push(format!("title={}", property(&format!("abiscope {}", p.title))));
        writeln!(out, "::error {}::{}", properties.join(","), data(&p.message))?;
    }
    writeln!(out, "::notice title=abiscope check::{}", data(summary))
}

/// A message: the runner reads `%` as the start of an escape.
fn data(text: &str) -> String {
    escape(text).replace('%', "%25")
}

/// A property value: also `:` and `,`, which end it.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_keep_a_command_on_its_line() {
        assert_eq!(data("100% done\r\nnext"), "100%25 done\\r\\nnext");
        assert_eq!(property("a,b:c%"), "a%2Cb%3Ac%25");
        assert_eq!(property("x\u{1b}[31m"), "x\\x1b[31m");
    }
}
