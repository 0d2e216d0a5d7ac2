#!/usr/bin/env bash
# Every test of the repository in one pytest run: the packages' unit tests and the
# end-to-end tests in tests/ (Meltano runs against the sandbox into DuckDB and a real
# PostgreSQL started from Debian's binaries). Extra arguments go to pytest.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '[test] %s\n' "$*"; }

bash scripts/setup.sh
# The tests run the packages' commands (tap-tiktok-ads, ads-sandbox, meltano) from PATH.
export PATH="$ROOT/.venv/bin:$PATH"
export MELTANO_SEND_ANONYMOUS_USAGE_STATS=false

# Servers and programs the tests start themselves, from Debian's packages: PostgreSQL
# (end-to-end loads), Redis (shared request budgets) and Chromium (the report's page).
missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
# Chromium (headless) opens ads-report's HTML page and checks that its charts render.
command -v chromium >/dev/null || missing+=(chromium)
if (( ${#missing[@]} )); then
    if [[ "$(id -u)" != 0 ]]; then
        say "missing Debian packages: ${missing[*]}; installing them needs root:"
        say "sudo apt-get update && sudo apt-get install -y ${missing[*]}"
        exit 1
    fi
    say "installing Debian's ${missing[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Both cores: the unit tests spread over two workers; the Meltano runs take a lock of their
# own (tests/ads_e2e/meltano.py), so at most one runs at a time whatever the worker count.
WORKERS="${PYTEST_WORKERS:-2}"
say "pytest with $WORKERS worker(s)"
status=0
folders=()
TEST_FOLDERS=(
    ads-kit/tests
    tap-tiktok-ads/tests
    tap-meta-ads/tests
    tap-google-ads/tests
    transform-unified/tests
    target-duckdb-exact/tests
    sandbox/tests
    orchestrate/tests
    tests
)
for folder in "${TEST_FOLDERS[@]}"; do
    if [[ -d "$folder" ]]; then
        folders+=("$folder")
    else
        say "no $folder folder: skipped"
    fi
done
python -m pytest -n "$WORKERS" --dist loadgroup "${folders[@]}" "$@" ||
    status=$?
if [[ $status == 5 ]]; then
    say "pytest collected no tests: that counts as a failure"
    exit 1
fi
exit "$status"
