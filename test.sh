#!/usr/bin/env bash
# Runs every test of LightsOn. Works on a fresh machine with only the .NET SDK: it installs
# what the tests need first. Prints "N passed, N failed" last; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"

# Real servers the integration tests start on free loopback ports (Debian packages).
need=()
[ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing test dependencies: ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "Run as root, or install them first: apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null || exit 1
  # The packages may start their own services on default ports; the tests start their own.
  pkill -x mosquitto 2>/dev/null || true
fi

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
