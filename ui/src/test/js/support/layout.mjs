// Layout judgements shared by the browser tests here and the end-to-end check in a live Jenkins
// (plugin/src/e2e, which copies this folder beside it).

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
