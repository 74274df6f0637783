//! Checked rows on their way to the store, written as a file is read. Into a database that had
//! no opportunity, where no row's id needs looking up, the file is read and checked on a second
//! thread while this one writes. The writing thread is the slower one (SQLite), so all it can
//! leave to the reading one is done there: the store's checks of each row, the counts the
//! store keeps of new cards, and freeing the rows once written (they go back to the thread
//! that made them).

use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};

use super::ImportError;
use crate::domain::Opportunity;
use crate::store::{Checked, Funnel, Imported, Importer, NewCards, Refusal, StoreError};

/// Where a file reader puts the rows it has checked.
pub(super) trait Sink {
    /// The stored opportunity with this id, in whichever funnel.
    fn stored(&self, id: &str) -> Result<Option<Opportunity>, StoreError>;
    fn add(&mut self, item: Imported) -> Result<(), StoreError>;
}

impl Sink for Importer<'_> {
    fn stored(&self, id: &str) -> Result<Option<Opportunity>, StoreError> {
        Importer::stored(self, id)
    }

    fn add(&mut self, item: Imported) -> Result<(), StoreError> {
        let item = item.checked(self.funnel())?;
        Importer::add(self, &item)
    }
}

/// Runs `read`, which checks a file and puts its rows into the sink it is given, with the rows
/// going into `importer`; on two threads when the database was empty (see the module comment).
pub(super) fn write_while_reading<R: Send>(
    importer: &mut Importer,
    read: impl FnOnce(&mut dyn Sink) -> Result<R, ImportError> + Send,
) -> Result<R, ImportError> {
    if !importer.into_empty() {
        return read(importer);
    }
    let funnel = importer.funnel();
    let sums = importer.sum_apart();
    std::thread::scope(|scope| {
        // A few batches in flight keep both threads busy without holding the file in memory.
        let (send, receive) = sync_channel(4);
        let (give_back, written) = channel();
        let reading = scope.spawn(move || {
            let mut batches = Batches {
                funnel,
                send,
                batch: Vec::with_capacity(BATCH),
                written,
                sums,
            };
            let read = read(&mut batches);
            batches.send();
            (read, batches.sums)
        });
        let wrote = receive.iter().try_for_each(|batch: Vec<Checked>| {
            batch.iter().try_for_each(|item| importer.add(item))?;
            // The reader may be done: then the batch is freed here.
            let _ = give_back.send(batch);
            Ok::<_, StoreError>(())
        });
        // A failed write stops the reader at its next batch.
        drop(receive);
        let (read, sums) = reading
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        if let Some(sums) = sums {
            importer.sums_back(sums);
        }
        wrote?;
        read
    })
}

/// Rows per batch handed from the reading thread to the writing one.
const BATCH: usize = 1024;

/// The reading thread's sink.
struct Batches<'a> {
    funnel: &'a Funnel,
    send: SyncSender<Vec<Checked>>,
    batch: Vec<Checked>,
    /// Batches the writer is done with, to free.
    written: Receiver<Vec<Checked>>,
    /// The store's counts of the rows handed over, in a load that keeps them.
    sums: Option<NewCards>,
}

impl Batches<'_> {
    /// Hands the rows so far to the writer; false once the writer has stopped (it failed).
    fn send(&mut self) -> bool {
        self.written.try_iter().for_each(drop);
        let full = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        self.send.send(full).is_ok()
    }
}

impl Sink for Batches<'_> {
    /// The database had no opportunity: nothing is stored.
    fn stored(&self, _id: &str) -> Result<Option<Opportunity>, StoreError> {
        Ok(None)
    }

    fn add(&mut self, item: Imported) -> Result<(), StoreError> {
        let item = item.checked(self.funnel)?;
        if let Some(sums) = &mut self.sums {
            sums.add(&item)?;
        }
        self.batch.push(item);
        if self.batch.len() == BATCH && !self.send() {
            // The writer's own error is the one reported.
            return Err(Refusal::Interrupted.into());
        }
        Ok(())
    }
}
