// @include io.jenkins.plugins.immutabledeployment.ui.values
// @include io.jenkins.plugins.immutabledeployment.ui.dom
/*
 * Immutable Deployment build page: the image card, with its digest, tags and provenance. The signed and
 * verified badges claim no more than the model does.
 */
(() => {
  'use strict';

  const { str, objects, strings, bytes, shortHash, sinceUntil } = window.immutableDeploymentParts.values;
  const { el, badge, timeEl, link, facts } = window.immutableDeploymentParts.dom;

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

  window.immutableDeploymentParts.provenance = Object.freeze({ imageCard });
})();
