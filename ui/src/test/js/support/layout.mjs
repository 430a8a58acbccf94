// Layout judgements shared by the browser tests here and the end-to-end check in a live Jenkins
// (plugin/src/e2e, which copies this folder beside it).

/**
 * For each summary entry the locator finds: 'ok' when it reads as one line, or two where a long reference moved to
 * the next line as a whole, never broken inside (its parts' centres take at most two rows and no code element
 * wraps); otherwise what is wrong with it.
 */
export const compactEntries = (locator) => locator.evaluateAll((items) => items.map((item) => {
  const parts = Array.from(item.children).filter((c) => c.getClientRects().length > 0);
  const centres = parts.map((c) => c.getBoundingClientRect().top + c.getBoundingClientRect().height / 2).sort((a, b) => a - b);
  const rows = centres.filter((centre, i) => i === 0 || centre - centres[i - 1] > 8);
  const broken = Array.from(item.querySelectorAll('code'))
    .filter((code) => code.getBoundingClientRect().height > 1.8 * parseFloat(getComputedStyle(code).lineHeight));
  return rows.length <= 2 && broken.length === 0 ? 'ok' : `${item.className}: ${rows.length} rows, ${broken.length} broken`;
}));

/** How wide the page is (its scroll width), and the first elements that stick out of the window where their parent does not. */
export const pageOverflow = (page) => page.evaluate(() => {
  const right = (element) => element.getBoundingClientRect().right;
  const limit = document.documentElement.clientWidth + 1;
  const name = (element) => `<${element.tagName.toLowerCase()}${typeof element.className === 'string' && element.className ? ` class="${element.className}"` : ''}>`;
  return {
    pageWidth: document.documentElement.scrollWidth,
    stickingOut: Array.from(document.body.querySelectorAll('*'))
      .filter((element) => right(element) > limit && element.parentElement && right(element.parentElement) <= limit)
      .slice(0, 3).map((element) => `${name(element)} to ${Math.round(right(element))} px`),
  };
});
