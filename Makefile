# The two commands of the README: `make run` and `make test`. Both set up .venv from the
# hash-pinned lock file first (once per lock change).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock pyproject.toml | sha256sum | cut -c1-12)

.PHONY: setup setup-ldap run test lint test-postgres lock lock-ldap bench

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)

## Add the optional LDAP sign-in (docs/provinces.md): needs Debian's libldap2-dev and libsasl2-dev.
setup-ldap: setup
	$(PY) -m pip install --quiet --require-hashes -r requirements-ldap.lock

## Set up and start the system on SQLite with the demo data: http://127.0.0.1:8000/
run: setup
	$(VENV)/bin/cchc serve

lint: setup
	$(VENV)/bin/ruff check .

## Set up and run the whole test suite (SQLite unless DATABASE_URL says otherwise).
test: lint
	$(PY) -m pytest

## The same suite against PostgreSQL (a scratch database on 127.0.0.1:5432 by default).
test-postgres: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cchc_dev} $(PY) -m pytest

## Re-pin dependencies after editing pyproject.toml (needs uv in the venv).
lock:
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock
	# weasyprint asks for fonttools[woff]: pip (23.x, as Debian's venv ships) refuses that extra in
	# hash mode unless the pinned line names it too.
	sed -i 's/^fonttools==/fonttools[woff]==/' requirements.lock

## The optional LDAP extra's lock: the same pins as requirements.lock, plus the extra's packages.
lock-ldap:
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --extra ldap -c requirements.lock --generate-hashes --python-version 3.11 -o requirements-ldap.lock
	sed -i 's/^fonttools==/fonttools[woff]==/' requirements-ldap.lock

## The benchmarks that need no PostgreSQL; bench/scale.py and bench/aggregate.py take a DATABASE_URL.
bench: setup
	for script in resolve_units import_accuracy import_speed; do echo "== bench/$$script.py"; $(PY) bench/$$script.py || exit 1; done
