//! Running exports: each is written to a file by a blocking task, off the async runtime, fed
//! by its source through a bounded channel, while the page asks how far it has got (rows
//! written of the total). The file stays for an hour, for its owner alone to download.
//!
//! The list of running exports is this process's: with several app servers, a page's status
//! and download must reach the server that runs its export (issue 20 moves them to shared
//! storage). No rule of the data rests on it.

use std::collections::HashMap;
use std::io::BufWriter;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::table::{Head, Prepared, QUEUED_BATCHES};
use super::{ExportFormat, ExportState, ExportStatus};
use crate::error::{AppError, AppResult};

/// Exports one person may run at once, and all of them together: each holds a core while it
/// writes, so more would slow every request.
const PER_USER: usize = 2;
const AT_ONCE: usize = 4;
/// How long a finished export's file is kept.
const KEPT: Duration = Duration::from_secs(3600);

struct Job {
    owner: i64,
    file_name: String,
    format: ExportFormat,
    path: PathBuf,
    total: u64,
    written: AtomicU64,
    state: Mutex<ExportState>,
    started: Instant,
}

impl Job {
    fn state(&self) -> ExportState {
        self.state
            .lock()
            .map(|s| s.clone())
            .unwrap_or(ExportState::Running)
    }

    fn status(&self, id: &str) -> ExportStatus {
        ExportStatus {
            id: id.to_string(),
            file_name: self.file_name.clone(),
            written: self.written.load(Ordering::Relaxed),
            total: self.total,
            state: self.state(),
        }
    }
}

/// The exports of this server (`AppState::exports`).
#[derive(Clone)]
pub struct Exports {
    dir: Arc<tempfile::TempDir>,
    jobs: Arc<Mutex<HashMap<String, Arc<Job>>>>,
}

fn fault(e: impl std::fmt::Debug) -> AppError {
    AppError::internal("export", e)
}

impl Exports {
    pub fn new() -> std::io::Result<Self> {
        Ok(Self {
            dir: Arc::new(
                tempfile::Builder::new()
                    .prefix("sales-exports-")
                    .tempdir()?,
            ),
            jobs: Arc::default(),
        })
    }

    /// Starts writing `prepared` as `format` for user `owner`; answers its first status.
    pub fn start(
        &self,
        owner: i64,
        format: ExportFormat,
        prepared: Prepared,
    ) -> AppResult<ExportStatus> {
        let Prepared { head, rows } = prepared;
        if format == ExportFormat::Pdf {
            super::pdf_file::check_size(head.total)?;
        }
        let id = format!("{:032x}", rand::random::<u128>());
        let file_name = format!("{}.{}", head.stem, format.extension());
        let job = Arc::new(Job {
            owner,
            file_name,
            format,
            path: self.dir.path().join(format!("{id}.{}", format.extension())),
            total: head.total,
            written: AtomicU64::new(0),
            state: Mutex::new(ExportState::Running),
            started: Instant::now(),
        });
        {
            let mut jobs = self.jobs.lock().map_err(fault)?;
            sweep(&mut jobs);
            let running: Vec<_> = jobs
                .values()
                .filter(|j| j.state() == ExportState::Running)
                .collect();
            if running.iter().filter(|j| j.owner == owner).count() >= PER_USER {
                return Err(AppError::TooManyRequests(
                    "two of your exports are still running; wait for one to finish".into(),
                ));
            }
            if running.len() >= AT_ONCE {
                return Err(AppError::TooManyRequests(
                    "the server is busy with other exports; try again in a minute".into(),
                ));
            }
            jobs.insert(id.clone(), job.clone());
        }
        let (tx, batches) = mpsc::channel(QUEUED_BATCHES);
        // The channel closes only once the source has ended: a source that panics sends an
        // error rather than leaving a file that looks complete.
        let fail = tx.clone();
        let source = tokio::spawn(rows(tx));
        tokio::spawn(async move {
            if source.await.is_err() {
                let _ = fail.send(Err(fault("the rows stopped"))).await;
            }
        });
        let status = job.status(&id);
        tokio::task::spawn_blocking(move || {
            let done = write(&head, batches, &job);
            if let Ok(mut state) = job.state.lock() {
                *state = match done {
                    Ok(()) => {
                        let (rows, took) =
                            (job.written.load(Ordering::Relaxed), job.started.elapsed());
                        tracing::info!("export {}: {rows} rows in {took:.2?}", job.file_name);
                        ExportState::Done
                    }
                    Err(e) => {
                        let _ = std::fs::remove_file(&job.path);
                        ExportState::Failed(e.to_string())
                    }
                };
            }
        });
        Ok(status)
    }

    fn find(&self, owner: i64, id: &str) -> AppResult<Arc<Job>> {
        let jobs = self.jobs.lock().map_err(fault)?;
        jobs.get(id)
            .filter(|j| j.owner == owner)
            .cloned()
            .ok_or_else(|| AppError::NotFound(format!("export {id}")))
    }

    /// How far export `id` of `owner` has got (404 for another's, or one swept away).
    pub fn status(&self, owner: i64, id: &str) -> AppResult<ExportStatus> {
        self.find(owner, id).map(|j| j.status(id))
    }

    /// A finished export's file: its name, content type and where it is.
    pub fn file(&self, owner: i64, id: &str) -> AppResult<(String, &'static str, PathBuf)> {
        let job = self.find(owner, id)?;
        match job.state() {
            ExportState::Done => Ok((
                job.file_name.clone(),
                job.format.content_type(),
                job.path.clone(),
            )),
            ExportState::Running => Err(AppError::Conflict(
                "the export is still being written".into(),
            )),
            ExportState::Failed(m) => Err(AppError::Conflict(format!("the export failed: {m}"))),
        }
    }
}

/// Forgets exports older than `KEPT` that have ended, deleting their files.
fn sweep(jobs: &mut HashMap<String, Arc<Job>>) {
    jobs.retain(|_, j| {
        let keep = j.started.elapsed() < KEPT || j.state() == ExportState::Running;
        if !keep {
            let _ = std::fs::remove_file(&j.path);
        }
        keep
    });
}

/// Writes the export's file in its format.
fn write(head: &Head, batches: super::table::Batches, job: &Job) -> AppResult<()> {
    match job.format {
        ExportFormat::Csv => {
            let file = std::fs::File::create(&job.path).map_err(fault)?;
            super::csv_file::write(head, batches, BufWriter::new(file), &job.written)
        }
        ExportFormat::Xlsx => super::xlsx_file::write(head, batches, &job.path, &job.written),
        ExportFormat::Pdf => super::pdf_file::write(head, batches, &job.path, &job.written),
    }
}
