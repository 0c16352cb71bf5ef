// Types queries into a built site's search page in headless Chromium and
// prints what it found as JSON lines: {page, query, hrefs, status}.
// Usage: node search.mjs BASE_URL PAGE QUERY [PAGE QUERY]...
// A query written "typed:QUERY" is typed at a reader's pace with no Enter:
// the search starts when the typing pauses.
import { chromium } from "playwright-core";

const [base, ...pairs] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
try {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  if (process.env.DEBUG) page.on("console", (m) => console.error("console:", m.text()));
  for (let i = 0; i < pairs.length; i += 2) {
    const [path, asked] = [pairs[i], pairs[i + 1]];
    const typed = asked.startsWith("typed:");
    const query = typed ? asked.slice("typed:".length) : asked;
    await page.goto(base + path);
    await page.locator("[data-search-form][data-ready]").waitFor({ timeout: 15000 });
    // The keyboard way: focus the box, type, Enter.
    await page.locator("#search-q").fill("");
    if (typed) {
      await page.locator("#search-q").pressSequentially(query, { delay: 80 });
    } else {
      await page.locator("#search-q").pressSequentially(query);
      await page.keyboard.press("Enter");
    }
    const status = page.locator("[data-search-status]");
    await status.filter({ hasText: query }).waitFor({ timeout: 15000 });
    const hrefs = await page
      .locator("[data-search-results] a")
      .evaluateAll((links) => links.map((a) => new URL(a.href).pathname));
    console.log(JSON.stringify({ page: path, query: asked, hrefs, status: await status.textContent(), problems }));
  }
} finally {
  await browser.close();
}
