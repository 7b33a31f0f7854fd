//! `callgrade model …`, and finding the model other commands use.

use super::args::ModelCommand;
use super::table::Table;
use crate::model::{self, ModelSpec, Weights};
use std::path::PathBuf;

pub fn main(cmd: ModelCommand) -> anyhow::Result<i32> {
    let dir = model::models_dir();
    match cmd {
        ModelCommand::Install {
            name,
            weights,
            force,
        } => {
            let name = install_spec(&name, &weights)?;
            let mut say = |line: &str| super::terminal::say(line);
            let m = model::install(&dir, name, force, &mut say)?;
            // Every transcription needs the speech detector too, so each install makes sure of it.
            let vad = model::install_vad(&dir, force, &mut say)?;
            // And mono calls need the speaker encoder to tell their two voices apart.
            let encoder = model::install_voice_encoder(&dir, force, &mut say)?;
            for m in [m, vad, encoder] {
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
            let mut t = Table::new(["model", "type", "size (MB)", "sha256", "verified", "path"]);
            for m in models {
                t.row([
                    m.name.clone(),
                    model::weight_type(&m.path).unwrap_or("-").to_string(),
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

/// `model install NAME --type TYPE`: NAME may carry the type itself (`base-q8_0`).
fn install_spec(name: &str, weights: &str) -> anyhow::Result<ModelSpec> {
    let mut spec: ModelSpec = name.parse()?;
    let weights: Weights = weights.parse().map_err(anyhow::Error::msg)?;
    if weights != Weights::F16 {
        if spec.weights != Weights::F16 && spec.weights != weights {
            anyhow::bail!(
                "`{name}` already says {} but --type says {weights}; give one of them",
                spec.weights
            );
        }
        spec.weights = weights;
    }
    Ok(spec)
}

/// The model `run` and `transcribe` use without `--model`. Quantised models are chosen by
/// name (`base-q8_0`) until measurements say one should be the default.
pub const DEFAULT_MODEL: &str = "base";

/// The ggml file and short name for `--model`: a path as given, or an installed model by name.
/// Nothing is downloaded here (only `model install` uses the network); a missing model is an
/// error that says how to install it and which models are installed.
pub fn resolve(arg: Option<&str>) -> anyhow::Result<(PathBuf, String)> {
    let arg = arg.unwrap_or(DEFAULT_MODEL);
    let as_path = PathBuf::from(arg);
    if as_path.is_file() {
        let name = as_path
            .file_stem()
            .map(|s| s.to_string_lossy().trim_start_matches("ggml-").to_string())
            .unwrap_or_else(|| arg.to_string());
        return Ok((as_path, name));
    }
    let name: ModelSpec = arg.parse().map_err(|e| {
        anyhow::anyhow!(
            "--model {arg} is neither a file nor a model name: {e}. {}",
            model::installed_names(&model::models_dir())
        )
    })?;
    let path = model::installed(&model::models_dir(), name)?;
    Ok((path, name.to_string()))
}
