# The quality gate: lint, format check and the full test suite.
.PHONY: check lint test format

check: lint test

lint:
	ruff check .
	ruff format --check .

test:
	python -m pytest

format:
	ruff format .
	ruff check --fix .
