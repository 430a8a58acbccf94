// The build status page's summary box (data-view="summary"): Jenkins puts a run action's summary.jelly in the
// second cell of its summary table, so the view there is compact: one entry per image, promotion, rollout and
// rollback, the full cards only on the action's own page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './support/browser.mjs';
import { useBrowserFixture, copyOf } from './support/fixture.mjs';
import { DETAIL_PATH } from './support/server.mjs';
import { compactEntries } from './support/layout.mjs';

const fixture = useBrowserFixture();

const DIGEST = 'sha256:9f343fb5e3da62e54d6d261e01d6a2430ea0cc0c5f86926f9b77e58a09b9f724';

const summary = (name, options = {}) => openPage(fixture.browser, fixture.server, name, { view: 'summary', ...options });
const texts = (locator) => locator.evaluateAll((nodes) => nodes.map((n) => n.textContent.trim()));

test('the summary box is compact: entries instead of cards, for every example, without errors', async () => {
  for (const name of fixture.examples.keys()) {
    if (name === 'hostile') continue; // rendered without CSP in hostile.test.mjs
    const v = await summary(name);
    try {
      assert.equal(await v.mount.locator('.idp-card').count(), 0, `${name}: no full cards in the summary box`);
      assert.ok(await v.mount.locator('.idp-summary > li').count() > 0, `${name}: some entry`);
      assert.deepEqual(v.problems, [], `${name}: console and page errors`);
      assert.deepEqual(await v.cspViolations(), [], `${name}: CSP violations`);
    } finally {
      await v.close();
    }
  }
});

test('at 1280 px the summary cell takes the room its entries need, one line per entry (two for a long reference)', async () => {
  for (const name of ['rollout-completed', 'several-images', 'promotion-awaiting-approval']) {
    const v = await summary(name, { width: 1280 });
    try {
      const widths = await v.page.evaluate(() => ({
        cell: document.querySelector('.run-summary__body').getBoundingClientRect().width,
        link: document.querySelector('.immutable-deployment-link').getBoundingClientRect().width,
      }));
      assert.ok(widths.cell > 2.5 * widths.link, `${name}: the cell (${widths.cell} px) must not be squeezed to its link (${widths.link} px)`);
      const entries = await compactEntries(v.mount.locator('.idp-summary > li'));
      assert.deepEqual(entries.filter((e) => e !== 'ok'), [], `${name}: entries that are not compact`);
    } finally {
      await v.close();
    }
  }
});

test('the image: its name, the digest in short form with a Copy button for the whole digest, and the provenance badges', async () => {
  const v = await summary('rollout-completed', { permissions: ['clipboard-read', 'clipboard-write'] });
  try {
    const image = v.mount.locator('.idp-summary__image');
    assert.equal(await image.count(), 1);
    assert.equal(await image.getAttribute('data-image-id'), 'image-1');
    assert.equal(await image.locator('.idp-summary__name').textContent(), 'shop/api');
    const digest = image.locator('.idp-summary__digest code');
    assert.equal(await digest.textContent(), 'sha256:9f343fb5e3da…');
    assert.equal(await digest.getAttribute('title'), DIGEST);
    assert.deepEqual(await texts(image.locator('.idp-badge')), ['Signed', 'Verified']);
    await image.getByRole('button', { name: 'Copy digest of registry.example.com/shop/api' }).click();
    await image.locator('.idp-copied', { hasText: 'Copied' }).waitFor();
    assert.equal(await v.page.evaluate(() => navigator.clipboard.readText()), DIGEST);
  } finally {
    await v.close();
  }
});

test('an unsigned image, and one without provenance, say so', async () => {
  const none = copyOf(fixture, 'provenance-unsigned');
  delete none.images[0].provenance;
  fixture.server.setModel('summary-no-provenance', none);
  for (const [name, expected] of [['provenance-unsigned', ['Unsigned']], ['summary-no-provenance', ['No provenance']]]) {
    const v = await summary(name);
    try {
      assert.deepEqual(await texts(v.mount.locator('.idp-summary__image .idp-badge')), expected, name);
    } finally {
      await v.close();
    }
  }
});

test('promotions one entry each: stage, state, the pinned target in short form with its tag beside it', async () => {
  const v = await summary('rollout-completed');
  try {
    const promotions = v.mount.locator('.idp-summary__promotion');
    assert.deepEqual(await promotions.evaluateAll((n) => n.map((x) => [x.dataset.promotionId, x.dataset.state])),
      [['promotion-1', 'promoted'], ['promotion-2', 'promoted']]);
    const prod = promotions.nth(1);
    assert.equal(await prod.locator('.idp-stage').textContent(), 'prod');
    assert.equal(await prod.locator('.idp-badge').textContent(), 'Promoted');
    const target = prod.locator('.idp-summary__target code');
    assert.equal(await target.textContent(), 'registry.example.com/shop-prod/api@sha256:9f343fb5e3da…');
    assert.equal(await target.getAttribute('title'), `registry.example.com/shop-prod/api@${DIGEST}`);
    assert.equal(await prod.locator('.idp-tag').textContent(), 'release-42');
  } finally {
    await v.close();
  }
});

