/*
 * Immutable Deployment build page: updating the rendered view in place on every refresh.
 */
(() => {
  'use strict';

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

  window.immutableDeploymentParts.morph = Object.freeze({ morph });
})();
