// @include io.jenkins.plugins.immutabledeployment.ui.values
// @include io.jenkins.plugins.immutabledeployment.ui.dom
// @include io.jenkins.plugins.immutabledeployment.ui.actions
// @include io.jenkins.plugins.immutabledeployment.ui.provenance
/*
 * Immutable Deployment build page: the trails of digests moved from one place to another, the promotions
 * (with the build's image each used, the target pinned by digest with its tag beside it, and their approve and
 * reject buttons) and the rollbacks.
 */
(() => {
  'use strict';

  const { str, has, lookup, shortHash } = window.immutableDeploymentParts.values;
  const { el, badge, timeEl, link, facts } = window.immutableDeploymentParts.dom;
  const { actionBar } = window.immutableDeploymentParts.actions;
  const { imageRef } = window.immutableDeploymentParts.provenance;

  const PROMOTION_STATES = {
    awaitingApproval: ['Awaiting approval', 'warning'],
    promoting: ['Promoting', 'progress'],
    promoted: ['Promoted', 'success'],
    rejected: ['Rejected', 'error'],
    failed: ['Failed', 'error'],
  };

  const promotionState = (promotion) => lookup(PROMOTION_STATES, promotion.state);
  const promotionStateKey = (promotion) => (has(PROMOTION_STATES, promotion.state) ? promotion.state : 'unknown');

  /** The target as the product names it: pinned by digest, the tag written there beside it. */
  const target = (promotion, code) => [code, str(promotion.tag) ? el('span', { class: 'idp-tag idp-promotion__tag' }, str(promotion.tag)) : null];

  /** The attestation whose signature the promotion verified with a public key before it copied. */
  const verifiedProvenance = (digest) => (str(digest)
    ? el('span', { class: 'idp-promotion__verified' }, 'signature verified: ', el('code', { class: 'idp-hash', title: str(digest) }, shortHash(str(digest))))
    : null);

  function promotionsCard(promotions, images, actions, context) {
    if (promotions.length === 0) return null;
    const id = `${context.idPrefix}-promotions`;
    return el('section', { class: 'idp-card idp-promotions', key: 'promotions', 'aria-labelledby': id },
      el('h2', { class: 'idp-card__title', id }, 'Promotions'),
      el('ol', { class: 'idp-trail' }, promotions.map((p, index) => {
        const pid = str(p.id);
        const approved = str(p.approver);
        const rejected = str(p.rejectedBy);
        return el('li', { class: 'idp-promotion', key: `promotion:${pid || index}`, 'data-promotion-id': pid || null, 'data-state': promotionStateKey(p) },
          el('div', { class: 'idp-row' },
            el('span', { class: 'idp-stage' }, str(p.stage) || 'stage'),
            badge(promotionState(p), 'idp-promotion__state'),
            imageRef(images, p.imageId, context)),
          el('p', { class: 'idp-move' },
            el('code', null, str(p.from)), el('span', { class: 'idp-arrow', 'aria-label': 'to' }, '→'),
            target(p, el('code', { class: 'idp-promotion__target' }, str(p.to)))),
          str(p.resolvedFrom) ? el('p', { class: 'idp-resolved', key: 'resolvedFrom' }, 'resolved from ', el('code', null, str(p.resolvedFrom))) : null,
          str(p.message) && ['awaitingApproval', 'failed'].includes(p.state) ? el('p', { class: 'idp-message' }, str(p.message)) : null,
          facts([
            ['Requested', timeEl(p.requestedAt)],
            ['Approved', approved ? el('span', null, approved, p.approvedAt ? ', ' : '', timeEl(p.approvedAt)) : null],
            ['Rejected', rejected ? el('span', null, rejected, p.rejectedAt ? ', ' : '', timeEl(p.rejectedAt)) : null],
            ['Comment', str(p.comment) ? el('q', null, str(p.comment)) : null],
            ['Provenance', verifiedProvenance(p.verifiedProvenance)],
            ['Promoted', timeEl(p.promotedAt)],
            ['Build', link(p.buildUrl)],
          ]),
          actionBar(actions.get(`promotionId:${pid}`), `promotion:${pid}`, context));
      })));
  }

  /** Who asked for a rollback: a build, given by its absolute URL, is linked; a person's name is text. */
  const byWhom = (by) => (/^https?:\/\//i.test(str(by)) ? link(by) : str(by));

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
          ['By', byWhom(rb.by)],
          ['At', timeEl(rb.at)],
          ['Reason', str(rb.reason)],
        ])))));
  }

  window.immutableDeploymentParts.promotions = Object.freeze({ promotionsCard, rollbacksCard, promotionState, promotionStateKey, target });
})();
