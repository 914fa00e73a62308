# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The SARIF 2.1.0 JSON schema (OASIS's final rtm.5), as Microsoft's MIT-licensed jest-sarif package on
# npm ships it (npm checks the package's integrity; the test checks the file's digest).
SARIF_SCHEMA := $(VENV)/share/sarif-2.1.0-rtm.5.json

.PHONY: run test lint bench lock clean poppler chromium

# Every package comes from requirements.lock, checked against its hashes; the project itself is
# built with the locked setuptools (no build isolation, so nothing unpinned is fetched).
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/budget-kg audit examples/shuimogou-union-2025.txt; test $$? -le 1
	$(BIN)/budget-kg audit examples/district-office-2025-dept-budget.pdf; test $$? -le 1

lint: $(STAMP)
	$(BIN)/ruff check engine tests bench
	$(BIN)/mypy

test: $(STAMP) lint poppler chromium $(SARIF_SCHEMA)
	$(BIN)/python -m pytest

# The SARIF 2.1.0 JSON schema that tests/test_sarif_junit.py validates against (see SARIF_SCHEMA).
$(SARIF_SCHEMA): | $(STAMP)
	mkdir -p $(VENV)/share/npm
	cd $(VENV)/share/npm && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null && \
	  tar -xzf microsoft-jest-sarif-1.0.0-beta.0.tgz package/lib/schemas/sarif-2.1.0-rtm.5.json
	cp $(VENV)/share/npm/package/lib/schemas/sarif-2.1.0-rtm.5.json $@

# pdftoppm (Debian poppler-utils) renders annotated PDFs in the tests; installed when missing and root.
poppler:
	@command -v pdftoppm >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; } || \
	  echo "pdftoppm not found and not installed (needs root and apt-get): the rendering test skips"

# Debian's Chromium, which tests/test_browser.py drives through Playwright; installed when missing and root.
chromium:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; } || \
	  echo "chromium not found and not installed (needs root and apt-get): the browser test skips"

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/pdf.py

# Re-resolve requirements.lock from pyproject.toml (keeping the current pins where they still fit).
lock:
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install -q uv==0.13.9
	.venv-lock/bin/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 \
	  --custom-compile-command "make lock" -o requirements.lock

clean:
	rm -rf $(VENV) .venv-lock out
