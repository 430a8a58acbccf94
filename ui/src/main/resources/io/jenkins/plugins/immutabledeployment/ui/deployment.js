// @include io.jenkins.plugins.immutabledeployment.ui.values
// @include io.jenkins.plugins.immutabledeployment.ui.dom
// @include io.jenkins.plugins.immutabledeployment.ui.morph
// @include io.jenkins.plugins.immutabledeployment.ui.actions
// @include io.jenkins.plugins.immutabledeployment.ui.provenance
// @include io.jenkins.plugins.immutabledeployment.ui.promotions
// @include io.jenkins.plugins.immutabledeployment.ui.rollout
// @include io.jenkins.plugins.immutabledeployment.ui.summary
/*
 * Immutable Deployment: the build page view of a deployment model (docs/model.md): the full cards on the
 * action's own page, a compact summary where the mount says data-view="summary" (the build's status page).
 *
 * Served as the Stapler adjunct io.jenkins.plugins.immutabledeployment.ui.deployment; the @include lines
 * above make Stapler write its parts' <script>s first, in that order (docs/ui.md). Renders every element
 * with class "immutable-deployment" and a data-model-url attribute, and keeps it live while something runs.
 *
 * Safety rules kept throughout, because every string in the model may come from a user:
 * - model data reaches the DOM only as text nodes or attribute values, never as HTML;
 * - a link is made only for an http(s) URL; a button POSTs only to a same-origin http(s) URL;
 * - CSS class names come from fixed tables, never from the model;
 * - no inline script or style attribute (Content-Security-Policy); the one dynamic length, the canary
 *   weight, is set through the CSSOM (element.style.setProperty), which CSP does not restrict.
 */
