// @include io.jenkins.plugins.immutabledeployment.ui.values
// @include io.jenkins.plugins.immutabledeployment.ui.dom
/*
 * Immutable Deployment build page: the buttons. Which actions the model permits (only to a same-origin
 * http(s) URL, so the CSRF crumb never leaves the origin), their bar with the optional comment, what
 * pressing one sends, and copying the digest.
 */
(() => {
  'use strict';

  const { str, objects, has, sameOriginHref } = window.immutableDeploymentParts.values;
  const { el } = window.immutableDeploymentParts.dom;

  // [default label, button style, acts on]
  const ACTIONS = {
    approve: ['Approve', 'primary', 'promotionId'],
    reject: ['Reject', 'danger', 'promotionId'],
    promote: ['Promote', 'primary', 'rolloutId'],
    abort: ['Abort', 'danger', 'rolloutId'],
  };

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

  /** POSTs an action's form with the CSRF crumb, if there is one; throws when Jenkins does not take it. */
  async function postAction(url, body, crumb) {
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' };
    if (crumb.header && crumb.value) headers[crumb.header] = crumb.value;
    const response = await fetch(url, { method: 'POST', credentials: 'same-origin', headers, body });
    if (!response.ok) throw new Error(`Jenkins answered HTTP ${response.status}`);
  }

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

  window.immutableDeploymentParts.actions = Object.freeze({ usableActions, actionBar, postAction, copyText });
})();
