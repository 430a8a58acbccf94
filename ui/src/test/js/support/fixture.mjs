// One loopback server and one Chromium per test file, with every golden example served under its name.
import { before, after } from 'node:test';
import { launch } from './browser.mjs';
import { startServer, loadExamples } from './server.mjs';

export function useBrowserFixture() {
  const fixture = {};
  before(async () => {
    fixture.examples = await loadExamples();
    fixture.server = await startServer();
    for (const [name, model] of fixture.examples) fixture.server.setModel(name, model);
    fixture.browser = await launch();
  });
  after(async () => {
    await fixture.browser?.close();
    await fixture.server?.close();
  });
  return fixture;
}

/** A deep copy of a golden example, for tests that change it. */
export const copyOf = (fixture, name) => structuredClone(fixture.examples.get(name));
