import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './support/browser.mjs';
import { useBrowserFixture, copyOf } from './support/fixture.mjs';

const fixture = useBrowserFixture();

const DIGEST = 'sha256:9f343fb5e3da62e54d6d261e01d6a2430ea0cc0c5f86926f9b77e58a09b9f724';

async function view(name, options) {
  return openPage(fixture.browser, fixture.server, name, options);
}

const texts = (locator) => locator.evaluateAll((nodes) => nodes.map((n) => n.textContent.trim()));

test('every example renders without script errors or Content-Security-Policy violations', async () => {
  assert.ok(fixture.examples.size >= 10, `golden examples found: ${[...fixture.examples.keys()]}`);
  for (const name of fixture.examples.keys()) {
    if (name === 'hostile') continue; // rendered without CSP in hostile.test.mjs
    const v = await view(name);
    try {
      assert.ok((await v.mount.locator('.idp-card').count()) > 0, `${name}: some card rendered`);
      assert.deepEqual(v.problems, [], `${name}: console and page errors`);
      assert.deepEqual(await v.cspViolations(), [], `${name}: CSP violations`);
    } finally {
      await v.close();
    }
  }
});

test('the adjunct, loaded in parts, leaves one global behind: window.immutableDeployment with mountAll', async () => {
  const v = await view('rollout-in-progress');
  try {
    const globals = await v.page.evaluate(() => {
      const before = new Set(window.__globalsBeforeAdjunct);
      return Object.getOwnPropertyNames(window).filter((name) => !before.has(name) && !name.startsWith('__'));
    });
    assert.deepEqual(globals, ['immutableDeployment']);
    assert.deepEqual(await v.page.evaluate(() => [Object.keys(window.immutableDeployment), Object.isFrozen(window.immutableDeployment)]),
      [['mountAll'], true]);
  } finally {
    await v.close();
  }
});

test('shows the digest and copies it with the Clipboard API', async () => {
  const v = await view('image-provenance-verified', { permissions: ['clipboard-read', 'clipboard-write'] });
  try {
    assert.equal(await v.mount.locator('.idp-digest__value').textContent(), DIGEST);
    await v.mount.getByRole('button', { name: 'Copy digest' }).click();
    await v.mount.locator('.idp-copied', { hasText: 'Copied' }).waitFor();
    assert.equal(await v.page.evaluate(() => navigator.clipboard.readText()), DIGEST);
  } finally {
    await v.close();
  }
});

test('copies the digest through the fallback where the Clipboard API is missing', async () => {
  const v = await view('image-provenance-verified', {
    init: () => {
      Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });
      window.__copied = [];
      document.execCommand = (command) => {
        window.__copied.push([command, document.activeElement.value]);
        return true;
      };
    },
  });
  try {
    await v.mount.getByRole('button', { name: 'Copy digest' }).click();
    await v.mount.locator('.idp-copied', { hasText: 'Copied' }).waitFor();
    assert.deepEqual(await v.page.evaluate(() => window.__copied), [['copy', DIGEST]]);
    assert.equal(await v.page.locator('textarea').count(), 0, 'the helper textarea is removed again');
  } finally {
    await v.close();
  }
});

test('repository, tags, size and times of the image', async () => {
  const v = await view('image-provenance-verified');
  try {
    const image = v.mount.locator('.idp-image');
    assert.match(await image.textContent(), /registry\.example\.com\/shop\/api/);
    assert.deepEqual(await texts(image.locator('.idp-tag')), ['2f22765d0493', 'build-42']);
    assert.match(await image.textContent(), /48\.2 MB/);
    assert.equal(await image.locator('time').first().getAttribute('datetime'), '2025-06-03T09:15:38.000Z');
  } finally {
    await v.close();
  }
});

