// @include io.jenkins.plugins.immutabledeployment.ui.values
// @include io.jenkins.plugins.immutabledeployment.ui.dom
// @include io.jenkins.plugins.immutabledeployment.ui.actions
// @include io.jenkins.plugins.immutabledeployment.ui.provenance
// @include io.jenkins.plugins.immutabledeployment.ui.promotions
// @include io.jenkins.plugins.immutabledeployment.ui.rollout
/*
 * Immutable Deployment: the compact summary for the build's status page (data-view="summary"). Jenkins puts a run
 * action's summary.jelly in the second cell of that page's summary table, as it does test results; like those, it
 * is a few lines, one per thing, and the full cards live on the action's own page:
 * each image (its name, the digest in short form with a Copy button, signed or not), each promotion (stage,
 * state, the pinned target in short form with its tag), each rollout (its Deployment, phase and traffic, and with
 * several images the one it rolls out), each rollback, and a link to the full page when a decision waits for the
 * viewer. Every promotion and rollout entry names the image it used in data-image-id (a promotion's line shows its
 * target, which says it to people; a chip there would not fit the line).
 */
(() => {
  'use strict';

  const { str, objects, shortHash, shortPinned, imageName } = window.immutableDeploymentParts.values;
  const { el, badge } = window.immutableDeploymentParts.dom;
  const { provenanceBadges, imageOf, imageRef } = window.immutableDeploymentParts.provenance;
  const { promotionState, promotionStateKey, target } = window.immutableDeploymentParts.promotions;
  const { phaseBadge, phaseKeyOf, trafficText } = window.immutableDeploymentParts.rollout;

  const usedImageId = (images, imageId) => imageOf(images, imageId)?.id ?? null;

  /** A digest or pinned reference in short form; the whole of it in the title, for hovering and copying. */
  const short = (value, format) => el('code', { title: value || null }, format(value));

  function imageEntry({ image, index, id }) {
    const repository = str(image.repository);
    const digest = str(image.digest);
    return el('li', { class: 'idp-summary__image', key: `image:${index}`, 'data-image-id': id || null },
      el('span', { class: 'idp-summary__name', title: repository || null }, imageName(repository) || 'image'),
      digest
        ? el('span', { class: 'idp-summary__digest' },
          short(digest, shortHash),
          el('button', {
            type: 'button',
            class: 'idp-button idp-button--tiny',
            'data-idp-copy': digest,
            'aria-label': `Copy digest of ${repository || 'the image'}`,
          }, 'Copy'),
          el('span', { class: 'idp-copied', role: 'status', 'data-idp-live': 'true' }))
        : null,
      provenanceBadges(image.provenance));
  }

  function promotionEntry(promotion, index, images) {
    const pid = str(promotion.id);
    return el('li', {
      class: 'idp-summary__promotion',
      key: `promotion:${pid || index}`,
      'data-promotion-id': pid || null,
      'data-image-id': usedImageId(images, promotion.imageId),
      'data-state': promotionStateKey(promotion),
    },
    el('span', { class: 'idp-stage' }, str(promotion.stage) || 'stage'),
    badge(promotionState(promotion)),
    el('span', { class: 'idp-summary__target' }, target(promotion, short(str(promotion.to), shortPinned))));
  }

  function rolloutEntry(rollout, index, images, context, severalImages) {
    const rid = str(rollout.id);
    return el('li', {
      class: 'idp-summary__rollout',
      key: `rollout:${rid || index}`,
      'data-rollout-id': rid || null,
      'data-image-id': usedImageId(images, rollout.imageId),
      'data-phase': phaseKeyOf(rollout),
    },
    el('span', { class: 'idp-summary__what' }, `Rollout of ${str(rollout.deployment) || 'a Deployment'}`),
    phaseBadge(rollout),
    el('span', { class: 'idp-summary__traffic' }, trafficText(rollout)),
    severalImages ? imageRef(images, rollout.imageId, context, { linked: false }) : null);
  }

  function rollbackEntry(rollback, index) {
    const to = str(rollback.toDigest);
    return el('li', { class: 'idp-summary__rollback', key: `rollback:${index}` },
      el('span', { class: 'idp-summary__what' }, `Rolled back ${str(rollback.deployment) || 'a Deployment'}`),
      badge(['Rolled back', 'warning']),
      to ? el('span', null, 'to ', short(to, shortHash)) : null);
  }

  /** What the viewer may decide on the full page, in words, or null when nothing waits for them. */
  function decision(actions) {
    const kinds = new Set([...actions.values()].flat().map((a) => a.kind));
    if (kinds.size === 0) return null;
    const onPromotions = kinds.has('approve') || kinds.has('reject');
    const onRollouts = kinds.has('promote') || kinds.has('abort');
    if (onPromotions && onRollouts) return 'Decisions wait for you on the full page';
    return onPromotions ? 'Approve or reject on the full page' : 'Promote or abort on the full page';
  }

  /**
   * @param images the model's images (provenance.imagesOf)
   * @param actions the usable actions (actions.usableActions)
   * @param context the mount's context; its detailUrl (same-origin, or null) is the action's own page
   */
  function summary(model, images, actions, context) {
    const severalImages = images.length > 1;
    const entries = [
      images.map(imageEntry),
      objects(model.promotions).map((p, i) => promotionEntry(p, i, images)),
      objects(model.rollouts).map((r, i) => rolloutEntry(r, i, images, context, severalImages)),
      objects(model.rollbacks).map(rollbackEntry),
    ].flat();
    const decide = context.detailUrl ? decision(actions) : null;
    return [
      entries.length
        ? el('ul', { class: 'idp-summary', key: 'summary' }, entries)
        : el('p', { class: 'idp-muted', key: 'summary-empty' }, 'Nothing recorded yet.'),
      decide ? el('a', { class: 'idp-summary__decide', key: 'decide', href: context.detailUrl }, decide) : null,
    ];
  }

  window.immutableDeploymentParts.summary = Object.freeze({ summary });
})();
