# The second stress set's scenarios and calls (target/stress-set2): sourced by
# scripts/make-stress-set.sh (`--set 2`), whose engine (staff, caller, ring, pause, finish,
# begin_set, end_set) renders them. Written blind: without looking at the first set's calls, the
# public labelled sets or the scoring code, so no figure measured on it was tuned for.
#
# Labels follow the rubric's titles as a careful human scorer reads them, with the rubric's own
# limits (three rings; a silence over 8 s is leaving the line, and with none the hold criterion
# passes as not applicable). Two readings a scorer might argue, settled here: a section's name
# alone ("Activities Section") is not the agency's name, and an answer the caller has to pull
# out with a follow-up question is not "complete in one go".
# shellcheck shell=bash

# The scenarios: one file each, both languages, as a centre's administrator would write them.
write_scenarios() {
  cat >"$1/early-intervention-referral.toml" <<'EOF'
# 早期療育轉介 / A parent asks how to get a toddler assessed for early intervention.
id = "early-intervention-referral"
title = "早期療育轉介 / Early intervention referral"
caller_script = [
  "您好，我的孩子兩歲多還不太會說話，想請問要怎麼申請早期療育評估？",
  "Hi, my son is two and still isn't talking much. How do I get him assessed for early intervention?",
]

[[point]]
id = "cost"
title = "評估免費 / the assessment is free"
say = ["免費", "不用錢", "不需要費用", "free", "free of charge", "no charge"]
wrong = ["要自費", "五百元", "there is a fee", "five hundred dollars", "500 dollars"]

[[point]]
id = "callback"
title = "社工五個工作天內回電 / a social worker calls back within five working days"
say = ["五個工作天內", "5個工作天", "within five working days", "within 5 working days", "five working days", "5 working days"]
wrong = ["一個月內", "兩個月", "within a month", "two months"]

[[point]]
id = "booklet"
title = "帶兒童健康手冊 / bring the child health booklet"
say = ["兒童健康手冊", "健康手冊", "child health booklet", "health booklet"]
wrong = ["戶口名簿正本", "birth certificate"]
EOF
  cat >"$1/volunteer-signup.toml" <<'EOF'
# 志工招募 / Someone asks how to sign up as a volunteer.
id = "volunteer-signup"
title = "志工報名 / Volunteer sign-up"
caller_script = [
  "您好，我想報名當你們中心的志工，請問要怎麼報名？",
  "Hello, I'd like to volunteer at your centre. How do I sign up?",
]

[[point]]
id = "age"
title = "年滿十八歲 / eighteen or older"
say = ["年滿十八歲", "十八歲以上", "18歲", "eighteen or older", "at least eighteen", "18 or older", "over eighteen"]
wrong = ["十六歲", "16歲", "sixteen", "16 or older"]

[[point]]
id = "training"
title = "十二小時基礎訓練 / twelve hours of basic training"
say = ["十二小時", "12小時", "twelve hours", "12 hours", "twelve-hour", "12-hour"]
wrong = ["六小時", "6小時", "six hours", "6 hours", "no training"]

[[point]]
id = "form"
title = "網站下載報名表 / the application form is on the website"
say = ["網站下載", "報名表", "application form", "form on our website", "download the form"]
wrong = ["現場報名就好", "just walk in"]

[[point]]
id = "shift"
title = "每次服務三小時 / three-hour shifts"
say = ["每次服務三小時", "三小時", "three-hour shifts", "three hours a shift"]
required = false
EOF
  cat >"$1/event-lost-and-found.toml" <<'EOF'
# 活動失物招領 / A parent asks about something lost at the centre's Children's Day fair.
id = "event-lost-and-found"
title = "活動失物招領 / Lost property from an event"
caller_script = [
  "您好，我上週六帶孩子去你們的兒童節園遊會，掉了一個藍色水壺，請問有人撿到嗎？",
  "Hi, we were at your Children's Day fair last Saturday and my daughter lost a blue water bottle. Has anyone handed one in?",
]

[[point]]
id = "where"
title = "放在一樓服務台 / kept at the front desk on the first floor"
say = ["一樓服務台", "一樓櫃台", "front desk on the first floor", "first floor front desk", "front desk"]
wrong = ["二樓", "警察局", "second floor", "police station"]

[[point]]
id = "how-long"
title = "保留三十天 / kept for thirty days"
say = ["保留三十天", "三十天", "一個月", "thirty days", "30 days", "a month"]
wrong = ["七天", "一個禮拜", "seven days", "a week"]

[[point]]
id = "id"
title = "憑身分證領取 / bring ID to collect it"
say = ["身分證", "證件", "photo ID", "your ID", "identification"]
wrong = ["不用證件", "no ID needed", "don't need ID"]
EOF
  cat >"$1/toy-library.toml" <<'EOF'
# 玩具圖書館 / A parent asks how borrowing from the toy library works.
id = "toy-library"
title = "玩具圖書館借用 / Toy library"
caller_script = [
  "您好，請問你們的玩具圖書館要怎麼借玩具？",
  "Hello, how does borrowing from your toy library work?",
]

[[point]]
id = "card"
title = "借閱證免費 / the library card is free"
say = ["免費辦借閱證", "借閱證免費", "免費辦卡", "card is free", "free card", "free library card"]
wrong = ["一百元", "hundred dollars", "card costs"]

[[point]]
id = "limit"
title = "一次兩件 / two toys at a time"
say = ["一次兩件", "兩件", "two toys", "2 toys", "two at a time"]
wrong = ["五件", "five toys", "five at a time"]

[[point]]
id = "period"
title = "借期十四天 / fourteen days"
say = ["十四天", "兩個禮拜", "兩週", "fourteen days", "14 days", "two weeks"]
wrong = ["七天", "一個禮拜", "seven days", "one week", "a week"]

[[point]]
id = "monday"
title = "星期一休館 / closed on Mondays"
say = ["星期一休館", "週一休館", "closed on Mondays", "closed on Monday"]
wrong = ["星期一有開", "open on Monday", "open on Mondays"]
required = false
EOF
}