test('a rollout: its Deployment, phase and canary weight; a blue/green one which version serves', async () => {
  let v = await summary('rollout-in-progress');
  try {
    const rollout = v.mount.locator('.idp-summary__rollout');
    assert.equal(await rollout.getAttribute('data-rollout-id'), 'rollout-1');
    assert.equal(await rollout.getAttribute('data-phase'), 'Progressing');
    assert.equal(await rollout.locator('.idp-summary__what').textContent(), 'Rollout of api');
    assert.equal(await rollout.locator('.idp-phase').textContent(), 'Progressing');
    assert.equal(await rollout.locator('.idp-summary__traffic').textContent(), 'canary 50%');
  } finally {
    await v.close();
  }
  v = await summary('blue-green-paused');
  try {
    const rollout = v.mount.locator('.idp-summary__rollout');
    assert.equal(await rollout.locator('.idp-phase').textContent(), 'Paused');
    assert.equal(await rollout.locator('.idp-summary__traffic').textContent(), 'All on stable · preview has none');
  } finally {
    await v.close();
  }
});

test('a build with several images lists them all, and each promotion and rollout names the one it used', async () => {
  const v = await summary('several-images');
  try {
    const images = v.mount.locator('.idp-summary__image');
    assert.deepEqual(await images.evaluateAll((n) => n.map((x) => x.dataset.imageId)), ['image-1', 'image-2']);
    assert.deepEqual(await texts(images.locator('.idp-summary__name')), ['shop/api', 'shop/web']);
    const used = (selector) => v.mount.locator(selector).evaluateAll((n) => n.map((x) => x.dataset.imageId));
    assert.deepEqual(await used('.idp-summary__promotion'), ['image-1', 'image-2', 'image-1']);
    assert.deepEqual(await used('.idp-summary__rollout'), ['image-1', 'image-2']);
    assert.deepEqual(await texts(v.mount.locator('.idp-summary__promotion .idp-summary__target code')), [
      'registry.example.com/shop-prod/api@sha256:9f343fb5e3da…', 'registry.example.com/shop-prod/web@sha256:69dde248d4bb…',
      'dr.example.com/shop/api@sha256:9f343fb5e3da…']);
    const chips = v.mount.locator('.idp-summary__rollout .idp-image-ref');
    assert.deepEqual(await texts(chips), ['shop/api', 'shop/web'], 'a rollout line shows the image by name');
    assert.deepEqual(await chips.evaluateAll((n) => n.map((x) => x.tagName)), ['SPAN', 'SPAN'], 'no link: the cards are on the full page');
  } finally {
    await v.close();
  }
  const one = await summary('rollout-completed');
  try {
    assert.equal(await one.mount.locator('.idp-image-ref').count(), 0, 'with one image there is nothing to tell apart');
    assert.deepEqual(await one.mount.locator('.idp-summary__rollout').evaluateAll((n) => n.map((x) => x.dataset.imageId)), ['image-1']);
  } finally {
    await one.close();
  }
});

test('a decision waiting for the viewer links to the full page, where the buttons are', async () => {
  const v = await summary('promotion-awaiting-approval');
  try {
    assert.equal(await v.mount.locator('button[data-idp-action]').count(), 0, 'no decision buttons in the summary box');
    const decide = v.mount.locator('a.idp-summary__decide');
    assert.equal(await decide.textContent(), 'Approve or reject on the full page');
    assert.equal(new URL(await decide.getAttribute('href'), fixture.server.origin).pathname, DETAIL_PATH);
  } finally {
    await v.close();
  }
  const none = await summary('rollout-completed');
  try {
    assert.equal(await none.mount.locator('.idp-summary__decide').count(), 0);
  } finally {
    await none.close();
  }
});

test('at 320 px nothing is wider than the page', async () => {
  for (const name of ['several-images', 'rollout-in-progress', 'promotion-awaiting-approval']) {
    for (const colorScheme of ['light', 'dark']) {
      const v = await summary(name, { width: 320, colorScheme });
      try {
        assert.ok(await v.page.evaluate(() => document.documentElement.scrollWidth) <= 320, `${name} ${colorScheme}`);
      } finally {
        await v.close();
      }
    }
  }
});
