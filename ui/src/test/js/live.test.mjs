// Live updates, polling and actions. The page's timers are faked (page.clock) so that polling moves only
// when a test advances time; network answers are awaited with deadlines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, eventually } from './support/browser.mjs';
import { useBrowserFixture, copyOf } from './support/fixture.mjs';
import { CRUMB_VALUE } from './support/server.mjs';

const fixture = useBrowserFixture();
const START = new Date('2025-06-03T10:04:50Z');

async function live(name, model, options = {}) {
  fixture.server.setModel(name, model);
  return openPage(fixture.browser, fixture.server, name, { poll: 1000, clock: START, ...options });
}

async function loaded(v, count) {
  await eventually(async () => (await v.loads()) >= count, { what: `load #${count}` });
}

const refresh = (v) => v.mount.getAttribute('data-idp-refresh');

test('updates in place when the model changes, keeping nodes, opened and closed sections and scroll', async () => {
  const v = await live('in-place', copyOf(fixture, 'rollout-in-progress'), { width: 400, height: 500 });
  try {
    const steps = v.mount.locator('.idp-step');
    const errors = steps.nth(2).locator('details');
    const latency = steps.nth(4).locator('details');
    await errors.locator('summary').click();
    await latency.locator('summary').click();
    assert.deepEqual([await errors.evaluate((d) => d.open), await latency.evaluate((d) => d.open)], [true, false]);
    await v.page.evaluate(() => {
      document.querySelector('.idp-rollout').idpMarker = 'the same node';
      window.scrollTo(0, 1500);
    });
    const scrolled = await v.page.evaluate(() => window.scrollY);
    assert.ok(scrolled > 1000, `the narrow page scrolls (${scrolled})`);

    const next = copyOf(fixture, 'rollout-in-progress');
    next.rollouts[0].analyses[1].measurements.push({ at: '2025-06-03T10:05:12Z', value: 0.21, outcome: 'Failed' });
    next.rollouts[0].message = 'Analysis latency: 3 of 4 measurements taken';
    fixture.server.setModel('in-place', next);
    await v.page.clock.runFor(1000);
    await loaded(v, 2);

    assert.equal(await latency.locator('.idp-measurement').count(), 3);
    assert.equal(await v.mount.locator('.idp-rollout > .idp-message').textContent(), 'Analysis latency: 3 of 4 measurements taken');
    assert.deepEqual([await errors.evaluate((d) => d.open), await latency.evaluate((d) => d.open)], [true, false],
      'the sections keep the state the user gave them');
    assert.equal(await v.page.evaluate(() => document.querySelector('.idp-rollout').idpMarker), 'the same node');
    assert.equal(await v.page.evaluate(() => window.scrollY), scrolled);
  } finally {
    await v.close();
  }
});

test('typed comment and focus survive a refresh', async () => {
  const v = await live('typing', copyOf(fixture, 'promotion-awaiting-approval'));
  try {
    const comment = v.mount.getByLabel('Comment (optional)');
    await comment.fill('Looks good');
    const next = copyOf(fixture, 'promotion-awaiting-approval');
    next.promotions[1].message = 'Promote build 42 to production now?';
    fixture.server.setModel('typing', next);
    await v.page.clock.runFor(1000);
    await loaded(v, 2);
    await v.mount.getByText('Promote build 42 to production now?').waitFor();
    assert.equal(await comment.inputValue(), 'Looks good');
    assert.equal(await comment.evaluate((input) => input === document.activeElement), true);
  } finally {
    await v.close();
  }
});

test('stops polling once nothing runs any more', async () => {
  const v = await live('stops', copyOf(fixture, 'rollout-in-progress'));
  try {
    assert.equal(await refresh(v), '1000');
    await v.page.clock.runFor(1000);
    await loaded(v, 2);
    fixture.server.setModel('stops', copyOf(fixture, 'rollout-completed'));
    await v.page.clock.runFor(1000);
    await loaded(v, 3);
    assert.equal(await v.mount.locator('.idp-phase').textContent(), 'Healthy');
    assert.equal(await refresh(v), 'off');

    const fetched = await v.fetches();
    await v.page.clock.runFor(60_000);
    assert.equal(await v.fetches(), fetched, 'no request after the rollout finished');
    assert.equal(fixture.server.requests('stops'), 3);
  } finally {
    await v.close();
  }
});

test('a finished build is fetched once and never polled', async () => {
  const v = await live('finished', copyOf(fixture, 'rollout-aborted'));
  try {
    await v.page.clock.runFor(30_000);
    assert.equal(await v.fetches(), 1);
    assert.equal(await refresh(v), 'off');
  } finally {
    await v.close();
  }
});

