//! The write unit: every change to the database goes through one. It begins the write
//! transaction (`db::begin_write`), lets the change run in it, adds what the change gathered
//! to the report summaries (`tally`), records its audit events and queues its mail (the
//! outbox) in the same transaction, commits, and only then wakes the mail worker. So a
//! change, its summaries, its audit trail and its mail are all or nothing, and no mail leaves
//! for a change that rolled back.
//!
//! ```ignore
//! let mut w = Write::begin(db, actor).await?;
//! let m = model.insert(&*w).await.or_internal("clients")?;
//! w.record(CREATED, m.id, m.name.clone());
//! w.commit().await?;
//! ```

use std::ops::Deref;

use sea_orm::{DatabaseConnection, DatabaseTransaction};

use super::db::{WriteGate, begin_write};
use super::tally::Additions;
use crate::audit::service::{Recorded, record_all};
use crate::audit::{Actor, Event};
use crate::error::{AppResult, OrInternal};
use crate::outbox::{self, Mail};

pub struct Write {
    // Declared before the gate: fields drop in order, so an unfinished transaction rolls back
    // before the gate lets the next writer in.
    txn: DatabaseTransaction,
    _gate: WriteGate,
    actor: Option<Actor>,
    events: Vec<Recorded>,
    mails: Vec<Mail>,
    tallies: Additions,
    /// Wake the mail worker at commit even with no new mail (a mail queued again).
    wake: bool,
}

impl Write {
    /// Begins a change made by `actor` (`None`: the system itself).
    pub async fn begin(
        db: &DatabaseConnection,
        actor: impl Into<Option<Actor>>,
    ) -> AppResult<Self> {
        let (gate, txn) = begin_write(db).await.or_internal("begin write")?;
        Ok(Self {
            txn,
            _gate: gate,
            actor: actor.into(),
            events: Vec::new(),
            mails: Vec::new(),
            tallies: Additions::default(),
            wake: false,
        })
    }

    /// Records `event` about record `id`, by this unit's actor; written at commit.
    pub fn record(&mut self, event: Event, id: impl Into<Option<i64>>, details: impl Into<String>) {
        self.record_by(self.actor, event, id, details);
    }

    /// Records an event by another actor: a unit that writes for several people at once
    /// (orders entered together) names each one.
    pub fn record_by(
        &mut self,
        actor: impl Into<Option<Actor>>,
        event: Event,
        id: impl Into<Option<i64>>,
        details: impl Into<String>,
    ) {
        self.events.push(Recorded {
            actor: actor.into(),
            event,
            id: id.into(),
            details: details.into(),
        });
    }

    /// Queues `mail`; it is written to the outbox at commit and sent once committed.
    pub fn mail(&mut self, mail: Mail) {
        self.mails.push(mail);
    }

    /// What the change adds to the report summaries; added at commit.
    pub fn tally(&mut self) -> &mut Additions {
        &mut self.tallies
    }

    /// Wakes the mail worker at commit: mail already in the outbox is due again.
    pub fn wake(&mut self) {
        self.wake = true;
    }

    /// Adds to the summaries, writes the events and mail, commits, and wakes the mail worker.
    pub async fn commit(self) -> AppResult<()> {
        let Self {
            txn,
            _gate,
            events,
            mails,
            tallies,
            wake,
            ..
        } = self;
        tallies.apply(&txn).await?;
        record_all(&txn, events).await?;
        let queued = wake || !mails.is_empty();
        outbox::service::enqueue(&txn, mails).await?;
        txn.commit().await.or_internal("commit")?;
        drop(_gate);
        if queued {
            outbox::worker::wake();
        }
        Ok(())
    }

    /// Gives up the change (also what dropping an uncommitted unit does, less explicitly).
    pub async fn rollback(self) -> AppResult<()> {
        self.txn.rollback().await.or_internal("rollback")
    }
}

/// The transaction, for the change's own statements (`&*w`).
impl Deref for Write {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}
