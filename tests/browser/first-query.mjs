// What a reader downloads for a first search: opens the search page, types a
// query and sums what search needs (search.js and everything under
// /pagefind/: the search code, the page list, the index chunks, the filters,
// the excerpts of the results shown), not the page and its stylesheet.
// JavaScript is counted gzipped, as a web server sends it; Pagefind's own
// files are gzipped already.
// Usage: node first-query.mjs BASE_URL PAGE QUERY   (from tests/browser)
import { chromium } from "playwright-core";
import { gzipSync } from "node:zlib";

const [base, path, query] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const page = await browser.newPage();
  const files = [];
  const pending = [];
  page.on("response", (response) => {
    const url = new URL(response.url()).pathname;
    if (!url.startsWith("/pagefind/") && !url.endsWith("/search.js")) return;
    pending.push(
      response.body().then((body) => {
        const sent = /\.(js|css|json)$/.test(url) ? gzipSync(body).length : body.length;
        files.push({ url, bytes: sent });
      }, () => {}),
    );
  });
  await page.goto(base + path);
  await page.locator("[data-search-form][data-ready]").waitFor({ timeout: 15000 });
  // A reader's pace: 120 ms a key unless TYPING_DELAY says otherwise.
  await page.locator("#search-q").pressSequentially(query, { delay: Number(process.env.TYPING_DELAY ?? 120) });
  await page.keyboard.press("Enter");
  await page.locator("[data-search-status]").filter({ hasText: query }).waitFor({ timeout: 15000 });
  await page.waitForLoadState("networkidle");
  await Promise.all(pending);
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  console.log(JSON.stringify({ query, total, files }, null, 1));
} finally {
  await browser.close();
}
