#!/usr/bin/env bash
# Runs EcomInsight's `forecast` on both shared evaluation protocols' train files, scores the forecasts with the
# shared scorer (../shared/eval/score.py, python3 + pandas) and prints our scores next to R's reference table.
# Usage: .ci/eval-protocols.sh [extra forecast options, e.g. --models mean,naive]
# Reads only train.csv.gz to forecast; test.csv.gz is read by the scorer alone.
set -euo pipefail
cd "$(dirname "$0")/.."
EVAL=../shared/eval
OUT=${EVAL_OUT:-$(mktemp -d)}
PY=/usr/bin/python3
dotnet build EcomInsight.Web -c Release -nologo -v q >/dev/null
APP="dotnet EcomInsight.Web/bin/Release/net10.0/EcomInsight.Web.dll"

run() {  # protocol frequency horizon
  local p=$1 f=$2 h=$3; shift 3
  echo "== $p (h=$h, $f)"
  /usr/bin/time -v $APP forecast --input "$EVAL/$p/train.csv.gz" --frequency "$f" --horizon "$h" \
    --output "$OUT/$p.csv" "$@" 2>"$OUT/$p.time"
  grep -E "Maximum resident|Elapsed \(wall|User time|System time" "$OUT/$p.time" | sed 's/^\s*/  \/usr\/bin\/time: /'
  ours=$($PY "$EVAL/score.py" --protocol "$p" --train "$EVAL/$p/train.csv.gz" --test "$EVAL/$p/test.csv.gz" \
    --forecasts "$OUT/$p.csv" | tail -1)
  echo "ours: $ours"
  echo "R (forecast 8.20), same series and scorer:"
  grep -E "^\| $p \|" "$EVAL/README.md" | awk -F'|' '{printf "  %-8s WAPE=%s MASE=%s sMAPE=%s BIAS=%s VN1=%s coverage80=%s seconds=%s\n",$3,$4,$5,$6,$7,$8,$9,$10}' | tr -s ' '
}

run retail-weekly weekly 8 "$@"
run retail-daily daily 28 "$@"
echo "forecasts in $OUT"