test('a signed and verified provenance shows both badges, with commit links and builder', async () => {
  const v = await view('image-provenance-verified');
  try {
    const provenance = v.mount.locator('.idp-provenance');
    assert.deepEqual(await texts(provenance.locator('.idp-badge')), ['Signed', 'Verified']);
    const commits = provenance.locator('a.idp-commit');
    assert.deepEqual(await texts(commits), ['2f22765d0493', '6b1f53303a73']);
    assert.equal(await commits.first().getAttribute('href'),
      'https://github.com/example/shop-api/commit/2f22765d04931a078909145ca628d2264c852d7d');
    assert.equal(await provenance.getByRole('link', { name: 'https://jenkins.example.com/job/shop/job/api/', exact: true }).count(), 1);
    assert.match(await provenance.textContent(), /release-signing-2025/);
    assert.match(await provenance.textContent(), /Took3m 37s/);
  } finally {
    await v.close();
  }
});

test('an unsigned provenance is never shown as verified', async () => {
  const v = await view('provenance-unsigned');
  try {
    const provenance = v.mount.locator('.idp-provenance');
    assert.deepEqual(await texts(provenance.locator('.idp-badge')), ['Unsigned']);
    assert.doesNotMatch(await provenance.textContent(), /Verified|Signed/);
  } finally {
    await v.close();
  }
});

test('badges never claim more than the model: verified without signed, or strings for booleans', async () => {
  const contradictory = copyOf(fixture, 'image-provenance-verified');
  Object.assign(contradictory.images[0].provenance, { signed: false, verified: true });
  const stringly = copyOf(fixture, 'image-provenance-verified');
  Object.assign(stringly.images[0].provenance, { signed: 'true', verified: 'true' });
  const unverified = copyOf(fixture, 'image-provenance-verified');
  Object.assign(unverified.images[0].provenance, { signed: true, verified: false });
  const cases = [[contradictory, ['Unsigned']], [stringly, ['Unsigned']], [unverified, ['Signed', 'Not verified']]];
  for (const [index, [model, expected]] of cases.entries()) {
    fixture.server.setModel(`badges-${index}`, model);
    const v = await view(`badges-${index}`);
    try {
      assert.deepEqual(await texts(v.mount.locator('.idp-provenance .idp-badge')), expected, `case ${index}`);
    } finally {
      await v.close();
    }
  }
});

test('the promotion trail shows stages, moves, approver and comment', async () => {
  const v = await view('rollout-completed');
  try {
    const items = v.mount.locator('.idp-promotion');
    assert.deepEqual(await texts(items.locator('.idp-stage')), ['staging', 'prod']);
    assert.deepEqual(await items.evaluateAll((n) => n.map((x) => x.dataset.state)), ['promoted', 'promoted']);
    const prod = items.nth(1);
    assert.equal(await prod.locator('.idp-promotion__target').textContent(), `registry.example.com/shop-prod/api@${DIGEST}`);
    assert.equal(await prod.locator('.idp-promotion__tag').textContent(), 'release-42');
    assert.match(await prod.textContent(), /Approvedalice, Jun 3, 2025, 9:20:31 AM/);
    assert.match(await prod.textContent(), /Go for the 10:00 window/);
    const verified = prod.locator('.idp-promotion__verified');
    assert.equal(await verified.textContent(), 'signature verified: sha256:df86e005f580…');
    assert.equal(await verified.locator('code').getAttribute('title'), 'sha256:df86e005f5802268497a6007488317bf0fe4ab54d79f7ce0bf73424055520b6d');
    assert.equal(await items.nth(0).locator('.idp-promotion__verified').count(), 0, 'no key, no claim');
  } finally {
    await v.close();
  }
});

test('a promotion shows its target pinned by digest with the tag beside it, and none when no tag was written', async () => {
  const model = copyOf(fixture, 'rollout-completed');
  delete model.promotions[0].tag;
  fixture.server.setModel('untagged', model);
  const v = await view('untagged');
  try {
    const [staging, prod] = [0, 1].map((i) => v.mount.locator('.idp-promotion').nth(i));
    assert.equal(await prod.locator('.idp-move').textContent(),
      `registry.example.com/shop-staging/api@${DIGEST}→registry.example.com/shop-prod/api@${DIGEST}release-42`);
    assert.equal(await staging.locator('.idp-promotion__target').textContent(), `registry.example.com/shop-staging/api@${DIGEST}`);
    assert.equal(await staging.locator('.idp-promotion__tag').count(), 0);
  } finally {
    await v.close();
  }
});

