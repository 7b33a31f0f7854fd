# The first stress set's scenarios and calls (target/stress-set): sourced by
# scripts/make-stress-set.sh, whose engine (staff, caller, ring, pause, finish, begin_set, end_set)
# renders them. Kept unchanged since it was first measured, so its figures stay comparable.
# shellcheck shell=bash

# The scenarios: one file each, both languages, as a centre's administrator would write them.
write_scenarios() {
  local d=$1
  cat >"$d/branch-hours.toml" <<'EOF'
# 鳳山分處服務時間 / Opening hours of the Fengshan branch.
id = "branch-hours"
title = "鳳山分處服務時間 / Fengshan branch opening hours"
caller_script = [
  "您好，請問你們鳳山分處的服務時間是什麼時候？",
  "Hello, what are the opening hours of your Fengshan branch?",
]

[[point]]
id = "days"
title = "週二至週六 / Tuesday to Saturday"
say = ["星期二到星期六", "週二到週六", "禮拜二到禮拜六", "Tuesday to Saturday", "Tuesday through Saturday"]
wrong = ["星期一到星期五", "週一到週五", "禮拜一到禮拜五", "Monday to Friday", "Monday through Friday", "open on Mondays"]

[[point]]
id = "opens"
title = "上午九點開始 / opens at 9 am"
say = ["九點", "9:00", "nine a.m.", "nine in the morning", "from nine"]
wrong = ["八點半", "8:30", "十點", "10:00", "from ten"]

[[point]]
id = "closes"
title = "晚上六點結束 / closes at 6 pm"
say = ["六點", "18:00", "six p.m.", "six in the evening", "to six"]
wrong = ["五點半", "五點", "17:30", "17:00", "five thirty", "five p.m."]

[[point]]
id = "closed-days"
title = "週日、週一休息 / closed Sunday and Monday"
say = ["星期日和星期一休息", "週日週一休息", "closed on Sundays and Mondays"]
wrong = ["星期六休息", "closed on Saturdays"]
required = false
EOF
  cat >"$d/nursery-subsidy.toml" <<'EOF'
# 托育補助申請方式 / How to apply for the nursery subsidy.
id = "nursery-subsidy"
title = "托育補助申請 / Applying for the nursery subsidy"
caller_script = [
  "你好，請問托育補助要怎麼申請？",
  "Hi, how do I apply for the nursery subsidy?",
]

[[point]]
id = "where"
title = "向區公所或線上申請 / at the district office or online"
say = ["區公所", "線上申請", "district office", "online"]
wrong = ["到我們中心申請", "在我們這裡申請", "apply here at the center", "apply at our center"]

[[point]]
id = "register"
title = "戶口名簿 / household register"
say = ["戶口名簿", "household register", "household registration"]
wrong = ["身分證就可以", "only your ID card"]

[[point]]
id = "bankbook"
title = "存摺封面影本 / copy of the bankbook cover"
say = ["存摺", "bankbook", "bank book", "passbook"]
wrong = ["不用帶存摺", "no bankbook needed"]

[[point]]
id = "review"
title = "約三十天審核 / about thirty days to approve"
say = ["三十天", "30 days", "一個月", "one month", "thirty days"]
wrong = ["一個星期", "一週", "七天", "one week", "seven days"]
required = false
EOF
  cat >"$d/screening-visit.toml" <<'EOF'
# 發展篩檢要帶什麼 / What to bring for a developmental screening.
id = "screening-visit"
title = "發展篩檢應備物品 / Developmental screening: what to bring"
caller_script = [
  "您好，我要帶孩子去做發展篩檢，請問要帶什麼？",
  "Hello, I'm bringing my child for a developmental screening. What should I bring?",
]

[[point]]
id = "booklet"
title = "兒童健康手冊 / child health booklet"
say = ["兒童健康手冊", "健康手冊", "child health booklet", "health booklet"]
wrong = ["不用帶手冊", "no booklet needed"]

[[point]]
id = "nhi-card"
title = "健保卡 / health insurance card"
say = ["健保卡", "health insurance card", "NHI card"]
wrong = ["帶身分證", "your ID card"]

[[point]]
id = "early"
title = "提早十五分鐘報到 / arrive fifteen minutes early"
say = ["十五分鐘", "15 minutes", "fifteen minutes"]
wrong = ["三十分鐘", "半小時", "30 minutes", "thirty minutes", "half an hour"]
EOF
  cat >"$d/branch-parking.toml" <<'EOF'
# 停車位置 / Where to park when visiting.
id = "branch-parking"
title = "停車資訊 / Where to park"
caller_script = [
  "你好，請問去你們那邊車要停哪裡？",
  "Hi, where can I park when I come to your center?",
]

[[point]]
id = "level"
title = "地下二樓停車場 / basement level B2"
say = ["地下二樓", "B2", "basement level two", "level B2", "second basement"]
wrong = ["地下一樓", "B1", "basement level one"]

[[point]]
id = "entrance"
title = "入口在光華路 / entrance on Guanghua Road"
say = ["光華路", "Guanghua Road"]
wrong = ["中山路", "Zhongshan Road"]

[[point]]
id = "free"
title = "第一小時免費 / first hour free"
say = ["第一個小時免費", "一小時免費", "first hour is free", "first hour free"]
wrong = ["兩個小時免費", "前兩個小時免費", "first two hours are free", "two hours free"]

[[point]]
id = "floor"
title = "中心在三樓 / the centre is on the third floor"
say = ["三樓", "third floor", "3rd floor"]
wrong = ["我們在二樓", "我們在四樓", "在四樓", "second floor", "fourth floor"]
EOF
}