test('backs off on fetch errors with a quiet notice, keeps what it showed, and recovers', async () => {
  const v = await live('flaky', copyOf(fixture, 'rollout-in-progress'));
  try {
    fixture.server.fail('flaky', 503);
    await v.page.clock.runFor(1000);
    await loaded(v, 2);
    const notice = v.mount.locator('.idp-notice[role="status"]');
    assert.equal(await notice.textContent(), 'Live updates paused: Jenkins answered HTTP 503. Retrying in 2 s.');
    assert.equal(await notice.isVisible(), true);
    assert.equal(await v.mount.locator('.idp-digest__value').count(), 1, 'the last good view stays');
    assert.equal(await refresh(v), '2000');

    await v.page.clock.runFor(1999);
    assert.equal(await v.fetches(), 2, 'no retry before the doubled interval');
    await v.page.clock.runFor(1);
    assert.equal(await v.fetches(), 3);
    await loaded(v, 3);
    assert.equal(await refresh(v), '4000');
    assert.match(await notice.textContent(), /Retrying in 4 s\.$/);

    fixture.server.heal('flaky');
    await v.page.clock.runFor(4000);
    await loaded(v, 4);
    assert.equal(await notice.isVisible(), false);
    assert.equal(await refresh(v), '1000', 'back to the normal interval');
  } finally {
    await v.close();
  }
});

test('a first load that fails says so quietly and renders once Jenkins answers', async () => {
  fixture.server.setModel('late', copyOf(fixture, 'rollout-in-progress'));
  fixture.server.fail('late', 500);
  const v = await openPage(fixture.browser, fixture.server, 'late', { clock: START });
  try {
    const notice = v.mount.locator('.idp-notice[role="status"]');
    assert.equal(await notice.textContent(),
      'Deployment details could not be loaded: Jenkins answered HTTP 500. Retrying in 4 s.');
    fixture.server.heal('late');
    await v.page.clock.runFor(4000);
    await loaded(v, 2);
    assert.equal(await v.mount.locator('.idp-rollout').count(), 1);
    assert.equal(await refresh(v), '2000', 'the default interval is 2 s');
  } finally {
    await v.close();
  }
});

test('the remaining time of a pause counts down between refreshes', async () => {
  const v = await live('countdown', copyOf(fixture, 'rollout-paused'), { clock: new Date('2025-06-03T10:04:00Z'), poll: 60_000 });
  try {
    const remaining = v.mount.locator('.idp-remaining');
    assert.equal(await remaining.textContent(), '3m 10s left');
    await v.page.clock.runFor(5000);
    assert.equal(await remaining.textContent(), '3m 5s left');
    assert.equal(await v.fetches(), 1);
  } finally {
    await v.close();
  }
});

test('an action POSTs to its URL with the crumb and the comment, then refreshes', async () => {
  const approved = copyOf(fixture, 'promotion-awaiting-approval');
  Object.assign(approved.promotions[1], { state: 'promoted', approver: 'alice', approvedAt: '2025-06-03T09:20:31Z', comment: 'Ship it & go', promotedAt: '2025-06-03T09:20:33Z' });
  approved.actions = [];
  approved.running = false;
  fixture.server.posts.length = 0;
  fixture.server.onPost((post) => {
    fixture.server.setModel('approve', approved);
    return 200;
  });
  const v = await live('approve', copyOf(fixture, 'promotion-awaiting-approval'), { clock: undefined });
  try {
    await v.mount.getByLabel('Comment (optional)').fill('Ship it & go');
    await v.mount.getByRole('button', { name: 'Approve' }).click();
    await eventually(() => v.mount.locator('.idp-promotion[data-state="promoted"]').count().then((n) => n === 2), { what: 'refresh after approve' });
    assert.equal(fixture.server.posts.length, 1);
    const [post] = fixture.server.posts;
    assert.equal(post.path, '/job/shop/job/api/42/immutable-deployment/approve?promotion=promotion-2');
    assert.equal(post.headers['jenkins-crumb'], CRUMB_VALUE);
    assert.match(post.headers['content-type'], /^application\/x-www-form-urlencoded/);
    assert.equal(post.body, 'comment=Ship+it+%26+go');
    assert.equal(await v.mount.locator('button[data-idp-action]').count(), 0, 'no buttons once nothing is permitted');
  } finally {
    fixture.server.onPost(() => 200);
    await v.close();
  }
});

test('a refused action says so and leaves the buttons', async () => {
  fixture.server.posts.length = 0;
  fixture.server.onPost(() => 403);
  const v = await live('refused', copyOf(fixture, 'rollout-paused'), { clock: undefined });
  try {
    await v.mount.getByRole('button', { name: 'Abort' }).click();
    const alert = v.mount.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.textContent(), 'Abort did not go through: Jenkins answered HTTP 403.');
    assert.equal(fixture.server.posts[0].path, '/job/shop/job/api/42/immutable-deployment/rollouts/rollout-1/abort');
    assert.equal(fixture.server.posts[0].body, '', 'abort takes no comment');
    assert.deepEqual(await v.mount.locator('button[data-idp-action]').evaluateAll((b) => b.map((x) => x.disabled)), [false, false]);
  } finally {
    fixture.server.onPost(() => 200);
    await v.close();
  }
});

test('without crumb attributes on the mount, the crumb Jenkins puts on <head> is sent', async () => {
  fixture.server.posts.length = 0;
  const v = await live('head-crumb', copyOf(fixture, 'rollout-paused'), { clock: undefined, crumbOn: 'head' });
  try {
    await v.mount.getByRole('button', { name: 'Promote' }).click();
    await eventually(() => fixture.server.posts.length === 1, { what: 'the POST' });
    assert.equal(fixture.server.posts[0].headers['jenkins-crumb'], CRUMB_VALUE);
  } finally {
    await v.close();
  }
});