test('a build with several images shows a card for each, and each promotion and rollout links to the image it used', async () => {
  const v = await view('several-images');
  try {
    const cards = v.mount.locator('.idp-image');
    assert.deepEqual(await cards.evaluateAll((n) => n.map((x) => x.dataset.imageId)), ['image-1', 'image-2']);
    assert.deepEqual(await texts(cards.locator('.idp-card__title')), ['Image shop/api', 'Image shop/web']);
    assert.deepEqual(await texts(cards.locator('.idp-digest__value')),
      [DIGEST, 'sha256:69dde248d4bbb03e8fb684ee4739b60337a8c22a8c33cf2eb7e71252380035d4']);
    assert.deepEqual(await texts(cards.locator('.idp-provenance .idp-badge')), ['Signed', 'Verified', 'Unsigned'], 'each image its own provenance');
    const refs = (selector) => v.mount.locator(`${selector} .idp-image-ref`).evaluateAll((n) => n.map((a) => [a.dataset.imageId, a.textContent]));
    assert.deepEqual(await refs('.idp-promotion'), [['image-1', 'shop/api'], ['image-2', 'shop/web'], ['image-1', 'shop/api']]);
    assert.deepEqual(await refs('.idp-rollout'), [['image-1', 'shop/api'], ['image-2', 'shop/web']]);
    const link = v.mount.locator('.idp-rollout .idp-image-ref').nth(1);
    await link.click();
    assert.equal(await v.page.evaluate(() => document.querySelector(window.location.hash).dataset.imageId), 'image-2',
      'the link leads to that image\'s card');
    assert.deepEqual(await texts(v.mount.locator('.idp-copied')), ['', ''], 'a Copy button per digest');
  } finally {
    await v.close();
  }
});

test('an imageId that names none of the images shows no link', async () => {
  const model = copyOf(fixture, 'several-images');
  model.promotions[0].imageId = 'image-9';
  model.rollouts[0].imageId = 42;
  fixture.server.setModel('unknown-image', model);
  const v = await view('unknown-image');
  try {
    assert.equal(await v.mount.locator('.idp-promotion').nth(0).locator('.idp-image-ref').count(), 0);
    assert.equal(await v.mount.locator('.idp-rollout').nth(0).locator('.idp-image-ref').count(), 0);
    assert.equal(await v.mount.locator('.idp-image-ref').count(), 3);
    assert.deepEqual(v.problems, []);
  } finally {
    await v.close();
  }
});

test('a promotion whose source was resolved from a tag names that tag under its source', async () => {
  const v = await view('promotion-awaiting-approval');
  try {
    const [staging, prod] = [0, 1].map((i) => v.mount.locator('.idp-promotion').nth(i));
    const resolved = prod.locator('.idp-resolved');
    assert.equal(await resolved.textContent(), 'resolved from registry.example.com/shop-staging/api:build-42');
    assert.equal(await resolved.locator('code').textContent(), 'registry.example.com/shop-staging/api:build-42');
    assert.equal(await resolved.evaluate((p) => p.previousElementSibling.className), 'idp-move',
      'right below the source and target');
    assert.equal(await resolved.locator('a').count(), 0, 'a tag is text, never a link');
    assert.equal(await staging.locator('.idp-resolved').count(), 0, 'a source given by digest names no tag');
  } finally {
    await v.close();
  }
});

test('an empty or non-string resolvedFrom is not shown', async () => {
  const model = copyOf(fixture, 'promotion-awaiting-approval');
  model.promotions[0].resolvedFrom = '';
  model.promotions[1].resolvedFrom = 42;
  fixture.server.setModel('resolved-odd', model);
  const v = await view('resolved-odd');
  try {
    assert.equal(await v.mount.locator('.idp-promotion').count(), 2);
    assert.equal(await v.mount.locator('.idp-resolved').count(), 0);
    assert.deepEqual(v.problems, []);
  } finally {
    await v.close();
  }
});

