# The quality gate: lint, format check, the test suite, and the grounding evaluation on the bundled corpus.
.PHONY: check lint test eval bench format

check: lint eval test

lint:
	ruff check .
	ruff format --check .

test:
	python -m pytest

eval:
	mkdir -p eval/out
	python -m eval run --baselines --out eval/out/results.jsonl --report eval/out/report.html --markdown

bench:
	python -m eval bench

format:
	ruff format .
	ruff check --fix .