# ------------------------------------------------------------------------------ English
Q_HOURS="Hello, what are the opening hours of your Fengshan branch?"
Q_SUBSIDY="Hi, how do I apply for the nursery subsidy?"
Q_SCREEN="Hello, I'm bringing my child for a developmental screening. What should I bring?"
Q_PARK="Hi, where can I park when I come to your center?"
CEN="Children's Welfare Service Center"

english() {
  echo "target/stress-set/en/"
  begin_set en
  cp "$ROOT/rubrics/courtesy-en.toml" "$SET/rubric.toml"

  new_call
  pause 0.4
  ring 2
  staff dana "Good morning, $CEN, Dana speaking."
  pause 0.5
  caller caller-kal "$Q_HOURS"
  pause 0.5
  staff dana "Sure. May I ask your name?"
  pause 0.4
  caller caller-kal "It's Morgan."
  pause 0.4
  staff dana "Thanks, Morgan. The Fengshan branch is open Tuesday to Saturday, from nine in the morning until six in the evening. It is closed on Sundays and Mondays."
  pause 0.5
  caller caller-kal "Great, thank you."
  pause 0.4
  staff dana "Thank you for calling. Goodbye."
  pause 0.6
  finish e01-dana-hours.wav "Dana Whitfield" Administration branch-hours 2026-11-02T09:10:00 pcm16k 1111111111 \
    "baseline: first name only in 'X speaking', everything right"

  new_call
  pause 0.3
  ring 4
  staff marcus "Hi there, Children's Welfare Center, I'm Marcus."
  pause 0.6
  caller caller-espeak "$Q_SUBSIDY"
  pause 0.5
  staff marcus "Okay. You apply at your district office, or online. Bring your household register."
  pause 0.5
  caller caller-espeak "Okay, thanks."
  pause 0.4
  staff marcus "Bye now."
  pause 0.5
  finish e02-marcus-subsidy.wav "Marcus Okafor" Administration nursery-subsidy 2026-11-03T10:20:00 office-ulaw 0111011110 \
    "4 rings; greeting 'Hi there' (unlisted); 'I'm Marcus'; bankbook never mentioned"

  new_call
  pause 0.4
  ring 3
  staff priya "Good afternoon, Kaohsiung $CEN. My name is Priya Raman, how may I help?"
  pause 0.5
  caller caller-kal "$Q_SCREEN"
  pause 0.5
  staff priya "Could I get your name, please?"
  pause 0.4
  caller caller-kal "Yes, it's Quinn."
  pause 0.4
  staff priya "Bear with me while I look that up."
  pause 11
  staff priya "Thank you for waiting."
  pause 0.3
  staff priya "Please bring your child's health booklet and your health insurance card, and come fifteen minutes early."
  pause 0.5
  caller caller-kal "Great, thank you."
  pause 0.4
  staff priya "You're welcome. Have a nice day."
  pause 0.5
  finish e03-priya-screening.wav "Priya Raman" "Early Intervention" screening-visit 2026-11-04T14:05:00 office-stereoulaw 1111111111 \
    "3 rings (limit); unlisted name question 'Could I get your name'; unlisted hold announcement 'Bear with me while I look that up' before 11 s"

  new_call
  pause 0.4
  ring 1
  staff tobias "Hello, $CEN, good morning."
  pause 0.5
  caller caller-espeak "Hello, my name is Toby Bryant. Where can I park when I come to your center?"
  pause 0.5
  staff tobias "You can park in the basement, level B2. The entrance is on Guanghua Road, and the first hour is free. Our office is on the third floor."
  pause 0.5
  caller caller-espeak "Thanks."
  pause 0.4
  staff tobias "Goodbye."
  pause 0.5
  finish e04-tobias-parking.wav "Tobias Brennan" Counseling branch-parking 2026-11-05T11:00:00 pcm16k 1110011111 \
    "mono: the caller introduces himself as Toby Bryant (sounds like the staff's Tobias Brennan); the staff never says a name"

  new_call
  pause 0.4
  ring 2
  staff nora "$CEN."
  pause 0.5
  caller caller-kal "Hi, who am I speaking with?"
  pause 0.4
  staff nora "This is Nora."
  pause 0.5
  caller caller-kal "$Q_HOURS"
  pause 0.5
  staff nora "We're open Monday to Friday, from nine to six."
  pause 0.5
  staff nora "Okay."
  pause 0.3
  caller caller-kal "Thank you, goodbye."
  pause 0.6
  finish e05-nora-hours.wav "Nora Lindqvist" Administration branch-hours 2026-11-06T15:30:00 ulaw 1011011001 \
    "mono: the caller asks 'who am I speaking with' (an ask_name phrase) and says the goodbye; no greeting; wrong weekdays"

  new_call
  pause 0.4
  ring 5
  staff hector "Good evening, this is the $CEN, Hector Alvarez speaking."
  pause 0.5
  caller caller-espeak "$Q_SUBSIDY"
  pause 0.5
  staff hector "Who is calling, please?"
  pause 0.4
  caller caller-espeak "Ellis."
  pause 0.4
  staff hector "Okay."
  pause 12
  staff hector "Thank you for waiting."
  pause 0.3
  staff hector "You apply at the district office. Bring your household register and a copy of your bankbook cover. It takes about thirty days."
  pause 0.5
  caller caller-espeak "Thank you."
  pause 0.4
  staff hector "Thanks for calling."
  pause 0.5
  finish e06-hector-subsidy.wav "Hector Alvarez" Counseling nursery-subsidy 2026-11-09T17:05:00 stereoulaw 0111110111 \
    "5 rings; 12 s hold after only 'Okay.' (unannounced)"

  new_call
  pause 0.4
  ring 2
  staff dana "Hello, $CEN, Whitfield here."
  pause 0.5
  caller caller-kal "$Q_PARK"
  pause 0.5
  staff dana "No idea, you'll have to ask the building management."
  pause 0.5
  caller caller-kal "Oh. Okay."
  pause 0.4
  staff dana "Bye."
  pause 0.5
  finish e07-dana-parking.wav "Dana Whitfield" Administration branch-parking 2026-11-10T10:40:00 stereo16k 1111001110 \
    "surname only, 'Whitfield here' (no built-in frame); dismissive 'No idea, ask the building management' (unlisted); no facts"

  new_call
  pause 0.4
  ring 3
  staff marcus "Good morning, $CEN, Marcus Okafor speaking."
  pause 0.5
  caller caller-espeak "$Q_SCREEN"
  pause 0.5
  staff marcus "And your name is?"
  pause 0.4
  caller caller-espeak "Sophie."
  pause 0.4
  staff marcus "Thanks Sophie. Let me check."
  pause 9
  staff marcus "Thank you for waiting."
  pause 0.3
  staff marcus "Bring the health booklet, and come thirty minutes early."
  pause 0.5
  caller caller-espeak "Thanks."
  pause 0.4
  staff marcus "Thanks for your call, goodbye."
  pause 0.5
  finish e08-marcus-screening.wav "Marcus Okafor" Administration screening-visit 2026-11-11T09:50:00 office-ulaw 1111111100 \
    "3 rings; unlisted name question 'And your name is?'; 9 s announced hold; NHI card missing and 'thirty minutes early' wrong"

  new_call
  pause 0.4
  ring 2
  staff priya "$CEN, good afternoon, I'm Priya."
  pause 0.5
  caller caller-kal "Hi Priya. I don't know where to park when I come in for my appointment. Can you help?"
  pause 0.5
  staff priya "Of course. Please park in the basement, level B2. The entrance is on Guanghua Road. The first two hours are free, and we are on the fourth floor."
  pause 0.5
  caller caller-kal "Thank you."
  pause 0.4
  staff priya "Have a nice day, bye."
  pause 0.5
  finish e09-priya-parking.wav "Priya Raman" "Early Intervention" branch-parking 2026-11-12T13:15:00 office-ulaw 1111011101 \
    "mono: the caller says 'I don't know' (a forbidden phrase, but the caller's); two free hours and fourth floor wrong"

  new_call
  pause 0.4
  ring 3
  staff tobias "Hello, $CEN."
  pause 0.5
  caller caller-kal "$Q_SUBSIDY"
  pause 0.5
  staff tobias "May I have your name, please?"
  pause 0.4
  caller caller-kal "Morgan Ellis."
  pause 0.4
  staff tobias "Please hold."
  pause 10
  staff tobias "Thank you for waiting."
  pause 0.3
  staff tobias "You can apply online or at the district office. You'll need your household register and your bankbook."
  pause 0.5
  caller caller-kal "And how long does it take?"
  pause 0.4
  staff tobias "I'm not sure about that, it's not my job."
  pause 0.5
  caller caller-kal "All right."
  pause 0.4
  staff tobias "Goodbye."
  pause 0.5
  finish e10-tobias-subsidy.wav "Tobias Brennan" Counseling nursery-subsidy 2026-11-13T16:00:00 office-stereoulaw 1110101111 \
    "no own name; 'it's not my job' (listed as 'not my job')"

  new_call
  pause 0.4
  ring 1
  staff nora "Good morning, $CEN, how can I help you?"
  pause 0.5
  caller caller-espeak "$Q_HOURS"
  pause 0.5
  staff nora "Hmm."
  pause 6.5
  staff nora "We're open Tuesday to Saturday, nine a.m. to six p.m."
  pause 0.5
  caller caller-espeak "Thanks."
  pause 0.4
  staff nora "Thank you for calling."
  pause 0.5
  finish e11-nora-hours.wav "Nora Lindqvist" Administration branch-hours 2026-11-16T08:55:00 pcm16k 1110011111 \
    "'Good morning' and no name (greeting could be read as a name); 6.5 s unannounced pause, under the 8 s limit"

  new_call
  pause 0.4
  ring 2
  staff hector "Hello, $CEN, Alvarez."
  pause 0.5
  caller caller-kal "Hi, this is Quinn Morgan. I'd like to know how to apply for the nursery subsidy."
  pause 0.5
  staff hector "Sure. Apply at the district office with your household register. Approval takes one week."
  pause 0.5
  caller caller-kal "Okay."
  pause 0.4
  staff hector "Thanks for calling, bye."
  pause 0.5
  finish e12-hector-subsidy.wav "Hector Alvarez" Counseling nursery-subsidy 2026-11-17T10:30:00 office-ulaw 1111011100 \
    "surname alone after the agency; mono: the caller introduces herself ('this is Quinn Morgan'); bankbook missing; 'one week' wrong"

  new_call
  pause 0.4
  ring 4
  staff dana "Good afternoon, $CEN, you're speaking with Dana Whitfield."
  pause 0.5
  caller caller-espeak "$Q_SCREEN"
  pause 0.5
  staff dana "May I ask your name?"
  pause 0.4
  caller caller-espeak "Ellis."
  pause 0.4
  staff dana "Just a moment, Ms Ellis."
  pause 11
  staff dana "Thank you for waiting."
  pause 0.3
  staff dana "Bring your child health booklet and your health insurance card, and arrive fifteen minutes early."
  pause 0.5
  caller caller-espeak "Thank you."
  pause 0.4
  staff dana "Goodbye."
  pause 0.5
  finish e13-dana-screening.wav "Dana Whitfield" Administration screening-visit 2026-11-18T14:45:00 stereo16k 0111111111 \
    "4 rings; otherwise exemplary"

  new_call
  pause 0.4
  ring 2
  staff marcus "Hello, $CEN, Marcus here, how can I help?"
  pause 0.5
  caller caller-kal "$Q_PARK"
  pause 0.5
  staff marcus "Whatever, just park on the street."
  pause 0.5
  caller caller-kal "Okay."
  pause 0.4
  staff marcus "Okay."
  pause 0.5
  finish e14-marcus-parking.wav "Marcus Okafor" Administration branch-parking 2026-11-19T11:20:00 pcm16k 1111001000 \
    "'Marcus here'; 'Whatever' (listed); wrong advice not in the scenario's wrong list; no closing"
  new_call
  pause 0.4
  ring 3
  staff tobias "$CEN, Brennan, hello."
  pause 0.5
  caller caller-kal "$Q_PARK"
  pause 0.5
  staff tobias "May I have your name?"
  pause 0.4
  caller caller-kal "Sure, I'm Dana."
  pause 0.4
  staff tobias "Thanks. Park in the basement at level B2. The entrance is on Zhongshan Road, the first hour is free, and we are on the third floor."
  pause 0.5
  caller caller-kal "Thank you."
  pause 0.4
  staff tobias "Goodbye."
  pause 0.5
  finish e15-tobias-parking.wav "Tobias Brennan" Counseling branch-parking 2026-11-20T09:40:00 office-ulaw 1111111101 \
    "surname then greeting ('Brennan, hello'); mono: the caller answers 'I'm Dana' (a self-introduction frame); entrance road wrong"

  new_call
  pause 0.4
  ring 4
  staff hector "Good afternoon, $CEN."
  pause 0.5
  caller caller-espeak "Hi, who am I speaking with, please?"
  pause 0.4
  staff hector "You're speaking with Hector."
  pause 0.5
  caller caller-espeak "$Q_SCREEN"
  pause 0.5
  staff hector "One moment."
  pause 14
  staff hector "Thank you for waiting."
  pause 0.3
  staff hector "Bring the child health booklet and the health insurance card. Please come fifteen minutes early."
  pause 0.5
  caller caller-espeak "Thanks, bye."
  pause 0.4
  staff hector "Bye."
  pause 0.5
  finish e16-hector-screening.wav "Hector Alvarez" Counseling screening-visit 2026-11-23T15:20:00 noisy8k 0111011111 \
    "4 rings; mono: the caller asks 'who am I speaking with'; 14 s announced hold"
  end_set
}