test('a rollout in progress shows each step with its state, the weights and the analysis results', async () => {
  const v = await view('rollout-in-progress');
  try {
    const rollout = v.mount.locator('.idp-rollout');
    const steps = rollout.locator('.idp-step');
    assert.deepEqual(await steps.evaluateAll((n) => n.map((x) => x.dataset.state)),
      ['succeeded', 'succeeded', 'succeeded', 'succeeded', 'running', 'pending', 'pending']);
    assert.deepEqual(await texts(steps.locator('.idp-step__title')),
      ['Set weight 10%', 'Pause 2m', 'Analysis errors', 'Set weight 50%', 'Analysis latency', 'Pause 5m', 'Set weight 100%']);
    assert.equal(await steps.nth(4).getAttribute('aria-current'), 'step');
    assert.equal(await rollout.locator('.idp-phase').textContent(), 'Progressing');
    assert.equal(await rollout.locator('.idp-weight__value').first().textContent(), '50%');

    const progress = rollout.getByRole('progressbar');
    assert.equal(await progress.getAttribute('aria-valuemin'), '0');
    assert.equal(await progress.getAttribute('aria-valuemax'), '7');
    assert.equal(await progress.getAttribute('aria-valuenow'), '4');
    assert.equal(await progress.getAttribute('aria-valuetext'),
      '4 of 7 steps done; step 5 of 7: Analysis latency, running; canary weight 50%');

    const fill = await rollout.locator('.idp-weight__fill').boundingBox();
    const track = await rollout.locator('.idp-weight__track').boundingBox();
    assert.ok(Math.abs(fill.width / track.width - 0.5) < 0.01, `fill is half the track: ${fill.width}/${track.width}`);

    const latency = steps.nth(4).locator('details.idp-analysis');
    assert.equal(await latency.getAttribute('data-phase'), 'Running');
    assert.equal(await latency.evaluate((d) => d.open), true, 'a running analysis starts expanded');
    assert.deepEqual(await latency.locator('.idp-measurement').evaluateAll((n) => n.map((x) => x.dataset.outcome)),
      ['Successful', 'Inconclusive']);
    assert.deepEqual(await texts(latency.locator('.idp-measurement__value')), ['0.182', 'no value']);
    assert.deepEqual(await texts(latency.locator('.idp-measurement .idp-badge')), ['Pass', 'Inconclusive']);
    assert.match(await latency.textContent(), /query returned no data/);

    const errors = steps.nth(2).locator('details.idp-analysis');
    assert.equal(await errors.evaluate((d) => d.open), false, 'a passed analysis starts collapsed');
    assert.match(await errors.locator('summary').textContent(), /Successful.*4 measurements: 4 pass/);
  } finally {
    await v.close();
  }
});

test('a running timed pause shows its remaining time and a manual pause waits for a person', async () => {
  const v = await view('rollout-paused', { fixedTime: new Date('2025-06-03T10:04:00Z') });
  try {
    const steps = v.mount.locator('.idp-step');
    assert.equal(await steps.nth(3).getAttribute('data-state'), 'running');
    assert.equal(await steps.nth(3).locator('.idp-remaining').textContent(), '3m 10s left');
    assert.equal(await steps.nth(4).locator('.idp-step__title').textContent(), 'Pause until promoted');
    assert.equal(await v.mount.locator('.idp-phase').textContent(), 'Paused');
  } finally {
    await v.close();
  }
});

