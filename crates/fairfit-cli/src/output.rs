//! How commands speak: tables or JSON on standard output, notes and progress on standard error
//! (silenced by `--quiet`; progress bars show only on a terminal).

use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::error::{CliError, Result};

/// The global output switches.
#[derive(Debug, Clone, Copy, Default)]
pub struct Output {
    /// JSON on standard output instead of tables.
    pub json: bool,
    /// No notes and no progress on standard error.
    pub quiet: bool,
}

impl Output {
    /// A note on standard error (not with `--quiet`).
    pub fn note(&self, message: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", message.as_ref());
        }
    }

    /// A spinner for work of unknown length (hidden with `--quiet` or off a terminal).
    pub fn spinner(&self, message: impl Into<String>) -> ProgressBar {
        if self.quiet {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new_spinner().with_message(message.into());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .expect("a fixed template is valid"),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    }

    /// Prints `value` as pretty JSON on standard output.
    pub fn print_json<T: Serialize + ?Sized>(&self, value: &T) -> Result<()> {
        self.line(serde_json::to_string_pretty(value)?)
    }

    /// Writes `text` to standard output. A closed pipe (`fairfit ... | head`) is the reader's
    /// choice, not a failure, so it is not an error (and never a panic, as `print!` would be).
    pub fn text(&self, text: impl AsRef<str>) -> Result<()> {
        use std::io::Write;
        match std::io::stdout().lock().write_all(text.as_ref().as_bytes()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(CliError::io("standard output")(e))
            }
            _ => Ok(()),
        }
    }

    /// Writes `text` and a newline to standard output (see [`Output::text`]).
    pub fn line(&self, text: impl AsRef<str>) -> Result<()> {
        self.text(format!("{}\n", text.as_ref()))
    }
}

/// Writes `text` to `path`, creating its directory.
pub fn write_file(path: &Path, text: impl AsRef<[u8]>) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(CliError::io(dir))?;
    }
    std::fs::write(path, text).map_err(CliError::io(path))
}

/// Creates a directory and its parents.
pub fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(CliError::io(dir))
}
