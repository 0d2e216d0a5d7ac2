#!/usr/bin/env bash
# Extract TikTok Ads, Meta Ads and Google Ads from the local sandbox through the unified
# mapper into DuckDB, compare what was loaded with the sandbox's truth, platform by
# platform (exits non-zero when they differ), then print the report's summary and
# write its HTML page (output/report/report.html).
#   SEED=1 SCALE=3x4x3x3x30 bash scripts/demo.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SEED="${SEED:-1}"
SCALE="${SCALE:-3x4x3x3x30}"
say() { printf '[demo] %s\n' "$*"; }

bash scripts/setup.sh
export PATH="$ROOT/.venv/bin:$PATH"
export MELTANO_SEND_ANONYMOUS_USAGE_STATS=false

mkdir -p output
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ads-demo.XXXXXX")"
SANDBOX_PID=""
cleanup() {
    if [[ -n "$SANDBOX_PID" ]] && kill -0 "$SANDBOX_PID" 2>/dev/null; then
        kill -TERM "$SANDBOX_PID" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$SANDBOX_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SANDBOX_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "starting ads-sandbox serve --seed $SEED --scale $SCALE"
ads-sandbox serve --seed "$SEED" --scale "$SCALE" >"$WORK/sandbox.out" 2>"$WORK/sandbox.log" &
SANDBOX_PID=$!
# Its first stdout line, once every emulator accepts connections, says where they listen.
READY=""
for _ in $(seq 1200); do
    if [[ "$(head -c 1M "$WORK/sandbox.out" | wc -l)" -ge 1 ]]; then
        READY="$(head -n 1 "$WORK/sandbox.out")"
        break
    fi
    if ! kill -0 "$SANDBOX_PID" 2>/dev/null; then
        break
    fi
    sleep 0.1
done
if [[ -z "$READY" ]]; then
    say "ads-sandbox did not print its addresses; its log:"
    cat "$WORK/sandbox.log" >&2
    exit 1
fi
ready() { python -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$READY" "$1"; }
export ADS_SANDBOX_TIKTOK_URL ADS_SANDBOX_META_URL
export ADS_SANDBOX_GOOGLE_ADS_URL ADS_SANDBOX_OAUTH_URL ADS_SANDBOX_CA_CERT
ADS_SANDBOX_TIKTOK_URL="$(ready tiktok)"
ADS_SANDBOX_META_URL="$(ready meta)"
ADS_SANDBOX_GOOGLE_ADS_URL="$(ready google_ads)"
ADS_SANDBOX_OAUTH_URL="$(ready oauth)"
ADS_SANDBOX_CA_CERT="$(ready ca_cert)"
say "sandbox TikTok API at $ADS_SANDBOX_TIKTOK_URL, Meta Graph API at $ADS_SANDBOX_META_URL"
say "sandbox Google Ads API at $ADS_SANDBOX_GOOGLE_ADS_URL (gRPC, TLS), OAuth at $ADS_SANDBOX_OAUTH_URL"
# Read every day the sandbox has: the scale's last figure is its number of days.
export TAP_TIKTOK_ADS_DATE_RANGE="{\"type\": \"last_n_days\", \"days\": ${SCALE##*x}}"
export TAP_META_ADS_DATE_RANGE="$TAP_TIKTOK_ADS_DATE_RANGE"
export TAP_GOOGLE_ADS_DATE_RANGE="$TAP_TIKTOK_ADS_DATE_RANGE"

# tap, the truth's platform name
PIPELINES=("tap-tiktok-ads tiktok" "tap-meta-ads meta" "tap-google-ads google_ads")

# The truth as of now: the sandbox's data ends on each account's local today at its start,
# so the truth is taken at once, before a local midnight can pass.
for pipeline in "${PIPELINES[@]}"; do
    read -r tap platform <<<"$pipeline"
    ads-sandbox truth --platform "$platform" --seed "$SEED" --scale "$SCALE" \
        >"$WORK/truth-$platform.jsonl"
done

# A clean demo: a new warehouse, no state and no entity cache from an earlier run.
rm -f output/warehouse.duckdb output/warehouse.duckdb.wal
rm -f .meltano/run/transform-unified/entities.json
for pipeline in "${PIPELINES[@]}"; do
    read -r tap platform <<<"$pipeline"
    meltano --environment=sandbox --log-level=warning state clear --force \
        "sandbox:$tap-to-target-duckdb" >/dev/null 2>&1 || true
done

for pipeline in "${PIPELINES[@]}"; do
    read -r tap platform <<<"$pipeline"
    say "meltano --environment=sandbox run $tap transform-unified target-duckdb"
    START=$SECONDS
    if ! meltano --environment=sandbox run --full-refresh \
        "$tap" transform-unified target-duckdb >"$WORK/meltano-$tap.log" 2>&1; then
        say "meltano run failed; the end of its log:"
        tail -n 60 "$WORK/meltano-$tap.log" >&2
        exit 1
    fi
    say "loaded output/warehouse.duckdb in $((SECONDS - START)) s"
done

for pipeline in "${PIPELINES[@]}"; do
    read -r tap platform <<<"$pipeline"
    say "ads.unified_campaign_performance against ads-sandbox truth --platform $platform --seed $SEED --scale $SCALE"
    python scripts/compare_truth.py --duckdb output/warehouse.duckdb --platform "$platform" \
        --truth "$WORK/truth-$platform.jsonl" --fx-rates sandbox/ads_sandbox/fx_rates.csv \
        --metrics spend,impressions,clicks,conversions,conversion_value
done

say "ads-report --duckdb output/warehouse.duckdb --out output/report"
ads-report --duckdb output/warehouse.duckdb --out output/report