# ------------------------------------------------------------------------------ Mandarin
ZQ_HOURS="您好，請問你們鳳山分處的服務時間是什麼時候？"
ZQ_SUBSIDY="你好，請問托育補助要怎麼申請？"
ZQ_SCREEN="您好，我要帶孩子去做發展篩檢，請問要帶什麼？"
ZQ_PARK="你好，請問去你們那邊車要停哪裡？"

mandarin() {
  echo "target/stress-set/zh/"
  begin_set zh
  cp "$ROOT/rubrics/courtesy-zh-TW.toml" "$SET/rubric.toml"

  new_call
  pause 0.4
  ring 2
  staff cai "您好，兒童福利服務中心，敝姓蔡。"
  pause 0.5
  caller caller-zh-low "$ZQ_HOURS"
  pause 0.5
  staff cai "請問您貴姓？"
  pause 0.4
  caller caller-zh-low "我姓溫。"
  pause 0.4
  staff cai "溫先生您好，鳳山分處的服務時間是星期二到星期六，早上九點到晚上六點，星期日和星期一休息。"
  pause 0.5
  caller caller-zh-low "好，謝謝。"
  pause 0.4
  staff cai "不客氣，再見。"
  pause 0.5
  finish z01-cai-hours.wav "蔡佩君" 行政課 branch-hours 2026-11-02T09:20:00 pcm16k 1111111111 \
    "baseline: 敝姓蔡, everything right"

  new_call
  pause 0.3
  ring 4
  staff peng "兒福中心您好，我是志豪。"
  pause 0.5
  caller caller-zh-high "$ZQ_SUBSIDY"
  pause 0.5
  staff peng "到區公所申請，要帶戶口名簿。"
  pause 0.5
  caller caller-zh-high "好，謝謝。"
  pause 0.4
  staff peng "謝謝，再見。"
  pause 0.5
  finish z02-peng-subsidy.wav "彭志豪" 活動課 nursery-subsidy 2026-11-03T10:25:00 office-ulaw 0111011110 \
    "4 rings; given name only (我是志豪, no surname); bankbook missing"

  new_call
  pause 0.4
  ring 3
  staff xiao "高雄市兒童福利服務中心，您好，這裡是早療課，我是蕭雅文。"
  pause 0.5
  caller caller-zh-low "$ZQ_SCREEN"
  pause 0.5
  staff xiao "好的，請問您大名？"
  pause 0.4
  caller caller-zh-low "我姓鍾。"
  pause 0.4
  staff xiao "鍾小姐，我幫您確認一下，請稍候。"
  pause 11
  staff xiao "讓您久等了。"
  pause 0.3
  staff xiao "請帶兒童健康手冊和健保卡，預約時間前十五分鐘到。"
  pause 0.5
  caller caller-zh-low "好的，謝謝。"
  pause 0.4
  staff xiao "謝謝您的來電，再見。"
  pause 0.5
  finish z03-xiao-screening.wav "蕭雅文" 早療課 screening-visit 2026-11-04T14:10:00 office-stereoulaw 1111111111 \
    "3 rings (limit); 這裡是…我是 full name; unlisted name question 請問您大名; announced 11 s hold"

  new_call
  pause 0.4
  ring 1
  staff jian "兒童福利服務中心您好，很高興為您服務。"
  pause 0.5
  caller caller-zh-high "你好，我姓江，想請問一下，去你們那邊車要停哪裡？"
  pause 0.5
  staff jian "停車場在地下二樓，入口在光華路，第一個小時免費，我們在三樓。"
  pause 0.5
  caller caller-zh-high "謝謝。"
  pause 0.4
  staff jian "不客氣，再見。"
  pause 0.5
  finish z04-jian-parking.wav "簡宏明" 輔導課 branch-parking 2026-11-05T11:05:00 pcm16k 1110011111 \
    "mono: the caller says 我姓江 (江 jiang ~ staff's 簡 jian); staff says only 很高興為您服務, no name"

  new_call
  pause 0.4
  ring 2
  staff lai "喂，兒福中心。"
  pause 0.5
  caller caller-zh-low "請問怎麼稱呼您？"
  pause 0.4
  staff lai "我姓賴。"
  pause 0.5
  caller caller-zh-low "$ZQ_HOURS"
  pause 0.5
  staff lai "我們星期一到星期五，早上八點半到下午五點半。"
  pause 0.5
  caller caller-zh-low "好，謝謝，再見。"
  pause 0.4
  staff lai "嗯。"
  pause 0.5
  finish z05-lai-hours.wav "賴怡伶" 行政課 branch-hours 2026-11-06T15:35:00 ulaw 1011011001 \
    "喂 only; mono: the caller asks 請問怎麼稱呼您 (an ask_name phrase) and says 謝謝再見; weekdays and both times wrong"

  new_call
  pause 0.4
  ring 5
  staff liao "您好，兒童福利服務中心，廖建國為您服務。"
  pause 0.5
  caller caller-zh-high "$ZQ_SUBSIDY"
  pause 0.5
  staff liao "您貴姓？"
  pause 0.4
  caller caller-zh-high "敝姓彭。"
  pause 0.4
  staff liao "好。"
  pause 12
  staff liao "讓您久等了。"
  pause 0.3
  staff liao "可以到區公所或線上申請，帶戶口名簿跟存摺封面影本，大約三十天會有結果。"
  pause 0.5
  caller caller-zh-high "謝謝。"
  pause 0.4
  staff liao "謝謝您的來電。"
  pause 0.5
  finish z06-liao-subsidy.wav "廖建國" 輔導課 nursery-subsidy 2026-11-09T17:00:00 stereoulaw 0111110111 \
    "5 rings; 12 s hold after only 好 (unannounced); the caller says 敝姓彭 (stereo)"

  new_call
  pause 0.4
  ring 2
  staff cai "您好，兒福中心，我姓蔡。"
  pause 0.5
  caller caller-zh-low "$ZQ_PARK"
  pause 0.5
  staff cai "這個不是我負責的，你自己去問大樓管理室。"
  pause 0.5
  caller caller-zh-low "喔，好。"
  pause 0.4
  staff cai "再見。"
  pause 0.5
  finish z07-cai-parking.wav "蔡佩君" 行政課 branch-parking 2026-11-10T10:45:00 stereo16k 1111001110 \
    "不是我負責的 (listed 不是我負責); no facts given"

  new_call
  pause 0.4
  ring 3
  staff peng "兒童福利服務中心，您好，敝姓彭。"
  pause 0.5
  caller caller-zh-high "$ZQ_SCREEN"
  pause 0.5
  staff peng "請問您怎麼稱呼？"
  pause 0.4
  caller caller-zh-high "我姓溫。"
  pause 0.4
  staff peng "我查一下喔。"
  pause 10
  staff peng "讓您久等了。"
  pause 0.3
  staff peng "要帶兒童健康手冊，提早三十分鐘到。"
  pause 0.5
  caller caller-zh-high "好。"
  pause 0.4
  staff peng "謝謝，再見。"
  pause 0.5
  finish z08-peng-screening.wav "彭志豪" 活動課 screening-visit 2026-11-11T09:55:00 office-ulaw 1111111100 \
    "name question 請問您怎麼稱呼 (word order not listed); unlisted hold announcement 我查一下喔 before 10 s; 健保卡 missing; 三十分鐘 wrong"

  new_call
  pause 0.4
  ring 2
  staff xiao "這裡是兒童福利服務中心，我是蕭小姐，您好。"
  pause 0.5
  caller caller-zh-low "你好，我不知道停車要停哪裡，可以問一下嗎？"
  pause 0.5
  staff xiao "可以停地下二樓，入口在光華路，前兩個小時免費，我們在四樓。"
  pause 0.5
  caller caller-zh-low "好，謝謝。"
  pause 0.4
  staff xiao "不客氣，再見。"
  pause 0.5
  finish z09-xiao-parking.wav "蕭雅文" 早療課 branch-parking 2026-11-12T13:20:00 office-ulaw 1111011101 \
    "mono: the caller says 我不知道 (a forbidden phrase, but the caller's); 前兩個小時免費 and 四樓 wrong"

  new_call
  pause 0.4
  ring 3
  staff jian "兒福中心您好。"
  pause 0.5
  caller caller-zh-high "$ZQ_SUBSIDY"
  pause 0.5
  staff jian "不知道您方便留個姓名嗎？"
  pause 0.4
  caller caller-zh-high "我姓鍾。"
  pause 0.4
  staff jian "鍾先生，請稍等。"
  pause 10
  staff jian "讓您久等了。"
  pause 0.3
  staff jian "要到區公所申請，帶戶口名簿和存摺影本。"
  pause 0.5
  caller caller-zh-high "好，謝謝。"
  pause 0.4
  staff jian "謝謝您的來電，再見。"
  pause 0.5
  finish z10-jian-subsidy.wav "簡宏明" 輔導課 nursery-subsidy 2026-11-13T16:05:00 office-stereoulaw 1110111111 \
    "no own name; polite 不知道您方便留個姓名嗎 (asks the name; 不知道 here is not dismissive)"

  new_call
  pause 0.4
  ring 1
  staff lai "午安，兒童福利服務中心，很高興為您服務。"
  pause 0.5
  caller caller-zh-low "$ZQ_HOURS"
  pause 0.5
  staff lai "嗯。"
  pause 6.5
  staff lai "我們是星期二到星期六，九點到六點。"
  pause 0.5
  caller caller-zh-low "謝謝。"
  pause 0.4
  staff lai "謝謝您的來電。"
  pause 0.5
  finish z11-lai-hours.wav "賴怡伶" 行政課 branch-hours 2026-11-16T13:30:00 pcm16k 1110011111 \
    "很高興為您服務 and no name (like the pattern X為您服務); 6.5 s unannounced pause, under the 8 s limit"

  new_call
  pause 0.4
  ring 2
  staff liao "您好，兒童福利服務中心，我姓廖。"
  pause 0.5
  caller caller-zh-high "你好，我是彭小姐，想問托育補助要怎麼申請。"
  pause 0.5
  staff liao "到區公所申請，帶戶口名簿，一個星期就會通過。"
  pause 0.5
  staff liao "還有其他問題嗎？"
  pause 0.4
  caller caller-zh-high "沒有了，謝謝。"
  pause 0.4
  staff liao "好，再見。"
  pause 0.5
  finish z12-liao-subsidy.wav "廖建國" 輔導課 nursery-subsidy 2026-11-17T10:35:00 office-ulaw 1111011100 \
    "mono: the caller introduces herself 我是彭小姐; bankbook missing; 一個星期 wrong"

  new_call
  pause 0.4
  ring 4
  staff cai "您好，高雄市兒童福利服務中心，我是蔡佩君。"
  pause 0.5
  caller caller-zh-low "$ZQ_SCREEN"
  pause 0.5
  staff cai "請問怎麼稱呼？"
  pause 0.4
  caller caller-zh-low "我姓溫。"
  pause 0.4
  staff cai "溫小姐，請稍候。"
  pause 11
  staff cai "讓您久等了。"
  pause 0.3
  staff cai "請帶兒童健康手冊、健保卡，提早十五分鐘報到。"
  pause 0.5
  caller caller-zh-low "謝謝。"
  pause 0.4
  staff cai "謝謝您的來電，再見。"
  pause 0.5
  finish z13-cai-screening.wav "蔡佩君" 行政課 screening-visit 2026-11-18T14:50:00 stereo16k 0111111111 \
    "4 rings; otherwise exemplary"

  new_call
  pause 0.4
  ring 2
  staff peng "您好，兒福中心，彭志豪。"
  pause 0.5
  caller caller-zh-high "$ZQ_PARK"
  pause 0.5
  staff peng "隨便停就好了，附近都可以停。"
  pause 0.5
  caller caller-zh-high "喔。"
  pause 0.4
  staff peng "嗯。"
  pause 0.5
  finish z14-peng-parking.wav "彭志豪" 活動課 branch-parking 2026-11-19T11:25:00 pcm16k 1111001000 \
    "full name with no frame (彭志豪); 隨便 (listed); wrong advice not in the scenario's wrong list; no closing"
  new_call
  pause 0.4
  ring 3
  staff lai "兒童福利服務中心，賴，您好。"
  pause 0.5
  caller caller-zh-high "$ZQ_SUBSIDY"
  pause 0.5
  staff lai "請問您貴姓？"
  pause 0.4
  caller caller-zh-high "我姓蔡。"
  pause 0.4
  staff lai "蔡小姐，可以到區公所或是線上申請，要帶戶口名簿跟存摺。"
  pause 0.5
  caller caller-zh-high "好，謝謝。"
  pause 0.4
  staff lai "不客氣，再見。"
  pause 0.5
  finish z15-lai-subsidy.wav "賴怡伶" 行政課 nursery-subsidy 2026-11-20T09:45:00 office-ulaw 1111111111 \
    "surname alone then 您好 (賴，您好); mono: the caller answers 我姓蔡 (蔡 cai rhymes with 賴 lai)"

  new_call
  pause 0.4
  ring 4
  staff jian "您好，兒童福利服務中心。"
  pause 0.5
  caller caller-zh-low "請問您是哪位？"
  pause 0.4
  staff jian "敝姓簡。"
  pause 0.5
  caller caller-zh-low "$ZQ_HOURS"
  pause 0.5
  staff jian "請稍等。"
  pause 13
  staff jian "讓您久等了。"
  pause 0.3
  staff jian "我們星期二到星期六開放，上午十點到晚上六點。"
  pause 0.5
  caller caller-zh-low "好，謝謝。"
  pause 0.4
  staff jian "謝謝您的來電，再見。"
  pause 0.5
  finish z16-jian-hours.wav "簡宏明" 輔導課 branch-hours 2026-11-23T15:25:00 noisy8k 0111011101 \
    "4 rings; mono: the caller asks 請問您是哪位; 敝姓簡 in reply; 13 s announced hold; opens at 十點 (wrong)"
  end_set
}
