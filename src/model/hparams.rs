//! Whisper hyper-parameters as whisper.cpp's ggml header stores them, and the model name they
//! imply.

use serde::Serialize;

/// The eleven `i32` values after the ggml magic, in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Hparams {
    pub n_vocab: i32,
    pub n_audio_ctx: i32,
    pub n_audio_state: i32,
    pub n_audio_head: i32,
    pub n_audio_layer: i32,
    pub n_text_ctx: i32,
    pub n_text_state: i32,
    pub n_text_head: i32,
    pub n_text_layer: i32,
    pub n_mels: i32,
    /// 1 = weight matrices in f16 (all callgrade writes).
    pub ftype: i32,
}

/// Vocabulary size of the English-only Whisper models; multilingual ones have one more token.
const ENGLISH_ONLY_VOCAB: i32 = 51864;

impl Hparams {
    /// In file order.
    pub fn to_array(self) -> [i32; 11] {
        [
            self.n_vocab,
            self.n_audio_ctx,
            self.n_audio_state,
            self.n_audio_head,
            self.n_audio_layer,
            self.n_text_ctx,
            self.n_text_state,
            self.n_text_head,
            self.n_text_layer,
            self.n_mels,
            self.ftype,
        ]
    }

    /// From file order.
    pub fn from_array(a: [i32; 11]) -> Hparams {
        Hparams {
            n_vocab: a[0],
            n_audio_ctx: a[1],
            n_audio_state: a[2],
            n_audio_head: a[3],
            n_audio_layer: a[4],
            n_text_ctx: a[5],
            n_text_state: a[6],
            n_text_head: a[7],
            n_text_layer: a[8],
            n_mels: a[9],
            ftype: a[10],
        }
    }

    /// Whisper's own size name (`tiny`, `base`, …, with `.en` for English-only models), the
    /// same rule whisper.cpp uses to print the model type.
    pub fn model_name(&self) -> String {
        let size = match self.n_audio_layer {
            4 => "tiny",
            6 => "base",
            12 => "small",
            24 => "medium",
            32 if self.n_mels == 128 => "large-v3",
            32 => "large",
            n => return format!("custom-{n}layers"),
        };
        if self.n_vocab == ENGLISH_ONLY_VOCAB {
            format!("{size}.en")
        } else {
            size.to_string()
        }
    }
}
