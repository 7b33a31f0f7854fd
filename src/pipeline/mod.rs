//! The run loop: a manifest of recordings goes through audio → transcribe → score → store.
//!
//! Per-call problems never stop a batch: they are stored as failed calls with a message a user
//! can act on. Each call is committed in its own transaction, so a killed run resumes where it
//! stopped, and a rerun does only what changed.

mod manifest;
mod run;

pub use manifest::{FileScope, Manifest, ManifestError, ManifestRow, channel_name};
pub use run::{
    CallOutcome, Outcome, Progress, RescoreSummary, RunOptions, RunSummary, hear_again,
    request_stop, rescore, run,
};
