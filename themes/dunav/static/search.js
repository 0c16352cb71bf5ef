// The search page: Pagefind's index (built by `dunav build`) queried from the
// page's own form, results as a list. The page's <html lang> picks the index,
// so each language searches its own pages.
const form = document.querySelector("[data-search-form]");
const input = form.querySelector("input[name=q]");
const status = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-results]");
const filterBox = form.querySelector("[data-filters]");
const selects = [...form.querySelectorAll("select[data-filter]")];
const lang = document.documentElement.lang;
const text = form.dataset;
let pagefind;

function say(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
}

function formatDate(seconds) {
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return "";
  // In the site's time zone, as its pages show dates, not the reader's.
  const timeZone = text.timeZone || undefined;
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(lang, { dateStyle: "long" }).format(date);
  }
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "search-result";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const meta = document.createElement("p");
  meta.className = "meta";
  const parts = [data.meta.section, data.meta.date && formatDate(data.meta.date)].filter(Boolean);
  meta.textContent = parts.join(" · ");
  const excerpt = document.createElement("p");
  excerpt.className = "search-excerpt";
  // Pagefind's excerpt is the page's escaped text with the matches in <mark>.
  excerpt.innerHTML = data.excerpt;
  item.append(heading, meta, excerpt);
  return item;
}

// Ten at a time: each result shown costs a download of its excerpt.
const PAGE = 10;
let shownResults = [];
let shownCount = 0;
const more = document.querySelector("[data-search-more]");
// Bumped by every new search: work for an older one is dropped after each wait.
let generation = 0;
// The pause after typing that starts a search.
let typing;

async function showMore() {
  const mine = generation;
  more.disabled = true;
  const next = shownResults.slice(shownCount, shownCount + PAGE);
  const data = await Promise.all(next.map((r) => r.data()));
  if (mine !== generation) return;
  list.append(...data.map(resultItem));
  shownCount += next.length;
  more.hidden = shownCount >= shownResults.length;
  more.disabled = false;
}

function chosenFilters() {
  const filters = {};
  for (const select of selects) {
    if (select.value) filters[select.dataset.filter] = select.value;
  }
  return filters;
}

// The filters' values are fetched when a reader first reaches for them (or
// when the address asks for one): most searches never need them.
let filling;
function fillFilters() {
  filling ||= loadFilters();
  return filling;
}

async function loadFilters() {
  const available = await pagefind.filters();
  const params = new URLSearchParams(location.search);
  let any = false;
  for (const select of selects) {
    const values = Object.keys(available[select.dataset.filter] || {}).sort((a, b) =>
      a.localeCompare(b, lang),
    );
    for (const value of values) {
      select.add(new Option(value, value));
    }
    select.value = params.get(select.name) || "";
    select.closest("label").hidden = values.length === 0;
    any ||= values.length > 0;
  }
  filterBox.hidden = !any;
}

async function run() {
  const mine = ++generation;
  const query = input.value.trim();
  const filters = chosenFilters();
  if (!query && Object.keys(filters).length === 0) {
    list.replaceChildren();
    more.hidden = true;
    status.textContent = "";
    return;
  }
  const search = await pagefind.search(query || null, { filters });
  if (mine !== generation) return; // a newer search took over
  shownResults = search.results;
  shownCount = 0;
  list.replaceChildren();
  await showMore();
  if (mine !== generation) return;
  const count = search.results.length;
  status.textContent = count
    ? say(text.textCount, { count, query })
    : say(text.textNone, { query });
}

function remember() {
  const params = new URLSearchParams();
  if (input.value.trim()) params.set("q", input.value.trim());
  for (const select of selects) if (select.value) params.set(select.name, select.value);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

async function start() {
  try {
    pagefind = await import(form.dataset.bundle);
    await pagefind.options({ excerptLength: 24, ranking: { metaWeights: { _translit: 0.8, _title_translit: 5 } } });
  } catch {
    status.textContent = text.textError;
    return;
  }
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  filterBox.hidden = false;
  if (selects.some((select) => params.get(select.name))) await fillFilters();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typing);
    remember();
    run();
  });
  // As the reader types, search once they pause, and not on one letter:
  // Pagefind's own debounce fetches the index for every prefix typed (the
  // words in "и", then "ин"...), which doubled what a first query downloads.
  input.addEventListener("input", () => {
    remember();
    clearTimeout(typing);
    if (input.value.trim().length === 1) return;
    typing = setTimeout(run, 300);
  });
  for (const select of selects) {
    select.addEventListener("focus", fillFilters);
    select.addEventListener("pointerdown", fillFilters);
    select.addEventListener("change", () => {
      remember();
      run();
    });
  }
  if (input.value) input.focus();
  more.addEventListener("click", showMore);
  form.dataset.ready = "true";
  run();
}

start();
