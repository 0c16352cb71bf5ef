#!/usr/bin/env bash
# Compares two dunav binaries on the same generated sites, alternating runs so
# that both see the same machine load: wall time and peak memory of a fresh
# `dunav build`, median and spread over the runs.
#
#   scripts/compare-builds.sh OLD_BINARY NEW_BINARY [PAGES...]   # default 1000 10000
#   RUNS=7 scripts/compare-builds.sh …                           # runs per binary (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1 new=$2
shift 2
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
runs=${RUNS:-5}
source scripts/corpus.sh
base=/dev/shm
[ -d "$base" ] || base=${TMPDIR:-/tmp}
work=$(mktemp -d "$base/dunav-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT
summary() { sort -n | awk '{a[NR]=$1} END {printf "median %.2f (min %.2f, max %.2f)", a[int((NR+1)/2)], a[1], a[NR]}'; }
for n in "${sizes[@]}"; do
  site="$work/site-$n"
  corpus_site "$site" "$n"
  for bin in "$old" "$new"; do "$bin" build --root "$site" --output "$site/public" >/dev/null; done
  : > "$work/old.t"; : > "$work/new.t"; : > "$work/old.m"; : > "$work/new.m"
  for _ in $(seq "$runs"); do
    for which in old new; do
      bin=$old; [ $which = new ] && bin=$new
      rm -rf "$site/public"
      /usr/bin/time -f "%e %M" -o "$work/time" "$bin" build --root "$site" --output "$site/public" >/dev/null
      read -r secs kb < "$work/time"
      echo "$secs" >> "$work/$which.t"; echo $((kb / 1024)) >> "$work/$which.m"
    done
  done
  echo "pages=$n fresh build, $runs runs each:"
  echo "  old: $(summary < "$work/old.t") s, peak $(summary < "$work/old.m") MB"
  echo "  new: $(summary < "$work/new.t") s, peak $(summary < "$work/new.m") MB"
done
