//! Offline tests of the model module on a small synthetic CTranslate2 Whisper model: the
//! tensor mapping (names, shapes, types, q/k/v split), truncation, damage and quantisation
//! errors, and the import / list / verify bookkeeping.

use callgrade::model::{self, ModelError};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const D: usize = 4;
const N_VOCAB: usize = 6;

/// A variable of the synthetic model: dims, dtype code (0 f32, 4 f16, 1 i8, 2 i16), values.
struct Var {
    dims: Vec<usize>,
    dtype: u8,
    values: Vec<f32>,
}

fn var(dims: &[usize], dtype: u8, seed: usize) -> Var {
    let n: usize = dims.iter().product::<usize>().max(1);
    // Multiples of 1/8 below 125 are exact in f16, so conversions can be compared exactly.
    let values = (0..n)
        .map(|i| ((seed * 37 + i) % 1000) as f32 / 8.0)
        .collect();
    Var {
        dims: dims.to_vec(),
        dtype,
        values,
    }
}

fn whisper_vars(weight_dtype: u8) -> BTreeMap<String, Var> {
    let mut v = BTreeMap::new();
    let mut seed = 0;
    let mut add = |v: &mut BTreeMap<String, Var>, name: String, dims: &[usize], dtype: u8| {
        seed += 1;
        v.insert(name, var(dims, dtype, seed));
    };
    add(&mut v, "encoder/conv1/weight".into(), &[D, 80, 3], 4);
    add(&mut v, "encoder/conv1/bias".into(), &[D], 4);
    add(&mut v, "encoder/conv2/weight".into(), &[D, D, 3], 4);
    add(&mut v, "encoder/conv2/bias".into(), &[D], 4);
    add(
        &mut v,
        "encoder/position_encodings/encodings".into(),
        &[8, D],
        4,
    );
    add(&mut v, "decoder/embeddings/weight".into(), &[N_VOCAB, D], 4);
    add(
        &mut v,
        "decoder/position_encodings/encodings".into(),
        &[5, D],
        4,
    );
    for side in ["encoder", "decoder"] {
        let mut heads = var(&[], 2, 0);
        heads.values = vec![2.0];
        v.insert(format!("{side}/num_heads"), heads);
        add(&mut v, format!("{side}/layer_norm/gamma"), &[D], 4);
        add(&mut v, format!("{side}/layer_norm/beta"), &[D], 4);
        let p = format!("{side}/layer_0/");
        let mut blocks = vec![("self_attention", vec![(3 * D, D), (D, D)])];
        if side == "decoder" {
            blocks.push(("attention", vec![(D, D), (2 * D, D), (D, D)]));
        }
        blocks.push(("ffn", vec![(4 * D, D), (D, 4 * D)]));
        for (block, linears) in blocks {
            add(&mut v, format!("{p}{block}/layer_norm/gamma"), &[D], 4);
            add(&mut v, format!("{p}{block}/layer_norm/beta"), &[D], 4);
            for (i, (rows, cols)) in linears.into_iter().enumerate() {
                // The ffn weights use the caller's dtype to test f32 → f16 and quantised input.
                let dt = if block == "ffn" { weight_dtype } else { 4 };
                add(
                    &mut v,
                    format!("{p}{block}/linear_{i}/weight"),
                    &[rows, cols],
                    dt,
                );
                add(&mut v, format!("{p}{block}/linear_{i}/bias"), &[rows], 4);
            }
        }
    }
    v
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend(((s.len() + 1) as u16).to_le_bytes());
    out.extend(s.as_bytes());
    out.push(0);
}

fn ct2_bytes(vars: &BTreeMap<String, Var>) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(6u32.to_le_bytes());
    put_str(&mut out, "WhisperSpec");
    out.extend(3u32.to_le_bytes());
    out.extend((vars.len() as u32).to_le_bytes());
    for (name, v) in vars {
        put_str(&mut out, name);
        out.push(v.dims.len() as u8);
        for &d in &v.dims {
            out.extend((d as u32).to_le_bytes());
        }
        out.push(v.dtype);
        let data: Vec<u8> = match v.dtype {
            0 => v.values.iter().flat_map(|x| x.to_le_bytes()).collect(),
            1 => v.values.iter().map(|&x| x as i8 as u8).collect(),
            2 => v
                .values
                .iter()
                .flat_map(|&x| (x as i16).to_le_bytes())
                .collect(),
            _ => v
                .values
                .iter()
                .flat_map(|&x| half::f16::from_f32(x).to_le_bytes())
                .collect(),
        };
        out.extend((data.len() as u32).to_le_bytes());
        out.extend(data);
    }
    out.extend(1u32.to_le_bytes());
    put_str(&mut out, "decoder/projection/weight");
    put_str(&mut out, "decoder/embeddings/weight");
    out
}

