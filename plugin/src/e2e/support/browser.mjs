// Jenkins pages in the system Chromium, launched as the ui module's browser tests launch it (its `launch`, which
// run.sh copies beside this): signing in through Jenkins' login form, opening pages while recording what a person
// would not see (JavaScript errors, dialogs, the plugin's adjunct responses), judging whether injected markup ran,
// and the layout checks.
import assert from 'node:assert/strict';
import { compactEntries, pageOverflow } from '../ui-support/layout.mjs';

export { launch } from '../ui-support/browser.mjs';

/**
 * What marks the check's payloads: each carries a marker `e2e-injected-<what>` as its element's id, its image source
 * (a request for it means the payload became an element, even one never attached to the document) and the name of
 * the global its script sets (`window['e2e-injected-<what>'] = 1`).
 */
export const INJECTED = 'e2e-injected-';

/**
 * Runs in every page before its own scripts: wraps the ways script turns a string into markup (innerHTML and
 * outerHTML, insertAdjacentHTML, createContextualFragment, DOMParser, document.write) and, whenever one made an
 * element with a payload's id, records which payloads and the script stack that did it, in window.__e2eMarkupMade.
 * That tells whose script made a payload markup even when the element never reached the document.
 */
function recordMarkupMadeFromPayloads(prefix) {
  const made = [];
  Object.defineProperty(window, '__e2eMarkupMade', { value: made });
  const record = (nodes) => {
    const ids = nodes.flatMap((node) => (node && node.querySelectorAll ? Array.from(node.querySelectorAll(`[id^="${prefix}"]`)) : []))
      .map((element) => element.id);
    if (ids.length === 0) return;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 100; // the whole way from the script that asked, however deep the library it called
    made.push({ ids: [...new Set(ids)], stack: new Error('markup').stack });
    Error.stackTraceLimit = limit;
  };
  const contentOf = (element) => (element instanceof HTMLTemplateElement ? element.content : element);
  const wrapSetter = (proto, name, nodesAfter) => {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    Object.defineProperty(proto, name, {
      ...descriptor,
      set(value) {
        const parent = this.parentNode;
        descriptor.set.call(this, value);
        if (String(value).includes(prefix)) record(nodesAfter(this, parent));
      },
    });
  };
  const wrapMethod = (proto, name, nodesOf) => {
    const original = proto[name];
    proto[name] = function wrapped(...args) {
      const result = original.apply(this, args);
      if (args.some((arg) => String(arg).includes(prefix))) record(nodesOf(this, result));
      return result;
    };
  };
  wrapSetter(Element.prototype, 'innerHTML', (element) => [contentOf(element)]);
  wrapSetter(Element.prototype, 'outerHTML', (element, parent) => [parent]);
  wrapSetter(ShadowRoot.prototype, 'innerHTML', (root) => [root]);
  wrapMethod(Element.prototype, 'insertAdjacentHTML', (element) => [element.parentNode || element]);
  wrapMethod(Range.prototype, 'createContextualFragment', (range, fragment) => [fragment]);
  wrapMethod(DOMParser.prototype, 'parseFromString', (parser, document) => [document]);
  wrapMethod(Document.prototype, 'write', (document) => [document]);
}

/** Where Stapler serves the ui module's adjuncts: /adjuncts/<hash>/io/jenkins/plugins/immutabledeployment/ui/<file>. */
const ADJUNCT = /\/adjuncts\/[^/]+\/io\/jenkins\/plugins\/immutabledeployment\/ui\/([^/?]+)$/;
const ADJUNCT_PATH = /\/adjuncts\/[^/]+\/io\/jenkins\/plugins\/immutabledeployment\//;

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
  await page.addInitScript(recordMarkupMadeFromPayloads, INJECTED);
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

/**
 * Signs of the check's payloads on the page: the markers of those whose script ran, that became elements in the
 * document (outside core's tooltips, which payloadsMadeByCoreOnly judges), that were requested, and `made`: which
 * script made them markup ({ids, stack}), from recordMarkupMadeFromPayloads.
 */
export async function injectedMarkers(view) {
  const onPage = await view.page.evaluate((prefix) => ({
    ran: Object.keys(window).filter((key) => key.startsWith(prefix)),
    elements: Array.from(document.querySelectorAll(`[id^="${prefix}"]`))
      .filter((element) => !element.closest('[data-tippy-root]')).map((element) => element.id),
    made: window.__e2eMarkupMade.map(({ ids, stack }) => ({ ids, stack })),
  }), INJECTED);
  return { ...onPage, requested: [...view.injected] };
}

