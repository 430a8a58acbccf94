// @include io.jenkins.plugins.immutabledeployment.ui.values
// @include io.jenkins.plugins.immutabledeployment.ui.dom
/*
 * Immutable Deployment build page: the images the build pushed, one card each with its digest, tags and
 * provenance, and the references to them that promotions and rollouts show. The signed and verified badges
 * claim no more than the model does.
 */
(() => {
  'use strict';

  const { str, object, objects, strings, bytes, shortHash, imageName, sinceUntil } = window.immutableDeploymentParts.values;
  const { el, badge, timeEl, link, facts } = window.immutableDeploymentParts.dom;

  /** The element id of an image's card: from the page's prefix and the image's place, never from model text. */
  const cardId = (context, index) => `${context.idPrefix}-image-${index + 1}`;

  /** The model's images with their place in the list; their ids are the model's (any text), used only to look them up. */
  const imagesOf = (model) => objects(model.images).map((image, index) => ({ image, index, id: str(image.id) }));

  function imageCards(images, context) {
    return images.map(({ image, index, id }) => imageCard(image, index, id, context));
  }

  function imageCard(image, index, id, context) {
    const digest = str(image.digest);
    const tags = strings(image.tags);
    const titleId = `${cardId(context, index)}-title`;
    return el('section', {
      class: 'idp-card idp-image',
      key: `image:${index}`,
      id: cardId(context, index),
      'data-image-id': id || null,
      'aria-labelledby': titleId,
    },
    el('h2', { class: 'idp-card__title', id: titleId }, 'Image ', el('span', { class: 'idp-image__name' }, imageName(str(image.repository)))),
    digest
      ? el('div', { class: 'idp-digest' },
        el('code', { class: 'idp-digest__value' }, digest),
        el('button', { type: 'button', class: 'idp-button idp-button--small', 'data-idp-copy': digest }, 'Copy digest'),
        el('span', { class: 'idp-copied', role: 'status', 'data-idp-live': 'true' }))
      : null,
    facts([
      ['Repository', str(image.repository) ? el('code', null, str(image.repository)) : null],
      ['Tags', tags.length ? el('ul', { class: 'idp-tags' }, tags.map((t) => el('li', { class: 'idp-tag' }, t))) : null],
      ['Size', bytes(image.size)],
      ['Pushed', timeEl(image.pushedAt)],
    ]),
    provenanceSection(image.provenance, `${cardId(context, index)}-provenance`));
  }

  /** Claims exactly what the model says and no more: verified only when also signed. */
  function provenanceBadges(provenance) {
    if (object(provenance) === null) return [badge(['No provenance', 'warning'], 'idp-no-provenance')];
    const signed = provenance.signed === true;
    const verified = signed && provenance.verified === true;
    return signed
      ? [badge(['Signed', 'success'], 'idp-signed'),
        verified ? badge(['Verified', 'success'], 'idp-verified') : badge(['Not verified', 'warning'], 'idp-not-verified')]
      : [badge(['Unsigned', 'warning'], 'idp-unsigned')];
  }

  function provenanceSection(provenance, id) {
    if (object(provenance) === null) {
      return el('section', { class: 'idp-provenance', 'aria-labelledby': id },
        el('h3', { class: 'idp-subtitle', id }, 'Provenance'),
        el('p', { class: 'idp-badges' }, badge(['No provenance recorded', 'warning'])));
    }
    const signed = provenance.signed === true;
    const sources = objects(provenance.sources).filter((s) => str(s.repository) || str(s.commit));
    return el('section', { class: 'idp-provenance', 'aria-labelledby': id },
      el('h3', { class: 'idp-subtitle', id }, 'Provenance'),
      el('p', { class: 'idp-badges' }, provenanceBadges(provenance)),
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

  /** The image a promotion's or rollout's imageId names, or null when it names none of the build's images. */
  function imageOf(images, imageId) {
    const id = str(imageId);
    return (id && images.find((i) => i.id === id)) || null;
  }

  /**
   * Which of the build's images a promotion or rollout used (its imageId), by name: a link to that image's card
   * when the page shows the cards, else text. Nothing when the id names none of them.
   */
  function imageRef(images, imageId, context, { linked = true } = {}) {
    const found = imageOf(images, imageId);
    if (found === null) return null;
    const id = found.id;
    const repository = str(found.image.repository);
    const name = imageName(repository) || 'image';
    return el(linked ? 'a' : 'span', {
      class: 'idp-image-ref',
      href: linked ? `#${cardId(context, found.index)}` : null,
      'data-image-id': id,
      title: repository ? `Image ${repository}` : null,
    }, name);
  }

  window.immutableDeploymentParts.provenance = Object.freeze({ imagesOf, imageCards, provenanceBadges, imageOf, imageRef });
})();