/// Writes a CT2 model directory; returns it with the variables it holds.
fn write_ct2(root: &Path, weight_dtype: u8) -> (PathBuf, BTreeMap<String, Var>) {
    write_ct2_vars(&root.join("ct2"), whisper_vars(weight_dtype))
}

fn write_ct2_vars(dir: &Path, vars: BTreeMap<String, Var>) -> (PathBuf, BTreeMap<String, Var>) {
    let dir = dir.to_path_buf();
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("model.bin"), ct2_bytes(&vars)).unwrap();
    fs::write(
        dir.join("vocabulary.txt"),
        "!\nĠthe\nä½ł\nĊ\n<|endoftext|>\n<|startoftranscript|>\n",
    )
    .unwrap();
    fs::write(dir.join("config.json"), "{}").unwrap();
    (dir, vars)
}

/// f32 values of a tensor in a ggml file.
fn tensor_values(info: &model::GgmlInfo, name: &str) -> (Vec<usize>, bool, Vec<f32>) {
    let t = info
        .tensors
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("{name} missing"));
    let bytes = fs::read(&info.path).unwrap();
    let n: usize = t.dims.iter().product();
    let at = t.offset as usize;
    let f16 = t.ttype == model::TensorType::from_code(1).unwrap();
    let vals = if f16 {
        bytes[at..at + 2 * n]
            .chunks(2)
            .map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect()
    } else {
        bytes[at..at + 4 * n]
            .chunks(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    };
    (t.dims.clone(), f16, vals)
}

#[test]
fn converts_tensors_with_whisper_cpp_names_shapes_and_types() {
    let tmp = tempfile::tempdir().unwrap();
    let (ct2, vars) = write_ct2(tmp.path(), 0);
    let out = tmp.path().join("out.bin");
    let stats = model::convert_ct2_dir(&ct2, &out, model::Weights::F16).unwrap();
    assert_eq!(stats.tokens, 4);
    assert_eq!(stats.bytes, fs::metadata(&out).unwrap().len());
    let hp = stats.hparams;
    assert_eq!(
        hp.to_array(),
        [N_VOCAB as i32, 8, D as i32, 2, 1, 5, D as i32, 2, 1, 80, 1]
    );
    assert!(!tmp.path().join("out.bin.partial").exists());

    let info = model::inspect_ggml(&out).unwrap();
    assert_eq!(info.hparams, hp);
    assert_eq!((info.mel_rows, info.mel_cols, info.n_tokens), (80, 201, 4));
    // conv, pos, 1 encoder block (15), ln_post, 2 embeddings, 1 decoder block (24), ln.
    assert_eq!(info.tensors.len(), 5 + 15 + 2 + 2 + 24 + 2);
    assert_eq!(stats.tensors, info.tensors.len());

    let src = |n: &str| &vars[n].values;
    let (dims, f16, q) = tensor_values(&info, "encoder.blocks.0.attn.query.weight");
    assert_eq!((dims, f16), (vec![D, D], true));
    let fused = src("encoder/layer_0/self_attention/linear_0/weight");
    assert_eq!(q, fused[..D * D]);
    let (_, _, k) = tensor_values(&info, "encoder.blocks.0.attn.key.weight");
    assert_eq!(k, fused[D * D..2 * D * D]);
    let (_, f16, vb) = tensor_values(&info, "decoder.blocks.0.attn.value.bias");
    assert!(!f16);
    assert_eq!(
        vb,
        src("decoder/layer_0/self_attention/linear_0/bias")[2 * D..]
    );
    assert!(!info.tensors.iter().any(|t| t.name.ends_with("key.bias")));
    let (_, _, cv) = tensor_values(&info, "decoder.blocks.0.cross_attn.value.weight");
    assert_eq!(
        cv,
        src("decoder/layer_0/attention/linear_1/weight")[D * D..]
    );

    let (dims, f16, cb) = tensor_values(&info, "encoder.conv1.bias");
    assert_eq!((dims, f16), (vec![D, 1], false));
    assert_eq!(&cb, src("encoder/conv1/bias"));
    let (dims, f16, _) = tensor_values(&info, "encoder.conv1.weight");
    assert_eq!((dims, f16), (vec![D, 80, 3], true));
    let (_, f16, _) = tensor_values(&info, "decoder.positional_embedding");
    assert!(!f16);
    // f32 source written as f16.
    let (dims, f16, m) = tensor_values(&info, "encoder.blocks.0.mlp.0.weight");
    assert_eq!((dims, f16), (vec![4 * D, D], true));
    assert_eq!(&m, src("encoder/layer_0/ffn/linear_0/weight"));
    let (_, _, ln) = tensor_values(&info, "decoder.ln.weight");
    assert_eq!(&ln, src("decoder/layer_norm/gamma"));
}