(() => {
  'use strict';

  // The parts' namespace is only for loading: the page keeps one global, window.immutableDeployment.
  const parts = window.immutableDeploymentParts;
  delete window.immutableDeploymentParts;
  const { num, objects, object, instant, sameOriginHref } = parts.values;
  const { el } = parts.dom;
  const { morph } = parts.morph;
  const { usableActions, postAction, copyText } = parts.actions;
  const { imagesOf, imageCards } = parts.provenance;
  const { promotionsCard, rollbacksCard } = parts.promotions;
  const { rolloutCard } = parts.rollout;
  const { summary } = parts.summary;

  const SCHEMA_VERSION = 2;
  const DEFAULT_POLL_MS = 2000;
  const MIN_POLL_MS = 100;
  const MAX_BACKOFF_MS = 60000;
  const COPIED_NOTE_MS = 4000;

  function render(model, context) {
    const actions = usableActions(model);
    const images = imagesOf(model);
    const version = num(model.schemaVersion);
    const newer = version !== null && version > SCHEMA_VERSION
      ? el('p', { class: 'idp-notice', key: 'version' }, 'This page is older than its data; some details may be missing.')
      : null;
    if (context.view === 'summary') return el('div', { class: 'idp idp--summary' }, newer, summary(model, images, actions, context));
    return el('div', { class: 'idp' },
      newer,
      imageCards(images, context),
      promotionsCard(objects(model.promotions), images, actions, context),
      objects(model.rollouts).map((r, i) => rolloutCard(r, i, images, actions, context)),
      rollbacksCard(objects(model.rollbacks), context));
  }

  const isRunning = (model) => model !== null
    && (model.running === true || objects(model.rollouts).some((r) => r.running === true));

  const hasTimedPauseRunning = (model) => model !== null && objects(model.rollouts)
    .some((r) => objects(r.steps).some((s) => s.kind === 'pause' && s.state === 'running' && instant(s.endsAt)));

  // ---------------------------------------------------------------- one mount point

  let mountCount = 0;

  function failureText(error) {
    if (error instanceof TypeError) return 'Jenkins could not be reached';
    return error && error.message ? error.message : 'unknown error';
  }

  class Mount {
    constructor(host) {
      mountCount += 1;
      this.host = host;
      this.idPrefix = `idp${mountCount}`;
      this.url = sameOriginHref(host.dataset.modelUrl);
      this.view = host.dataset.view === 'summary' ? 'summary' : 'detail';
      this.detailUrl = sameOriginHref(host.dataset.detailUrl);
      const interval = Number.parseInt(host.dataset.pollInterval || '', 10);
      this.interval = Number.isFinite(interval) && interval >= MIN_POLL_MS ? interval : DEFAULT_POLL_MS;
      // Jenkins' layout puts the crumb on <head> too; the mount's own attributes win.
      const crumbSource = host.dataset.crumbHeader ? host : document.head;
      this.crumbHeader = (crumbSource && crumbSource.dataset.crumbHeader) || '';
      this.crumbValue = (crumbSource && crumbSource.dataset.crumbValue) || '';
      this.model = null;
      this.failures = 0;
      this.loads = 0;
      this.timer = null;
      this.ticker = null;
      this.loading = null;
      this.notice = el('p', { class: 'idp-notice', role: 'status', hidden: true });
      this.actionNotice = el('p', { class: 'idp-notice idp-notice--error', role: 'alert', hidden: true });
      this.content = el('div', { class: this.view === 'summary' ? 'idp idp--summary' : 'idp' });
      host.replaceChildren(this.notice, this.actionNotice, this.content);
      host.setAttribute('aria-busy', 'true');
      host.addEventListener('click', (event) => this.onClick(event));
    }

    start() {
      if (this.url === null) {
        this.say(this.notice, 'Deployment details are unavailable: the page gave no same-origin model URL.');
        this.host.removeAttribute('aria-busy');
        return;
      }
      this.refresh();
    }

    say(node, message) {
      node.textContent = message || '';
      node.hidden = !message;
    }

    refresh() {
      clearTimeout(this.timer);
      this.timer = null;
      if (this.loading === null) this.loading = this.load().finally(() => { this.loading = null; this.schedule(); });
      return this.loading;
    }

    async load() {
      try {
        const response = await fetch(this.url, {
          credentials: 'same-origin',
          cache: 'no-store',
          headers: { Accept: 'application/json' },
        });
        if (!response.ok) throw new Error(`Jenkins answered HTTP ${response.status}`);
        let model;
        try {
          model = await response.json();
        } catch {
          throw new Error('the answer was not JSON');
        }
        if (object(model) === null) throw new Error('the answer was not a deployment model');
        this.model = model;
        this.failures = 0;
        this.say(this.notice, '');
        this.draw();
      } catch (error) {
        this.failures += 1;
        this.lastError = failureText(error);
      } finally {
        this.loads += 1;
        this.host.dataset.idpLoads = String(this.loads);
        this.host.removeAttribute('aria-busy');
      }
    }

    schedule() {
      let delay = null;
      if (this.failures > 0) {
        delay = Math.min(this.interval * 2 ** this.failures, Math.max(MAX_BACKOFF_MS, this.interval));
        const what = this.model === null ? 'Deployment details could not be loaded' : 'Live updates paused';
        this.say(this.notice, `${what}: ${this.lastError}. Retrying in ${Math.ceil(delay / 1000)} s.`);
      } else if (isRunning(this.model)) {
        delay = this.interval;
      }
      if (delay !== null) this.timer = setTimeout(() => this.refresh(), delay);
      this.host.dataset.idpRefresh = delay === null ? 'off' : String(delay);
      this.keepCountdown();
    }

    /** Re-renders every second while a timed pause runs, so its remaining time counts down. */
    keepCountdown() {
      const wanted = this.failures === 0 && hasTimedPauseRunning(this.model);
      if (wanted && this.ticker === null) this.ticker = setInterval(() => this.draw(), 1000);
      if (!wanted && this.ticker !== null) {
        clearInterval(this.ticker);
        this.ticker = null;
      }
    }

    draw() {
      if (this.model === null) return;
      let next = 0;
      const context = {
        idPrefix: this.idPrefix,
        view: this.view,
        detailUrl: this.detailUrl,
        now: new Date(),
        counter: { next: () => { next += 1; return next; } },
      };
      morph(this.content, render(this.model, context));
    }

    onClick(event) {
      const button = event.target instanceof Element ? event.target.closest('button') : null;
      if (button === null || !this.host.contains(button)) return;
      if (button.dataset.idpCopy !== undefined) this.copy(button);
      else if (button.dataset.idpAction !== undefined) this.act(button);
    }

    async copy(button) {
      const status = button.parentElement.querySelector('.idp-copied');
      const copied = await copyText(button.dataset.idpCopy);
      if (status) {
        status.textContent = copied ? 'Copied' : 'Copy failed: select the digest and copy it';
        clearTimeout(status.idpTimer);
        status.idpTimer = setTimeout(() => { status.textContent = ''; }, COPIED_NOTE_MS);
      }
    }

    async act(button) {
      const url = sameOriginHref(button.dataset.idpUrl);
      if (url === null) return;
      const group = button.closest('.idp-actions');
      const field = group ? group.querySelector('input[name="comment"]') : null;
      const body = new URLSearchParams();
      if (button.dataset.idpComment === 'true' && field && field.value.trim() !== '') body.set('comment', field.value.trim());
      const buttons = group ? Array.from(group.querySelectorAll('button')) : [button];
      buttons.forEach((b) => { b.disabled = true; });
      this.say(this.actionNotice, '');
      try {
        await postAction(url, body, { header: this.crumbHeader, value: this.crumbValue });
        if (field) field.value = '';
      } catch (error) {
        this.say(this.actionNotice, `${button.textContent} did not go through: ${failureText(error)}.`);
      } finally {
        buttons.forEach((b) => { b.disabled = false; });
      }
      await this.loading; // a poll that started before the POST may answer with the old state
      await this.refresh();
    }
  }

  // ---------------------------------------------------------------- mounting

  const mounted = new WeakSet();

  function mountAll(root = document) {
    for (const host of root.querySelectorAll('.immutable-deployment[data-model-url]')) {
      if (mounted.has(host)) continue;
      mounted.add(host);
      new Mount(host).start();
    }
  }

  window.immutableDeployment = Object.freeze({ mountAll });

  // Stapler writes the adjunct's <script> where the include tag is, possibly before the mount element.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => mountAll());
  else mountAll();
})();
