# The quality gate: lint, format check, the test suite, and the grounding evaluation on the bundled corpus.
.PHONY: check lint browser test eval blind colloquial bench format gate

check: lint browser eval test

lint:
	ruff check .
	ruff format --check .
	mypy

test:
	python -m pytest

eval:
	mkdir -p eval/out
	python -m eval run --baselines --out eval/out/results.jsonl --report eval/out/report.html --markdown

# The blind set: measure on it, never tune on it (it is not part of the gate).
blind:
	python -m eval run --set eval/blind.jsonl --markdown

# Questions in cadres' own words (咱/啥/咋/弄), written before the gate was built: held out like the blind set.
colloquial:
	python -m eval run --set eval/colloquial.jsonl --markdown

# Refit the answerability gate on the tuned set only (writes assistant/gate.json).
gate:
	python -m eval fit-gate --write

bench:
	python -m eval bench

format:
	ruff format .
	ruff check --fix .

# Debian's Chromium for the browser tests (Playwright drives it by path; it never downloads a browser).
browser:
	@(command -v chromium >/dev/null && fc-list | grep -qi wenquanyi) || (apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-zenhei)
