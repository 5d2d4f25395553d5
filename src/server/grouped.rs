//! Writes that arrive together, written together: a queue in front of one task that takes
//! whatever is waiting and hands it to a `Writer` in groups, one transaction per group.
//! SQLite takes one writer at a time, so a busy moment costs one pass through the write gate
//! (and one commit) per group instead of per request. New orders (`orders::intake`), issued
//! invoices and their stored PDFs (`invoices::issuing`) go through one each.
//!
//! A group either commits whole or is written again one job at a time, so every job gets
//! exactly the answer it would have had alone (a refusal, a number given back). Correctness
//! never rests on the grouping: each job's checks hold in the database whether it is written
//! alone, in a group, or by another server.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use crate::error::{AppError, AppResult};

/// What a grouped queue writes.
pub trait Writer: Send + Sync + 'static {
    type Job: Send + Sync + 'static;
    type Done: Send + 'static;
    /// Names the writer in the error of a stopped queue.
    const NAME: &'static str;
    /// Jobs in one group.
    const GROUP_JOBS: usize = 64;
    /// The statement rows (order lines, say) one group may bind: keeps every statement far
    /// below SQLite's and PostgreSQL's limits on bound parameters.
    const GROUP_WEIGHT: usize = 1000;

    /// The rows `job` adds to its group's statements.
    fn weight(_job: &Self::Job) -> usize {
        1
    }

    /// Writes all of `jobs` in one transaction, or none of them: one result per job, in
    /// order.
    fn write(&self, jobs: &[Self::Job]) -> impl Future<Output = AppResult<Vec<Self::Done>>> + Send;
}

/// Jobs waiting beyond this many make their senders wait: back-pressure, not memory.
const QUEUE: usize = 1024;

type Job<W> = (
    <W as Writer>::Job,
    oneshot::Sender<AppResult<<W as Writer>::Done>>,
);

/// The queue in front of one writer task.
pub struct Grouped<W: Writer> {
    queue: mpsc::Sender<Job<W>>,
}

impl<W: Writer> Clone for Grouped<W> {
    fn clone(&self) -> Self {
        Self {
            queue: self.queue.clone(),
        }
    }
}

impl<W: Writer> Grouped<W> {
    /// Starts the writer task on the current tokio runtime.
    pub fn start(writer: W) -> Self {
        let (queue, jobs) = mpsc::channel(QUEUE);
        tokio::spawn(run(Arc::new(writer), jobs));
        Self { queue }
    }

    /// Writes `job` (with the next group) and answers once it is committed or refused.
    pub async fn submit(&self, job: W::Job) -> AppResult<W::Done> {
        let stopped = || AppError::internal(W::NAME, "the writer has stopped");
        let (reply, answer) = oneshot::channel();
        self.queue.send((job, reply)).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// The writer task: takes whatever is queued, writes it in groups, answers each job.
async fn run<W: Writer>(writer: Arc<W>, mut queue: mpsc::Receiver<Job<W>>) {
    let mut waiting = Vec::new();
    while queue.recv_many(&mut waiting, W::GROUP_JOBS).await > 0 {
        let taken = std::mem::take(&mut waiting);
        for group in groups(taken, |(job, _)| W::weight(job), W::GROUP_WEIGHT) {
            let (jobs, replies): (Vec<_>, Vec<_>) = group.into_iter().unzip();
            // A task of its own: should writing ever panic, only this group's requests fail
            // (their replies are dropped) and the writer goes on with the next.
            let writer = writer.clone();
            let Ok(results) = tokio::spawn(async move { write(&*writer, jobs).await }).await else {
                continue;
            };
            for (reply, result) in replies.into_iter().zip(results) {
                // A requester that has gone away still has its job written.
                let _ = reply.send(result);
            }
        }
    }
}

/// Splits queued jobs into groups of at most `limit` weight (a heavier job alone), in arrival
/// order.
fn groups<T>(jobs: Vec<T>, weight: impl Fn(&T) -> usize, limit: usize) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    let (mut group, mut held) = (Vec::new(), 0);
    for job in jobs {
        let n = weight(&job);
        if !group.is_empty() && held + n > limit {
            out.push(std::mem::take(&mut group));
            held = 0;
        }
        held += n;
        group.push(job);
    }
    if !group.is_empty() {
        out.push(group);
    }
    out
}

/// Writes `jobs`: together when they all succeed, else each alone with its own answer.
pub async fn write<W: Writer>(writer: &W, jobs: Vec<W::Job>) -> Vec<AppResult<W::Done>> {
    if jobs.len() > 1
        && let Ok(done) = writer.write(&jobs).await
        && done.len() == jobs.len()
    {
        return done.into_iter().map(Ok).collect();
    }
    let mut answers = Vec::with_capacity(jobs.len());
    for job in &jobs {
        let alone = writer.write(std::slice::from_ref(job)).await;
        answers.push(alone.and_then(|mut one| {
            one.pop()
                .ok_or_else(|| AppError::internal(W::NAME, "nothing written"))
        }));
    }
    answers
}

#[cfg(test)]
mod tests {
    use super::groups;

    #[test]
    fn groups_keep_arrival_order_and_stay_within_the_weight_limit() {
        let sizes = |gs: Vec<Vec<usize>>| gs.iter().map(|g| g.len()).collect::<Vec<_>>();
        assert_eq!(sizes(groups(vec![3; 64], |n| *n, 1000)), [64]);
        // 1000 fits exactly; the next job starts a new group.
        let at_limit = vec![200, 200, 200, 200, 200, 1];
        assert_eq!(sizes(groups(at_limit, |n| *n, 1000)), [5, 1]);
        // A job heavier than the limit is written alone, between its neighbours.
        let big = groups(vec![1, 1001, 1], |n| *n, 1000);
        assert_eq!(big, [vec![1], vec![1001], vec![1]]);
        assert!(groups(Vec::<usize>::new(), |n| *n, 1000).is_empty());
    }
}
