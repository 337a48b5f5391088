# OneHall — `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt pyproject.toml | sha256sum | cut -c1-12)
EXAMPLE_PLUGIN := examples/onehall-idcard
HOST   ?= 127.0.0.1
PORT   ?= 5000
QUICK  ?=
CAS_REQS  := tests/auth/cas-requirements.txt
CAS_STAMP := .venv-cas/.installed-$(shell sha256sum $(CAS_REQS) | cut -c1-12)
export FLASK_APP := wsgi

.PHONY: run test bench setup test-servers system-deps clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .   # entry points: the built-in plugins
	@rm -f $(VENV)/.installed-*; touch $@

setup: $(STAMP)

# The CAS test server (tests/auth/sso_servers.py) runs Django 3.2 in its own virtualenv,
# installed here from pinned versions, never by a test.
$(CAS_STAMP): $(CAS_REQS)
	rm -rf .venv-cas && $(PYTHON) -m venv .venv-cas
	.venv-cas/bin/pip install -q --disable-pip-version-check -r $(CAS_REQS)
	@touch $@

test-servers: $(CAS_STAMP)

system-deps:
	@./scripts/system-deps.sh

run: $(STAMP) system-deps
	$(BIN)/flask init-db
	$(BIN)/flask defs import definitions
	$(BIN)/flask demo
	@echo "OneHall on http://$(HOST):$(PORT)/ — demo logins: admin, t2001 (李明, 宣传部), t2002 (张华, 宣传部 leader), s2023001 (student); password demo1234"
	@$(BIN)/flask worker & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(BIN)/gunicorn -w 2 -b $(HOST):$(PORT) --access-logfile - wsgi:app

test: $(STAMP) $(CAS_STAMP)
	@./scripts/system-deps.sh --browser
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e $(EXAMPLE_PLUGIN)
	ONEHALL_TEST_DEPTH=full $(BIN)/python -m pytest

bench: $(STAMP) system-deps
	$(BIN)/python -m bench $(if $(QUICK),--quick,)

clean:
	rm -rf $(VENV) .venv-cas .pytest_cache
