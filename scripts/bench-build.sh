#!/usr/bin/env bash
# Build benchmark: generates 1,000 and 10,000 pages with the shared corpus
# generator and prints wall time and peak memory of `dunav build`.
#
#   scripts/bench-build.sh            # 1000 and 10000 pages
#   scripts/bench-build.sh 2000       # other sizes
#   BENCH_SEARCH=off scripts/bench-build.sh   # without the search index
#   BENCH_PHOTOS=200 scripts/bench-build.sh   # 200 news pages with a 12 MP photo each
#
# Modes: "cold" is a first build (no output, no .dunav-cache), "fresh" has
# no output but keeps .dunav-cache, "full" replaces an earlier output
# rendering every file (`--full`), "rebuild" replaces it with nothing
# changed (reusing every file), "edit" after one page's text changed (what
# an editor's next build sees). With photos, "cold" also makes every
# photo's sizes; "full" is the one to compare with the same site without
# photos. dunav's own messages (the site's warnings) are shown once,
# after the warm-up build, and a failed build's in full.
#
# Output goes to tmpfs (/dev/shm) when it exists, as in the targets.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
source scripts/corpus.sh
flags=()
cargo build --release --quiet
[ "${BENCH_PHOTOS:-0}" -gt 0 ] && cargo build --release --quiet --example photo_corpus
base=/dev/shm
[ -d "$base" ] || base=${TMPDIR:-/tmp}
work=$(mktemp -d "$base/dunav-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
# `build [COMMAND...]`: dunav build of $site (with $flags), run through COMMAND (the timer),
# its messages kept aside and shown only if it fails.
build() {
  if ! "$@" ./target/release/dunav build --root "$site" --output "$site/public" "${flags[@]}" >/dev/null 2>"$work/messages"; then
    cat "$work/messages" >&2
    exit 1
  fi
}
for n in "${sizes[@]}"; do
  site="$work/site-$n"
  corpus_site "$site" "$n"
  if [ "${BENCH_PHOTOS:-0}" -gt 0 ]; then
    ./target/release/examples/photo_corpus "$site" "$BENCH_PHOTOS"
    for run in 1 2; do
      rm -rf "$site/public" "$site/.dunav-cache"
      build /usr/bin/time -f "%e %M" -o "$work/time"
      read -r secs kb < "$work/time"
      printf 'pages=%-6s photos=%-4s cold    run=%d wall=%ss peak_rss=%d MB\n' "$n" "$BENCH_PHOTOS" "$run" "$secs" $((kb / 1024))
    done
  fi
  files=$(find "$site/content" -name '*.md' | wc -l)
  edited=$(find "$site/content/news" -name '*.md' ! -name '_index*' | sort | sed -n 1p)
  # One warm-up run so the page cache holds the corpus, then three measured runs.
  build
  sed 's/^/  (dunav) /' "$work/messages"
  # With photos, their cold runs are above.
  modes="cold fresh full rebuild edit"
  [ "${BENCH_PHOTOS:-0}" -gt 0 ] && modes="fresh full rebuild edit"
  for mode in $modes; do
    for run in 1 2 3; do
      case $mode in
        cold) rm -rf "$site/public" "$site/.dunav-cache" ;;
        fresh) rm -rf "$site/public" ;;
        edit) printf '\nEdited for run %d.\n' "$run" >>"$edited" ;;
      esac
      flags=()
      [ "$mode" = full ] && flags=(--full)
      build /usr/bin/time -f "%e %M" -o "$work/time"
      read -r secs kb < "$work/time"
      out=$(find "$site/public" -type f | wc -l)
      printf 'pages=%-6s md_files=%-6s output_files=%-6s search=%-3s photos=%-4s %-7s run=%d wall=%ss peak_rss=%d MB\n' \
        "$n" "$files" "$out" "${BENCH_SEARCH:-on}" "${BENCH_PHOTOS:-0}" "$mode" "$run" "$secs" $((kb / 1024))
    done
  done
done
