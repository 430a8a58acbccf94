// Model strings are user input. These pages are served WITHOUT the Content-Security-Policy, so that any
// HTML injection would really execute: the UI itself must keep every payload inert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './support/browser.mjs';
import { useBrowserFixture, copyOf } from './support/fixture.mjs';

const fixture = useBrowserFixture();

const HTML_PAYLOADS = [
  '<img src=x onerror=alert(1)>',
  '<img src=x onerror="window.__pwned=1">',
  '</script><script>window.__pwned=1;alert(1)</script>',
  '"><svg onload="window.__pwned=1">',
  "' onmouseover='window.__pwned=1",
  '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
];
const URL_PAYLOADS = [
  'javascript:alert(1)',
  ' javascript:window.__pwned=1',
  'JaVaScRiPt:window.__pwned=1',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'javascript://%0awindow.__pwned=1',
];

/** Every string in the document replaced by a payload: URLs (by key) by a scheme payload, the rest by HTML. */
function poisonStrings(value, counter = { n: 0 }, key = '') {
  if (typeof value === 'string') {
    counter.n += 1;
    const urls = /url$/i.test(key);
    const payloads = urls ? URL_PAYLOADS : HTML_PAYLOADS;
    return payloads[counter.n % payloads.length];
  }
  if (Array.isArray(value)) return value.map((v) => poisonStrings(v, counter, key));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poisonStrings(v, counter, k)]));
  }
  return value;
}

/** Every value of the wrong type: numbers and booleans as payload strings, strings as numbers, lists as objects. */
function poisonTypes(value, depth = 0) {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number' || typeof value === 'boolean') return HTML_PAYLOADS[depth % HTML_PAYLOADS.length];
  if (Array.isArray(value)) return depth % 2 === 0 ? { length: value.length, 0: HTML_PAYLOADS[0] } : value.map((v) => poisonTypes(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poisonTypes(v, depth + 1)]));
  }
  return value;
}

async function assertInert(v, what) {
  const report = await v.page.evaluate(() => {
    const mount = document.querySelector('.immutable-deployment');
    const elements = Array.from(mount.querySelectorAll('*'));
    return {
      pwned: window.__pwned,
      foreign: elements.filter((e) => ['IMG', 'SCRIPT', 'SVG', 'IFRAME', 'OBJECT', 'EMBED', 'svg'].includes(e.tagName)).map((e) => e.tagName),
      handlers: elements.flatMap((e) => Array.from(e.attributes).filter((a) => a.name.startsWith('on')).map((a) => a.name)),
      links: Array.from(document.querySelectorAll('a')).map((a) => [a.getAttribute('href'), a.protocol]),
      styles: elements.filter((e) => e.hasAttribute('style') && !e.classList.contains('idp-weight__fill')).length,
      actionUrls: Array.from(mount.querySelectorAll('button[data-idp-url]')).map((b) => b.dataset.idpUrl),
      origin: window.location.origin,
    };
  });
  assert.equal(report.pwned, undefined, `${what}: no injected script ran`);
  assert.deepEqual(v.dialogs, [], `${what}: no dialog opened`);
  assert.deepEqual(report.foreign, [], `${what}: no element made from model text`);
  assert.deepEqual(report.handlers, [], `${what}: no event handler attribute`);
  for (const [href, protocol] of report.links) {
    assert.ok(protocol === 'http:' || protocol === 'https:', `${what}: link ${href} is http(s)`);
  }
  assert.equal(report.styles, 0, `${what}: no style attribute besides the CSSOM-set weight`);
  for (const url of report.actionUrls) {
    assert.ok(url.startsWith(`${report.origin}/`), `${what}: action ${url} is same-origin`);
  }
}

/** Serves `model` without CSP and checks the page, in both views, stays inert and does not throw. */
async function assertPoisonedInert(name, model) {
  fixture.server.setModel(name, model);
  for (const view of [undefined, 'summary']) {
    const v = await openPage(fixture.browser, fixture.server, name, { csp: 'off', view });
    try {
      await assertInert(v, `${name} ${view || 'full'}`);
      assert.deepEqual(v.problems, [], `${name} ${view || 'full'}: the page did not throw`);
    } finally {
      await v.close();
    }
  }
}