#[test]
fn truncated_model_is_reported_with_its_path_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let (ct2, _) = write_ct2(tmp.path(), 4);
    let bin = ct2.join("model.bin");
    let full = fs::read(&bin).unwrap();
    fs::write(&bin, &full[..full.len() * 2 / 3]).unwrap();
    let out = tmp.path().join("models").join("ggml-x.bin");
    let err = model::convert_ct2_dir(&ct2, &out, model::Weights::F16).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, ModelError::Truncated { .. }), "{msg}");
    assert!(
        msg.contains(&bin.display().to_string()) && msg.contains("truncated"),
        "{msg}"
    );
    assert!(!out.exists());
    assert!(!out.with_file_name("ggml-x.bin.partial").exists());
}

#[test]
fn quantized_weights_are_refused_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let (ct2, _) = write_ct2(tmp.path(), 1);
    let out = tmp.path().join("o.bin");
    let msg = model::convert_ct2_dir(&ct2, &out, model::Weights::F16)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("quantized") && msg.contains("ffn/linear_0/weight"),
        "{msg}"
    );
    assert!(!out.exists());
}

#[test]
fn missing_vocabulary_names_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let (ct2, _) = write_ct2(tmp.path(), 4);
    fs::remove_file(ct2.join("vocabulary.txt")).unwrap();
    let msg = model::convert_ct2_dir(&ct2, &tmp.path().join("o.bin"), model::Weights::F16)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("vocabulary.txt") && msg.contains("missing"),
        "{msg}"
    );
}

#[test]
fn import_list_and_verify_track_checksums() {
    let tmp = tempfile::tempdir().unwrap();
    let (ct2, _) = write_ct2(tmp.path(), 4);
    let models = tmp.path().join("models");
    assert!(model::list(&models).unwrap().is_empty());

    // The synthetic model has 1 layer, so it is named after that.
    let a = model::import(&models, &ct2, false).unwrap();
    assert_eq!(a.name, "custom-1layers");
    assert!(a.verified);
    assert_eq!(a.sha256, model::sha256_file(&a.path).unwrap());
    assert_eq!(model::verify(&models, &a.name).unwrap(), a);

    // Importing the ggml file from elsewhere lands on the same name and checksum.
    let copy = tmp.path().join("elsewhere.bin");
    fs::copy(&a.path, &copy).unwrap();
    let b = model::import(&models, &copy, false).unwrap();
    assert_eq!(
        (b.path.clone(), b.sha256.clone()),
        (a.path.clone(), a.sha256.clone())
    );

    let listed = model::list(&models).unwrap();
    assert_eq!(listed, vec![a.clone()]);

    // A changed byte is noticed by list and refused by verify.
    let mut bytes = fs::read(&a.path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    fs::write(&a.path, &bytes).unwrap();
    assert!(!model::list(&models).unwrap()[0].verified);
    let msg = model::verify(&models, &a.name).unwrap_err().to_string();
    assert!(
        msg.contains("sha256") && msg.contains(&a.path.display().to_string()),
        "{msg}"
    );

    let msg = model::verify(&models, "base").unwrap_err().to_string();
    assert!(
        msg.contains("not installed") && msg.contains("model install base"),
        "{msg}"
    );
}

#[test]
fn import_rejects_a_cut_ggml_file_and_foreign_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (ct2, _) = write_ct2(tmp.path(), 4);
    let good = tmp.path().join("good.bin");
    model::convert_ct2_dir(&ct2, &good, model::Weights::F16).unwrap();
    let bytes = fs::read(&good).unwrap();
    let cut = tmp.path().join("cut.bin");
    fs::write(&cut, &bytes[..bytes.len() - 10]).unwrap();
    let models = tmp.path().join("models");
    let msg = model::import(&models, &cut, false).unwrap_err().to_string();
    assert!(
        msg.contains("cut.bin") && msg.contains("truncated"),
        "{msg}"
    );

    let junk = tmp.path().join("notes.txt");
    fs::write(&junk, "hello").unwrap();
    let msg = model::import(&models, &junk, false)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("notes.txt") && msg.contains("neither"),
        "{msg}"
    );
    assert!(model::list(&models).unwrap().is_empty());
}

