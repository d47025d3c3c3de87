#!/usr/bin/env bash
# scripts/install-deps against stub dpkg-query, service, apt-get and id on PATH: it installs only
# what is missing and stops only a service whose package it installed and that was not running
# before; --dry-run says the same and changes nothing.
set -euo pipefail
script=$1
stubs=$(mktemp -d)
trap 'rm -rf "$stubs"' EXIT
calls=$stubs/calls
: >"$calls"

# Stubs read STUB_MISSING (packages not installed) and STUB_RUNNING (services running).
cat >"$stubs/dpkg-query" <<'STUB'
#!/bin/sh
for p in $STUB_MISSING; do [ "$p" = "$3" ] && exit 1; done
printf 'install ok installed'
STUB
cat >"$stubs/service" <<'STUB'
#!/bin/sh
echo "service $*" >>"$STUB_CALLS"
[ "$2" = status ] || exit 0
for s in $STUB_RUNNING; do [ "$s" = "$1" ] && exit 0; done
exit 3
STUB
cat >"$stubs/apt-get" <<'STUB'
#!/bin/sh
echo "apt-get $*" >>"$STUB_CALLS"
STUB
printf '#!/bin/sh\necho 0\n' >"$stubs/id"
chmod +x "$stubs"/*
export PATH=$stubs:$PATH STUB_CALLS=$calls

fail() { echo "FAIL: $*" >&2; echo "calls:" >&2; cat "$calls" >&2; exit 1; }

# Nothing missing: nothing happens.
out=$(STUB_MISSING="" STUB_RUNNING="" bash "$script" --dry-run)
[ "$out" = "install-deps: nothing to install" ] || fail "dry run with nothing missing: $out"
STUB_MISSING="" STUB_RUNNING="" bash "$script"
grep -q apt-get "$calls" && fail "apt-get ran with nothing missing"

# postgresql and redis-server missing, redis-server already running (another package's server):
# only postgresql is stopped after installing.
export STUB_MISSING="postgresql redis-server cmake" STUB_RUNNING="redis-server ngircd"
out=$(bash "$script" --dry-run)
grep -qx "install-deps: would install cmake postgresql redis-server" <<<"$out" || fail "$out"
grep -qx "install-deps: would stop after installing: postgresql" <<<"$out" || fail "$out"
grep -q "apt-get\|stop" "$calls" && fail "the dry run changed something"

bash "$script" 2>/dev/null
grep -q "apt-get install .* cmake postgresql redis-server" "$calls" || fail "no install"
grep -qx "service postgresql stop" "$calls" || fail "postgresql not stopped"
grep -q "service redis-server stop" "$calls" && fail "a running redis-server was stopped"
grep -q "service ngircd stop" "$calls" && fail "ngircd was not installed but was stopped"
echo "install-deps: ok"
