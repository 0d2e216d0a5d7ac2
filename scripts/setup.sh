#!/usr/bin/env bash
# Create .venv in the repository root with every package of the repository, Meltano and the
# test tools, then install the Meltano project's plugins. Idempotent: a second run with the
# same package files only checks that everything is in place.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '[setup] %s\n' "$*"; }

# pip, minus the noise of this machine's pip configuration and of setuptools' editable
# builds; pip's own exit status is kept (pipefail).
pip_install() {
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$@" 2>&1 |
        { grep -vE "^WARNING: Location '.*' is ignored|BuildBackendWarning|^ *!!$|^ *\*{10,}$|Please be careful with folders|name as your package|with strategy, WheelFile|^ *$" || true; }
}

pick_python() {
    if command -v python3.11 >/dev/null 2>&1 && python3.11 -c 'import sys' >/dev/null 2>&1; then
        echo python3.11
        return
    fi
    if command -v python3 >/dev/null 2>&1 &&
        python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
        echo python3
        return
    fi
    echo "[setup] Python 3.11 is needed (python3.11, or python3 being 3.11); found none." >&2
    exit 1
}

# The repository's packages, one a line (ads-kit is installed last, see below).
PACKAGES=(
    ads-kit
    tap-tiktok-ads
    tap-meta-ads
    tap-google-ads
    transform-unified
    target-duckdb-exact
    sandbox
    orchestrate
)
VENV="$ROOT/.venv"
STAMP="$VENV/.setup-stamp"

# What each install step depends on: when none of it changed, the step is skipped.
fingerprint() {
    cat "$ROOT/scripts/setup.sh" "$@" | sha256sum | cut -d' ' -f1
}
PYPROJECTS=()
for package in "${PACKAGES[@]}"; do
    PYPROJECTS+=("$ROOT/$package/pyproject.toml")
done

if [[ ! -x "$VENV/bin/python" ]]; then
    PYTHON="$(pick_python)"
    say "creating .venv with $($PYTHON --version 2>&1)"
    "$PYTHON" -m venv "$VENV"
fi

WANT="$(fingerprint "${PYPROJECTS[@]}")"
if [[ "$WANT" != "$(cat "$STAMP" 2>/dev/null || true)" ]]; then
    say "installing the packages, meltano and the test tools into .venv (pip)"
    pip_install --upgrade pip
    EDITABLE=()
    for package in "${PACKAGES[@]}"; do
        [[ "$package" == ads-kit ]] || EDITABLE+=(-e "./$package[test]")
    done
    # tap-tiktok-ads requires ads-kit by a direct file reference, which pip refuses to
    # resolve together with an editable ads-kit in one command: install everything, then
    # put ads-kit back as editable (its dependencies are in place by then).
    pip_install \
        "${EDITABLE[@]}" \
        "./ads-kit[test]" \
        "meltano==4.4.1" pytest pytest-xdist pytest-timeout duckdb "psycopg[binary]" ruff
    pip_install --no-deps -e ./ads-kit
    echo "$WANT" >"$STAMP"
else
    say ".venv is up to date"
fi

# Meltano keeps one virtualenv per plugin under .meltano/; `meltano install` only upgrades
# what changed, but even that takes a while, so it runs when meltano.yml or the packages
# changed, or a plugin's executable is missing.
PLUGIN_BINS=(
    .meltano/extractors/tap-tiktok-ads/venv/bin/tap-tiktok-ads
    .meltano/extractors/tap-meta-ads/venv/bin/tap-meta-ads
    .meltano/extractors/tap-google-ads/venv/bin/tap-google-ads
    .meltano/mappers/unified/venv/bin/transform-unified
    .meltano/loaders/target-duckdb/venv/bin/target-duckdb-exact
    .meltano/loaders/target-postgres/venv/bin/target-postgres
)
WANT_PLUGINS="$(fingerprint "$ROOT/meltano.yml" "${PYPROJECTS[@]}")"
missing=0
for bin in "${PLUGIN_BINS[@]}"; do
    [[ -x "$ROOT/$bin" ]] || missing=1
done
if [[ $missing == 1 || "$(cat "$VENV/.meltano-stamp" 2>/dev/null || true)" != "$WANT_PLUGINS" ]]; then
    say "installing the Meltano plugins (meltano install)"
    MELTANO_SEND_ANONYMOUS_USAGE_STATS=false "$VENV/bin/meltano" --log-level=warning install
    echo "$WANT_PLUGINS" >"$VENV/.meltano-stamp"
else
    say "Meltano plugins are installed"
fi

say "ready: $("$VENV/bin/meltano" --version 2>/dev/null | tail -n1), $("$VENV/bin/python" --version)"
