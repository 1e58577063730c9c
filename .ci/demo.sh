#!/usr/bin/env bash
# The main job on a fresh machine: prerequisites, build, local PostgreSQL, schema, the real
# Online Retail import, then the web app on http://127.0.0.1:5080 (Ctrl+C stops it; the database
# keeps running: `dotnet artifacts/app/EcomInsight.Web.dll db stop`).
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/prereqs.sh
DATA="${ECOMINSIGHT_DATA:-../shared/data/online_retail.csv.gz}"
dotnet publish EcomInsight.Web -c Release -o artifacts/app --nologo -v quiet
app() { dotnet artifacts/app/EcomInsight.Web.dll "$@"; }
app db start
app migrate
app import --source online-retail --file "$DATA"
# The app runs in the Production environment (ASP.NET Core's default), whose logs are JSON lines for a
# log collector; the demo's reader is a person at a terminal, so it keeps the plain console format.
export Logging__Console__FormatterName="${Logging__Console__FormatterName:-simple}"
exec dotnet artifacts/app/EcomInsight.Web.dll serve --urls "${ECOMINSIGHT_URLS:-http://127.0.0.1:5080}"