test('the hostile example renders its payloads as text and runs none of them', async () => {
  const v = await openPage(fixture.browser, fixture.server, 'hostile', { csp: 'off' });
  try {
    await assertInert(v, 'hostile');
    const text = await v.mount.textContent();
    assert.ok(text.includes('<img src=x onerror=alert(1)>'), 'the payload is shown literally');
    assert.ok(text.includes('</script><script>window.__pwned=1;alert(1)</script>'));
    assert.ok(text.includes('javascript:alert(1)'), 'an unsafe URL is shown as text, not as a link');
    assert.equal(await v.mount.locator('.idp-preview-services').textContent(),
      'Reachable through Services <img src=x onerror="window.__pwned=1">, "><svg onload="window.__pwned=1">',
      'a blue/green preview\'s Service names as text');
    assert.equal(await v.mount.locator('.idp-resolved').textContent(),
      'resolved from <iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>');
    assert.equal(await v.mount.locator('button[data-idp-action]').count(), 0,
      'no button for javascript:, data: or cross-origin action URLs');
    assert.deepEqual(v.problems, []);
    for (const button of await v.mount.locator('button').all()) await button.click();
    await assertInert(v, 'hostile after clicking every button');
  } finally {
    await v.close();
  }
});

test('the summary box renders the hostile example\'s payloads as text and runs none of them', async () => {
  const v = await openPage(fixture.browser, fixture.server, 'hostile', { csp: 'off', view: 'summary' });
  try {
    await assertInert(v, 'hostile summary');
    const text = await v.mount.textContent();
    assert.ok(text.includes('<img src=x onerror="window.__pwned=1">'), 'the image name is shown literally');
    assert.equal(await v.mount.locator('.idp-summary__promotion .idp-tag').textContent(), '<a href="javascript:alert(1)">click</a>');
    assert.equal(await v.mount.locator('.idp-summary__promotion').getAttribute('data-image-id'), '<img src=x onerror=alert(1)>',
      'an id is an attribute value, never markup');
    for (const button of await v.mount.locator('button').all()) await button.click();
    await assertInert(v, 'hostile summary after clicking every button');
    assert.deepEqual(v.problems, []);
  } finally {
    await v.close();
  }
});

test('every string of every example replaced by a payload stays inert', async () => {
  for (const name of fixture.examples.keys()) await assertPoisonedInert(`strings-${name}`, poisonStrings(copyOf(fixture, name)));
});

test('values of the wrong type neither break the page nor make links', async () => {
  for (const name of ['hostile', 'rollout-in-progress', 'blue-green-paused', 'promotion-awaiting-approval']) {
    await assertPoisonedInert(`types-${name}`, poisonTypes(copyOf(fixture, name)));
  }
  fixture.server.setModel('not-an-object', [1, 2, 3]);
  const v = await openPage(fixture.browser, fixture.server, 'not-an-object', { csp: 'off' });
  try {
    assert.match(await v.mount.locator('.idp-notice').first().textContent(), /the answer was not a deployment model/);
  } finally {
    await v.close();
  }
});

test('a model URL that is not same-origin http(s) is never fetched', async () => {
  const v = await openPage(fixture.browser, fixture.server, 'rollout-completed');
  try {
    await v.page.evaluate(() => {
      for (const [id, url] of [['scheme', 'javascript:alert(1)'], ['foreign', 'https://evil.example/model']]) {
        const host = document.createElement('div');
        host.className = 'immutable-deployment';
        host.id = id;
        host.dataset.modelUrl = url;
        document.body.append(host);
      }
      window.immutableDeployment.mountAll();
    });
    for (const id of ['scheme', 'foreign']) {
      assert.equal(await v.page.locator(`#${id} .idp-notice`).first().textContent(),
        'Deployment details are unavailable: the page gave no same-origin model URL.');
    }
    assert.deepEqual(await v.page.evaluate(() => window.__fetches.map((f) => new URL(f.url).pathname)), ['/model/rollout-completed']);
  } finally {
    await v.close();
  }
});