test('an aborted rollout says so, with the reason and traffic back on stable', async () => {
  const v = await view('rollout-aborted');
  try {
    const rollout = v.mount.locator('.idp-rollout');
    assert.equal(await rollout.getAttribute('data-phase'), 'Aborted');
    assert.equal(await rollout.locator('.idp-phase').textContent(), 'Aborted');
    assert.equal(await rollout.locator('.idp-abort-reason').textContent(),
      'Canary pod api-canary-7d9c6b5f4-x2x8q container api is in CrashLoopBackOff (restarted 3 times)');
    assert.equal(await rollout.locator('.idp-stable-note').textContent(), 'All traffic is back on the stable version.');
    assert.equal(await rollout.locator('.idp-weight__value').first().textContent(), '0%');
    assert.deepEqual(await rollout.locator('.idp-step').evaluateAll((n) => n.map((x) => x.dataset.state)),
      ['succeeded', 'failed', 'skipped', 'skipped', 'skipped', 'skipped']);
    const fill = await rollout.locator('.idp-weight__fill').boundingBox();
    assert.ok(fill === null || fill.width === 0, 'no canary weight drawn');
  } finally {
    await v.close();
  }
});

test('a blue/green rollout shows its strategy, the preview, the gate and the switch, and its traffic as stable or new', async () => {
  const v = await view('blue-green-paused');
  try {
    const rollout = v.mount.locator('.idp-rollout');
    assert.equal(await rollout.locator('.idp-strategy').textContent(), 'Blue/green');
    assert.equal(await rollout.locator('.idp-phase').textContent(), 'Paused');
    const steps = rollout.locator('.idp-step');
    assert.deepEqual(await texts(steps.locator('.idp-step__title')),
      ['Preview: 4 pods, no traffic', 'Analysis smoke', 'Pause until promoted', 'Switch all traffic']);
    assert.deepEqual(await steps.evaluateAll((n) => n.map((x) => x.dataset.role ?? null)), ['preview', null, null, 'switch']);
    assert.equal(await steps.nth(0).locator('.idp-preview-services').textContent(), 'Reachable through Service api-preview');
    assert.equal(await steps.nth(2).locator('.idp-remaining').textContent(), 'waiting for Promote (switches all traffic) or Abort');
    assert.equal(await steps.nth(2).getAttribute('aria-current'), 'step');

    assert.equal(await rollout.locator('.idp-weight__fill').count(), 0, 'no canary weight bar');
    assert.equal(await rollout.getByText('Canary traffic').count(), 0);
    assert.equal(await rollout.locator('.idp-switch__value').textContent(), 'All on stable · preview has none');
    assert.equal(await rollout.locator('.idp-switch').getAttribute('data-serving'), 'stable');
    assert.deepEqual(await texts(rollout.locator('.idp-switch__side--on')), ['Stable']);
    assert.equal(await rollout.getByRole('progressbar').getAttribute('aria-valuetext'),
      '2 of 4 steps done; step 3 of 4: Pause until promoted, running; traffic: all on stable · preview has none');
    assert.equal(await rollout.locator('.idp-message').textContent(),
      'waiting for a decision with the preview at 0% traffic: Promote switches all traffic to it, Abort removes it');
    assert.deepEqual(await texts(rollout.locator('button[data-idp-action]')), ['Promote', 'Abort']);
    assert.deepEqual(v.problems, []);
    assert.deepEqual(await v.cspViolations(), []);
  } finally {
    await v.close();
  }
});

test('a blue/green rollout after the switch serves the new version; aborted at its gate, the preview had no traffic', async () => {
  const switched = copyOf(fixture, 'blue-green-paused');
  const bg = switched.rollouts[0];
  bg.phase = 'Healthy';
  bg.running = false;
  switched.running = false;
  bg.currentWeight = 100;
  delete bg.currentStepIndex;
  bg.steps.forEach((s) => { s.state = 'succeeded'; });
  delete bg.steps[0].replicas;
  delete bg.steps[0].services;
  switched.actions = [];
  fixture.server.setModel('blue-green-done', switched);

  const aborted = copyOf(fixture, 'blue-green-paused');
  const ab = aborted.rollouts[0];
  ab.phase = 'Aborted';
  ab.running = false;
  aborted.running = false;
  ab.abortReason = 'the preview looks wrong';
  ab.steps[2].state = 'failed';
  ab.steps[3].state = 'skipped';
  aborted.actions = [];
  fixture.server.setModel('blue-green-aborted', aborted);

  let v = await view('blue-green-done');
  try {
    const rollout = v.mount.locator('.idp-rollout');
    assert.equal(await rollout.locator('.idp-switch__value').textContent(), 'All on the new version');
    assert.deepEqual(await texts(rollout.locator('.idp-switch__side--on')), ['New']);
    assert.equal(await rollout.locator('.idp-step__title').first().textContent(), 'Preview: full size, no traffic',
      'the pod count when it is not known');
    assert.equal(await rollout.locator('.idp-preview-services').count(), 0);
  } finally {
    await v.close();
  }
  v = await view('blue-green-aborted');
  try {
    const rollout = v.mount.locator('.idp-rollout');
    assert.equal(await rollout.locator('.idp-stable-note').textContent(), 'The preview carried no traffic; the stable version kept all of it.');
    assert.equal(await rollout.locator('.idp-switch__value').textContent(), 'All on stable');
  } finally {
    await v.close();
  }
});

