//! callgrade: grades recorded telephone courtesy tests on the local machine.
//!
//! The pipeline is the architecture: [`audio`] → [`transcribe`] → [`score`] → [`store`] →
//! [`report`]. [`pipeline`] runs a batch through those stages; [`model`] gets and converts
//! Whisper weights; [`web`] is the review app `callgrade serve` runs; [`cli`] is the only
//! module that prints.

pub mod audio;
pub mod cli;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod score;
pub mod store;
pub mod transcribe;
pub mod web;
