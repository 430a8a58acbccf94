// @include io.jenkins.plugins.immutabledeployment.ui.values
// @include io.jenkins.plugins.immutabledeployment.ui.dom
// @include io.jenkins.plugins.immutabledeployment.ui.actions
// @include io.jenkins.plugins.immutabledeployment.ui.provenance
/*
 * Immutable Deployment build page: a rollout card, the build's image it rolls out, its steps, progress, traffic
 * and analysis results, and its promote and abort buttons.
 *
 * A blue/green rollout (strategy "blueGreen") is the same plan shape with its first and last setWeight
 * steps marked as the preview and the switch: it is shown as such, its traffic as stable-or-new, never as
 * a canary weight ramp. The one dynamic length, the canary weight, is set through the CSSOM
 * (element.style.setProperty), which Content-Security-Policy does not restrict.
 */
(() => {
  'use strict';

  const { str, num, objects, strings, has, instant, percent, lookup, clockTime, duration, sinceUntil } =
    window.immutableDeploymentParts.values;
  const { el, badge, timeEl, facts } = window.immutableDeploymentParts.dom;
  const { actionBar } = window.immutableDeploymentParts.actions;
  const { imageRef } = window.immutableDeploymentParts.provenance;

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
  const STRATEGIES = {
    canary: ['Canary', 'neutral'],
    blueGreen: ['Blue/green', 'neutral'],
  };
  // The roles a blue/green rollout gives its setWeight steps; anything else is read as a plain setWeight.
  const STEP_ROLES = { preview: 'preview', switch: 'switch' };

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

  const phaseBadge = (rollout) => badge(lookup(ROLLOUT_PHASES, rollout.phase), 'idp-phase');
  const phaseKeyOf = (rollout) => (has(ROLLOUT_PHASES, rollout.phase) ? rollout.phase : 'unknown');

  /** Where traffic stands, in a few words: the canary's weight, or for blue/green which version serves. */
  function trafficText(rollout) {
    const weight = percent(rollout.currentWeight);
    if (isBlueGreen(rollout)) return blueGreenTraffic(rollout, objects(rollout.steps), weight)[0];
    return weight === null ? 'canary –' : `canary ${weight}%`;
  }

  function rolloutCard(rollout, index, images, actions, context) {
    const rid = str(rollout.id);
    const id = `${context.idPrefix}-rollout-${context.counter.next()}`;
    const steps = objects(rollout.steps);
    const weight = percent(rollout.currentWeight);
    const currentIndex = Number.isInteger(rollout.currentStepIndex) && steps[rollout.currentStepIndex] ? rollout.currentStepIndex : null;
    const phaseKey = phaseKeyOf(rollout);
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
      'data-rollout-id': rid || null,
      'data-phase': phaseKey,
    },
    el('div', { class: 'idp-row idp-rollout__head' },
      el('h2', { class: 'idp-card__title', id }, `Rollout of ${str(rollout.deployment) || 'a Deployment'}`),
      badge(lookup(STRATEGIES, strategy), 'idp-strategy'),
      phaseBadge(rollout),
      imageRef(images, rollout.imageId, context)),
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

  window.immutableDeploymentParts.rollout = Object.freeze({ rolloutCard, phaseBadge, phaseKeyOf, trafficText });
})();
