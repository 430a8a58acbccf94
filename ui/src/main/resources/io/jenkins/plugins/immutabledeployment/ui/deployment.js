/*
 * Immutable Deployment: the build page view of a deployment model (docs/model.md).
 *
 * Served as the Stapler adjunct io.jenkins.plugins.immutabledeployment.ui.deployment. Renders every
 * element with class "immutable-deployment" and a data-model-url attribute (docs/ui.md).
 *
 * Safety rules kept throughout, because every string in the model may come from a user:
 * - model data reaches the DOM only as text nodes or attribute values, never as HTML;
 * - a link is made only for an http(s) URL; a button POSTs only to a same-origin http(s) URL;
 * - CSS class names come from fixed tables, never from the model;
 * - no inline script or style attribute (Content-Security-Policy); the one dynamic length, the canary
 *   weight, is set through the CSSOM (element.style.setProperty), which CSP does not restrict.
 *
 * A blue/green rollout (strategy "blueGreen") is the same plan shape with its first and last setWeight
 * steps marked as the preview and the switch: it is shown as such, its traffic as stable-or-new, never as
 * a canary weight ramp.
 */
(() => {
  'use strict';

  const SCHEMA_VERSION = 1;
  const DEFAULT_POLL_MS = 2000;
  const MIN_POLL_MS = 100;
  const MAX_BACKOFF_MS = 60000;
  const COPIED_NOTE_MS = 4000;

  // ---------------------------------------------------------------- untrusted values

  const str = (value) => (typeof value === 'string' ? value : '');
  const num = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
  const objects = (value) =>
    (Array.isArray(value) ? value.filter((x) => x !== null && typeof x === 'object' && !Array.isArray(x)) : []);
  const strings = (value) => (Array.isArray(value) ? value.filter((x) => typeof x === 'string' && x !== '') : []);
  const object = (value) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null);
  const has = (table, key) => typeof key === 'string' && Object.prototype.hasOwnProperty.call(table, key);

  function instant(value) {
    if (typeof value !== 'string') return null;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }

  function percent(value) {
    const n = num(value);
    return n === null ? null : Math.min(100, Math.max(0, Math.round(n)));
  }

  function httpUrl(value) {
    if (typeof value !== 'string' || value.trim() === '') return null;
    let url;
    try {
      url = new URL(value, document.baseURI);
    } catch {
      return null;
    }
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  }

  /** An href for a link, or null when the value is not an http(s) URL (javascript:, data:, ...). */
  const linkHref = (value) => httpUrl(value)?.href ?? null;

  /** A URL this page may send its credentials and CSRF crumb to, or null. */
  function sameOriginHref(value) {
    const url = httpUrl(value);
    return url !== null && url.origin === window.location.origin ? url.href : null;
  }

  // ---------------------------------------------------------------- fixed vocabularies

  // [label, tone]; the tone picks a CSS class.
  const STEP_STATES = {
    pending: ['Pending', 'neutral'],
    running: ['Running', 'progress'],
    succeeded: ['Succeeded', 'success'],
    failed: ['Failed', 'error'],
    skipped: ['Skipped', 'muted'],
  };
  const ROLLOUT_PHASES = {
    Progressing: ['Progressing', 'progress'],
    Paused: ['Paused', 'warning'],
    Healthy: ['Healthy', 'success'],
    Degraded: ['Degraded', 'error'],
    Aborted: ['Aborted', 'error'],
  };
  const ANALYSIS_PHASES = {
    Pending: ['Pending', 'neutral'],
    Running: ['Running', 'progress'],
    Successful: ['Successful', 'success'],
    Failed: ['Failed', 'error'],
    Inconclusive: ['Inconclusive', 'warning'],
    Error: ['Error', 'error'],
  };
  const OUTCOMES = {
    Successful: ['Pass', 'success'],
    Failed: ['Fail', 'error'],
    Inconclusive: ['Inconclusive', 'warning'],
    Error: ['Error', 'error'],
  };
  const PROMOTION_STATES = {
    awaitingApproval: ['Awaiting approval', 'warning'],
    promoting: ['Promoting', 'progress'],
    promoted: ['Promoted', 'success'],
    rejected: ['Rejected', 'error'],
    failed: ['Failed', 'error'],
  };
  const STRATEGIES = {
    canary: ['Canary', 'neutral'],
    blueGreen: ['Blue/green', 'neutral'],
  };
  // The roles a blue/green rollout gives its setWeight steps; anything else is read as a plain setWeight.
  const STEP_ROLES = { preview: 'preview', switch: 'switch' };
  // [default label, button style, acts on]
  const ACTIONS = {
    approve: ['Approve', 'primary', 'promotionId'],
    reject: ['Reject', 'danger', 'promotionId'],
    promote: ['Promote', 'primary', 'rolloutId'],
    abort: ['Abort', 'danger', 'rolloutId'],
  };

  const lookup = (table, value) => (has(table, value) ? table[value] : [str(value) || 'Unknown', 'neutral']);

  // ---------------------------------------------------------------- formatting

  const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  const clockTime = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

  function duration(totalSeconds) {
    let rest = Math.max(0, Math.round(totalSeconds));
    const h = Math.floor(rest / 3600);
    rest -= h * 3600;
    const m = Math.floor(rest / 60);
    const s = rest - m * 60;
    if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
    if (m > 0) return s > 0 ? `${m}m ${s}s` : `${m}m`;
    return `${s}s`;
  }

  function bytes(value) {
    const n = num(value);
    if (n === null || n < 0) return null;
    const units = ['B', 'kB', 'MB', 'GB', 'TB'];
    let size = n;
    let unit = 0;
    while (size >= 1000 && unit < units.length - 1) {
      size /= 1000;
      unit += 1;
    }
    return `${unit === 0 ? size : size.toFixed(1)} ${units[unit]}`;
  }

  const shortHash = (value) => (value.length > 19 ? `${value.slice(0, 19)}…` : value);

  // ---------------------------------------------------------------- DOM building

  /** Creates an element. Attribute names come from this file; values and children are inserted as text. */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'key') node.dataset.key = String(value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false || child === '') continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  const badge = ([label, tone], extra) => el('span', { class: `idp-badge idp-badge--${tone}${extra ? ` ${extra}` : ''}` }, label);

  function timeEl(value, format = dateTime) {
    const date = instant(value);
    return date ? el('time', { datetime: date.toISOString(), title: date.toISOString() }, format.format(date)) : null;
  }

  function link(value, label, extraClass) {
    const href = linkHref(value);
    const text = label || str(value);
    if (!text) return null;
    return href
      ? el('a', { href, rel: 'noopener noreferrer', class: extraClass }, text)
      : el('span', { class: extraClass }, text);
  }

  /** A definition list of [term, value] rows; rows without a value are left out. */
  function facts(rows) {
    const kept = rows.filter(([, value]) => value !== null && value !== undefined && value !== '');
    if (kept.length === 0) return null;
    return el('dl', { class: 'idp-facts' }, kept.map(([term, value]) => [el('dt', null, term), el('dd', null, value)]));
  }

  function sinceUntil(startValue, endValue) {
    const start = instant(startValue);
    const end = instant(endValue);
    return start && end ? duration((end - start) / 1000) : null;
  }

  // ---------------------------------------------------------------- actions

  /** Buttons the model permits, grouped by the id of what they act on. Unusable entries are dropped. */
  function usableActions(model) {
    const groups = new Map();
    for (const action of objects(model.actions)) {
      if (!has(ACTIONS, action.kind)) continue;
      const [defaultLabel, style, targetField] = ACTIONS[action.kind];
      const url = sameOriginHref(action.url);
      const target = str(action[targetField]);
      if (url === null || target === '') continue;
      const key = `${targetField}:${target}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push({
        kind: action.kind,
        label: str(action.label) || defaultLabel,
        style,
        url,
        acceptsComment: action.acceptsComment === true,
      });
    }
    return groups;
  }

  function actionBar(actions, key, context) {
    if (!actions || actions.length === 0) return null;
    const wantsComment = actions.some((a) => a.acceptsComment);
    const fieldId = `${context.idPrefix}-comment-${context.counter.next()}`;
    return el('div', { class: 'idp-actions', key: `actions:${key}` },
      wantsComment
        ? el('div', { class: 'idp-comment' },
          el('label', { for: fieldId }, 'Comment (optional)'),
          el('input', { id: fieldId, type: 'text', name: 'comment', class: 'idp-input', autocomplete: 'off', key: 'comment' }))
        : null,
      el('div', { class: 'idp-actions__buttons' },
        actions.map((a) => el('button', {
          type: 'button',
          class: `idp-button idp-button--${a.style}`,
          'data-idp-action': a.kind,
          'data-idp-url': a.url,
          'data-idp-comment': a.acceptsComment ? 'true' : null,
          key: `${a.kind}:${a.url}`,
        }, a.label))));
  }

  // ---------------------------------------------------------------- sections

  function imageCard(image, provenance, context) {
    if (!image && !provenance) return null;
    const digest = image ? str(image.digest) : '';
    const tags = image ? strings(image.tags) : [];
    return el('section', { class: 'idp-card idp-image', key: 'image', 'aria-labelledby': `${context.idPrefix}-image` },
      el('h2', { class: 'idp-card__title', id: `${context.idPrefix}-image` }, 'Image'),
      digest
        ? el('div', { class: 'idp-digest' },
          el('code', { class: 'idp-digest__value' }, digest),
          el('button', { type: 'button', class: 'idp-button idp-button--small', 'data-idp-copy': digest }, 'Copy digest'),
          el('span', { class: 'idp-copied', role: 'status', 'data-idp-live': 'true' }))
        : null,
      image
        ? facts([
          ['Repository', str(image.repository) ? el('code', null, str(image.repository)) : null],
          ['Tags', tags.length ? el('ul', { class: 'idp-tags' }, tags.map((t) => el('li', { class: 'idp-tag' }, t))) : null],
          ['Size', bytes(image.size)],
          ['Pushed', timeEl(image.pushedAt)],
        ])
        : null,
      provenanceSection(provenance, context));
  }

  function provenanceSection(provenance, context) {
    const id = `${context.idPrefix}-provenance`;
    if (!provenance) {
      return el('section', { class: 'idp-provenance', 'aria-labelledby': id },
        el('h3', { class: 'idp-subtitle', id }, 'Provenance'),
        el('p', { class: 'idp-badges' }, badge(['No provenance recorded', 'warning'])));
    }
    // Claims exactly what the model says and no more: verified only when also signed.
    const signed = provenance.signed === true;
    const verified = signed && provenance.verified === true;
    const badges = signed
      ? [badge(['Signed', 'success'], 'idp-signed'),
        verified ? badge(['Verified', 'success'], 'idp-verified') : badge(['Not verified', 'warning'], 'idp-not-verified')]
      : [badge(['Unsigned', 'warning'], 'idp-unsigned')];
    const sources = objects(provenance.sources).filter((s) => str(s.repository) || str(s.commit));
    return el('section', { class: 'idp-provenance', 'aria-labelledby': id },
      el('h3', { class: 'idp-subtitle', id }, 'Provenance'),
      el('p', { class: 'idp-badges' }, badges),
      facts([
        ['Signing key', signed && str(provenance.keyId) ? el('code', null, str(provenance.keyId)) : null],
        ['Builder', link(provenance.builder)],
        ['Build', link(provenance.buildUrl)],
        ['Sources', sources.length
          ? el('ul', { class: 'idp-sources' }, sources.map((s) => el('li', null,
            el('span', { class: 'idp-source__repo' }, str(s.repository)), ' ',
            str(s.commit) ? link(s.url, str(s.commit).slice(0, 12), 'idp-commit') : null)))
          : null],
        ['Started', timeEl(provenance.startedOn)],
        ['Finished', timeEl(provenance.finishedOn)],
        ['Took', sinceUntil(provenance.startedOn, provenance.finishedOn)],
        ['Attestation', str(provenance.attestationDigest) ? el('code', { class: 'idp-hash' }, shortHash(str(provenance.attestationDigest))) : null],
      ]));
  }

  function promotionsCard(promotions, actions, context) {
    if (promotions.length === 0) return null;
    const id = `${context.idPrefix}-promotions`;
    return el('section', { class: 'idp-card idp-promotions', key: 'promotions', 'aria-labelledby': id },
      el('h2', { class: 'idp-card__title', id }, 'Promotions'),
      el('ol', { class: 'idp-trail' }, promotions.map((p, index) => {
        const pid = str(p.id);
        const state = lookup(PROMOTION_STATES, p.state);
        const approved = str(p.approver);
        const rejected = str(p.rejectedBy);
        return el('li', { class: 'idp-promotion', key: `promotion:${pid || index}`, 'data-state': has(PROMOTION_STATES, p.state) ? p.state : 'unknown' },
          el('div', { class: 'idp-row' },
            el('span', { class: 'idp-stage' }, str(p.stage) || 'stage'),
            badge(state, 'idp-promotion__state')),
          el('p', { class: 'idp-move' },
            el('code', null, str(p.from)), el('span', { class: 'idp-arrow', 'aria-label': 'to' }, '→'), el('code', null, str(p.to))),
          str(p.resolvedFrom) ? el('p', { class: 'idp-resolved', key: 'resolvedFrom' }, 'resolved from ', el('code', null, str(p.resolvedFrom))) : null,
          str(p.message) && ['awaitingApproval', 'failed'].includes(p.state) ? el('p', { class: 'idp-message' }, str(p.message)) : null,
          facts([
            ['Requested', timeEl(p.requestedAt)],
            ['Approved', approved ? el('span', null, approved, p.approvedAt ? ', ' : '', timeEl(p.approvedAt)) : null],
            ['Rejected', rejected ? el('span', null, rejected, p.rejectedAt ? ', ' : '', timeEl(p.rejectedAt)) : null],
            ['Comment', str(p.comment) ? el('q', null, str(p.comment)) : null],
            ['Promoted', timeEl(p.promotedAt)],
            ['Build', link(p.buildUrl)],
          ]),
          actionBar(actions.get(`promotionId:${pid}`), `promotion:${pid}`, context));
      })));
  }

  const isBlueGreen = (rollout) => rollout.strategy === 'blueGreen';
  const stepRole = (step) => (str(step.kind) === 'setWeight' && has(STEP_ROLES, step.role) ? STEP_ROLES[step.role] : null);

  function stepTitle(step, now, blueGreen = false) {
    const kind = str(step.kind);
    const role = blueGreen ? stepRole(step) : null;
    if (role === 'preview') {
      const replicas = num(step.replicas);
      const size = replicas !== null && Number.isInteger(replicas) && replicas > 0
        ? `${replicas} pod${replicas === 1 ? '' : 's'}` : 'full size';
      return [`Preview: ${size}, no traffic`, null];
    }
    if (role === 'switch') return ['Switch all traffic', null];
    if (kind === 'setWeight') {
      const weight = percent(step.weight);
      return [`Set weight ${weight === null ? '?' : weight}%`, null];
    }
    if (kind === 'pause') {
      if (step.manual === true) {
        const waiting = blueGreen ? 'waiting for Promote (switches all traffic) or Abort' : 'waiting for Promote or Abort';
        return ['Pause until promoted', step.state === 'running' ? waiting : null];
      }
      const seconds = num(step.durationSeconds);
      const ends = instant(step.endsAt);
      const left = step.state === 'running' && ends ? `${duration(Math.max(0, (ends - now) / 1000))} left` : null;
      return [`Pause ${seconds === null ? '' : duration(seconds)}`.trim(), left];
    }
    if (kind === 'analysis') return [`Analysis ${str(step.analysis)}`.trim(), null];
    return [kind ? `Step ${kind}` : 'Step', null];
  }

  /** The Services a preview step is reachable through, as text. */
  function previewServices(step) {
    const services = strings(step.services);
    if (services.length === 0) return null;
    return el('p', { class: 'idp-step__detail idp-preview-services' },
      `Reachable through Service${services.length === 1 ? '' : 's'} `,
      services.map((name, i) => [i > 0 ? ', ' : null, el('code', null, name)]));
  }

  /** Which version serves a blue/green rollout's traffic: [text for people, side]. Not a ramp: stable, or new. */
  function blueGreenTraffic(rollout, steps, weight) {
    if (weight === null) return ['–', null];
    if (weight >= 100 || rollout.phase === 'Healthy') return ['All on the new version', 'new'];
    if (weight > 0) return [`${weight}% on the new version`, 'new'];
    const previewing = steps.some((s) => stepRole(s) === 'preview' && s.state === 'succeeded') && rollout.running === true;
    return [previewing ? 'All on stable · preview has none' : 'All on stable', 'stable'];
  }

  function measurementsList(run) {
    const measurements = objects(run.measurements);
    if (measurements.length === 0) return el('p', { class: 'idp-muted' }, 'No measurements yet.');
    return el('ol', { class: 'idp-measurements' }, measurements.map((m) => {
      const outcome = lookup(OUTCOMES, m.outcome);
      const value = num(m.value);
      return el('li', { class: 'idp-measurement', 'data-outcome': has(OUTCOMES, m.outcome) ? m.outcome : 'unknown' },
        timeEl(m.at, clockTime),
        el('span', { class: 'idp-measurement__value' }, value === null ? 'no value' : String(value)),
        badge(outcome),
        str(m.message) ? el('span', { class: 'idp-measurement__note' }, str(m.message)) : null);
    }));
  }

  function analysisDetails(run, key, nested) {
    const phase = lookup(ANALYSIS_PHASES, run.phase);
    const measurements = objects(run.measurements);
    const counts = Object.keys(OUTCOMES)
      .map((o) => [o, measurements.filter((m) => m.outcome === o).length])
      .filter(([, n]) => n > 0)
      .map(([o, n]) => `${n} ${OUTCOMES[o][0].toLowerCase()}`);
    const openByDefault = run.phase !== 'Successful';
    return el('details', { class: 'idp-analysis', key, open: openByDefault, 'data-phase': has(ANALYSIS_PHASES, run.phase) ? run.phase : 'unknown' },
      el('summary', null,
        el('span', { class: 'idp-analysis__name' }, nested ? 'Results' : `Analysis ${str(run.name)}`.trim()), ' ',
        badge(phase), ' ',
        el('span', { class: 'idp-muted' }, `${measurements.length} measurement${measurements.length === 1 ? '' : 's'}${counts.length ? `: ${counts.join(', ')}` : ''}`)),
      measurementsList(run));
  }

  function progressText(steps, currentIndex, weight, blueGreen, traffic) {
    const done = steps.filter((s) => s.state === 'succeeded').length;
    const parts = [`${done} of ${steps.length} steps done`];
    if (currentIndex !== null && steps[currentIndex]) {
      const current = steps[currentIndex];
      parts.push(`step ${currentIndex + 1} of ${steps.length}: ${stepTitle(current, new Date(), blueGreen)[0]}, ${lookup(STEP_STATES, current.state)[0].toLowerCase()}`);
    }
    if (blueGreen) parts.push(`traffic: ${traffic[0].toLowerCase()}`);
    else if (weight !== null) parts.push(`canary weight ${weight}%`);
    return parts.join('; ');
  }

  function canaryWeight(weight) {
    const fill = el('span', { class: 'idp-weight__fill' });
    fill.style.setProperty('--idp-weight', `${weight === null ? 0 : weight}%`);
    return el('div', { class: 'idp-weight' },
      el('div', { class: 'idp-row idp-weight__labels' },
        el('span', null, 'Canary traffic'),
        el('strong', { class: 'idp-weight__value' }, weight === null ? '–' : `${weight}%`)),
      el('span', { class: 'idp-weight__track', 'aria-hidden': 'true' }, fill));
  }

  function blueGreenSwitch([text, side]) {
    const part = (name, label) => el('span', {
      class: `idp-switch__side idp-switch__side--${name}${side === name ? ' idp-switch__side--on' : ''}`,
    }, label);
    return el('div', { class: 'idp-weight idp-switch', 'data-serving': side || 'unknown' },
      el('div', { class: 'idp-row idp-weight__labels' },
        el('span', null, 'Traffic'),
        el('strong', { class: 'idp-weight__value idp-switch__value' }, text)),
      el('span', { class: 'idp-switch__track', 'aria-hidden': 'true' }, part('stable', 'Stable'), part('new', 'New')));
  }

  function rolloutCard(rollout, index, actions, context) {
    const rid = str(rollout.id);
    const id = `${context.idPrefix}-rollout-${context.counter.next()}`;
    const steps = objects(rollout.steps);
    const weight = percent(rollout.currentWeight);
    const currentIndex = Number.isInteger(rollout.currentStepIndex) && steps[rollout.currentStepIndex] ? rollout.currentStepIndex : null;
    const phaseKey = has(ROLLOUT_PHASES, rollout.phase) ? rollout.phase : 'unknown';
    const failed = phaseKey === 'Aborted' || phaseKey === 'Degraded';
    const runs = objects(rollout.analyses);
    const runsByStep = new Map();
    const looseRuns = [];
    runs.forEach((run, i) => {
      const at = Number.isInteger(run.stepIndex) && steps[run.stepIndex] ? run.stepIndex : null;
      if (at === null) looseRuns.push([run, i]);
      else runsByStep.set(at, [...(runsByStep.get(at) || []), [run, i]]);
    });
    const done = steps.filter((s) => s.state === 'succeeded').length;
    const where = [str(rollout.namespace), str(rollout.cluster)].filter(Boolean).join(' · ');
    const blueGreen = isBlueGreen(rollout);
    const traffic = blueGreen ? blueGreenTraffic(rollout, steps, weight) : null;
    const strategy = rollout.strategy === undefined ? 'canary' : rollout.strategy;
    const backOnStable = blueGreen && !steps.some((s) => stepRole(s) === 'switch' && ['running', 'succeeded', 'failed'].includes(s.state))
      ? 'The preview carried no traffic; the stable version kept all of it.'
      : 'All traffic is back on the stable version.';

    return el('section', {
      class: `idp-card idp-rollout${failed ? ' idp-rollout--failed' : ''}`,
      key: `rollout:${rid || index}`,
      'aria-labelledby': id,
      'data-phase': phaseKey,
    },
    el('div', { class: 'idp-row idp-rollout__head' },
      el('h2', { class: 'idp-card__title', id }, `Rollout of ${str(rollout.deployment) || 'a Deployment'}`),
      badge(lookup(STRATEGIES, strategy), 'idp-strategy'),
      badge(lookup(ROLLOUT_PHASES, rollout.phase), 'idp-phase')),
    where ? el('p', { class: 'idp-muted idp-where' }, where) : null,
    phaseKey === 'Aborted'
      ? el('div', { class: 'idp-alert idp-alert--error idp-aborted' },
        el('strong', null, 'Aborted'),
        str(rollout.abortReason) ? el('span', { class: 'idp-abort-reason' }, str(rollout.abortReason)) : null,
        weight === 0 ? el('span', { class: 'idp-stable-note' }, backOnStable) : null)
      : null,
    blueGreen ? blueGreenSwitch(traffic) : canaryWeight(weight),
    el('div', { class: 'idp-row idp-weight__labels', 'aria-hidden': 'true' },
      el('span', null, 'Steps'),
      el('strong', { class: 'idp-weight__value' }, `${done} of ${steps.length} done`)),
    el('div', {
      class: 'idp-progress',
      role: 'progressbar',
      'aria-label': 'Rollout steps',
      'aria-valuemin': '0',
      'aria-valuemax': String(steps.length),
      'aria-valuenow': String(done),
      'aria-valuetext': progressText(steps, currentIndex, weight, blueGreen, traffic),
    }, steps.map((s) => el('span', { class: `idp-progress__segment idp-progress__segment--${lookup(STEP_STATES, s.state)[1]}` }))),
    el('ol', { class: 'idp-steps' }, steps.map((step, i) => {
      const [title, note] = stepTitle(step, context.now, blueGreen);
      const role = blueGreen ? stepRole(step) : null;
      const stateKey = has(STEP_STATES, step.state) ? step.state : 'unknown';
      const took = sinceUntil(step.startedAt, step.finishedAt);
      return el('li', {
        class: `idp-step idp-step--${lookup(STEP_STATES, step.state)[1]}${i === currentIndex ? ' idp-step--current' : ''}`,
        key: `step:${i}`,
        'data-state': stateKey,
        'data-kind': ['setWeight', 'pause', 'analysis'].includes(step.kind) ? step.kind : 'unknown',
        'data-role': role,
        'aria-current': i === currentIndex ? 'step' : null,
      },
      el('span', { class: 'idp-step__marker', 'aria-hidden': 'true' }),
      el('div', { class: 'idp-step__body' },
        el('div', { class: 'idp-row' },
          el('span', { class: 'idp-step__title' }, title),
          badge(lookup(STEP_STATES, step.state), 'idp-step__state')),
        note || took || step.startedAt
          ? el('p', { class: 'idp-step__detail idp-muted' },
            note ? el('span', { class: 'idp-remaining' }, note) : null,
            note && (took || step.startedAt) ? ' · ' : null,
            took ? `took ${took}` : (instant(step.startedAt) ? ['since ', timeEl(step.startedAt, clockTime)] : null))
          : null,
        role === 'preview' ? previewServices(step) : null,
        (runsByStep.get(i) || []).map(([run, r]) => analysisDetails(run, `analysis:${r}`, true))));
    })),
    looseRuns.map(([run, r]) => analysisDetails(run, `analysis:${r}`, false)),
    str(rollout.message) ? el('p', { class: 'idp-message' }, str(rollout.message)) : null,
    facts([
      ['Image', str(rollout.image) ? el('code', null, str(rollout.image)) : null],
      ['Started', timeEl(rollout.startedAt)],
      ['Finished', timeEl(rollout.finishedAt)],
      ['Took', sinceUntil(rollout.startedAt, rollout.finishedAt)],
    ]),
    actionBar(actions.get(`rolloutId:${rid}`), `rollout:${rid}`, context));
  }

  function rollbacksCard(rollbacks, context) {
    if (rollbacks.length === 0) return null;
    const id = `${context.idPrefix}-rollbacks`;
    return el('section', { class: 'idp-card idp-rollbacks', key: 'rollbacks', 'aria-labelledby': id },
      el('h2', { class: 'idp-card__title', id }, 'Rollbacks'),
      el('ol', { class: 'idp-trail' }, rollbacks.map((rb) => el('li', { class: 'idp-rollback' },
        el('div', { class: 'idp-row' },
          el('strong', null, `${str(rb.deployment)}`),
          el('span', { class: 'idp-muted' }, [str(rb.namespace), str(rb.cluster)].filter(Boolean).join(' · ')),
          badge(['Rolled back', 'warning'])),
        el('p', { class: 'idp-move' },
          el('code', { class: 'idp-hash', title: str(rb.fromDigest) || null }, str(rb.fromDigest) ? shortHash(str(rb.fromDigest)) : 'unknown'),
          el('span', { class: 'idp-arrow', 'aria-label': 'to' }, '→'),
          el('code', { class: 'idp-hash', title: str(rb.toDigest) || null }, shortHash(str(rb.toDigest)))),
        facts([
          ['By', str(rb.by)],
          ['At', timeEl(rb.at)],
          ['Reason', str(rb.reason)],
        ])))));
  }

  function render(model, context) {
    const actions = usableActions(model);
    const version = num(model.schemaVersion);
    return el('div', { class: 'idp' },
      version !== null && version > SCHEMA_VERSION
        ? el('p', { class: 'idp-notice', key: 'version' }, 'This page is older than its data; some details may be missing.')
        : null,
      imageCard(object(model.image), object(model.provenance), context),
      promotionsCard(objects(model.promotions), actions, context),
      objects(model.rollouts).map((r, i) => rolloutCard(r, i, actions, context)),
      rollbacksCard(objects(model.rollbacks), context));
  }

  const isRunning = (model) => model !== null
    && (model.running === true || objects(model.rollouts).some((r) => r.running === true));

  const hasTimedPauseRunning = (model) => model !== null && objects(model.rollouts)
    .some((r) => objects(r.steps).some((s) => s.kind === 'pause' && s.state === 'running' && instant(s.endsAt)));

  // ---------------------------------------------------------------- updating in place

  // Patches the live tree to look like a freshly rendered one, keeping nodes (and so focus, scroll,
  // typed text and the open state of <details> the user toggled). Children with data-key are matched by
  // key, others by position and tag.
  function morph(live, fresh) {
    syncAttributes(live, fresh);
    if (live.hasAttribute('data-idp-live') || live.tagName === 'INPUT') return;
    syncChildren(live, fresh);
  }

  function userOwned(node, name) {
    return (name === 'open' && node.tagName === 'DETAILS') || name === 'style';
  }

  function syncAttributes(live, fresh) {
    for (const { name } of Array.from(live.attributes)) {
      if (!fresh.hasAttribute(name) && !userOwned(live, name)) live.removeAttribute(name);
    }
    for (const { name, value } of Array.from(fresh.attributes)) {
      if (!userOwned(live, name) && live.getAttribute(name) !== value) live.setAttribute(name, value);
    }
    // Styles only through the CSSOM: setting a style attribute would be an inline style under CSP.
    for (const property of Array.from(live.style)) {
      if (fresh.style.getPropertyValue(property) === '') live.style.removeProperty(property);
    }
    for (const property of Array.from(fresh.style)) {
      const value = fresh.style.getPropertyValue(property);
      if (live.style.getPropertyValue(property) !== value) live.style.setProperty(property, value);
    }
  }

  function compatible(live, fresh) {
    if (live.nodeType !== fresh.nodeType) return false;
    if (live.nodeType !== Node.ELEMENT_NODE) return true;
    return live.tagName === fresh.tagName && live.dataset.key === undefined;
  }

  function syncChildren(live, fresh) {
    const keyed = new Map();
    for (const child of live.children) {
      if (child.dataset.key !== undefined) keyed.set(child.dataset.key, child);
    }
    let cursor = live.firstChild;
    for (const next of Array.from(fresh.childNodes)) {
      const key = next.nodeType === Node.ELEMENT_NODE ? next.dataset.key : undefined;
      let match = null;
      if (key !== undefined) {
        const candidate = keyed.get(key);
        if (candidate && candidate.tagName === next.tagName) {
          match = candidate;
          keyed.delete(key);
        }
      } else if (cursor && compatible(cursor, next)) {
        match = cursor;
      }
      if (match === null) {
        live.insertBefore(next, cursor);
        continue;
      }
      if (match === cursor) cursor = cursor.nextSibling;
      else live.insertBefore(match, cursor);
      if (match.nodeType === Node.ELEMENT_NODE) morph(match, next);
      else if (match.nodeValue !== next.nodeValue) match.nodeValue = next.nodeValue;
    }
    while (cursor) {
      const after = cursor.nextSibling;
      cursor.remove();
      cursor = after;
    }
  }

  // ---------------------------------------------------------------- clipboard

  async function copyText(value) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(value);
        return true;
      } catch {
        // Permission refused or no focus: try the old way below.
      }
    }
    const area = document.createElement('textarea');
    area.value = value;
    area.setAttribute('readonly', '');
    area.className = 'idp-offscreen';
    document.body.append(area);
    area.select();
    let copied = false;
    try {
      copied = document.execCommand('copy');
    } catch {
      copied = false;
    }
    area.remove();
    return copied;
  }

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
      this.content = el('div', { class: 'idp' });
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
      const context = { idPrefix: this.idPrefix, now: new Date(), counter: { next: () => { next += 1; return next; } } };
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
      const headers = { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' };
      const buttons = group ? Array.from(group.querySelectorAll('button')) : [button];
      buttons.forEach((b) => { b.disabled = true; });
      this.say(this.actionNotice, '');
      try {
        if (this.crumbHeader && this.crumbValue) headers[this.crumbHeader] = this.crumbValue;
        const response = await fetch(url, { method: 'POST', credentials: 'same-origin', headers, body });
        if (!response.ok) throw new Error(`Jenkins answered HTTP ${response.status}`);
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
