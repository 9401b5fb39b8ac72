//! The batch's progress lines: timestamped, appended to `run.log` and passed to the caller.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::run::timestamp;

/// One progress report: an event, or a simulated year (a step).
#[derive(Debug, Clone, Copy)]
pub struct Tick<'a> {
    /// The line as `run.log` records it: a UTC timestamp, a space, the message.
    pub line: &'a str,
    /// The message alone.
    pub message: &'a str,
    /// Whether this is a simulated year (else an event: start, done, failed, ...).
    pub is_step: bool,
    /// Simulated years done so far, over every scenario and replication.
    pub done_steps: u64,
    /// Simulated years the batch plans.
    pub total_steps: u64,
}

/// Progress lines: timestamped, appended to `run.log` (flushed per line, so the log is complete
/// whenever the batch stops) and passed to the caller for display.
pub(super) struct Log<F: FnMut(&Tick<'_>)> {
    file: File,
    path: PathBuf,
    show: F,
    done_steps: u64,
    pub(super) total_steps: u64,
    /// The first failed write to the log, reported when the batch ends.
    pub(super) error: Option<Error>,
}

impl<F: FnMut(&Tick<'_>)> Log<F> {
    /// Opens (appending) the log at `path`; `show` gets every line.
    pub(super) fn open(path: PathBuf, show: F) -> Result<Self> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        Ok(Log {
            file,
            path,
            show,
            done_steps: 0,
            total_steps: 0,
            error: None,
        })
    }

    fn emit(&mut self, message: &str, is_step: bool) {
        let line = format!("{} {message}", timestamp().1);
        if let Err(e) = writeln!(self.file, "{line}") {
            self.error.get_or_insert(Error::io(&self.path, e));
        }
        (self.show)(&Tick {
            line: &line,
            message,
            is_step,
            done_steps: self.done_steps,
            total_steps: self.total_steps,
        });
    }
    pub(super) fn event(&mut self, message: &str) {
        self.emit(message, false);
    }
    pub(super) fn step(&mut self, scenario: &str, replication: u32, year: i32) {
        self.done_steps += 1;
        let message = format!(
            "{scenario} rep {replication} year {year} ({}/{})",
            self.done_steps, self.total_steps
        );
        self.emit(&message, true);
    }
}
