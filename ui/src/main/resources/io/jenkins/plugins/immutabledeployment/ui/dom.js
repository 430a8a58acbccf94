// @include io.jenkins.plugins.immutabledeployment.ui.values
/*
 * Immutable Deployment build page: building DOM safely. Tag and attribute names come from this code; model
 * values and children are inserted as text or attribute values, never as HTML; a link is made only for an
 * http(s) URL, anything else is shown as text.
 */
(() => {
  'use strict';

  const { str, instant, linkHref, dateTime } = window.immutableDeploymentParts.values;

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

  window.immutableDeploymentParts.dom = Object.freeze({ el, badge, timeEl, link, facts });
})();
