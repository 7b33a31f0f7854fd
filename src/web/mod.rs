//! Placeholder until W1's skeleton is merged.
pub mod pages;
