#!/usr/bin/env bash
# Runs every test: installs prerequisites, then `dotnet test`. The test fixtures start the
# project's local PostgreSQL cluster (.local/pg, 127.0.0.1:55432) themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/prereqs.sh
# The TimescaleDB conformance lane (PGlite + TimescaleDB over the wire protocol) needs its npm packages.
npm ci --prefix EcomInsight.Tests/Integration/Database/Timescale --no-audit --no-fund --loglevel=error
dotnet test EcomInsight.sln -c Release --logger "console;verbosity=normal" "$@"