/**
 * The payloads Jenkins core's own scripts made markup on the page, and nothing else did: every record of markup made
 * from them has a stack of core's scripts (served under /static/…) and none of the plugin's adjuncts. Elements of a
 * payload in the document with no such record (markup the server wrote) are not core's script's.
 */
export function payloadsMadeByCoreOnly(markers) {
  const frames = (stack) => stack.split('\n').filter((line) => /https?:\/\//.test(line));
  const isCore = ({ stack }) => frames(stack).length > 0
    && frames(stack).every((line) => /\/static\/[^/]+\//.test(line) && !ADJUNCT_PATH.test(line));
  const byCore = new Set(markers.made.filter(isCore).flatMap((record) => record.ids));
  const byOthers = new Set(markers.made.filter((record) => !isCore(record)).flatMap((record) => record.ids));
  return [...byCore].filter((id) => !byOthers.has(id));
}

/**
 * Nothing the check's hostile strings carry ran or became markup: no global a payload sets, no element with a
 * payload's id in the document, no request for a payload's image source, no dialog. `tolerated(marker)` names the
 * globals and requests of payloads that are an upstream problem, judged by the caller.
 */
export async function assertInert(view, what, tolerated = () => false) {
  const { ran, elements, requested } = await injectedMarkers(view);
  const known = (markers) => markers.filter((marker) => !tolerated(marker));
  assert.deepEqual(known(ran), [], `${what}: hostile text ran as script`);
  assert.deepEqual(elements, [], `${what}: hostile text became elements`);
  assert.deepEqual(known(requested), [], `${what}: hostile text became elements that loaded their source`);
  assert.deepEqual(view.problems.filter((p) => p.startsWith('dialog')), [], `${what}: a dialog opened`);
}

/** No JavaScript error, console error or dialog on the page so far. */
export function assertNoProblems(view, what) {
  assert.deepEqual(view.problems, [], `${what}: JavaScript errors, console errors or dialogs`);
}

/** Nothing on the page is wider than the window; names the first elements that stick out. */
export async function assertFitsWindow(view, what, width) {
  const layout = await pageOverflow(view.page);
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

/**
 * The build status page's summary box (docs/ui.md) has the width of the table cell core puts it in, not a squeezed
 * column: at 1280 px that cell takes the room the entries need (well beyond the link above them) and each entry is
 * one line, or two where a long reference moved down whole. At any width no entry overflows and nothing of the box
 * lies beyond the window.
 */
export async function assertSummaryLayout(view, what, width) {
  const summary = '.immutable-deployment[data-view="summary"]';
  const layout = await view.page.evaluate((selector) => {
    const mount = document.querySelector(selector);
    const cell = mount.closest('td');
    const style = getComputedStyle(cell);
    const limit = document.documentElement.clientWidth + 1;
    const name = (element) => `<${element.tagName.toLowerCase()} class="${element.className}">`;
    return {
      mount: mount.getBoundingClientRect().width,
      cell: cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
      link: document.querySelector('a.immutable-deployment-link').getBoundingClientRect().width,
      overflowing: [mount, ...mount.querySelectorAll('.idp-summary > li')]
        .filter((element) => element.scrollWidth > element.clientWidth + 1).map(name),
      outside: Array.from(mount.querySelectorAll('*')).filter((element) => element.getBoundingClientRect().right > limit)
        .slice(0, 3).map((element) => `${name(element)} to ${Math.round(element.getBoundingClientRect().right)} px`),
    };
  }, summary);
  assert.ok(Math.abs(layout.mount - layout.cell) <= 1,
    `${what}: the summary box is ${Math.round(layout.mount)} px wide in a cell of ${Math.round(layout.cell)} px`);
  assert.deepEqual(layout.overflowing, [], `${what}: summary entries whose content overflows`);
  assert.deepEqual(layout.outside, [], `${what}: parts of the summary box beyond the window`);
  if (width >= 1280) {
    assert.ok(layout.cell > 2.5 * layout.link,
      `${what}: the summary cell (${Math.round(layout.cell)} px) is squeezed to its link (${Math.round(layout.link)} px)`);
    const entries = await compactEntries(view.page.locator(`${summary} .idp-summary > li`));
    assert.deepEqual(entries.filter((entry) => entry !== 'ok'), [], `${what}: summary entries that are not compact`);
  }
}