test('a canary says so and a role on a canary step is not read as blue/green', async () => {
  const model = copyOf(fixture, 'rollout-paused');
  model.rollouts[0].steps[0].role = 'preview';
  fixture.server.setModel('canary-with-role', model);
  const v = await view('canary-with-role');
  try {
    const rollout = v.mount.locator('.idp-rollout');
    assert.equal(await rollout.locator('.idp-strategy').textContent(), 'Canary');
    assert.equal(await rollout.locator('.idp-step__title').first().textContent(), 'Set weight 10%');
    assert.equal(await rollout.locator('.idp-weight__value').first().textContent(), '50%');
    assert.equal(await rollout.locator('.idp-switch').count(), 0);
  } finally {
    await v.close();
  }
});

test('a completed rollout is healthy at 100% with every step succeeded', async () => {
  const v = await view('rollout-completed');
  try {
    const rollout = v.mount.locator('.idp-rollout');
    assert.equal(await rollout.locator('.idp-phase').textContent(), 'Healthy');
    assert.equal(await rollout.locator('.idp-weight__value').first().textContent(), '100%');
    assert.ok((await rollout.locator('.idp-step').evaluateAll((n) => n.map((x) => x.dataset.state))).every((s) => s === 'succeeded'));
    assert.equal(await rollout.getByRole('progressbar').getAttribute('aria-valuenow'), '6');
    assert.equal(await rollout.locator('.idp-aborted').count(), 0);
  } finally {
    await v.close();
  }
});

test('a rollback shows the digests, who did it, when and why', async () => {
  const v = await view('rollback');
  try {
    const rollback = v.mount.locator('.idp-rollback');
    assert.equal(await rollback.count(), 1);
    const hashes = rollback.locator('.idp-hash');
    assert.equal(await hashes.nth(0).getAttribute('title'), DIGEST);
    assert.equal(await hashes.nth(1).getAttribute('title'),
      'sha256:8fa98f338ce9882775c2d8b98f446dd43a702142161ab8f48ded0e313b900d74');
    assert.match(await rollback.textContent(), /Bybob/);
    assert.match(await rollback.textContent(), /Checkout errors after release 42 \(INC-1234\)/);
    assert.match(await rollback.textContent(), /shop · prod/);
    assert.equal(await rollback.locator('a', { hasText: 'bob' }).count(), 0, 'a person is text');
  } finally {
    await v.close();
  }
});

test('a rollback asked by a build links to that build; anything else stays text', async () => {
  const model = copyOf(fixture, 'rollback');
  const build = 'https://jenkins.example.com/job/shop/job/api/43/';
  model.rollbacks[0].by = build;
  fixture.server.setModel('rollback-by-build', model);
  const hostile = copyOf(fixture, 'rollback');
  hostile.rollbacks[0].by = 'javascript:alert(1)';
  fixture.server.setModel('rollback-by-script', hostile);
  let v = await view('rollback-by-build');
  try {
    const by = v.mount.locator('.idp-rollback a', { hasText: build });
    assert.equal(await by.getAttribute('href'), build);
    assert.equal(await by.textContent(), build);
  } finally {
    await v.close();
  }
  v = await view('rollback-by-script');
  try {
    assert.equal(await v.mount.locator('.idp-rollback a', { hasText: 'javascript' }).count(), 0);
    assert.match(await v.mount.locator('.idp-rollback').textContent(), /Byjavascript:alert\(1\)/);
  } finally {
    await v.close();
  }
});

