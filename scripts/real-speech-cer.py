#!/usr/bin/env python3
"""Real speech: callgrade's transcripts against faster-whisper's, on the same clips.

Fetches the clips (scripts/fetch-real-speech.sh), then transcribes every clip of
eval/real/truth.tsv twice, as published ("clean") and as a telephone line carries it ("tel":
8 kHz mu-law, 300-3400 Hz, line noise), with `callgrade transcribe` and with faster-whisper
(int8, vad_filter=True) running the same Whisper base weights that `callgrade model install
base` left in the models cache. callgrade transcribes everything in one process per language
and staff channel, faster-whisper in this one, each loading its model once. It prints per clip
the character error rate (Mandarin: after mapping Traditional to Simplified on both sides and
dropping punctuation and spaces) or word error rate (English), the totals per engine, band,
language and clip source, the seconds each engine spent per clip (model loads not counted), and
the clips that came back empty.
Then it checks the calls built from the clips: rings counted, text recovered, whose side each
line was heard on.

faster-whisper runs in its own virtual environment (default target/fw-venv), which this
script creates with pip the first time. Results are cached per engine and audio file, keyed by
the callgrade binary's checksum, so a rerun with an unchanged binary takes seconds.

Usage: scripts/real-speech-cer.py [--clips DIR] [--callgrade BIN] [--venv DIR] [--fresh] [--texts]
                                  [--language zh|en]
"""

import argparse
import csv
import hashlib
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts", "lib"))
from fw import FasterWhisper, align, base_model_dir, ensure_venv, units  # noqa: E402


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clips", default=os.path.join(ROOT, "target", "real-speech"),
                   help="where the clips are fetched and built (default target/real-speech)")
    p.add_argument("--callgrade", default=os.path.join(ROOT, "target", "release", "callgrade"))
    p.add_argument("--venv", default=os.path.join(ROOT, "target", "fw-venv"),
                   help="virtual environment for faster-whisper (created if missing)")
    p.add_argument("--models", default=os.environ.get("CALLGRADE_MODELS", os.path.join(ROOT, "models")),
                   help="callgrade's models folder; its .cache holds the base model's wheels")
    p.add_argument("--fresh", action="store_true", help="transcribe again, ignoring cached results")
    p.add_argument("--texts", action="store_true", help="print the truth and both transcripts of every clip")
    p.add_argument("--threads", type=int, default=1,
                   help="threads for each engine (default 1: on a busy machine whisper.cpp's threads "
                        "spin-wait for each other, and one thread was several times faster than two)")
    p.add_argument("--language", choices=["zh", "en"],
                   help="measure only the clips and calls in this language (default both)")
    return p.parse_args()


# ------------------------------------------------------------------------------- engines

SEGMENT = re.compile(r"^\[\s*([\d.]+) → \s*([\d.]+)\] (\S+)\s+(.*)$")
HEADER = re.compile(r"^(.*): [\d.]+ s, (\d+) ring\(s\) before pickup, transcribed in ([\d.]+) s$")


def run_callgrade(binary, paths, lang, channel, models, threads):
    """Transcribes `paths` in one `callgrade transcribe` process (the model loads once).

    Returns ({path: result}, wall seconds of the whole process). Each result's seconds are
    callgrade's own figure for that file (decoding, speech finding, Whisper), without the
    model load, as faster-whisper's are."""
    cmd = [binary, "transcribe", "--language", lang, "--staff-channel", channel, "--threads", str(threads),
           *paths]
    t0 = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "CALLGRADE_MODELS": models})
    wall = time.monotonic() - t0
    results, current = {}, None
    for line in r.stdout.splitlines():
        h = HEADER.match(line)
        if h and h.group(1) in paths:
            current = {"segments": [], "rings": int(h.group(2)), "seconds": float(h.group(3))}
            results[h.group(1)] = current
            continue
        m = SEGMENT.match(line)
        # Segments callgrade drops as invented are not part of its transcript.
        if m and current is not None and not m.group(4).endswith("(dropped: likely invented)"):
            current["segments"].append({"start": float(m.group(1)), "end": float(m.group(2)),
                                        "speaker": m.group(3), "text": m.group(4)})
    errors = [l for l in r.stderr.splitlines() if l.strip()]
    for p in paths:
        if p not in results:
            mine = [l for l in errors if p in l]
            results[p] = {"error": " ".join(mine or errors) or f"exit code {r.returncode}", "seconds": 0.0}
    return results, wall


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


