// The end-to-end check's scenario. run.sh has booted Jenkins with the plugin, a docker-registry and the mock cluster
// (with a stable Deployment shop/api whose previous release went out with the CLI), and passes what it set up in
// the JSON file $E2E_SETUP. This creates the jobs through the REST API, drives the approval and the canary from the
// build page in Chromium as the users a release has, and checks what the pages show against the build's
// model.json, the registry and the cluster. Every HOSTILE string carries script: it must stay text.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  launch, signIn, openPage, assertInert, injectedMarkers, assertNoProblems, assertFitsWindow, assertViewLayout, INJECTED,
} from './support/browser.mjs';
import { readView, expectedView, assertShows } from './support/deployment-view.mjs';
import { jenkinsClient } from './support/jenkins.mjs';
import { eventually } from './ui-support/browser.mjs';
import { knownBug, knownBugSummary } from './support/known-bugs.mjs';

const setup = JSON.parse(await readFile(process.env.E2E_SETUP, 'utf8'));
const jenkins = jenkinsClient(setup.jenkinsUrl, 'admin', (await readFile(setup.adminTokenFile, 'utf8')).trim());

const mark = (what) => `${INJECTED}${what}`;
const HOSTILE = {
  jobName: `Release <img src=${mark('job-name')} id=${mark('job-name')} onerror="window['${mark('job-name')}']=1">`,
  buildLabel: `<svg id=${mark('build-name')} onload="window['${mark('build-name')}']=1"></svg>`,
  approvalMessage: `Ship it? <script id=${mark('approval-message')}>window['${mark('approval-message')}']=1</script>`,
  comment: `Go <img src=${mark('approval-comment')} id=${mark('approval-comment')} onerror="window['${mark('approval-comment')}']=1">`,
  tag: `<script>window['${mark('tag')}']=1</script>`,
};
const JOB = 'release';
const PAGES = { build: '', detail: 'immutable-deployment/' };
const LOOKS = [['light', 1280], ['dark', 1280], ['light', 320], ['dark', 320]];
const LIVE_UPDATE_MS = 8000; // the page polls every 2 s

const browser = await launch();
const views = new Set();
const sessions = {};
let release;
let refusedTag;

/** Opens a page (closed at the end), remembering it for the failure screenshot. */
async function open(relative, options) {
  const view = await openPage(browser, new URL(relative, setup.jenkinsUrl).href, options);
  views.add(view);
  return view;
}

async function close(view) {
  views.delete(view);
  await view.close();
}

async function reload(view) {
  await view.page.reload();
  await view.page.waitForSelector('.immutable-deployment[data-idp-loads]');
}

const buildPath = (number = release, job = JOB) => `job/${job}/${number}/`;

/** Waits until the release's model satisfies `condition`; fails at once when the build ends first. */
async function awaitRelease(what, condition, timeout = 120000) {
  const seen = await eventually(async () => {
    const state = await jenkins.buildState(JOB, release);
    const model = await jenkins.model(JOB, release).catch(() => null);
    if (model && condition(model)) return { model };
    return state.building ? null : { ended: state.result };
  }, { what, timeout, interval: 250 });
  if (seen.ended) {
    const log = await jenkins.consoleText(JOB, release);
    throw new Error(`the release ended ${seen.ended} before ${what}; the end of its log:\n${log.slice(-3000)}`);
  }
  return seen.model;
}

/** No HOSTILE string ran or became markup, no error: the job display name in core's breadcrumbs is a known bug. */
async function assertCleanPage(view, what) {
  const fromJobName = (marker) => marker.includes(mark('job-name'));
  const markers = Object.values(await injectedMarkers(view)).flat();
  await knownBug('coreBreadcrumbTooltip', () => assert.deepEqual(markers.filter(fromJobName), [], what));
  await assertInert(view, what, fromJobName);
  assertNoProblems(view, what);
}

/** Every file of the ui module was served by this Jenkins from the plugin (HTTP 200, the bytes of the ui's source). */
async function assertAdjunctsFromThePlugin(view, what) {
  const served = new Map((await view.adjuncts()).map((adjunct) => [adjunct.file, adjunct]));
  for (const file of (await readdir(setup.uiDir)).filter((name) => /\.(js|css)$/.test(name))) {
    const adjunct = served.get(file);
    assert.ok(adjunct, `${what}: ${file} was not loaded (loaded: ${[...served.keys()].join(', ')})`);
    assert.equal(adjunct.status, 200, `${what}: ${file}`);
    assert.ok(adjunct.body.equals(await readFile(path.join(setup.uiDir, file))), `${what}: ${file} differs from the ui module's`);
  }
}

