# Hemlös Desktop developer tasks. `make run` and `make test` set everything up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
SYSTEM_STAMP := build/.system-deps

.PHONY: run demo test lint typecheck pytest translations compile-translations screenshots bench setup system-deps clean package package-test

setup: $(SYSTEM_STAMP) $(STAMP) compile-translations

$(SYSTEM_STAMP): tools/system-deps.sh
	bash tools/system-deps.sh
	@mkdir -p build && touch $@

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test]"
	@touch $@

compile-translations: $(STAMP)
	$(BIN)/pybabel compile --statistics -d hemlos_desktop/i18n/locale -D hemlos

## Extract strings from the code and merge them into the sv and da catalogs, then compile.
## Add translations with: $(PY) tools/i18n_sync.py --fill FILE.json (see the script's help).
translations: $(STAMP)
	$(PY) tools/i18n_sync.py
	$(MAKE) compile-translations

## Open the main window on the demo database (created on first use).
run: setup
	$(BIN)/hemlos-desktop --demo

lint: $(STAMP)
	$(BIN)/ruff check hemlos_desktop tests benchmarks tools
	$(BIN)/ruff format --check hemlos_desktop tests benchmarks tools

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: setup
	$(BIN)/pytest -n auto

## Lint, type-check and run the whole test suite (what CI runs).
test: setup lint typecheck pytest

screenshots: setup
	$(PY) tools/screenshots.py --out build/screenshots

bench: setup
	$(PY) tools/run_benchmarks.py

## The installers (see packaging/README.md): the PyInstaller one-folder build, and on Linux the
## tarball, the .deb and a test MSI built with wixl, all under build/dist/; then the tests that
## need them (smoke test of the .deb, the MSI's tables) and the package benchmark (size, start).
PACKAGE_STAMP := $(VENV)/.package-installed
DIST := build/dist

$(PACKAGE_STAMP): pyproject.toml constraints.txt | $(STAMP)
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test,package]"
	@touch $@

package: setup $(PACKAGE_STAMP)
	rm -rf $(DIST)/hemlos-desktop
	$(PY) tools/write_licences.py build/licences/licences.json
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath $(DIST) --workpath build/pyinstaller packaging/hemlos-desktop.spec
	@if [ "$$(uname -s)" = Linux ]; then \
		$(PY) tools/build_linux_packages.py --dist $(DIST) && \
		$(PY) tools/build_msi.py --main-exe hemlos-desktop $(DIST)/hemlos-desktop $(DIST)/hemlos-desktop-linux-layout-test.msi; \
	fi
	$(MAKE) package-test
	$(PY) benchmarks/package.py

## The tests that need the build from `make package` (marked `package`; not part of make test).
package-test: setup
	$(BIN)/pytest -m package tests/packaging

clean:
	rm -rf build $(VENV) .pytest_cache .mypy_cache .ruff_cache
