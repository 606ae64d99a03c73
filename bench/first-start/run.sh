#!/usr/bin/env bash
# `npm start` on a fresh clone until the first answer (docs/PERFORMANCE.md, "First start").
# usage: bench/first-start/run.sh [REPO] [DIR] [PORT]
#   REPO  what to clone (default: this repository's HEAD)    DIR  where (default: a new temp directory)
# Prints every line npm start writes with seconds since the start, the moment GET /api/health first answers 200
# (polled every 0.25 s from outside), then stops the server with SIGTERM and prints its last lines.
set -euo pipefail
repo=${1:-$(git -C "$(dirname "$0")/../.." rev-parse --show-toplevel)}
dir=${2:-$(mktemp -d /tmp/flightdeck-first-start-XXXX)}
port=${3:-3390}
rm -rf "$dir"
git clone -q "$repo" "$dir"
cd "$dir"
log="$dir/first-start.log"
start=$(date +%s.%N)
since() { echo "$(date +%s.%N) - $start" | bc; }
stamp() { while IFS= read -r line; do printf '%7.2f %s\n' "$(since)" "$line"; done; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
(PORT=$port setsid npm start 2>&1 | stamp >"$log") &
until curl -fs -o /dev/null "http://127.0.0.1:$port/api/health"; do
  sleep 0.25
  if (($(echo "$(since) > 1200" | bc))); then echo "no answer after 20 min" >&2; break; fi
done
printf '%7.2f %s\n' "$(since)" "### first GET /api/health 200" | tee -a "$log"
sleep 5
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
for pid in $(pgrep -f "node scripts/start.mjs" || true); do
  [ "$(readlink "/proc/$pid/cwd")" = "$dir" ] && kill -TERM "$pid"
done
wait || true
cat "$log"