async function registryDigest(reference) {
  const { stdout } = await promisify(execFile)('skopeo',
    ['inspect', '--tls-verify=false', '--format', '{{.Digest}}', `docker://${setup.registry}/${reference}`]);
  return stdout.trim();
}

async function clusterDeployment(name) {
  const response = await fetch(`${setup.kubeUrl}/apis/apps/v1/namespaces/shop/deployments/${name}`);
  return response.status === 404 ? null : response.json();
}

let failedStep = null;
async function step(name, body) {
  const started = Date.now();
  try {
    await body();
    console.log(`ok - ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failedStep = name;
    console.log(`not ok - ${name}`);
    throw error;
  }
}

async function scenario() {
  await step('creates the Pipeline jobs through the REST API (createItem) and starts them; the job display name HOSTILE', async () => {
    const parameters = { BUILD_LABEL: HOSTILE.buildLabel, APPROVAL_MESSAGE: HOSTILE.approvalMessage };
    const jenkinsfile = (name) => readFile(path.join(setup.jobsDir, `${name}.Jenkinsfile`), 'utf8');
    await jenkins.createPipeline(JOB, { displayName: HOSTILE.jobName, parameters, jenkinsfile: await jenkinsfile('release') });
    await jenkins.createPipeline('hostile-tag', { parameters: { TAG: HOSTILE.tag }, jenkinsfile: await jenkinsfile('hostile-tag') });
    assert.equal((await jenkins.json(`job/${JOB}/api/json?tree=displayName`)).displayName, HOSTILE.jobName);
    release = await jenkins.build(JOB, parameters);
    refusedTag = await jenkins.build('hostile-tag', { TAG: HOSTILE.tag });
  });

  await step('alice and bob sign in through the login form', async () => {
    sessions.alice = await signIn(browser, setup.jenkinsUrl, 'alice', setup.passwords.alice);
    sessions.bob = await signIn(browser, setup.jenkinsUrl, 'bob', setup.passwords.bob);
  });

  await step('refuses a HOSTILE image tag before anything is pushed, naming the field and the accepted form', async () => {
    assert.equal(await jenkins.awaitResult('hostile-tag', refusedTag), 'FAILURE');
    const log = await jenkins.consoleText('hostile-tag', refusedTag);
    assert.ok(log.includes(`tag: "${HOSTILE.tag}" is not a tag; expected `), `the refusal in the build log:\n${log}`);
    assert.ok(!log.includes('\tat '), `no stack trace in the build log:\n${log}`);
    assert.equal((await fetch(`http://${setup.registry}/v2/shop/hostile/tags/list`)).status, 404, 'nothing was pushed to shop/hostile');
    for (const page of ['', 'console']) {
      const view = await open(`${buildPath(refusedTag, 'hostile-tag')}${page}`, { session: sessions.alice, mounted: false });
      if (page === 'console') assert.ok((await view.page.innerText('body')).includes(HOSTILE.tag), 'the refusal shows the tag as text');
      await assertCleanPage(view, `hostile-tag ${page || 'build page'}`);
      await close(view);
    }
  });

  await step("the promotion waits for alice's approval", async () => {
    await awaitRelease('the promotion to await approval', (m) => m.promotions[0]?.state === 'awaitingApproval');
  });

  await step('bob (may build, no submitter) sees the HOSTILE message as text and no Approve button; his POST is answered 403', async () => {
    const view = await open(buildPath(), { session: sessions.bob });
    const promotion = view.page.locator('.idp-promotion').first();
    await promotion.waitFor();
    assert.equal(await promotion.getAttribute('data-state'), 'awaitingApproval');
    assert.equal(await promotion.locator('.idp-message').textContent(), HOSTILE.approvalMessage);
    assert.deepEqual((await readView(view.page)).buttons, [], 'no Approve or Reject for bob');
    await assertCleanPage(view, "bob's build page");
    const { id } = (await jenkins.model(JOB, release)).promotions[0];
    const status = await view.page.evaluate(async (url) => {
      const mount = document.querySelector('.immutable-deployment');
      const headers = { [mount.dataset.crumbHeader]: mount.dataset.crumbValue };
      return (await fetch(url, { method: 'POST', credentials: 'same-origin', headers })).status;
    }, `/${buildPath()}immutable-deployment/approve?promotion=${encodeURIComponent(id)}`);
    assert.equal(status, 403, "bob's approval");
    assert.equal((await jenkins.model(JOB, release)).promotions[0].state, 'awaitingApproval', 'the refusal changed nothing');
    await close(view);
  });

  let alice; // alice's build page, open through the rest of the release

  await step('alice approves on the build page with a HOSTILE comment', async () => {
    alice = await open(buildPath(), { session: sessions.alice });
    const bar = alice.page.locator('.idp-promotion .idp-actions');
    await bar.waitFor();
    assert.deepEqual((await readView(alice.page)).buttons, ['approve', 'reject']);
    await bar.locator('input[name="comment"]').fill(HOSTILE.comment);
    await bar.locator('button[data-idp-action="approve"]').click();
    await alice.page.locator('.idp-promotion[data-state="promoted"]').waitFor({ timeout: 60000 });
    const { promotions } = await jenkins.model(JOB, release);
    assert.equal(promotions[0].approver, 'alice');
    assert.equal(promotions[0].comment, HOSTILE.comment);
  });

  await step('the canary waits at its manual pause at 50 %; alice promotes it on the build page', async () => {
    const model = await awaitRelease('the canary to wait at its manual pause', (m) => m.rollouts[0]?.phase === 'Paused');
    assert.equal(model.rollouts[0].currentWeight, 50);
    const promote = alice.page.locator('.idp-rollout button[data-idp-action="promote"]');
    await knownBug('pageStopsUpdating', () => promote.waitFor({ timeout: LIVE_UPDATE_MS }), () => reload(alice));
    await promote.waitFor({ timeout: LIVE_UPDATE_MS });
    assert.equal(await alice.page.locator('.idp-rollout .idp-weight__value').first().textContent(), '50%');
    await alice.page.screenshot({ path: path.join(setup.screenshotsDir, 'build-paused-light-1280.png'), fullPage: true });
    await promote.click();
  });

  await step('the build finishes SUCCESS after the rollback', async () => {
    const result = await jenkins.awaitResult(JOB, release);
    assert.equal(result, 'SUCCESS', `the release ended ${result}:\n${(await jenkins.consoleText(JOB, release)).slice(-3000)}`);
    const rollback = alice.page.locator('.idp-rollback');
    await knownBug('pageStopsUpdating', () => rollback.waitFor({ timeout: LIVE_UPDATE_MS }), () => reload(alice));
    await rollback.waitFor({ timeout: LIVE_UPDATE_MS });
    await assertCleanPage(alice, "alice's build page, open through the release");
    await close(alice);
  });

  let model;

  await step('the registry and the cluster agree with the model', async () => {
    model = await jenkins.model(JOB, release);
    assert.equal(await registryDigest('shop-prod/api:release-2'), model.image.digest, 'promoted unchanged');
    assert.equal(model.rollbacks[0].toDigest, setup.previousImage.split('@')[1], 'rolled back to the release before');
    assert.equal((await clusterDeployment('api')).spec.template.spec.containers[0].image, setup.previousImage, 'stable runs the previous release');
    assert.equal(await clusterDeployment('api-canary'), null, 'the canary is gone');
    assert.equal(model.promotions[0].approver, 'alice');
    assert.deepEqual(model.rollouts[0].steps.map((s) => [s.kind, s.weight ?? s.manual, s.state]),
      [['setWeight', 50, 'succeeded'], ['pause', true, 'succeeded'], ['setWeight', 100, 'succeeded']]);
    assert.equal(model.rollouts[0].phase, 'Healthy');
    assert.equal(model.provenance.signed, true, 'signed with the key credential');
    assert.ok(model.provenance.builder.startsWith(setup.jenkinsUrl), `the builder is named by the Jenkins URL: ${model.provenance.builder}`);
  });

  const pageHtml = {};
  for (const [name, page] of Object.entries(PAGES)) {
    await step(`the ${name} page shows what model.json says, loads the ui from the plugin, no errors`, async () => {
      const view = await open(`${buildPath()}${page}`, { session: sessions.alice });
      await view.page.locator('.immutable-deployment .idp-rollback').waitFor();
      assertShows(await readView(view.page), expectedView(model), `${name} page`);
      assert.ok((await view.page.innerText('body')).includes(HOSTILE.buildLabel), 'the build display name shown as text');
      await assertCleanPage(view, `${name} page`);
      await assertAdjunctsFromThePlugin(view, `${name} page`);
      pageHtml[`the ${name} page`] = await view.page.content();
      await close(view);
    });
  }

  await step('the job page and its Live deployments list show the rolled-back release, as text', async () => {
    const job = await open(`job/${JOB}/`, { session: sessions.alice, mounted: false });
    assert.ok((await job.page.innerText('body')).includes(HOSTILE.jobName), 'the job display name shown as text');
    assert.equal((await job.page.locator('a[href$="/immutable-deployments"]').first().innerText()).trim(), 'Live deployments');
    await assertCleanPage(job, 'job page');
    await close(job);
    const live = await open(`job/${JOB}/immutable-deployments/`, { session: sessions.alice, mounted: false });
    const rows = await live.page.locator('table.immutable-deployment-live tbody tr')
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.cells).map((td) => td.textContent.trim())));
    const { displayName } = await jenkins.buildState(JOB, release);
    const rollback = model.rollbacks[0];
    assert.deepEqual(rows, [[rollback.cluster, rollback.namespace, rollback.deployment, setup.previousImage, displayName]]);
    assert.ok(displayName.endsWith(HOSTILE.buildLabel));
    await assertCleanPage(live, 'Live deployments page');
    await close(live);
  });

  await step('the signing key reaches neither the logs nor the model nor the pages', async () => {
    const pem = await readFile(setup.signingKeyFile, 'utf8');
    const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, '');
    const fragment = body.slice(body.length / 2, body.length / 2 + 24);
    const places = {
      'the release log': await jenkins.consoleText(JOB, release),
      'the model': JSON.stringify(model),
      'the build api/json': await jenkins.text(`${buildPath()}api/json?depth=2`),
      'jenkins.log': await readFile(path.join(setup.jenkinsHome, 'jenkins.log'), 'utf8'),
      ...pageHtml,
    };
    for (const [place, text] of Object.entries(places)) assert.ok(!text.includes(fragment), `${place} quotes the signing key`);
  });

  await step('screenshots of the build, detail, job and Live deployments pages, light and dark, 1280 and 320 px', async () => {
    // Each page with its layout check. The build page's own header (Jenkins core) does not fit 320 px with the
    // HOSTILE build name's long words, so only the plugin's box is judged there.
    const pages = {
      build: [buildPath(), (view, what, width) => knownBug('summaryBoxSqueezed', () => assertViewLayout(view, what, width))],
      detail: [`${buildPath()}immutable-deployment/`, async (view, what, width) => {
        await assertFitsWindow(view, what, width);
        await assertViewLayout(view, what, width);
      }],
      job: [`job/${JOB}/`, assertFitsWindow],
      live: [`job/${JOB}/immutable-deployments/`, (view, what, width) => knownBug('liveTableTooWide', () => assertFitsWindow(view, what, width))],
    };
    for (const [name, [relative, assertLayout]] of Object.entries(pages)) {
      for (const [colorScheme, width] of LOOKS) {
        const what = `${name} ${colorScheme} ${width}`;
        const view = await open(relative, { session: sessions.alice, colorScheme, width, mounted: name in PAGES });
        await view.page.screenshot({ path: path.join(setup.screenshotsDir, `${name}-${colorScheme}-${width}.png`), fullPage: true });
        await assertCleanPage(view, what);
        await assertLayout(view, what, width);
        await close(view);
      }
    }
  });
}

try {
  await scenario();
  for (const line of knownBugSummary()) console.log(line);
} catch (error) {
  const current = [...views].pop();
  if (current) await current.page.screenshot({ path: path.join(setup.screenshotsDir, 'failure.png'), fullPage: true }).catch(() => {});
  console.error(`E2E FAILED at "${failedStep}": ${error.stack || error}`);
  if (current) console.error(`the page at that moment: ${current.page.url()} (screenshot failure.png)`);
  process.exitCode = 1;
} finally {
  for (const view of views) await view.close().catch(() => {});
  await browser.close();
}
