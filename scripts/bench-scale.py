#!/usr/bin/env python3
"""The scale check: a campaign of N calls (default 1,000) made by repeating the demo calls.

Each copy is a distinct recording (copy k starts with k more samples of silence, so its
content hash differs and nothing is deduplicated). The script runs `callgrade run` on it with
progress lines (CALLGRADE_PROGRESS=lines), samples the process's resident memory (VmRSS) every
half second, and prints:

- throughput per tenth of the calls (calls per minute, audio seconds per wall second);
- resident memory per tenth and at its peak, against the model file's size + 300 MB;
- the ETA the progress display showed once 10% of the calls were done, against the time the
  rest really took (time to the stop, plus the resumed run);
- Ctrl-C: at --stop-at (default 50%) of the calls it sends SIGINT, expects the run to finish
  the calls in flight and exit 130, then runs the same command again and checks that the
  database holds every call exactly once, all scored, and that the second run transcribed only
  the calls the first did not store.

Usage: scripts/bench-scale.py [--calls N] [--model tiny.en|base|PATH] [--jobs J] [--stop-at 0.5]
                              [--work DIR]
"""

import argparse
import csv
import os
import re
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(ROOT, "recordings", "demo")
PROGRESS = re.compile(r"^progress (\d+)/(\d+) elapsed ([\d.]+)(?: eta ([\d.]+))?$")
# A sample of silence in each WAV encoding the demo uses (format tag → byte).
SILENCE = {1: 0x00, 6: 0xD5, 7: 0xFF}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--calls", type=int, default=1000)
    p.add_argument("--model", default="tiny.en", help="tiny.en (default), base, or a ggml file")
    p.add_argument("--jobs", type=int, help="`callgrade run --jobs` (default: callgrade's)")
    p.add_argument("--stop-at", type=float, default=0.5,
                   help="share of the calls after which Ctrl-C is sent (0 = never)")
    p.add_argument("--callgrade", default=os.path.join(ROOT, "target", "release", "callgrade"))
    p.add_argument("--models", default=os.environ.get("CALLGRADE_MODELS", os.path.join(ROOT, "models")))
    p.add_argument("--work", default=os.path.join(ROOT, "target", "bench-scale"),
                   help="where the campaign and its database are written (replaced each run)")
    return p.parse_args()


# ------------------------------------------------------------------------------ campaign

