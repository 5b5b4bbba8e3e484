#!/usr/bin/env bash
# Runs every test of LightsOn. Works on a fresh machine with only the .NET SDK: it installs
# what the tests need first. Prints "N passed, N failed" last; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"

# The storage tests start Debian's influxd (InfluxDB 1.x) themselves, on free ports.
install_influxdb() {
  command -v influxd >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "influxd is missing: install it with 'sudo apt-get install influxdb' (the storage tests will fail without it)" >&2
    return 0
  fi
  echo "Installing influxdb (apt-get)..."
  DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq influxdb >/dev/null ||
    echo "apt-get could not install influxdb" >&2
  # The package may start its own service on the default port 8086; the tests need none.
  service influxdb stop >/dev/null 2>&1 || true
  local pid
  for pid in $(pgrep -x influxd 2>/dev/null); do
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q '/etc/influxdb/influxdb.conf'; then
      kill "$pid" 2>/dev/null || true
    fi
  done
  return 0
}
install_influxdb

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

dotnet test LightsOn.slnx -c Release --nologo \
  --logger "trx" --logger "console;verbosity=normal" \
  --results-directory "$results"
status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the build or a test host failed before any test could report
fi
echo "${passed} passed, ${failed} failed"
exit "$status"
