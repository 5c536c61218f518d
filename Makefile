# Two commands do everything: `make demo` (set up, build the demo site) and `make test`
# (set up, run every test). Set-up is a virtual environment in .venv, made once and
# refreshed whenever pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: demo test serve check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/cswork build .

test: $(STAMP)
	$(VENV)/bin/python -m pytest

serve: $(STAMP)
	$(VENV)/bin/cswork serve .

check: $(STAMP)
	$(VENV)/bin/cswork check .

clean:
	rm -rf output .output.building-* .output.spare .output.lock .cswork-cache $(VENV) cache
