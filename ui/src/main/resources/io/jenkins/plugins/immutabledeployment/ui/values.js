/*
 * Immutable Deployment build page: reading the model's untrusted values, checking URLs, and formatting
 * values as text. The first part of the adjunct io.jenkins.plugins.immutabledeployment.ui.deployment
 * (docs/ui.md).
 *
 * Every string in the model may come from a user: these helpers return a value of the expected type or an
 * empty one, never throw on a wrong type, and accept a URL only when it is http(s).
 *
 * The parts share one namespace, window.immutableDeploymentParts, which this file creates and the entry
 * point (deployment.js) removes once it has taken what it needs.
 */
(() => {
  'use strict';

  const str = (value) => (typeof value === 'string' ? value : '');
  const num = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
  const objects = (value) =>
    (Array.isArray(value) ? value.filter((x) => x !== null && typeof x === 'object' && !Array.isArray(x)) : []);
  const strings = (value) => (Array.isArray(value) ? value.filter((x) => typeof x === 'string' && x !== '') : []);
  const object = (value) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null);
  const has = (table, key) => typeof key === 'string' && Object.prototype.hasOwnProperty.call(table, key);

  function instant(value) {
    if (typeof value !== 'string') return null;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }

  function percent(value) {
    const n = num(value);
    return n === null ? null : Math.min(100, Math.max(0, Math.round(n)));
  }

  function httpUrl(value) {
    if (typeof value !== 'string' || value.trim() === '') return null;
    let url;
    try {
      url = new URL(value, document.baseURI);
    } catch {
      return null;
    }
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  }

  /** An href for a link, or null when the value is not an http(s) URL (javascript:, data:, ...). */
  const linkHref = (value) => httpUrl(value)?.href ?? null;

  /** A URL this page may send its credentials and CSRF crumb to, or null. */
  function sameOriginHref(value) {
    const url = httpUrl(value);
    return url !== null && url.origin === window.location.origin ? url.href : null;
  }

  /** A fixed table's [label, tone] for a model value; an unknown value is shown as text, neutral. */
  const lookup = (table, value) => (has(table, value) ? table[value] : [str(value) || 'Unknown', 'neutral']);

  // ---------------------------------------------------------------- formatting

  const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  const clockTime = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

  function duration(totalSeconds) {
    let rest = Math.max(0, Math.round(totalSeconds));
    const h = Math.floor(rest / 3600);
    rest -= h * 3600;
    const m = Math.floor(rest / 60);
    const s = rest - m * 60;
    if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
    if (m > 0) return s > 0 ? `${m}m ${s}s` : `${m}m`;
    return `${s}s`;
  }

  function bytes(value) {
    const n = num(value);
    if (n === null || n < 0) return null;
    const units = ['B', 'kB', 'MB', 'GB', 'TB'];
    let size = n;
    let unit = 0;
    while (size >= 1000 && unit < units.length - 1) {
      size /= 1000;
      unit += 1;
    }
    return `${unit === 0 ? size : size.toFixed(1)} ${units[unit]}`;
  }

  const shortHash = (value) => (value.length > 19 ? `${value.slice(0, 19)}…` : value);

  /** A digest-pinned reference with its digest in short form: registry.example.com/shop/api@sha256:9f343fb5e3da… */
  function shortPinned(value) {
    const at = value.lastIndexOf('@');
    return at < 0 ? value : `${value.slice(0, at + 1)}${shortHash(value.slice(at + 1))}`;
  }

  /**
   * What people call an image: its repository without the registry host (shop/api for
   * registry.example.com/shop/api). A first path component is a host when it has a dot or a colon or is
   * localhost, as image references have it.
   */
  function imageName(repository) {
    const slash = repository.indexOf('/');
    if (slash < 0) return repository;
    const first = repository.slice(0, slash);
    return /[.:]/.test(first) || first === 'localhost' ? repository.slice(slash + 1) : repository;
  }

  function sinceUntil(startValue, endValue) {
    const start = instant(startValue);
    const end = instant(endValue);
    return start && end ? duration((end - start) / 1000) : null;
  }

  window.immutableDeploymentParts = {
    values: Object.freeze({
      str, num, objects, strings, object, has, instant, percent, linkHref, sameOriginHref, lookup,
      dateTime, clockTime, duration, bytes, shortHash, shortPinned, imageName, sinceUntil,
    }),
  };
})();
