#!/usr/bin/env bash
# Build benchmark: generates 1,000 and 10,000 pages with the shared corpus
# generator and prints wall time and peak memory of `dunav build`.
#
#   scripts/bench-build.sh            # 1000 and 10000 pages
#   scripts/bench-build.sh 2000       # other sizes
#   BENCH_SEARCH=off scripts/bench-build.sh   # without the search index
#
# Output goes to tmpfs (/dev/shm) when it exists, as in the targets.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
source scripts/corpus.sh
cargo build --release --quiet
base=/dev/shm
[ -d "$base" ] || base=${TMPDIR:-/tmp}
work=$(mktemp -d "$base/dunav-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
for n in "${sizes[@]}"; do
  site="$work/site-$n"
  corpus_site "$site" "$n"
  files=$(find "$site/content" -name '*.md' | wc -l)
  # One warm-up run so the page cache holds the corpus, then three measured runs.
  ./target/release/dunav build --root "$site" --output "$site/public" >/dev/null
  # "fresh" starts with no output; "rebuild" also swaps out and deletes the previous build.
  for mode in fresh rebuild; do
    for run in 1 2 3; do
      [ "$mode" = fresh ] && rm -rf "$site/public"
      /usr/bin/time -f "%e %M" -o "$work/time" ./target/release/dunav build --root "$site" --output "$site/public" >/dev/null
      read -r secs kb < "$work/time"
      out=$(find "$site/public" -type f | wc -l)
      printf 'pages=%-6s md_files=%-6s output_files=%-6s search=%-3s %-7s run=%d wall=%ss peak_rss=%d MB\n' \
        "$n" "$files" "$out" "${BENCH_SEARCH:-on}" "$mode" "$run" "$secs" $((kb / 1024))
    done
  done
done
