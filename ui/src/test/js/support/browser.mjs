// The Debian chromium driven by playwright-core: no browser download. Playwright's launch() gives the
// browser a fresh temporary profile of its own each time.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
  '--disable-component-update', '--disable-sync', '--disable-quic',
];

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/**
 * Opens the test page mounting `model` in a fresh context and waits for the first render.
 * Options: poll (ms), csp ('off' to serve without the policy), theme, colorScheme, width,
 * crumbOn ('head' to put the crumb on <head> as Jenkins' layout does), view ('summary': the build status page's summary
 * box; otherwise the action's own page), permissions, init (a function run in the page before any of its scripts), clock (a Date: the
 * page's clock is then paused there, and timers move only with page.clock.runFor), fixedTime (a Date: Date.now is
 * fixed, timers run).
 */
export async function openPage(browser, server, model, options = {}) {
  const context = await browser.newContext({
    locale: 'en-US',
    timezoneId: 'UTC',
    colorScheme: options.colorScheme || 'light',
    reducedMotion: 'reduce',
    viewport: { width: options.width || 1024, height: options.height || 800 },
    permissions: options.permissions || [],
  });
  const page = await context.newPage();
  const problems = [];
  const dialogs = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  if (options.init) await page.addInitScript(options.init);
  if (options.clock) {
    // Installed clocks keep flowing with real time; pausing hands time to the test alone.
    await page.clock.install({ time: new Date(options.clock.getTime() - 1000) });
    await page.clock.pauseAt(options.clock);
  }
  if (options.fixedTime) await page.clock.setFixedTime(options.fixedTime);
  const query = {};
  if (options.poll) query.poll = String(options.poll);
  if (options.csp) query.csp = options.csp;
  if (options.theme) query.theme = options.theme;
  if (options.crumbOn) query.crumbOn = options.crumbOn;
  if (options.view) query.view = options.view;
  await page.goto(server.pageUrl(model, query));
  await page.waitForSelector('.immutable-deployment[data-idp-loads]');
  return {
    page,
    problems,
    dialogs,
    mount: page.locator('.immutable-deployment'),
    loads: () => page.locator('.immutable-deployment').getAttribute('data-idp-loads').then(Number),
    fetches: () => page.evaluate(() => window.__fetches.filter((f) => f.method === 'GET').length),
    cspViolations: () => page.evaluate(() => window.__cspViolations),
    close: () => context.close(),
  };
}

/** Polls `probe` until it returns a truthy value or the deadline passes; returns that value. */
export async function eventually(probe, { timeout = 15000, interval = 25, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
