// Uploads files through the API's example page in headless Chromium (Debian's package, driven by
// playwright-core; no browser download) and prints, as one JSON line, what the page reported for each:
// the asset id and, for uploads in parts, the ETags the page read from S3's answers.
//
//   node upload-page.mjs <api base URL> <client-id:secret> <file>[:parts] ...
//
// Exits non-zero if any upload does not end with the page showing the asset AVAILABLE.
import { chromium } from 'playwright-core';

const [base, key, ...files] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
const results = [];
try {
  const page = await browser.newPage();
  page.on('console', (message) => console.error(`[page] ${message.text()}`));
  await page.goto(`${base}/example/index.html`);
  await page.fill('#key', key);
  for (const spec of files) {
    const [file, mode] = spec.split(':');
    const started = Date.now();
    await page.setChecked('#parts', mode === 'parts');
    await page.setInputFiles('#file', file);
    await page.click('#upload');
    await page.waitForFunction(() => {
      const text = document.getElementById('status').textContent;
      return text === 'AVAILABLE' || text.startsWith('Failed');
    }, null, { timeout: 120_000 });
    const status = await page.textContent('#status');
    const result = await page.evaluate(() => ({
      id: document.body.dataset.assetId,
      etags: JSON.parse(document.body.dataset.etags || '[]'),
      download: document.getElementById('download').href,
      progress: document.getElementById('progress').value,
    }));
    results.push({ file, status, seconds: (Date.now() - started) / 1000, ...result });
    await page.evaluate(() => { delete document.body.dataset.etags; });
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(results));
process.exit(results.every((r) => r.status === 'AVAILABLE') ? 0 : 1);