#[test]
fn models_dir_follows_the_environment() {
    // Only this test touches the variable.
    unsafe { std::env::set_var(model::MODELS_ENV, "/srv/whisper") };
    assert_eq!(model::models_dir(), PathBuf::from("/srv/whisper"));
    unsafe { std::env::remove_var(model::MODELS_ENV) };
    assert!(model::models_dir().ends_with("models"));
}

/// Where the header of each tensor of a ggml file starts: the cut points that keep every
/// tensor before them whole.
fn tensor_starts(info: &model::GgmlInfo) -> Vec<u64> {
    let mut starts = vec![];
    for (i, t) in info.tensors.iter().enumerate() {
        let header = 12 + 4 * t.dims.len() as u64 + t.name.len() as u64;
        starts.push(t.offset - header);
        if i + 1 == info.tensors.len() {
            assert_eq!(t.offset + t.nbytes, info.size);
        }
    }
    starts
}

#[test]
fn import_rejects_a_ggml_file_cut_at_a_tensor_boundary() {
    let tmp = tempfile::tempdir().unwrap();
    let (ct2, _) = write_ct2(tmp.path(), 4);
    let good = tmp.path().join("good.bin");
    model::convert_ct2_dir(&ct2, &good, model::Weights::F16).unwrap();
    let info = model::inspect_ggml(&good).unwrap();
    let bytes = fs::read(&good).unwrap();
    let models = tmp.path().join("models");
    let starts = tensor_starts(&info);
    // After the vocabulary, halfway, and just before the last tensor.
    for at in [starts[0], starts[starts.len() / 2], *starts.last().unwrap()] {
        let cut = tmp.path().join("cut.bin");
        fs::write(&cut, &bytes[..at as usize]).unwrap();
        let msg = model::inspect_ggml(&cut).unwrap_err().to_string();
        assert!(
            msg.contains("cut.bin") && msg.contains("truncated") && msg.contains("tensor"),
            "cut at {at}: {msg}"
        );
        let msg = model::import(&models, &cut, false).unwrap_err().to_string();
        assert!(
            msg.contains("cut.bin") && msg.contains("truncated"),
            "{msg}"
        );
    }
    let missing_last = model::inspect_ggml(&tmp.path().join("cut.bin"))
        .unwrap_err()
        .to_string();
    assert!(missing_last.contains("decoder.ln.bias"), "{missing_last}");
    assert!(model::list(&models).unwrap().is_empty());
}

#[test]
fn import_rejects_a_ggml_file_with_a_tensor_too_many_or_renamed() {
    let tmp = tempfile::tempdir().unwrap();
    let (ct2, _) = write_ct2(tmp.path(), 4);
    let good = tmp.path().join("good.bin");
    model::convert_ct2_dir(&ct2, &good, model::Weights::F16).unwrap();
    let info = model::inspect_ggml(&good).unwrap();
    let bytes = fs::read(&good).unwrap();
    let last = info.tensors.last().unwrap();
    let start = tensor_starts(&info).pop().unwrap() as usize;
    // The last tensor twice: sizes all consistent, but whisper.cpp would count it twice.
    let twice = tmp.path().join("twice.bin");
    fs::write(&twice, [&bytes[..], &bytes[start..]].concat()).unwrap();
    let msg = model::inspect_ggml(&twice).unwrap_err().to_string();
    assert!(
        msg.contains("twice.bin") && msg.contains(&last.name) && msg.contains("twice"),
        "{msg}"
    );
    // A renamed tensor of the same length.
    let mut renamed = bytes.clone();
    let name_at = last.offset as usize - last.name.len();
    renamed[name_at..name_at + 7].copy_from_slice(b"xecoder");
    let path = tmp.path().join("renamed.bin");
    fs::write(&path, &renamed).unwrap();
    let msg = model::import(&tmp.path().join("models"), &path, false)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("renamed.bin") && msg.contains("xecoder.ln.bias"),
        "{msg}"
    );
}

