#!/usr/bin/env bash
# The main job on a fresh machine: prerequisites, build, local PostgreSQL, schema, the real Online Retail
# import, demo users (one per role; credentials printed and kept in .local/demo-users.txt), one full
# pipeline run (train -> score -> inventory on simulated positions -> warnings -> plans -> daily digests into
# .local/mail), then the web app with the scheduler on at http://127.0.0.1:5080 (Ctrl+C stops it; the database keeps running:
# `dotnet artifacts/app/EcomInsight.Web.dll db stop`).
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/prereqs.sh
DATA="${ECOMINSIGHT_DATA:-../shared/data/online_retail.csv.gz}"
dotnet publish EcomInsight.Web -c Release -o artifacts/app --nologo -v quiet
# The published app runs as Production (JSON log lines); the demo is read by people, so plain console logs.
export Logging__Console__FormatterName="${Logging__Console__FormatterName:-simple}"
export Logging__Console__FormatterOptions__TimestampFormat="${Logging__Console__FormatterOptions__TimestampFormat:-HH:mm:ss }"
# The demo serves plain HTTP (any --urls host, not only loopback), so the sign-in cookie follows the request scheme.
export Identity__CookieSecurePolicy="${Identity__CookieSecurePolicy:-SameAsRequest}"
app() { dotnet artifacts/app/EcomInsight.Web.dll "$@"; }
app db start
app migrate
# A file already imported (same SHA-256) is reported and skipped, so re-running the demo is safe.
app import --source online-retail --file "$DATA"
# Users first (one per role, daily digests), so the pipeline's digest step writes their first digests.
mkdir -p .local
app user seed-demo | tee .local/demo-users.txt
app pipeline
echo "Demo users (also in .local/demo-users.txt):"
cat .local/demo-users.txt
exec dotnet artifacts/app/EcomInsight.Web.dll serve --urls "${ECOMINSIGHT_URLS:-http://127.0.0.1:5080}"