# Staff (voice): Irene Tsai (nora), Kevin Hsu (marcus), Joanne Kuo (priya), Leon Chang (tobias),
# Sylvia Ho (dana), Raymond Teng (hector). Labels: pickup greeting agency self_name ask_name
# courtesy hold closing accuracy completeness.
english() {
  echo "target/stress-set2/en/"
  begin_set en
  cp "$ROOT/rubrics/courtesy-en.toml" "$SET/rubric.toml"
  local EI="Hi, my son is two and still isn't talking much. How do I get him assessed for early intervention?"
  local VOL="Hello, I'd like to volunteer at your centre. How do I sign up?"
  local LOST="Hi, we were at your Children's Day fair last Saturday and my daughter lost a blue water bottle. Has anyone handed one in?"
  local TOY="Hello, how does borrowing from your toy library work?"

  new_call
  ring 2
  staff nora "Good morning, Kaohsiung Children's Welfare Service Center, this is Irene."
  caller caller-kal "$EI"
  staff nora "I can help with that. Can I take your name first?"
  caller caller-kal "It's Helen Yang."
  staff nora "Thank you, Ms. Yang. The assessment referral is free of charge. Bring your son's child health booklet, and a social worker will call you back within five working days."
  caller caller-kal "That's great, thank you."
  staff nora "You're welcome. Thanks for calling, goodbye."
  finish en2-01-irene-referral.wav "Irene Tsai" 行政課 early-intervention-referral \
    2026-11-02T09:20:00 pcm16k 1111111111 \
    "everything right; the caller's name asked as 'Can I take your name first?'"

  new_call
  ring 4
  staff marcus "Hi, Children's Welfare Center."
  caller caller-espeak "$EI"
  staff marcus "Okay. It's free. Somebody will call you within a month."
  caller caller-espeak "Alright. Thank you."
  staff marcus "Bye."
  finish en2-02-kevin-referral.wav "Kevin Hsu" 輔導課 early-intervention-referral \
    2026-11-02T14:05:00 ulaw 0110011100 \
    "four rings; 'Hi' and the agency but no name; callback wrong (a month), booklet never mentioned; a bare 'Bye' closes"

  new_call
  ring 3
  staff priya "Activities Section, Joanne speaking."
  caller caller-kal "$VOL"
  staff priya "Sure. Who's calling, please?"
  caller caller-kal "This is Peter Lo."
  staff priya "Thanks, Mr. Lo. Let me check the current requirements, one moment."
  pause 9.5
  staff priya "Thanks for waiting. Volunteers need to be eighteen or older, and there's twelve hours of basic training. You can download the application form on our website."
  caller caller-kal "Perfect, thanks."
  staff priya "No problem at all. Have a good day."
  finish en2-03-joanne-volunteer.wav "Joanne Kuo" 活動課 volunteer-signup \
    2026-11-03T10:40:00 office-ulaw 1001111111 \
    "three rings (the limit); answers with the section and a name only: no greeting, no agency; announced 9.5 s hold; 'No problem at all' is polite; 'Have a good day' says goodbye"

  new_call
  ring 1
  staff tobias "Children's Welfare Service Center, good afternoon."
  caller caller-espeak "$LOST"
  staff tobias "No idea. Anything people found would be at the front desk on the first floor. Just come and look yourself."
  caller caller-espeak "How long do you keep things?"
  staff tobias "A week, I think."
  caller caller-espeak "Okay, thanks."
  finish en2-04-leon-lost.wav "Leon Chang" 行政課 event-lost-and-found \
    2026-11-03T15:30:00 stereo16k 1110001000 \
    "'No idea' and 'come and look yourself' are dismissive; keeping time wrong (a week), ID not mentioned; the staff never closes"

  new_call
  ring 2
  staff dana "Morning! Children's Welfare Center, Sylvia here. How can I help?"
  caller caller-kal "$TOY"
  staff dana "Happy to explain. Before I start, what's your name?"
  caller caller-kal "Wendy Chiu."
  staff dana "Thanks, Wendy. The library card is free. You can borrow two toys at a time, for fourteen days. We're closed on Mondays."
  caller caller-kal "Great, thank you so much."
  staff dana "You're welcome, take care."
  finish en2-05-sylvia-toys.wav "Sylvia Ho" 活動課 toy-library \
    2026-11-04T09:10:00 office-stereoulaw 1111111111 \
    "short 'Morning!' greeting, 'Sylvia here'; name asked as 'what's your name?'; 'take care' is the goodbye"

  new_call
  ring 5
  staff hector "Counselling, Raymond."
  caller caller-espeak "$VOL"
  staff hector "I'm not sure that's my area, but let me find out for you. Please hold."
  pause 10
  staff hector "Okay, you have to be at least eighteen, and there's a training course."
  caller caller-espeak "Okay, thank you."
  staff hector "Thanks for calling."
  finish en2-06-raymond-volunteer.wav "Raymond Teng" 輔導課 volunteer-signup \
    2026-11-04T11:25:00 noisy8k 0001011110 \
    "five rings; section and first name only: no greeting, no agency; 'not sure that's my area, but let me find out' is polite; announced 10 s hold; training hours and the form missing"

  new_call
  ring 3
  staff nora "Good afternoon, Children's Welfare Service Center."
  caller caller-kal "Hi, this is Linda Hsu calling. We were at your Children's Day fair last Saturday and my daughter lost a blue water bottle. Has anyone handed one in?"
  staff nora "Let me have a look."
  pause 9
  staff nora "Yes, there's a blue bottle here. It's at the front desk on the first floor. We keep things for thirty days, and please bring a photo ID to collect it."
  caller caller-kal "Wonderful, thank you."
  staff nora "You're welcome, Ms. Hsu. Bye now."
  finish en2-07-irene-lost.wav "Irene Tsai" 行政課 event-lost-and-found \
    2026-11-05T14:15:00 ulaw 1110011111 \
    "mono: the caller introduces herself ('this is Linda Hsu'), the staff never gives a name nor asks one; 9 s hold announced as 'Let me have a look'"

  new_call
  ring 1
  staff marcus "Hello, Children's Welfare Center."
  caller caller-espeak "Hi, sorry, who am I speaking with?"
  staff marcus "This is Kevin."
  caller caller-espeak "$TOY"
  staff marcus "You need a library card, it costs a hundred dollars. You can take five toys at a time, for two weeks."
  caller caller-espeak "Okay, got it."
  staff marcus "Alright, thanks for calling."
  finish en2-08-kevin-toys.wav "Kevin Hsu" 輔導課 toy-library \
    2026-11-05T09:45:00 pcm16k 1111011101 \
    "mono: the caller asks the staff's name ('who am I speaking with?'), the staff answers 'This is Kevin' and never asks the caller's; card fee and five toys wrong"

  new_call
  ring 2
  staff priya "Good morning, Kaohsiung Children's Welfare Service Center. My name's Joanne."
  caller caller-kal "$EI"
  staff priya "Mm-hm."
  pause 11
  staff priya "Right. It's free, you bring his child health booklet, and a social worker phones you within five working days."
  caller caller-kal "Thank you."
  staff priya "Goodbye then."
  finish en2-09-joanne-referral.wav "Joanne Kuo" 活動課 early-intervention-referral \
    2026-11-06T10:05:00 office-ulaw 1111010111 \
    "11 s silence after a bare 'Mm-hm.': leaves the line unannounced; otherwise complete and correct"

  new_call
  ring 4
  staff tobias "Children's Welfare Service Center, Leon Chang, good afternoon."
  caller caller-espeak "$VOL"
  staff tobias "Great to hear. Can I get your name and a phone number?"
  caller caller-espeak "Tina Lo, oh nine one two, three four five, six seven eight."
  staff tobias "Thanks, Tina. I don't know the training schedule offhand, so let me check. One moment."
  pause 6
  staff tobias "Okay. You need to be eighteen or older, the basic training is twelve hours, and the application form is on our website."
  caller caller-espeak "Thank you."
  staff tobias "Thank you for calling, bye."
  finish en2-10-leon-volunteer.wav "Leon Chang" 行政課 volunteer-signup \
    2026-11-06T15:50:00 stereoulaw 0111111111 \
    "four rings; 'I don't know ... offhand, so let me check' is polite; 6 s hold, announced anyway; name asked with the phone number"

  new_call
  ring 2
  staff dana "Hi there, Sylvia speaking."
  caller caller-kal "$LOST"
  staff dana "Oh, I'm sorry to hear that. May I ask who's calling?"
  caller caller-kal "Mrs. Fang."
  staff dana "Thank you, Mrs. Fang. Lost items are kept at the second floor office for thirty days. Bring your ID."
  caller caller-kal "Thanks."
  staff dana "Whatever you need, just call us. Bye bye."
  finish en2-11-sylvia-lost.wav "Sylvia Ho" 活動課 event-lost-and-found \
    2026-11-09T13:40:00 stereo16k 1101111101 \
    "no agency named at all; 'second floor' is wrong; 'Whatever you need, just call us' is polite"

  new_call
  ring 3
  staff hector "Good afternoon, Children's Welfare Service Center, Raymond speaking."
  caller caller-espeak "$TOY"
  pause 10
  staff hector "That's the toy library's business, not ours. All I know is you can take two toys at a time. Look the rest up on the website."
  caller caller-espeak "Oh. Okay."
  finish en2-12-raymond-toys.wav "Raymond Teng" 輔導課 toy-library \
    2026-11-09T16:10:00 ulaw 1111000010 \
    "10 s unannounced silence, then brushed off ('not ours', 'look the rest up'); one correct fact, the rest missing; no closing"

  new_call
  ring 5
  staff nora "Thank you for calling the Children's Welfare Service Center, this is Irene, how may I help you?"
  caller caller-kal "$TOY"
  staff nora "Could I have your name, please?"
  caller caller-kal "Joyce Tang."
  staff nora "Thanks, Joyce. The card is free, and you can borrow two toys at a time for fourteen days."
  caller caller-kal "Are you open on Mondays?"
  staff nora "No, we're closed on Mondays."
  caller caller-kal "Okay, thank you."
  staff nora "Okay."
  finish en2-13-irene-toys.wav "Irene Tsai" 行政課 toy-library \
    2026-11-10T10:30:00 office-stereoulaw 0111111011 \
    "five rings; 'Thank you for calling ...' is the greeting at the start, and the call ends on a bare 'Okay.': no closing"

  new_call
  ring 2
  staff marcus "Hey, Children's Welfare, Kevin."
  caller caller-espeak "$EI"
  staff marcus "Sure. It's free, and a social worker will call you back within five working days."
  caller caller-espeak "Do I need to bring anything?"
  staff marcus "Yes, his child health booklet."
  caller caller-espeak "Okay, thanks."
  staff marcus "Bye."
  finish en2-14-kevin-referral.wav "Kevin Hsu" 輔導課 early-intervention-referral \
    2026-11-10T14:20:00 stereo16k 1111011110 \
    "casual 'Hey, Children's Welfare, Kevin.' greets, names the agency short and the staff; the booklet only after the caller asks: not complete in one go"

  new_call
  ring 1
  staff priya "Good morning, Children's Welfare Service Center, Joanne Kuo."
  caller caller-kal "$LOST"
  staff priya "Hang on, I'll go and check the box."
  pause 9
  staff priya "No blue bottle, I'm afraid. If it turns up, it'll go to the front desk on the first floor, and we keep things for thirty days. You'd need your ID to collect it."
  caller caller-kal "Okay. Can I get your name, please?"
  staff priya "It's Joanne."
  caller caller-kal "Thanks, Joanne."
  staff priya "Thanks for calling, bye."
  finish en2-15-joanne-lost.wav "Joanne Kuo" 活動課 event-lost-and-found \
    2026-11-11T09:35:00 pcm16k 1111011111 \
    "mono: the caller asks the staff's name ('Can I get your name, please?') late in the call; the staff never asks the caller's; 9 s hold announced as 'Hang on'"

  new_call
  ring 3
  staff tobias "Hi, you've reached the Children's Welfare Service Center. Leon here."
  caller caller-espeak "$VOL"
  staff tobias "And you are?"
  caller caller-espeak "Ben Shih."
  staff tobias "Okay, Ben."
  pause 6.5
  staff tobias "Sorry, I was pulling up the page. You must be sixteen or older, there's six hours of training, and you sign up with the form on our website."
  caller caller-espeak "Great, thanks."
  staff tobias "No worries. Goodbye."
  finish en2-16-leon-volunteer.wav "Leon Chang" 行政課 volunteer-signup \
    2026-11-11T15:05:00 office-ulaw 1111111101 \
    "name asked as 'And you are?'; 6.5 s unannounced silence, under the 8 s limit; age and training hours wrong"
  end_set
}

