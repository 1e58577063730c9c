#!/usr/bin/env bash
# The main job on a fresh machine: prerequisites, build, local PostgreSQL, schema, the real Online Retail
# import, one full pipeline run (train -> score -> inventory (simulated positions) -> warnings -> plans ->
# daily digests into .local/mail), demo users (one per role; their credentials are printed), then the web app
# with the scheduler on at http://127.0.0.1:5080 (Ctrl+C stops it; the database keeps running:
# `dotnet artifacts/app/EcomInsight.Web.dll db stop`).
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/prereqs.sh
DATA="${ECOMINSIGHT_DATA:-../shared/data/online_retail.csv.gz}"
dotnet publish EcomInsight.Web -c Release -o artifacts/app --nologo -v quiet
app() { dotnet artifacts/app/EcomInsight.Web.dll "$@"; }
app db start
app migrate
# A file already imported (same SHA-256) is reported and skipped, so re-running the demo is safe.
app import --source online-retail --file "$DATA"
app pipeline
app user seed-demo
exec dotnet artifacts/app/EcomInsight.Web.dll serve --urls "${ECOMINSIGHT_URLS:-http://127.0.0.1:5080}"
