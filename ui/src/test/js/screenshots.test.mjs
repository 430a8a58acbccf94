// Screenshots for people to look at (target/screenshots), light and dark, wide and 320 px narrow,
// with the checks that can be automated: nothing wider than the viewport, no card overflowing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { openPage, eventually } from './support/browser.mjs';
import { useBrowserFixture, copyOf } from './support/fixture.mjs';

const fixture = useBrowserFixture();
const DIRECTORY = fileURLToPath(new URL('../../../target/screenshots/', import.meta.url));
const NOW = new Date('2025-06-03T10:04:00Z');

const EXAMPLES = ['rollout-in-progress', 'rollout-paused', 'blue-green-paused', 'rollout-aborted', 'promotion-awaiting-approval', 'rollback',
  'several-images'];
// The build status page's summary box (view=summary), in the cell core gives it.
const SUMMARIES = ['several-images', 'promotion-awaiting-approval', 'blue-green-paused'];
const LOOKS = [
  { scheme: 'light', width: 1280 },
  { scheme: 'dark', width: 1280 },
  { scheme: 'light', width: 320 },
  { scheme: 'dark', width: 320 },
];

async function shoot(name, { scheme, width, theme, view }) {
  const v = await openPage(fixture.browser, fixture.server, name, { colorScheme: scheme, width, theme, view, fixedTime: NOW });
  try {
    const layout = await v.page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      overflowing: Array.from(document.querySelectorAll('.idp-card'))
        .filter((card) => card.scrollWidth > card.clientWidth + 1)
        .map((card) => card.querySelector('h2')?.textContent),
    }));
    assert.ok(layout.page <= width, `${name} ${scheme} ${width}: page is ${layout.page}px wide`);
    assert.deepEqual(layout.overflowing, [], `${name} ${scheme} ${width}: cards whose content overflows`);
    await v.page.screenshot({ path: `${DIRECTORY}${view ? `${view}-` : ''}${name}-${theme || scheme}-${width}.png`, fullPage: true });
    assert.deepEqual(v.problems, []);
  } finally {
    await v.close();
  }
}

test('screenshots, light and dark, wide and 320 px narrow, without horizontal overflow', async () => {
  await mkdir(DIRECTORY, { recursive: true });
  for (const name of EXAMPLES) {
    for (const look of LOOKS) await shoot(name, look);
  }
  await shoot('rollout-in-progress', { scheme: 'light', width: 1280, theme: 'jenkins-dark' });
});

test('screenshots of the summary box on the build status page, light and dark, wide and 320 px narrow', async () => {
  await mkdir(DIRECTORY, { recursive: true });
  for (const name of SUMMARIES) {
    for (const look of LOOKS) await shoot(name, { ...look, view: 'summary' });
  }
  await shoot('several-images', { scheme: 'light', width: 1280, theme: 'jenkins-dark', view: 'summary' });
});

test('screenshot of the quiet notice while Jenkins cannot be reached', async () => {
  await mkdir(DIRECTORY, { recursive: true });
  fixture.server.setModel('unreachable', copyOf(fixture, 'rollout-in-progress'));
  const v = await openPage(fixture.browser, fixture.server, 'unreachable', { poll: 200, width: 320, height: 700 });
  try {
    fixture.server.fail('unreachable', 502);
    const notice = v.mount.locator('.idp-notice[role="status"]');
    await eventually(() => notice.isVisible(), { what: 'the notice' });
    await v.page.screenshot({ path: `${DIRECTORY}notice-light-320.png` });
  } finally {
    await v.close();
  }
});
