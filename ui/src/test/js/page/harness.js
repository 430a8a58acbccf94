// Test-only instrumentation loaded before the adjunct: records the page's globals, Content-Security-Policy
// violations and every fetch the page makes (the UI's polling is observed through these records).
window.__globalsBeforeAdjunct = Object.getOwnPropertyNames(window);
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
window.__fetches = [];
const realFetch = window.fetch.bind(window);
window.fetch = (input, init) => {
  window.__fetches.push({ url: String(input), method: (init && init.method) || 'GET' });
  return realFetch(input, init);
};
