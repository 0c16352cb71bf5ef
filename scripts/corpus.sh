# Sourced by the build benchmarks: `corpus_site DIR PAGES` writes a site of
# PAGES generated pages with this repository's site.toml and theme into DIR.
corpus_site() {
  local site=$1 pages=$2
  local gen=../shared/bench/gen_corpus.py
  [ -f "$gen" ] || { echo "missing $gen" >&2; return 1; }
  mkdir -p "$site"
  python3 "$gen" --pages "$pages" --out "$site/content" >/dev/null
  # The corpus has no about page: the default menu takes the sections it has.
  grep -v "^menu" site.toml > "$site/site.toml"
  # BENCH_SEARCH=off measures the build without the search index.
  if [ "${BENCH_SEARCH:-on}" = off ]; then
    sed -i '/^\[search\]/,/^enabled/ s/^enabled = true/enabled = false/' "$site/site.toml"
  fi
  cp -r themes "$site/"
}
