// What the plugin's view (the ui module's adjunct) shows on a Jenkins page, read from the DOM through the stable
// hooks of docs/ui.md, and what it must show for a deployment model (docs/model.md, schema 2), compared field by
// field: the full cards on the action's own page (readView, expectedView) and the compact summary on the build's
// status page (readSummary, expectedSummary).
import assert from 'node:assert/strict';

/** The full view inside `.immutable-deployment[data-view="detail"]`, as text a person reads. */
export function readView(page) {
  return page.evaluate(() => {
    const mount = document.querySelector('.immutable-deployment[data-view="detail"]');
    const text = (node) => (node ? node.textContent.trim() : null);
    const all = (scope, selector) => Array.from(scope ? scope.querySelectorAll(selector) : []);
    const facts = (scope) => {
      const list = scope && Array.from(scope.children).find((child) => child.matches('dl.idp-facts'));
      return list ? Object.fromEntries(all(list, 'dt').map((term) => [text(term), text(term.nextElementSibling)])) : {};
    };
    const imageRef = (scope) => {
      const ref = scope.querySelector('.idp-image-ref');
      return ref ? { id: ref.dataset.imageId, name: text(ref), href: ref.getAttribute('href') } : null;
    };
    return {
      images: all(mount, '.idp-image').map((card) => {
        const provenance = card.querySelector('.idp-provenance');
        return {
          id: card.dataset.imageId,
          anchor: card.id,
          name: text(card.querySelector('.idp-image__name')),
          digest: text(card.querySelector('.idp-digest__value')),
          copies: card.querySelector('button[data-idp-copy]')?.dataset.idpCopy ?? null,
          repository: facts(card).Repository,
          tags: all(card, '.idp-tags .idp-tag').map(text),
          badges: all(provenance, '.idp-badges .idp-badge').map(text),
          provenance: facts(provenance),
          links: all(provenance, 'a').map((a) => a.href),
        };
      }),
      promotions: all(mount, '.idp-promotion').map((item) => ({
        id: item.dataset.promotionId,
        stage: text(item.querySelector('.idp-stage')),
        state: item.dataset.state,
        badge: text(item.querySelector('.idp-promotion__state')),
        image: imageRef(item),
        move: all(item, '.idp-move code').map(text),
        target: text(item.querySelector('.idp-promotion__target')),
        tag: text(item.querySelector('.idp-promotion__tag')),
        message: text(item.querySelector('.idp-message')),
        facts: facts(item),
      })),
      rollouts: all(mount, '.idp-rollout').map((card) => ({
        id: card.dataset.rolloutId,
        title: text(card.querySelector('.idp-card__title')),
        strategy: text(card.querySelector('.idp-strategy')),
        phase: text(card.querySelector('.idp-phase')),
        image: imageRef(card),
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

/** The compact summary inside `.immutable-deployment[data-view="summary"]` (the build's status page). */
export function readSummary(page) {
  return page.evaluate(() => {
    const mount = document.querySelector('.immutable-deployment[data-view="summary"]');
    const text = (node) => (node ? node.textContent.trim() : null);
    const all = (scope, selector) => Array.from(scope ? scope.querySelectorAll(selector) : []);
    const code = (node) => (node ? { shown: text(node), title: node.title } : null);
    const decide = mount.querySelector('a.idp-summary__decide');
    return {
      link: document.querySelector('a.immutable-deployment-link')?.getAttribute('href') ?? null,
      entries: all(mount, '.idp-summary > li').map((li) => li.className),
      images: all(mount, '.idp-summary__image').map((li) => ({
        id: li.dataset.imageId,
        name: text(li.querySelector('.idp-summary__name')),
        repository: li.querySelector('.idp-summary__name')?.title ?? null,
        digest: code(li.querySelector('.idp-summary__digest code')),
        copies: li.querySelector('button[data-idp-copy]')?.dataset.idpCopy ?? null,
        badges: all(li, '.idp-badge').map(text),
      })),
      promotions: all(mount, '.idp-summary__promotion').map((li) => ({
        id: li.dataset.promotionId,
        state: li.dataset.state,
        image: li.dataset.imageId ?? null,
        stage: text(li.querySelector('.idp-stage')),
        badge: text(li.querySelector('.idp-badge')),
        target: code(li.querySelector('.idp-summary__target code')),
        tag: text(li.querySelector('.idp-tag')),
      })),
      rollouts: all(mount, '.idp-summary__rollout').map((li) => ({
        id: li.dataset.rolloutId,
        phase: li.dataset.phase,
        image: li.dataset.imageId ?? null,
        what: text(li.querySelector('.idp-summary__what')),
        phaseShown: text(li.querySelector('.idp-phase')),
        traffic: text(li.querySelector('.idp-summary__traffic')),
        imageName: text(li.querySelector('.idp-image-ref')),
      })),
      rollbacks: all(mount, '.idp-summary__rollback').map((li) => ({
        what: text(li.querySelector('.idp-summary__what')),
        to: code(li.querySelector('code')),
      })),
      decide: decide ? { text: text(decide), href: decide.getAttribute('href') } : null,
      cards: all(mount, '.idp-card').length,
      buttons: all(mount, 'button[data-idp-action]').length,
    };
  });
}

// The words and short forms the view uses for the model's values (ui/src/main/resources/…/ui/values.js,
// promotions.js, rollout.js).
const PROMOTION_STATES = { awaitingApproval: 'Awaiting approval', promoting: 'Promoting', promoted: 'Promoted', rejected: 'Rejected', failed: 'Failed' };
const shortHash = (value) => (value.length > 19 ? `${value.slice(0, 19)}…` : value);
const shortPinned = (value) => `${value.slice(0, value.lastIndexOf('@') + 1)}${shortHash(value.slice(value.lastIndexOf('@') + 1))}`;
/** The repository without its registry host: what people call an image (127.0.0.1:5000/shop/api is shop/api). */
const imageName = (repository) => repository.slice(repository.indexOf('/') + 1);

function stepTitle(step) {
  if (step.kind === 'setWeight') return `Set weight ${step.weight}%`;
  if (step.kind === 'pause' && step.manual) return 'Pause until promoted';
  if (step.kind === 'analysis') return `Analysis ${step.analysis}`;
  throw new Error(`the check does not know how the view titles ${JSON.stringify(step)}`);
}

function badges(provenance) {
  if (!provenance) return ['No provenance'];
  return provenance.signed ? ['Signed', provenance.verified ? 'Verified' : 'Not verified'] : ['Unsigned'];
}

const startsWith = (prefix) => (value) => typeof value === 'string' && value.startsWith(prefix);

/** The image card an `imageId` names, as the promotions and rollouts link to it; null when it names none. */
function imageRefTo(model, imageId) {
  const index = model.images.findIndex((image) => image.id === imageId);
  if (index < 0) return null;
  return { id: imageId, name: imageName(model.images[index].repository), href: (href) => /^#idp\d+-image-/.test(href) && href.endsWith(`-image-${index + 1}`) };
}

/** What the full view must show for `model` (a finished build's, seen by a viewer without actions). */
export function expectedView(model) {
  return {
    images: model.images.map((image, index) => {
      const p = image.provenance;
      return {
        id: image.id,
        anchor: (anchor) => anchor.endsWith(`-image-${index + 1}`),
        name: imageName(image.repository),
        digest: image.digest,
        copies: image.digest,
        repository: image.repository,
        tags: image.tags,
        badges: badges(p),
        provenance: { 'Signing key': p.signed ? p.keyId : undefined, Builder: p.builder, Build: p.buildUrl, Attestation: shortHash(p.attestationDigest) },
        links: [p.builder, p.buildUrl],
      };
    }),
    promotions: model.promotions.map((promotion) => ({
      id: promotion.id,
      stage: promotion.stage,
      state: promotion.state,
      badge: PROMOTION_STATES[promotion.state],
      image: imageRefTo(model, promotion.imageId),
      move: [promotion.from, promotion.to],
      target: promotion.to,
      tag: promotion.tag ?? null,
      facts: {
        Approved: promotion.approver ? startsWith(`${promotion.approver}, `) : undefined,
        Comment: promotion.comment,
      },
    })),
    rollouts: model.rollouts.map((rollout) => ({
      id: rollout.id,
      title: `Rollout of ${rollout.deployment}`,
      strategy: 'Canary',
      phase: rollout.phase,
      image: imageRefTo(model, rollout.imageId),
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

/** What the summary must show for `model` (a finished build's, seen by a viewer without actions), linking `detailPath`. */
export function expectedSummary(model, detailPath) {
  const severalImages = model.images.length > 1;
  const pinned = (value) => ({ shown: shortPinned(value), title: value });
  const hash = (value) => ({ shown: shortHash(value), title: value });
  return {
    link: detailPath,
    entries: [
      ...model.images.map(() => 'idp-summary__image'),
      ...model.promotions.map(() => 'idp-summary__promotion'),
      ...model.rollouts.map(() => 'idp-summary__rollout'),
      ...model.rollbacks.map(() => 'idp-summary__rollback'),
    ],
    images: model.images.map((image) => ({
      id: image.id,
      name: imageName(image.repository),
      repository: image.repository,
      digest: hash(image.digest),
      copies: image.digest,
      badges: badges(image.provenance),
    })),
    promotions: model.promotions.map((promotion) => ({
      id: promotion.id,
      state: promotion.state,
      image: promotion.imageId ?? null,
      stage: promotion.stage,
      badge: PROMOTION_STATES[promotion.state],
      target: pinned(promotion.to),
      tag: promotion.tag ?? null,
    })),
    rollouts: model.rollouts.map((rollout) => ({
      id: rollout.id,
      phase: rollout.phase,
      image: rollout.imageId ?? null,
      what: `Rollout of ${rollout.deployment}`,
      phaseShown: rollout.phase,
      traffic: `canary ${rollout.currentWeight}%`,
      imageName: severalImages && rollout.imageId ? imageRefTo(model, rollout.imageId).name : null,
    })),
    rollbacks: model.rollbacks.map((rollback) => ({
      what: `Rolled back ${rollback.deployment}`,
      to: hash(rollback.toDigest),
    })),
    decide: null,
    cards: 0,
    buttons: 0,
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