# Staff (voice): 溫淑芬 (cai), 鄭建宏 (peng), 許家瑜 (xiao), 羅正雄 (jian), 游小萍 (lai),
# 葉俊傑 (liao).
mandarin() {
  echo "target/stress-set2/zh/"
  begin_set zh
  cp "$ROOT/rubrics/courtesy-zh-TW.toml" "$SET/rubric.toml"
  local EI="您好，我的孩子兩歲多還不太會說話，想請問要怎麼申請早期療育評估？"
  local VOL="您好，我想報名當你們中心的志工，請問要怎麼報名？"
  local LOST="您好，我上週六帶孩子去你們的兒童節園遊會，掉了一個藍色水壺，請問有人撿到嗎？"
  local TOY="您好，請問你們的玩具圖書館要怎麼借玩具？"

  new_call
  ring 2
  staff cai "您好，高雄市兒童福利服務中心，我是淑芬。"
  caller caller-zh-high "$EI"
  staff cai "好的，請問您怎麼稱呼？"
  caller caller-zh-high "我姓黃。"
  staff cai "黃小姐您好，評估是免費的，請帶孩子的兒童健康手冊，社工會在五個工作天內回電給您。"
  caller caller-zh-high "好，謝謝。"
  staff cai "不客氣，謝謝您的來電，再見。"
  finish zh2-01-wen-referral.wav 溫淑芬 行政課 early-intervention-referral \
    2026-11-02T09:15:00 pcm16k 1111111111 \
    "全部正確；自稱「我是淑芬」（只說名字）；單聲道：來電者答「我姓黃」"

  new_call
  ring 4
  staff peng "喂？"
  caller caller-zh-low "$VOL"
  staff peng "志工喔，這個不歸我們這邊管，你自己上網看啦。年滿十六歲就可以了。"
  caller caller-zh-low "好吧。"
  finish zh2-02-zheng-volunteer.wav 鄭建宏 輔導課 volunteer-signup \
    2026-11-02T14:30:00 ulaw 0000001000 \
    "四聲；只說「喂」；推給別人、要對方自己上網看；年齡說錯（十六歲），訓練與報名表沒說；沒有道別"

  new_call
  ring 3
  staff xiao "兒福中心您好，敝姓許。"
  caller caller-zh-high "$LOST"
  staff xiao "我幫您看一下失物登記，請您稍等喔。"
  pause 9.5
  staff xiao "不好意思讓您久等，有一個藍色水壺，放在一樓服務台，我們會保留三十天，來領的時候請帶身分證。"
  caller caller-zh-high "太好了，謝謝。"
  staff xiao "不會，再見。"
  finish zh2-03-xu-lost.wav 許家瑜 活動課 event-lost-and-found \
    2026-11-03T10:20:00 office-ulaw 1111011111 \
    "三聲（上限）；簡稱兒福中心；先說明再請稍等，保留 9.5 秒；沒問來電者姓名"

  new_call
  ring 1
  staff jian "早，兒童福利中心，羅正雄。"
  caller caller-zh-low "$TOY"
  staff jian "方便請教您的姓名嗎？"
  caller caller-zh-low "我是周小姐。"
  staff jian "周小姐，借閱證是免費辦的，一次可以借兩件，借期十四天，星期一休館。"
  caller caller-zh-low "好的，謝謝。"
  staff jian "謝謝您，再見。"
  finish zh2-04-luo-toys.wav 羅正雄 輔導課 toy-library \
    2026-11-03T08:50:00 stereo16k 1111111111 \
    "只說「早」；單位簡稱「兒童福利中心」；只報全名不加「我是」；以「方便請教您的姓名嗎」問姓名"

  new_call
  ring 5
  staff lai "您好，兒福中心活動課，我是小萍。"
  caller caller-zh-high "$EI"
  staff lai "這個我不太清楚耶，我幫您問一下輔導課的同事，請稍候。"
  pause 12
  staff lai "讓您久等了。評估是免費的，社工一個月內會跟您聯絡。"
  caller caller-zh-high "好，謝謝。"
  staff lai "好，掰掰。"
  finish zh2-05-you-referral.wav 游小萍 活動課 early-intervention-referral \
    2026-11-04T11:00:00 office-stereoulaw 0111011100 \
    "五聲；「我不太清楚，我幫您問」是有禮的；請稍候後保留 12 秒；回電時間說錯（一個月內），沒提健康手冊；以「掰掰」道別"

  new_call
  ring 2
  staff liao "兒童福利服務中心，您好。"
  caller caller-zh-high "您好，請問您是哪一位？"
  staff liao "我姓葉。"
  caller caller-zh-high "葉先生您好，我想報名當你們中心的志工，請問要怎麼報名？"
  staff liao "要年滿十八歲，先上十二小時的基礎訓練，報名表可以在我們網站下載。"
  caller caller-zh-high "好的，謝謝葉先生。"
  staff liao "不客氣，再見。"
  finish zh2-06-ye-volunteer.wav 葉俊傑 行政課 volunteer-signup \
    2026-11-04T15:40:00 pcm16k 1111011111 \
    "單聲道：來電者問「請問您是哪一位」，職員答「我姓葉」；來電者也說「葉先生」；職員沒問來電者姓名"

  new_call
  ring 3
  staff cai "高雄市兒童福利服務中心您好，我是溫小姐。"
  caller caller-zh-low "$TOY"
  staff cai "嗯。"
  pause 10.5
  staff cai "借閱證免費，一次兩件，可以借十四天。"
  caller caller-zh-low "好，謝謝。"
  staff cai "謝謝，再見。"
  finish zh2-07-wen-toys.wav 溫淑芬 行政課 toy-library \
    2026-11-05T09:30:00 ulaw 1111010111 \
    "只應一聲「嗯」就離線 10.5 秒，沒請對方稍候；答覆完整正確"

  new_call
  ring 4
  staff peng "午安，兒福中心鄭建宏，請問有什麼需要幫忙的？"
  caller caller-zh-high "$LOST"
  staff peng "請問您的大名是？"
  caller caller-zh-high "我叫洪美華。"
  staff peng "洪小姐，撿到的東西都放在二樓辦公室，保留七天，帶證件來領就可以。"
  caller caller-zh-high "好，謝謝。"
  staff peng "好，謝謝您。"
  finish zh2-08-zheng-lost.wav 鄭建宏 輔導課 event-lost-and-found \
    2026-11-05T14:10:00 stereoulaw 0111111101 \
    "四聲；以「請問您的大名是」問姓名；地點（二樓）與保留天數（七天）說錯"

  new_call
  ring 1
  staff xiao "喂，您好，高市兒福。"
  caller caller-zh-low "$VOL"
  staff xiao "好喔，請問您姓什麼？"
  caller caller-zh-low "我姓曾。"
  staff xiao "曾先生，志工要年滿十八歲，要上基礎訓練。報名表在網站上。"
  caller caller-zh-low "好，那我上網看。謝謝。"
  staff xiao "好，再見。"
  finish zh2-09-xu-volunteer.wav 許家瑜 活動課 volunteer-signup \
    2026-11-06T10:45:00 office-ulaw 1110111110 \
    "「喂，您好」有問候；簡稱「高市兒福」；沒報姓名；以「請問您姓什麼」問姓；沒說訓練時數"

  new_call
  ring 2
  staff jian "您好，兒童福利服務中心輔導課，敝姓羅。"
  caller caller-zh-high "$EI"
  staff jian "您不知道怎麼申請沒關係，我跟您說明。評估是免費的，請帶兒童健康手冊，社工五個工作天內會回電。"
  caller caller-zh-high "好，謝謝您。"
  staff jian "不客氣，謝謝您的來電。"
  finish zh2-10-luo-referral.wav 羅正雄 輔導課 early-intervention-referral \
    2026-11-06T14:45:00 noisy8k 1111011111 \
    "「您不知道怎麼申請沒關係」含「不知道」卻是有禮的；沒問來電者姓名"

  new_call
  ring 4
  staff lai "您好，兒福中心，我是小萍。"
  caller caller-zh-low "您好，我是陳太太，請問你們的玩具圖書館要怎麼借玩具？"
  staff lai "陳太太您好，請問小朋友叫什麼名字？幾歲了？"
  caller caller-zh-low "他叫小宇，四歲。"
  staff lai "好，小宇可以免費辦借閱證，一次借兩件，借期兩個禮拜。"
  caller caller-zh-low "星期一有開嗎？"
  staff lai "星期一有開喔。"
  caller caller-zh-low "好，謝謝。"
  staff lai "謝謝，掰掰。"
  finish zh2-11-you-toys.wav 游小萍 活動課 toy-library \
    2026-11-09T10:15:00 pcm16k 0111011101 \
    "四聲；單聲道：來電者自稱「我是陳太太」；職員問的是孩子的名字，不是來電者的；說星期一有開（錯）"

  new_call
  ring 3
  staff liao "喂，兒福中心。"
  caller caller-zh-high "$LOST"
  staff liao "失物喔？這種東西誰知道，你自己過來找啦。東西都在一樓服務台。"
  caller caller-zh-high "那東西會放多久？"
  pause 10
  staff liao "你問服務台啦。"
  caller caller-zh-high "好吧。"
  finish zh2-12-ye-lost.wav 葉俊傑 行政課 event-lost-and-found \
    2026-11-09T15:20:00 stereo16k 1010000010 \
    "只說「喂」；「誰知道，你自己過來找」是推諉；沒請稍候就沉默 10 秒，再叫對方去問服務台；保留天數與證件沒說；沒有道別"

  new_call
  ring 2
  staff cai "兒童福利服務中心您好，我是行政課溫淑芬。"
  caller caller-zh-low "$VOL"
  staff cai "好的，請問您怎麼稱呼？"
  caller caller-zh-low "我姓林。"
  staff cai "林小姐，您稍等我一下。"
  pause 8.8
  staff cai "林小姐，志工要年滿十八歲，要完成十二小時的基礎訓練，報名表可以到網站下載，每次服務三小時。"
  caller caller-zh-low "好的，謝謝您。"
  staff cai "謝謝您的來電，再見。"
  finish zh2-13-wen-volunteer.wav 溫淑芬 行政課 volunteer-signup \
    2026-11-10T09:50:00 office-stereoulaw 1111111111 \
    "以「您稍等我一下」請稍候，保留 8.8 秒（略過上限）；全部正確"

  new_call
  ring 5
  staff peng "兒福中心，您好，我這邊是社工建宏。"
  caller caller-zh-high "$TOY"
  staff peng "辦卡要一百元，一次可以借五件，借一個禮拜。"
  caller caller-zh-high "喔，好，謝謝。"
  staff peng "好，謝謝您，再見。"
  finish zh2-14-zheng-toys.wav 鄭建宏 輔導課 toy-library \
    2026-11-10T14:35:00 ulaw 0111011101 \
    "五聲；「我這邊是社工建宏」自報名字；辦卡費、件數、借期都說錯"

  new_call
  ring 1
  staff xiao "您好，請說。"
  caller caller-zh-high "$EI"
  staff xiao "好的，請問您貴姓？"
  caller caller-zh-high "敝姓劉。"
  staff xiao "好，劉媽媽。"
  pause 6
  staff xiao "評估不用錢，您帶孩子的健康手冊，社工會在五個工作天內打給您。"
  caller caller-zh-high "好，謝謝。"
  staff xiao "不會，祝您順利，再見。"
  finish zh2-15-xu-referral.wav 許家瑜 活動課 early-intervention-referral \
    2026-11-11T10:10:00 pcm16k 1100111111 \
    "「您好，請說」沒報單位也沒報姓名；單聲道：來電者答「敝姓劉」；沒說明就沉默 6 秒，未過 8 秒上限"

  new_call
  ring 3
  staff jian "兒童福利服務中心，羅正雄您好。"
  caller caller-zh-low "$LOST"
  staff jian "有喔，有人撿到一個藍色水壺，放在一樓服務台。"
  caller caller-zh-low "那要帶什麼去領？"
  staff jian "帶身分證就可以，東西我們會保留三十天。"
  caller caller-zh-low "好，謝謝。"
  staff jian "謝謝您的來電。"
  finish zh2-16-luo-lost.wav 羅正雄 輔導課 event-lost-and-found \
    2026-11-11T15:15:00 office-ulaw 1111011110 \
    "證件與保留天數要來電者追問才說：不是一次完整說明"
  end_set
}
