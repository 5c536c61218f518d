# Two commands do everything: `make demo` (set up, build the demo site) and `make test`
# (set up, lint and type-check, run every test). Set-up is a virtual environment in .venv,
# made once and refreshed whenever pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint serve check docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/cswork build .
	$(VENV)/bin/cswork build demo-wales

# The gates run first: they take seconds, the suite about twenty minutes. Both run even
# when the first fails, so one run lists every finding.
lint: $(STAMP)
	status=0; \
	$(VENV)/bin/ruff check . || status=1; \
	$(VENV)/bin/mypy cswork_site || status=1; \
	exit $$status

test: lint
	$(VENV)/bin/python -m pytest

test-fast: $(STAMP)
	$(VENV)/bin/python -m pytest -m "not slow"

serve: $(STAMP)
	$(VENV)/bin/cswork serve .

check: $(STAMP)
	$(VENV)/bin/cswork check .

# The guides in docs/ as a browsable site, in .docs-site/ (open .docs-site/index.html).
docs: $(STAMP)
	$(VENV)/bin/mkdocs build --strict

clean:
	rm -rf output output.nginx.conf .output.building-* .output.spare .output.lock .cswork-cache $(VENV) cache .mypy_cache .ruff_cache .docs-site
