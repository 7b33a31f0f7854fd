//! `callgrade model …`, and finding the model other commands use.

use super::args::ModelCommand;
use super::table::Table;
use crate::model::{self, ModelName};
use anyhow::Context;
use std::path::PathBuf;

pub fn main(cmd: ModelCommand) -> anyhow::Result<i32> {
    let dir = model::models_dir();
    match cmd {
        ModelCommand::Install { name, force } => {
            let name: ModelName = name.parse()?;
            let mut say = |line: &str| super::terminal::say(line);
            let m = model::install(&dir, name, force, &mut say)?;
            // Every transcription needs the speech detector too, so each install makes sure of it.
            let vad = model::install_vad(&dir, force, &mut say)?;
            for m in [m, vad] {
                super::terminal::out(&format!(
                    "{} ready: {} ({} bytes, sha256 {})\n",
                    m.name,
                    m.path.display(),
                    m.size,
                    m.sha256
                ))?;
            }
        }
        ModelCommand::Import { path, force } => {
            let m = model::import(&dir, &path, force)?;
            super::terminal::out(&format!(
                "imported {} as {}\n",
                path.display(),
                m.path.display()
            ))?;
        }
        ModelCommand::List => {
            let models = model::list(&dir)?;
            if models.is_empty() {
                super::terminal::out(&format!(
                    "no models in {}. Install one with: callgrade model install base\n",
                    dir.display()
                ))?;
            }
            let mut t = Table::new(["model", "size (MB)", "sha256", "verified", "path"]);
            for m in models {
                t.row([
                    m.name.clone(),
                    format!("{:.1}", m.size as f64 / 1e6),
                    m.sha256.chars().take(16).collect(),
                    if m.verified { "yes" } else { "NO: reinstall" }.to_string(),
                    m.path.display().to_string(),
                ]);
            }
            super::terminal::out(&t.to_string())?;
        }
    }
    Ok(0)
}

/// The ggml file and short name for `--model`: a path as given, or an installed model by name.
/// Nothing is downloaded here (only `model install` uses the network); a missing model is an
/// error that says how to install it.
pub fn resolve(arg: Option<&str>) -> anyhow::Result<(PathBuf, String)> {
    let arg = arg.unwrap_or("base");
    let as_path = PathBuf::from(arg);
    if as_path.is_file() {
        let name = as_path
            .file_stem()
            .map(|s| s.to_string_lossy().trim_start_matches("ggml-").to_string())
            .unwrap_or_else(|| arg.to_string());
        return Ok((as_path, name));
    }
    let name: ModelName = arg
        .parse()
        .with_context(|| format!("--model {arg}: not a file, and not a model name"))?;
    let path = model::installed(&model::models_dir(), name)?;
    Ok((path, name.to_string()))
}
