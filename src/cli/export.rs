//! `callgrade export`: one campaign as JSON, CSV, an Excel workbook or a printable HTML report,
//! optionally redacted or de-identified for publication.

use super::args::{ExportArgs, ExportFormat, ExportRows};
use crate::report::deidentify::{
    Pseudonymizer, deidentify, deidentify_training, redact_training, redact_transcripts,
    staff_names, training_names,
};
use crate::report::export_history::{training_list, unit_trends};
use crate::report::html::{ExportInput, to_html};
use crate::report::{CampaignReport, csv, json, xlsx};
use crate::store::Store;
use anyhow::Context;
use std::io::{IsTerminal, Write};
use std::path::Path;

pub fn main(args: ExportArgs) -> anyhow::Result<i32> {
    let store = Store::open_read_only(&args.db.db)?;
    let mut report = CampaignReport::load(&store, &args.campaign, args.rubric.as_deref())?;
    if args.format == ExportFormat::Xlsx && args.out.is_none() && std::io::stdout().is_terminal() {
        anyhow::bail!(
            "an Excel workbook cannot be shown in the terminal: add --out FILE.xlsx (or redirect the output to a file)"
        );
    }
    let history = matches!(args.format, ExportFormat::Xlsx | ExportFormat::Html);
    let rubric_id = report.rubric.as_ref().map(|r| r.rubric_id.clone());
    let (mut trend, mut needs) = (None, None);
    if history && rubric_id.is_some() {
        trend = unit_trends(&store, &args.campaign, rubric_id.as_deref())?;
        needs = training_list(&store, rubric_id.as_deref())?;
    }

    if args.deidentify {
        let pseudo = Pseudonymizer::for_db(&args.db.db)?;
        let mut names = staff_names(&report);
        if let Some(list) = &needs {
            names.extend(training_names(list));
        }
        report = deidentify(&report, &pseudo);
        needs = needs.map(|list| deidentify_training(&list, &pseudo, &names));
    } else if args.redact {
        let mut names = staff_names(&report);
        if let Some(list) = &needs {
            names.extend(training_names(list));
        }
        report = redact_transcripts(&report);
        needs = needs.map(|list| redact_training(&list, &names));
    }

    let input = ExportInput {
        report: &report,
        trends: trend.as_ref(),
        training: needs.as_ref(),
        deidentified: args.deidentify,
    };
    let bytes = match args.format {
        ExportFormat::Json => {
            (serde_json::to_string_pretty(&json::to_json(&report))? + "\n").into_bytes()
        }
        ExportFormat::Csv => match args.what {
            ExportRows::Calls => csv::calls_csv(&report).into_bytes(),
            ExportRows::Criteria => csv::criteria_csv(&report).into_bytes(),
        },
        ExportFormat::Xlsx => xlsx::to_xlsx(&input).context("cannot build the Excel workbook")?,
        ExportFormat::Html => to_html(&input).into_bytes(),
    };
    match &args.out {
        Some(path) => write_atomically(path, &bytes).with_context(|| {
            format!(
                "{}: cannot write the export. Check that the folder exists and is writable.",
                path.display()
            )
        })?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(0)
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so an
/// export that fails half-way (disk full, no permission, interrupted) leaves the previous
/// file whole instead of truncated.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"))?;
    let temp = folder.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = std::fs::File::create(&temp)
        .and_then(|mut f| f.write_all(bytes).and_then(|_| f.sync_all()))
        .and_then(|_| std::fs::rename(&temp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}
