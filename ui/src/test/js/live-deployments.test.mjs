// The job's Live deployments page: the plugin's LiveReleasesAction/index.jelly (its main panel, filled in by
// support/live-page.mjs) with the ui module's live.css, in a page laid out as Jenkins lays out a job's page. A
// digest-pinned reference is one word of some 110 characters: the page must still fit the window, at 1280 px and at
// 320 px, and show every reference whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { useBrowserFixture } from './support/fixture.mjs';
import { pageOverflow } from './support/layout.mjs';

const fixture = useBrowserFixture();
const DIRECTORY = fileURLToPath(new URL('../../../target/screenshots/', import.meta.url));

const DIGEST = 'sha256:a7606b8b8eb4058968d35868d94be939503ae3ad1cbe7549e3e01302910b7412';
const RELEASES = [
  {
    cluster: 'production-eu-west-1',
    namespace: 'shop',
    deployment: 'api',
    image: `registry.example.com:5000/shop-prod/api@${DIGEST}`,
    buildUrl: 'job/shop/job/release/42/',
    buildDisplayName: '#42 release of shop/api and shop/worker',
  },
  {
    cluster: null,
    namespace: 'payments-and-checkout',
    deployment: 'checkout-worker-with-a-long-name',
    image: `registry.example.com/shop-prod/checkout-worker@${DIGEST}`,
    buildUrl: 'job/shop/job/release/41/',
    buildDisplayName: '#41',
  },
];

async function open(colorScheme, width) {
  fixture.server.setLiveReleases(RELEASES);
  const context = await fixture.browser.newContext({ colorScheme, viewport: { width, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.goto(fixture.server.liveUrl());
  return { page, problems, close: () => context.close() };
}

const rowsOf = (page) => page.locator('table.immutable-deployment-live tbody tr')
  .evaluateAll((trs) => trs.map((tr) => Array.from(tr.cells).map((td) => td.textContent.trim())));

const EXPECTED_ROWS = RELEASES.map((r) => [r.cluster ?? 'default', r.namespace, r.deployment, r.image, r.buildDisplayName]);

test('the Live deployments page fits the window at 1280 and 320 px, light and dark, and shows every reference whole', async () => {
  await mkdir(DIRECTORY, { recursive: true });
  for (const [colorScheme, width] of [['light', 1280], ['dark', 1280], ['light', 320], ['dark', 320]]) {
    const what = `${colorScheme} ${width}`;
    const v = await open(colorScheme, width);
    try {
      await v.page.screenshot({ path: `${DIRECTORY}live-deployments-${colorScheme}-${width}.png`, fullPage: true });
      const { pageWidth, stickingOut } = await pageOverflow(v.page);
      assert.ok(pageWidth <= width, `${what}: the page is ${pageWidth} px wide: ${stickingOut.join(', ')}`);
      assert.deepEqual(await rowsOf(v.page), EXPECTED_ROWS, `${what}: the rows, every reference whole`);
      assert.deepEqual(v.problems, [], `${what}: console and page errors`);
    } finally {
      await v.close();
    }
  }
});

test('at 1280 px it is a table of five columns; at 320 px each Deployment is a block of lines labelled by the column headings', async () => {
  const labels = (page) => page.locator('table.immutable-deployment-live tbody tr').first().locator('td')
    .evaluateAll((tds) => tds.map((td) => [getComputedStyle(td).display, getComputedStyle(td, '::before').content]));
  let v = await open('light', 1280);
  try {
    assert.deepEqual(await labels(v.page), Array(5).fill(['table-cell', 'none']), 'wide: plain table cells');
    assert.equal(await v.page.locator('table.immutable-deployment-live thead').isVisible(), true);
  } finally {
    await v.close();
  }
  v = await open('light', 320);
  try {
    assert.deepEqual(await labels(v.page),
      ['Cluster', 'Namespace', 'Deployment', 'Image', 'Build'].map((label) => ['block', `"${label}"`]), 'narrow: labelled lines');
    const headings = await v.page.locator('table.immutable-deployment-live thead th').allTextContents();
    assert.deepEqual(headings, ['Cluster', 'Namespace', 'Deployment', 'Image', 'Build'], 'the headings stay for screen readers');
  } finally {
    await v.close();
  }
});
