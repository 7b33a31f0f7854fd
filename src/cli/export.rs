//! `callgrade export`.

use super::args::{ExportArgs, ExportFormat};
use crate::report::{CampaignReport, json};
use crate::store::Store;
use anyhow::Context;
use std::io::Write;

pub fn main(args: ExportArgs) -> anyhow::Result<i32> {
    let store = Store::open(&args.db.db)?;
    let report = CampaignReport::load(&store, &args.campaign, args.rubric.as_deref())?;
    let text = match args.format {
        ExportFormat::Json => serde_json::to_string_pretty(&json::to_json(&report))? + "\n",
    };
    match &args.out {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("{}: cannot write the export", path.display()))?,
        None => std::io::stdout().write_all(text.as_bytes())?,
    }
    Ok(0)
}
