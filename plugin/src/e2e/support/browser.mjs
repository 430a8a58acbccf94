// Jenkins pages in the system Chromium, launched as the ui module's browser tests launch it (its `launch`, which
// run.sh copies beside this): signing in through Jenkins' login form, opening pages while recording what a person
// would not see (JavaScript errors, dialogs, the plugin's adjunct responses), judging whether injected markup ran,
// and the layout checks.
import assert from 'node:assert/strict';

export { launch } from '../ui-support/browser.mjs';

/**
 * What marks the check's payloads: each carries a marker `e2e-injected-<what>` as its element's id, its image source
 * (a request for it means the payload became an element, even one never attached to the document) and the name of
 * the global its script sets (`window['e2e-injected-<what>'] = 1`).
 */
export const INJECTED = 'e2e-injected-';

/** Where Stapler serves the ui module's adjuncts: /adjuncts/<hash>/io/jenkins/plugins/immutabledeployment/ui/<file>. */
const ADJUNCT = /\/adjuncts\/[^/]+\/io\/jenkins\/plugins\/immutabledeployment\/ui\/([^/?]+)$/;

/** Signs `user` in through the login form and returns the session (cookies) for new contexts. */
export async function signIn(browser, jenkinsUrl, user, password) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(new URL('login', jenkinsUrl).href);
    await page.fill('#j_username', user);
    await page.fill('#j_password', password);
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.click('button[name="Submit"]')]);
    return await context.storageState();
  } finally {
    await context.close();
  }
}

/**
 * Opens `url` in a fresh context (optionally signed in with `session`) and, when `mounted`, waits until the plugin's
 * view has loaded its model once. Returns the page and what it recorded: problems (JavaScript errors, console
 * errors, dialogs) and the plugin's adjunct responses ({file, status, body}).
 */
export async function openPage(browser, url, { session, colorScheme = 'light', width = 1280, mounted = true } = {}) {
  const context = await browser.newContext({
    storageState: session,
    colorScheme,
    viewport: { width, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const problems = [];
  const injected = [];
  const adjuncts = [];
  page.on('pageerror', (error) => problems.push(`JavaScript error: ${error.message}`));
  page.on('request', (request) => {
    if (request.url().includes(INJECTED)) injected.push(request.url());
  });
  page.on('console', (message) => {
    // A failed load of an injected element's source is reported by assertInert, naming the payload.
    if (message.type() === 'error' && !message.location().url.includes(INJECTED)) {
      problems.push(`console error: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.on('response', (response) => {
    const match = ADJUNCT.exec(new URL(response.url()).pathname);
    if (match) {
      const served = (body) => ({ file: match[1], status: response.status(), body });
      adjuncts.push(response.body().then(served, () => served(null)));
    }
  });
  await page.goto(url);
  if (mounted) await page.waitForSelector('.immutable-deployment[data-idp-loads]');
  return { page, problems, injected, adjuncts: () => Promise.all(adjuncts), close: () => context.close() };
}

/** Signs of the check's payloads on the page: the markers of those whose script ran, that became elements, that were requested. */
export async function injectedMarkers(view) {
  const onPage = await view.page.evaluate((prefix) => ({
    ran: Object.keys(window).filter((key) => key.startsWith(prefix)),
    elements: Array.from(document.querySelectorAll(`[id^="${prefix}"]`)).map((element) => element.id),
  }), INJECTED);
  return { ...onPage, requested: [...view.injected] };
}

/**
 * Nothing the check's hostile strings carry ran or became markup: no global a payload sets, no element with a
 * payload's id, no request for a payload's image source, no dialog. `tolerated(marker)` names markers that are known
 * bugs elsewhere and judged by the caller.
 */
export async function assertInert(view, what, tolerated = () => false) {
  const { ran, elements, requested } = await injectedMarkers(view);
  const known = (markers) => markers.filter((marker) => !tolerated(marker));
  assert.deepEqual(known(ran), [], `${what}: hostile text ran as script`);
  assert.deepEqual(known(elements), [], `${what}: hostile text became elements`);
  assert.deepEqual(known(requested), [], `${what}: hostile text became elements that loaded their source`);
  assert.deepEqual(view.problems.filter((p) => p.startsWith('dialog')), [], `${what}: a dialog opened`);
}

/** No JavaScript error, console error or dialog on the page so far. */
export function assertNoProblems(view, what) {
  assert.deepEqual(view.problems, [], `${what}: JavaScript errors, console errors or dialogs`);
}

/** Nothing on the page is wider than the window; names the first elements that stick out. */
export async function assertFitsWindow(view, what, width) {
  const layout = await view.page.evaluate(() => {
    const right = (element) => element.getBoundingClientRect().right;
    const limit = document.documentElement.clientWidth + 1;
    const name = (element) => `<${element.tagName.toLowerCase()}${typeof element.className === 'string' && element.className ? ` class="${element.className}"` : ''}>`;
    return {
      pageWidth: document.documentElement.scrollWidth,
      stickingOut: Array.from(document.body.querySelectorAll('*'))
        .filter((element) => right(element) > limit && element.parentElement && right(element.parentElement) <= limit)
        .slice(0, 3).map((element) => `${name(element)} to ${Math.round(right(element))} px`),
    };
  });
  assert.ok(layout.pageWidth <= width, `${what}: the page is ${layout.pageWidth} px wide: ${layout.stickingOut.join(', ')}`);
}

/** The deployment view is at least 600 px wide in a window of 1280 px, and no card's content overflows it. */
export async function assertViewLayout(view, what, width) {
  const layout = await view.page.evaluate(() => ({
    viewWidth: document.querySelector('.immutable-deployment').getBoundingClientRect().width,
    overflowing: Array.from(document.querySelectorAll('.idp-card'))
      .filter((card) => card.scrollWidth > card.clientWidth + 1).map((card) => card.querySelector('h2')?.textContent),
  }));
  assert.deepEqual(layout.overflowing, [], `${what}: cards whose content overflows`);
  if (width >= 1280) {
    assert.ok(layout.viewWidth >= 600, `${what}: the deployment view is ${Math.round(layout.viewWidth)} px wide in a ${width} px window`);
  }
}
