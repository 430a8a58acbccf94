// What the plugin's view (the ui module's adjunct) shows on a Jenkins page, read from the DOM, and what it must
// show for a deployment model (docs/model.md, docs/ui.md), compared field by field.
import assert from 'node:assert/strict';

/** The rendered view inside `.immutable-deployment`, as text a person reads. */
export function readView(page) {
  return page.evaluate(() => {
    const mount = document.querySelector('.immutable-deployment');
    const text = (node) => (node ? node.textContent.trim() : null);
    const all = (scope, selector) => Array.from(scope ? scope.querySelectorAll(selector) : []);
    const facts = (scope) => {
      const list = scope && Array.from(scope.children).find((child) => child.matches('dl.idp-facts'));
      return list ? Object.fromEntries(all(list, 'dt').map((term) => [text(term), text(term.nextElementSibling)])) : {};
    };
    const provenance = mount.querySelector('.idp-provenance');
    return {
      digest: text(mount.querySelector('.idp-digest__value')),
      image: facts(mount.querySelector('.idp-image')),
      tags: all(mount, '.idp-tags .idp-tag').map(text),
      badges: all(provenance, '.idp-badges .idp-badge').map(text),
      provenance: facts(provenance),
      links: all(provenance, 'a').map((a) => a.href),
      promotions: all(mount, '.idp-promotion').map((item) => ({
        stage: text(item.querySelector('.idp-stage')),
        state: item.dataset.state,
        badge: text(item.querySelector('.idp-promotion__state')),
        move: all(item, '.idp-move code').map(text),
        message: text(item.querySelector('.idp-message')),
        facts: facts(item),
      })),
      rollouts: all(mount, '.idp-rollout').map((card) => ({
        title: text(card.querySelector('.idp-card__title')),
        strategy: text(card.querySelector('.idp-strategy')),
        phase: text(card.querySelector('.idp-phase')),
        weight: text(card.querySelector('.idp-weight__value')),
        steps: all(card, '.idp-step').map((step) => ({ title: text(step.querySelector('.idp-step__title')), state: step.dataset.state })),
        stepsDone: card.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow'),
        facts: facts(card),
      })),
      rollbacks: all(mount, '.idp-rollback').map((item) => ({
        deployment: text(item.querySelector('strong')),
        where: text(item.querySelector('.idp-muted')),
        digests: all(item, '.idp-move code').map((code) => code.title),
        facts: facts(item),
      })),
      buttons: all(mount, 'button[data-idp-action]').map((button) => button.dataset.idpAction),
    };
  });
}

// The words the view uses for the model's values (ui/src/main/resources/…/ui/promotions.js, rollout.js).
const PROMOTION_STATES = { awaitingApproval: 'Awaiting approval', promoting: 'Promoting', promoted: 'Promoted', rejected: 'Rejected', failed: 'Failed' };
const shortHash = (value) => (value.length > 19 ? `${value.slice(0, 19)}…` : value);

function stepTitle(step) {
  if (step.kind === 'setWeight') return `Set weight ${step.weight}%`;
  if (step.kind === 'pause' && step.manual) return 'Pause until promoted';
  if (step.kind === 'analysis') return `Analysis ${step.analysis}`;
  throw new Error(`the check does not know how the view titles ${JSON.stringify(step)}`);
}

const startsWith = (prefix) => (value) => typeof value === 'string' && value.startsWith(prefix);

/** What the view must show for `model` (a finished build's, seen by a viewer without actions). */
export function expectedView(model) {
  const p = model.provenance;
  return {
    digest: model.image.digest,
    image: { Repository: model.image.repository },
    tags: model.image.tags,
    badges: p.signed ? ['Signed', p.verified ? 'Verified' : 'Not verified'] : ['Unsigned'],
    provenance: { 'Signing key': p.keyId, Builder: p.builder, Build: p.buildUrl, Attestation: shortHash(p.attestationDigest) },
    links: [p.builder, p.buildUrl],
    promotions: model.promotions.map((promotion) => ({
      stage: promotion.stage,
      state: promotion.state,
      badge: PROMOTION_STATES[promotion.state],
      move: [promotion.from, promotion.to],
      facts: {
        Approved: promotion.approver ? startsWith(`${promotion.approver}, `) : undefined,
        Comment: promotion.comment,
      },
    })),
    rollouts: model.rollouts.map((rollout) => ({
      title: `Rollout of ${rollout.deployment}`,
      strategy: 'Canary',
      phase: rollout.phase,
      weight: `${rollout.currentWeight}%`,
      steps: rollout.steps.map((step) => ({ title: stepTitle(step), state: step.state })),
      stepsDone: String(rollout.steps.filter((step) => step.state === 'succeeded').length),
      facts: { Image: rollout.image },
    })),
    rollbacks: model.rollbacks.map((rollback) => ({
      deployment: rollback.deployment,
      where: [rollback.namespace, rollback.cluster].filter(Boolean).join(' · '),
      digests: [rollback.fromDigest, rollback.toDigest],
      facts: { By: rollback.by },
    })),
    buttons: [],
  };
}

/**
 * Fails naming the first place where `shown` differs from `expected`: every key of `expected` must match (a
 * function is a predicate; undefined means "not shown"); lists must match item by item and in length.
 */
export function assertShows(shown, expected, where) {
  if (typeof expected === 'function') {
    assert.ok(expected(shown), `${where}: shown ${JSON.stringify(shown)}`);
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(shown), `${where}: shown ${JSON.stringify(shown)}, expected a list`);
    assert.equal(shown.length, expected.length, `${where}: ${shown.length} shown, the model has ${expected.length}: ${JSON.stringify(shown)}`);
    expected.forEach((item, i) => assertShows(shown[i], item, `${where}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    for (const [key, value] of Object.entries(expected)) assertShows(shown?.[key], value, `${where}.${key}`);
  } else {
    assert.equal(shown, expected, `${where}: the page shows ${JSON.stringify(shown)}, the model says ${JSON.stringify(expected)}`);
  }
}