#[test]
fn import_rejects_nan_filled_weights_in_ct2_and_ggml_files() {
    let tmp = tempfile::tempdir().unwrap();
    let mut vars = whisper_vars(4);
    let damaged = "encoder/layer_0/ffn/linear_0/weight";
    vars.get_mut(damaged).unwrap().values.fill(f32::NAN);
    let (ct2, _) = write_ct2_vars(&tmp.path().join("nan-ct2"), vars);
    let models = tmp.path().join("models");
    let msg = model::import(&models, &ct2, false).unwrap_err().to_string();
    let bin = ct2.join("model.bin");
    assert!(
        msg.contains(&bin.display().to_string()) && msg.contains(damaged) && msg.contains("NaN"),
        "{msg}"
    );
    assert!(model::list(&models).unwrap().is_empty());

    let (good_ct2, _) = write_ct2(tmp.path(), 4);
    let good = tmp.path().join("good.bin");
    model::convert_ct2_dir(&good_ct2, &good, model::Weights::F16).unwrap();
    let info = model::inspect_ggml(&good).unwrap();
    let t = info
        .tensors
        .iter()
        .find(|t| t.name == "decoder.blocks.0.mlp.0.weight")
        .unwrap();
    let mut bytes = fs::read(&good).unwrap();
    let at = t.offset as usize;
    for b in bytes[at..at + t.nbytes as usize].chunks_mut(2) {
        b.copy_from_slice(&half::f16::NAN.to_le_bytes());
    }
    let nan = tmp.path().join("nan.bin");
    fs::write(&nan, &bytes).unwrap();
    let msg = model::import(&models, &nan, false).unwrap_err().to_string();
    assert!(
        msg.contains("nan.bin") && msg.contains(&t.name) && msg.contains("NaN"),
        "{msg}"
    );
    assert!(model::list(&models).unwrap().is_empty());
}

#[test]
fn import_replaces_an_installed_model_only_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    let models = tmp.path().join("models");
    let (ct2, _) = write_ct2(tmp.path(), 4);
    let first = model::import(&models, &ct2, false).unwrap();

    let mut vars = whisper_vars(4);
    vars.get_mut("decoder/layer_norm/beta").unwrap().values[0] = 3.0;
    let (other, _) = write_ct2_vars(&tmp.path().join("other-ct2"), vars);
    let err = model::import(&models, &other, false).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, ModelError::Exists { .. }), "{msg}");
    assert!(
        msg.contains(&first.path.display().to_string())
            && msg.contains("already")
            && msg.contains("--force"),
        "{msg}"
    );
    assert_eq!(model::verify(&models, &first.name).unwrap(), first);

    // The same holds for a ggml file of another model with the same shape.
    let other_ggml = tmp.path().join("other.bin");
    model::convert_ct2_dir(&other, &other_ggml, model::Weights::F16).unwrap();
    let msg = model::import(&models, &other_ggml, false)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("--force"), "{msg}");
    assert_eq!(model::verify(&models, &first.name).unwrap(), first);

    // Even with --force, a damaged model never replaces a working one.
    let bytes = fs::read(&other_ggml).unwrap();
    let cut = tmp.path().join("cut.bin");
    fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    assert!(model::import(&models, &cut, true).is_err());
    assert_eq!(model::verify(&models, &first.name).unwrap(), first);

    let replaced = model::import(&models, &other, true).unwrap();
    assert_eq!(replaced.path, first.path);
    assert_ne!(replaced.sha256, first.sha256);
    assert_eq!(model::verify(&models, &first.name).unwrap(), replaced);
}