def with_leading_silence(data, samples):
    """The WAV file `data` with `samples` frames of silence before its audio."""
    out, pos, align = bytearray(data[:12]), 12, None
    tag = 1
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        body = data[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            tag, channels = struct.unpack("<HH", body[:4])
            align = struct.unpack("<H", body[12:14])[0]
        elif cid == b"fact":
            body = struct.pack("<I", struct.unpack("<I", body[:4])[0] + samples) + body[4:]
        elif cid == b"data":
            if align is None:
                raise ValueError("data chunk before fmt chunk")
            body = bytes([SILENCE[tag]]) * (samples * align) + body
        out += cid + struct.pack("<I", len(body)) + body + (b"\0" if len(body) % 2 else b"")
        pos += 8 + size + (size % 2)
    struct.pack_into("<I", out, 4, len(out) - 8)
    return bytes(out)


def build_campaign(folder, n):
    """N copies of the demo calls, each a different recording; returns the manifest path."""
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    rows = list(csv.DictReader(open(os.path.join(DEMO, "manifest.csv"), encoding="utf-8")))
    sources = {r["file"]: open(os.path.join(DEMO, r["file"]), "rb").read() for r in rows}
    manifest = os.path.join(folder, "manifest.csv")
    with open(manifest, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        for i in range(n):
            row = dict(rows[i % len(rows)])
            copy = i // len(rows)
            name = f"c{i:05d}-{row['file']}"
            with open(os.path.join(folder, name), "wb") as out:
                out.write(with_leading_silence(sources[row["file"]], copy + 1))
            row["file"] = name
            w.writerow(row)
    return manifest


# ------------------------------------------------------------------------------- running

class Run:
    """One `callgrade run` with its progress lines and memory samples."""

    def __init__(self, cmd, env, stop_after=None):
        self.started = time.monotonic()
        self.proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env,
                                     text=True)
        self.progress = []  # (done, total, elapsed per callgrade, eta or None)
        self.rss = []  # (seconds since start, MB)
        self.other = []
        self.stopped_at = None
        self.stop_after = stop_after
        sampler = threading.Thread(target=self.sample, daemon=True)
        sampler.start()
        for line in self.proc.stderr:
            m = PROGRESS.match(line.strip())
            if not m:
                self.other.append(line.rstrip())
                continue
            done, total = int(m.group(1)), int(m.group(2))
            self.progress.append((done, total, float(m.group(3)), float(m.group(4)) if m.group(4) else None))
            if self.stop_after and done >= self.stop_after and self.stopped_at is None:
                self.stopped_at = time.monotonic() - self.started
                self.proc.send_signal(signal.SIGINT)
        self.code = self.proc.wait()
        self.wall = time.monotonic() - self.started
        sampler.join()

    def sample(self):
        status = f"/proc/{self.proc.pid}/status"
        while self.proc.poll() is None:
            try:
                for line in open(status):
                    if line.startswith("VmRSS:"):
                        self.rss.append((time.monotonic() - self.started, int(line.split()[1]) / 1024))
            except OSError:
                break
            time.sleep(0.5)


def db_check(db, n):
    con = sqlite3.connect(db)
    q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    facts = {
        "calls": q("SELECT COUNT(*) FROM calls"),
        "distinct files": q("SELECT COUNT(DISTINCT file) FROM calls"),
        "scored": q("SELECT COUNT(*) FROM calls WHERE status = 'scored'"),
        "failed": q("SELECT COUNT(*) FROM calls WHERE status = 'failed'"),
        "scores": q("SELECT COUNT(*) FROM call_scores"),
        "transcripts": q("SELECT COUNT(*) FROM transcripts"),
        "audio seconds": q("SELECT COALESCE(SUM(json_extract(audio_facts, '$.duration')), 0) FROM calls"),
    }
    con.close()
    return facts


def main():
    sys.stdout.reconfigure(line_buffering=True)
    args = parse_args()
    if not os.access(args.callgrade, os.X_OK):
        sys.exit(f"bench-scale: {args.callgrade} is missing; build it with `cargo build --release`")
    model_file = args.model if os.path.exists(args.model) else os.path.join(args.models, f"ggml-{args.model}.bin")
    if not os.path.exists(model_file):
        sys.exit(f"bench-scale: {model_file} is missing; run `callgrade model install {args.model}` first")
    folder = os.path.join(os.path.abspath(args.work), f"{args.calls}-calls")
    print(f"bench-scale: building {args.calls} calls from the demo in {folder}", flush=True)
    manifest = build_campaign(folder, args.calls)
    db = os.path.join(folder, "scale.db")
    cmd = [args.callgrade, "run", manifest, "--campaign", "scale", "--rubric",
           os.path.join(ROOT, "rubrics", "courtesy-en.toml"), "--db", db, "--model", model_file]
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    env = {**os.environ, "CALLGRADE_MODELS": args.models, "CALLGRADE_PROGRESS": "lines"}
    stop_after = int(args.calls * args.stop_at) if args.stop_at > 0 else None
    print(f"bench-scale: {' '.join(cmd)}" + (f" (Ctrl-C after {stop_after} calls)" if stop_after else ""),
          flush=True)
    first = Run(cmd, env, stop_after)
    after_first = db_check(db, args.calls)
    second = Run(cmd, env) if first.stopped_at is not None else None
    final = db_check(db, args.calls)
    report(args, model_file, first, second, after_first, final)


def report(args, model_file, first, second, after_first, final):
    n = args.calls
    runs = [r for r in (first, second) if r]
    # Progress over both runs as one sequence: (calls done in all, seconds since the first start).
    timeline = [(d, e) for d, _, e, _ in first.progress]
    stored = timeline[-1][0] if timeline else 0
    if second:
        offset = second.started - first.started
        timeline += [(stored + d, offset + e) for d, _, e, _ in second.progress]
    print(f"\nScale check: {n} calls (the demo calls repeated), model {os.path.basename(model_file)}, "
          f"{os.cpu_count()} cores, load average now {os.getloadavg()[0]:.1f}")
    audio = final["audio seconds"]
    total_wall = sum(r.wall for r in runs)
    print(f"audio {audio:.0f} s in {total_wall:.0f} s of wall time over {len(runs)} run(s): "
          f"{audio / total_wall:.2f} audio s per wall s, {60 * n / total_wall:.1f} calls/min")

    print("\nPer tenth of the calls (throughput from the calls' finish times; memory sampled in that stretch):")
    print(f"{'calls':>11} {'wall s':>8} {'calls/min':>10} {'RSS MB':>8}")
    model_mb = os.path.getsize(model_file) / 2**20
    rss_all = [(r.started - first.started + t, mb) for r in runs for t, mb in r.rss]
    prev_d, prev_t = 0, 0.0
    for k in range(1, 11):
        want = n * k // 10
        hit = next(((d, t) for d, t in timeline if d >= want), None)
        if not hit:
            break
        d, t = hit
        # The resume's model load falls in the stretch across the stop.
        mem = [mb for s, mb in rss_all if prev_t <= s <= t]
        print(f"{prev_d + 1:>5}-{d:<5} {t - prev_t:8.1f} {60 * (d - prev_d) / max(t - prev_t, 1e-9):10.1f} "
              f"{max(mem) if mem else 0:8.0f}")
        prev_d, prev_t = d, t
    peak = max((mb for _, mb in rss_all), default=0)
    print(f"peak RSS {peak:.0f} MB; model file {model_mb:.0f} MB; limit model + 300 MB = {model_mb + 300:.0f} MB: "
          + ("within" if peak <= model_mb + 300 else "OVER"))

    tenth = next(((d, tot, e, eta) for d, tot, e, eta in first.progress if d >= n // 10 and eta is not None), None)
    if tenth:
        d, _, e, eta = tenth
        # What was really left: the rest of the first run, then the whole resumed run.
        at = first.started + e
        end = (second.started + second.wall) if second else (first.started + first.wall)
        left = end - at
        print(f"\nETA after {d} calls ({100 * d / n:.0f}%): shown {eta:.0f} s, really {left:.0f} s "
              f"({100 * (eta - left) / left:+.0f}%)" + (" (the rest includes the stop and the resumed run's "
                                                         "start-up)" if second else ""))

    if first.stopped_at is not None:
        print(f"\nCtrl-C after {args.calls * args.stop_at:.0f} calls: first run exit code {first.code} "
              f"(130 expected), {after_first['scores']} calls stored, {after_first['failed']} failed; "
              f"{first.wall - first.stopped_at:.1f} s from Ctrl-C to exit")
        for line in first.other:
            if "Ctrl-C" in line or "Stopped" in line:
                print(f"  callgrade said: {line}")
        resumed = second.progress[-1][1] if second and second.progress else 0
        print(f"resumed run: exit code {second.code}, transcribed {resumed} calls "
              f"({n - after_first['scores']} were left)")
        ok = (final["calls"] == n and final["distinct files"] == n and final["scored"] == n
              and final["scores"] == n and resumed == n - after_first["scores"] and first.code == 130)
        print(f"database after the resume: {final['calls']} calls ({final['distinct files']} files), "
              f"{final['scored']} scored, {final['failed']} failed, {final['scores']} scores, "
              f"{final['transcripts']} transcripts: " + ("every call once, none lost or redone" if ok else "PROBLEM"))
    other = [line for r in runs for line in r.other if line.startswith(("error", "failed"))]
    for line in other[:10]:
        print(f"  {line}")


if __name__ == "__main__":
    main()
