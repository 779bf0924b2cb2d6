# Convenience targets; the scripts hold the logic and document their variables.
#   make install [DESTDIR=/stage] [PREFIX=/usr] [BIN_DIR=prebuilt/]
#   make check-unit        hardening score and verify of packaging/systemd
#   make e2e-systemd       end-to-end test under a real systemd in a container (root)
PREFIX ?= /usr
DESTDIR ?=
BIN_DIR ?=
RELEASE_SCRATCH ?= .build-release

.PHONY: all release install check-unit e2e-systemd

all: release

# Static Swift runtime, exports trimmed: see scripts/build-release.sh.
release:
	scripts/build-release.sh $(abspath $(RELEASE_SCRATCH))

install:
	DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" BIN_DIR="$(BIN_DIR)" SCRATCH_PATH="$(abspath $(RELEASE_SCRATCH))" \
		scripts/install.sh

check-unit:
	BIN_DIR="$(BIN_DIR)" scripts/check-unit.sh

e2e-systemd:
	BIN_DIR="$(BIN_DIR)" systemd-e2e/systemd-e2e.sh
