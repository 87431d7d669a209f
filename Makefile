# The two commands of the README:
#   make book   set up .venv and build the site into _build/html
#   make test   the same, then run every test (unit, build, browser)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book test setup clean serve bench colab seeds

$(STAMP): requirements.txt requirements-test.txt code/pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	$(BIN)/python -m pip install --quiet --no-deps -e ./code
	touch $@

setup: $(STAMP)

book: $(STAMP)
	bash scripts/build-book.sh

test: book
	bash scripts/ensure-chromium.sh
	$(BIN)/python -m pytest
	bash scripts/colab-check.sh

# Every chapter's Colab notebook on Colab's package versions (.venv-colab).
colab: book
	bash scripts/colab-check.sh

# Seed sweep: the book built with other seeds (DLBOOK_SEED_SHIFT), the chapter
# tests run against each; writes _build/seeds.json and _build/seeds.md and
# fails if any test fails for any seed. SHIFTS="1" for a quicker check.
SHIFTS ?= 1 2 3
seeds: book
	$(BIN)/python scripts/seeds.py $(SHIFTS)

# Chapter times and peak memory, cold and warm build, page weights, against
# the budgets (about 20 minutes; writes _build/bench.json).
bench: $(STAMP)
	$(BIN)/python scripts/bench.py

serve:
	$(BIN)/python -m http.server --directory _build/html --bind 127.0.0.1 8000

clean:
	rm -rf _build