class Cache:
    """Transcripts per (engine version, audio file), so reruns only re-score."""

    def __init__(self, path, fresh):
        self.path = path
        self.data = {} if fresh or not os.path.exists(path) else json.load(open(path, encoding="utf-8"))

    def __contains__(self, key):
        return key in self.data

    def put(self, key, value):
        self.data[key] = value
        with open(self.path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(self.data, f, ensure_ascii=False)
        os.replace(self.path + ".tmp", self.path)

    def get(self, key, make):
        if key not in self.data:
            self.put(key, make())
        return self.data[key]


# -------------------------------------------------------------------------------- report

def text_of(result):
    return " ".join(s["text"] for s in result.get("segments", []))


def rate(errors, n):
    return f"{100 * errors / n:5.1f}%" if n else "    -"


def main():
    # Each line as soon as it is known: a full run takes a while on a busy machine.
    sys.stdout.reconfigure(line_buffering=True)
    args = parse_args()
    ensure_venv(os.path.abspath(args.venv), __file__, "real-speech")

    if not os.access(args.callgrade, os.X_OK):
        sys.exit(f"real-speech: {args.callgrade} is missing; build it with `cargo build --release`")
    subprocess.run([os.path.join(ROOT, "scripts", "fetch-real-speech.sh"), args.clips], check=True)
    clips = os.path.abspath(args.clips)
    model_dir = base_model_dir(args.models, os.path.join(ROOT, "target", "fw-base"))
    cg_version = sha256(args.callgrade)[:16]
    import faster_whisper
    fw_version = faster_whisper.__version__
    cache = Cache(os.path.join(clips, "results.json"), args.fresh)
    fw = None

    def faster(path, lang):
        nonlocal fw
        if fw is None:
            fw = FasterWhisper(model_dir, args.threads)
        return fw(path, lang)

    hashes = {}

    def key_of(path, lang, channel):
        if path not in hashes:
            hashes[path] = sha256(path)
        return f"{hashes[path]}/{lang}/{channel}"

    def both(path, lang, channel="mono"):
        key = key_of(path, lang, channel)
        fwr = cache.get(f"faster-whisper {fw_version}/{key}", lambda: faster(path, lang))
        return {"callgrade": cache.data[f"callgrade {cg_version}/{key}"], "faster-whisper": fwr}

    # The fetch script lists the clips it could get (IVR prompts grouped), with their truths.
    truth = list(csv.DictReader(open(os.path.join(clips, "clips.tsv"), encoding="utf-8"), delimiter="\t"))
    source_of = {r["id"]: r["package"] for r in
                 csv.DictReader(open(os.path.join(ROOT, "eval", "real", "truth.tsv"), encoding="utf-8"),
                                delimiter="\t")}

    # callgrade first, one process per language and channel for everything not cached.
    if args.language:
        truth = [t for t in truth if t["language"] == args.language]
    jobs = [(os.path.join(clips, band, t["id"] + ".wav"), t["language"], "mono")
            for t in truth for band in ("clean", "tel")] + call_jobs(clips, args.language)
    todo = {}
    for path, lang, channel in jobs:
        if f"callgrade {cg_version}/{key_of(path, lang, channel)}" not in cache:
            todo.setdefault((lang, channel), []).append(path)
    cg_wall = 0.0
    for (lang, channel), paths in sorted(todo.items()):
        print(f"real-speech: callgrade transcribes {len(paths)} files ({lang}, {channel})", flush=True)
        results, wall = run_callgrade(args.callgrade, paths, lang, channel, args.models, args.threads)
        cg_wall += wall
        for path, result in results.items():
            cache.put(f"callgrade {cg_version}/{key_of(path, lang, channel)}", result)

    engines = ["callgrade", "faster-whisper"]
    print(f"\nReal speech: {len(truth)} clips, Whisper base; callgrade ({args.callgrade}) and faster-whisper "
          f"{fw_version} (int8, vad_filter). CER for zh (Simplified, no punctuation), WER for en.")
    print(f"{'clip':<34} {'lang':<4} {'band':<5} {'callgrade':>9} {'faster-w':>9} {'cg s':>6} {'fw s':>6}")
    totals, empties, errors = {}, [], []
    for t in truth:
        ref = units(t["text"], t["language"])
        for band in ("clean", "tel"):
            path = os.path.join(clips, band, t["id"] + ".wav")
            res = both(path, t["language"])
            row = []
            for e in engines:
                r = res[e]
                if "error" in r:
                    errors.append(f"{e} {band}/{t['id']}: {r['error']}")
                hyp = units(text_of(r), t["language"])
                s, d, i = align(ref, hyp)
                if not hyp:
                    empties.append(f"{e} {band}/{t['id']}")
                source = source_of.get(t["members"].split()[0], "?")
                for k in ((e, band, t["language"], "all"), (e, band, t["language"], source)):
                    tot = totals.setdefault(k, [0, 0, 0.0, 0])
                    tot[0] += s + d + i
                    tot[1] += len(ref)
                    tot[2] += r["seconds"]
                    tot[3] += 1
                row.append((s + d + i, r["seconds"], text_of(r)))
            print(f"{t['id']:<34} {t['language']:<4} {band:<5} {rate(row[0][0], len(ref)):>9} "
                  f"{rate(row[1][0], len(ref)):>9} {row[0][1]:6.1f} {row[1][1]:6.1f}")
            if args.texts:
                print(f"    truth           {t['text']}")
                for e, (_, _, text) in zip(engines, row):
                    print(f"    {e:<15} {text}")

    print("\nTotals (errors / reference units; seconds per clip summed, model loads not counted):")
    print(f"{'engine':<15} {'band':<5} {'lang':<4} {'source':<32} {'clips':>5} {'error':>7} {'seconds':>8}")
    for k in sorted(totals, key=lambda k: (k[2], k[3] != "all", k[3], k[1], k[0])):
        e, band, lang, source = k
        errs, n, secs, count = totals[k]
        label = "CER" if lang == "zh" else "WER"
        print(f"{e:<15} {band:<5} {lang:<4} {source:<32} {count:>5} {rate(errs, n):>7} {secs:8.1f}  {label}")
    if fw is not None:
        print(f"(faster-whisper loaded its model once, in {fw.load_seconds:.1f} s)")
    if cg_wall:
        print(f"(callgrade ran {len(todo)} processes, {cg_wall:.1f} s wall in all, model loads included)")
    print("Empty transcripts: " + (", ".join(empties) if empties else "none"))
    for e in errors:
        print("Failed: " + e)

    calls_report(clips, both, args.language)


def calls(clips):
    """(set folder, labels, manifest) of each set of built calls."""
    out = []
    calls_dir = os.path.join(clips, "calls")
    for set_name in sorted(os.listdir(calls_dir)):
        d = os.path.join(calls_dir, set_name)
        labels = json.load(open(os.path.join(d, "labels.json"), encoding="utf-8"))
        manifest = {r["file"]: r for r in csv.DictReader(open(os.path.join(d, "2026Q4", "manifest.csv"),
                                                               encoding="utf-8"))}
        out.append((d, labels, manifest))
    return out


def call_jobs(clips, language=None):
    """(path, language, staff channel) of every built call (in `language`, if given)."""
    return [(os.path.join(d, "2026Q4", name), lab["language"], manifest[name]["staff_channel"])
            for d, labels, manifest in calls(clips) for name, lab in sorted(labels.items())
            if language in (None, lab["language"])]


def calls_report(clips, both, language):
    """The built calls: rings as counted, the whole text recovered, each line on its speaker's side."""
    print("\nCalls built from the real clips (truth by construction; faster-whisper hears the mono mix):")
    print(f"{'call':<16} {'format':<11} {'rings':>5} {'cg':>3} {'cg text':>8} {'fw text':>8} {'cg lost':>8}"
          f" {'cg extra':>8} {'sides ok':>8}")
    all_rings = all_text = 0
    count = 0
    for d, labels, manifest in calls(clips):
        for name, lab in sorted(labels.items()):
            lang = lab["language"]
            if language not in (None, lang):
                continue
            channel = manifest[name]["staff_channel"]
            res = both(os.path.join(d, "2026Q4", name), lang, channel)
            cg, fwr = res["callgrade"], res["faster-whisper"]
            ref = units(lab["text"], lang)
            cs, cd, ci = align(ref, units(text_of(cg), lang))
            fs, fd, fi = align(ref, units(text_of(fwr), lang))
            # Whose side: on stereo calls, the staff/caller label of the segment that covers the
            # middle of each line must match the line's speaker.
            sides = "-"
            if channel != "mono":
                ok = n = 0
                for line in lab["lines"]:
                    mid = (line["start"] + line["end"]) / 2
                    seg = [s for s in cg.get("segments", []) if s["start"] - 0.5 <= mid <= s["end"] + 0.5]
                    n += 1
                    ok += bool(seg) and seg[0]["speaker"] == line["speaker"]
                sides = f"{ok}/{n}"
            count += 1
            all_rings += cg.get("rings") == lab["rings"]
            lost = (cs + cd) / len(ref)
            all_text += lost <= 0.25
            print(f"{name:<16} {lab['format']:<11} {lab['rings']:>5} {str(cg.get('rings')):>3} "
                  f"{rate(cs + cd + ci, len(ref)):>8} {rate(fs + fd + fi, len(ref)):>8} "
                  f"{rate(cs + cd, len(ref)):>8} {ci:>8} {sides:>8}")
            if "error" in cg:
                print(f"  callgrade failed: {cg['error']}")
    print(f"Rings agree in {all_rings}/{count} calls; callgrade keeps at least 75% of the text "
          f"in {all_text}/{count} (lost = substituted or missing units; extra = inserted units).")


if __name__ == "__main__":
    main()