test('buttons appear only for the actions the model permits, next to what they act on', async () => {
  const expected = {
    'image-provenance-verified': [],
    'provenance-unsigned': [],
    'promotion-awaiting-approval': ['Approve', 'Reject'],
    'rollout-in-progress': ['Abort'],
    'rollout-paused': ['Promote', 'Abort'],
    'blue-green-paused': ['Promote', 'Abort'],
    'rollout-aborted': [],
    'rollout-completed': [],
    rollback: [],
  };
  for (const [name, buttons] of Object.entries(expected)) {
    const v = await view(name);
    try {
      assert.deepEqual(await texts(v.mount.locator('button[data-idp-action]')), buttons, name);
    } finally {
      await v.close();
    }
  }
  const v = await view('promotion-awaiting-approval');
  try {
    const pending = v.mount.locator('.idp-promotion[data-state="awaitingApproval"]');
    assert.equal(await pending.locator('button').count(), 2, 'approve and reject sit in the pending promotion');
    assert.equal(await pending.getByLabel('Comment (optional)').count(), 1);
    assert.equal(await v.mount.locator('.idp-promotion[data-state="promoted"] button').count(), 0);
  } finally {
    await v.close();
  }
});

test('the keyboard reaches every control, and summaries toggle analysis details', async () => {
  const v = await view('rollout-paused');
  try {
    const reached = [];
    for (let i = 0; i < 40; i += 1) {
      await v.page.keyboard.press('Tab');
      const name = await v.page.evaluate(() => {
        const a = document.activeElement;
        if (a === document.body || a.dataset.tabbed) return null;
        a.dataset.tabbed = 'yes';
        return `${a.tagName.toLowerCase()}:${a.textContent.trim().slice(0, 30)}`;
      });
      if (name === null) break;
      reached.push(name);
    }
    for (const control of ['button:Copy digest', 'summary:Results', 'button:Promote', 'button:Abort']) {
      assert.ok(reached.some((r) => r.startsWith(control)), `${control} reachable by Tab; reached ${reached.join(' | ')}`);
    }
    const summary = v.mount.locator('summary').first();
    await summary.focus();
    await v.page.keyboard.press('Enter');
    assert.equal(await summary.evaluate((s) => s.parentElement.open), true);
  } finally {
    await v.close();
  }
});

test('takes its colours from Jenkins theme variables when the page defines them', async () => {
  const v = await view('rollout-aborted', { theme: 'jenkins-dark' });
  try {
    const colours = await v.page.evaluate(() => {
      const card = document.querySelector('.idp-card');
      const phase = document.querySelector('.idp-rollout .idp-phase');
      return { text: getComputedStyle(card).color, background: getComputedStyle(card).backgroundColor, border: getComputedStyle(phase).borderColor };
    });
    assert.equal(colours.text, 'rgb(230, 237, 243)');
    assert.equal(colours.background, 'rgb(38, 44, 51)');
    assert.match(colours.border, /rgba?\(248, 81, 73|srgb 0\.972549 0\.317647 0\.286275/, `the error badge mixes --error-color: ${colours.border}`);
  } finally {
    await v.close();
  }
});

test('a document of a newer schema version is rendered with a note', async () => {
  const newer = copyOf(fixture, 'rollout-completed');
  newer.schemaVersion = 3;
  newer.somethingNew = { shown: false };
  fixture.server.setModel('newer', newer);
  const v = await view('newer');
  try {
    assert.equal(await v.mount.locator('.idp-notice', { hasText: 'older than its data' }).count(), 1);
    assert.equal(await v.mount.locator('.idp-rollout .idp-phase').textContent(), 'Healthy');
  } finally {
    await v.close();
  }
});
