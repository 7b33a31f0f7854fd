# callgrade: two commands set everything up on a fresh Debian machine.
#   make demo   installs what is missing, gets the model, scores the bundled recordings
#               (English and Mandarin)
#   make test   the whole test suite (CI runs exactly this)

CARGO      ?= cargo
BIN        := target/release/callgrade
DB         ?= demo.db
DB_ZH      ?= demo-zh.db
APT_NEEDS  := cmake libclang-dev g++
# Tests also render the HTML report in headless Chromium (with a CJK font for the zh labels),
# and drive the review app in it over WebDriver (chromium-driver).
APT_TEST   := chromium chromium-driver fonts-wqy-microhei
export CALLGRADE_MODELS ?= $(CURDIR)/models

.PHONY: all deps test-deps apt build models demo test lint bench bench-scale eval

all: build

# Build tools whisper.cpp needs (cmake, a C++ compiler; libclang-dev lets bindgen run).
deps:
	@$(MAKE) --no-print-directory apt PACKAGES="$(APT_NEEDS)"
	@command -v cargo >/dev/null || { echo "cargo is missing: install Rust (rustup) first."; exit 1; }
	@python3 -m pip --version >/dev/null 2>&1 || $(MAKE) --no-print-directory apt PACKAGES=python3-pip

test-deps:
	@$(MAKE) --no-print-directory apt PACKAGES="$(APT_TEST)"

# Installs the Debian packages in PACKAGES that are missing (as root), or says which to install.
apt:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "missing packages:$$missing. Install them (sudo apt-get install$$missing) and run make again."; exit 1; \
	  fi; \
	fi

# A whisper.cpp built before .cargo/config.toml turned on ggml's matrix kernels
# (GGML_LLAMAFILE) is not rebuilt by cargo on its own: rebuild it once (docs/performance.md).
SLOW_GGML = $(shell grep -ls 'GGML_LLAMAFILE:BOOL=OFF' target/release/build/whisper-rs-sys-*/out/build/CMakeCache.txt)

build: deps
	$(if $(SLOW_GGML),$(CARGO) clean --release -p whisper-rs-sys)
	$(CARGO) build --release

# Both models: base (Mandarin + English, the default) and tiny.en (fast English, used by tests).
# Each install also gets the speech detector (ggml-silero-vad.bin) every transcription needs
# and the speaker encoder (voice-encoder.bin) that tells a mono call's two voices apart.
models: build
	$(BIN) model install base
	$(BIN) model install tiny.en

# English: two quarters in $(DB), for history and trends. Mandarin: the same 2026Q4 quarter
# graded with the official zh-TW form, in its own database $(DB_ZH), so each database's
# reports cover one form and one language.
demo: models
	rm -f $(DB) $(DB)-wal $(DB)-shm $(DB_ZH) $(DB_ZH)-wal $(DB_ZH)-shm
	$(BIN) run recordings/demo-2026Q3/manifest.csv --campaign 2026Q3 \
	    --rubric rubrics/courtesy-en.toml --db $(DB)
	$(BIN) run recordings/demo/manifest.csv --campaign 2026Q4 \
	    --rubric rubrics/courtesy-en.toml --db $(DB)
	$(BIN) report trends --db $(DB) --by unit
	$(BIN) report training --db $(DB)
	$(BIN) export --db $(DB) --campaign 2026Q4 --format json --out demo-2026Q4.json
	$(BIN) export --db $(DB) --campaign 2026Q4 --format xlsx --out demo-2026Q4.xlsx
	$(BIN) export --db $(DB) --campaign 2026Q4 --format html --out demo-2026Q4.html
	$(BIN) run recordings/demo-zh/manifest.csv --campaign 2026Q4 \
	    --rubric rubrics/courtesy-zh-TW.toml --db $(DB_ZH)
	$(BIN) report training --db $(DB_ZH)
	$(BIN) export --db $(DB_ZH) --campaign 2026Q4 --format html --out demo-zh-2026Q4.html
	@echo "Wrote $(DB), demo-2026Q4.json, demo-2026Q4.xlsx and demo-2026Q4.html (open it in a browser)"
	@echo "Mandarin: wrote $(DB_ZH) and demo-zh-2026Q4.html"

test: models test-deps
	$(CARGO) test --release -- --test-threads=2

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --release --all-targets -- -D warnings

# Then callgrade beside faster-whisper (installed by pip into target/fw-venv) on the demos and,
# when present, the labelled sets (EVAL_DIRS, default ../shared/eval/public-en and public-zh).
# BENCH_ARGS passes options, e.g. BENCH_ARGS='--callgrade-args "--jobs 1" --repeat 3'.
bench: models
	$(CARGO) run --release --example bench
	$(CARGO) run --release --example bench_web
	$(CARGO) test --release --test transcribe_bench -- --ignored --nocapture
	@$(MAKE) --no-print-directory apt PACKAGES="python3-venv"
	python3 scripts/bench.py $(BENCH_ARGS)

# A campaign of SCALE_CALLS calls repeated from the demo: throughput and memory per tenth, the
# ETA's accuracy, Ctrl-C at half-way and the resume (docs/performance.md).
SCALE_CALLS ?= 1000
SCALE_MODEL ?= tiny.en
bench-scale: models
	python3 scripts/bench-scale.py --calls $(SCALE_CALLS) --model $(SCALE_MODEL) $(SCALE_ARGS)

# Then real recorded speech (fetched into target/real-speech, never committed): callgrade's
# error rate beside faster-whisper's on the same model, and calls built from it (docs/real-speech.md).
eval: models
	$(CARGO) run --release --example eval -- ../shared/eval/public-en ../shared/eval/public-zh
	@$(MAKE) --no-print-directory apt PACKAGES="sox unzip python3-venv"
	python3 scripts/real-speech-cer.py
