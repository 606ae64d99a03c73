#!/usr/bin/env bash
# `npm start` on a fresh clone until the first answer (docs/PERFORMANCE.md, "First start").
# usage: bench/first-start/run.sh [REPO] [DIR] [PORT]
#   REPO  what to clone (default: this repository's HEAD)    DIR  where (default: a new temp directory)
#        bench/first-start/run.sh --smoke [PORT]   (npm run bench:first-start:smoke; CI)
#   --smoke: no clone — this checkout, installed and built already, on a fresh embedded database; fails unless the
#   start-up ends with its ready line and SIGTERM with its clean-shutdown line.
# Prints every line npm start writes with seconds since the start, the moment GET /api/health first answers 200
# (polled every 0.25 s from outside), then stops the server with SIGTERM and prints its last lines.
set -euo pipefail
smoke=false
if [ "${1:-}" = "--smoke" ]; then
  smoke=true
  shift
  dir=$(git -C "$(dirname "$0")/../.." rev-parse --show-toplevel)
  port=${1:-3390}
  data=$(mktemp -d /tmp/flightdeck-first-start-data-XXXX)
  export FLIGHTDECK_DATA_DIR="$data"
  log="$data/first-start.log"
else
  repo=${1:-$(git -C "$(dirname "$0")/../.." rev-parse --show-toplevel)}
  dir=${2:-$(mktemp -d /tmp/flightdeck-first-start-XXXX)}
  port=${3:-3390}
  rm -rf "$dir"
  git clone -q "$repo" "$dir"
  log="$dir/first-start.log"
fi
cd "$dir"
start=$(date +%s.%N)
since() { echo "$(date +%s.%N) - $start" | bc; }
stamp() { while IFS= read -r line; do printf '%7.2f %s\n' "$(since)" "$line"; done; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
(PORT=$port setsid npm start 2>&1 | stamp >"$log") &
until curl -fs -o /dev/null "http://127.0.0.1:$port/api/health"; do
  sleep 0.25
  if (($(echo "$(since) > 1200" | bc))); then echo "no answer after 20 min" >&2; break; fi
  if $smoke && (($(echo "$(since) > 300" | bc))); then echo "no answer after 5 min" >&2; break; fi
done
printf '%7.2f %s\n' "$(since)" "### first GET /api/health 200" | tee -a "$log"
sleep 5
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
for pid in $(pgrep -f "node scripts/start.mjs" || true); do
  [ "$(readlink "/proc/$pid/cwd")" = "$dir" ] && kill -TERM "$pid"
done
wait || true
cat "$log"
if $smoke; then
  status=0
  grep -q "Flightdeck is ready in .* open http://" "$log" || { echo "smoke: no ready line with the URL" >&2; status=1; }
  grep -q "Flightdeck stopped cleanly" "$log" || { echo "smoke: no clean-shutdown line" >&2; status=1; }
  rm -rf "$data"
  [ "$status" = 0 ] && echo "smoke: first answer, ready line and clean shutdown all seen"
  exit "$status"
fi
