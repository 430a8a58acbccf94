// A tiny loopback web server for the browser tests: it serves the real adjunct files from
// src/main/resources as Stapler would, a test page that includes the adjunct as <st:adjunct> would,
// the golden model documents (mutable per test), and records the POSTs the page makes.
import { createServer } from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { livePage } from './live-page.mjs';

const UI_DIR = fileURLToPath(new URL('../../../../', import.meta.url));
export const ADJUNCT_DIR = path.join(UI_DIR, 'src/main/resources');
export const EXAMPLES_DIR = path.join(UI_DIR, '..', 'docs/model/examples');
const PAGE_DIR = fileURLToPath(new URL('../page/', import.meta.url));
export const ADJUNCT = 'io.jenkins.plugins.immutabledeployment.ui.deployment';

// What Jenkins sends by default (jenkins.security.csp), reduced to what matters here.
export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'";
export const CRUMB_HEADER = 'Jenkins-Crumb';
export const CRUMB_VALUE = 'crumb-5f4dcc3b';
/** Where the summary links to: the action's own page. */
export const DETAIL_PATH = '/job/shop/job/api/42/immutable-deployment/';

const TYPES = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

export async function loadExamples() {
  const examples = new Map();
  for (const file of (await readdir(EXAMPLES_DIR)).filter((f) => f.endsWith('.json')).sort()) {
    examples.set(file.slice(0, -'.json'.length), JSON.parse(await readFile(path.join(EXAMPLES_DIR, file), 'utf8')));
  }
  return examples;
}

// Stapler's Adjunct: a line of an adjunct's .css or .js that starts with "// @include name" (or "/* @include
// name") names an adjunct it needs.
const INCLUDE = /^\/[/*]\s*@include (\S+)/;

/**
 * The tags <st:adjunct includes="name"/> writes (Stapler's AdjunctsInPage and Adjunct): the adjuncts it
 * includes first, depth first and each once, then its stylesheet and its script.
 */
export async function adjunctTags(name, written = new Set()) {
  if (written.has(name)) return '';
  written.add(name);
  const base = path.join(ADJUNCT_DIR, ...name.split('.'));
  const read = (file) => readFile(file, 'utf8').catch((error) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
  const [css, js] = await Promise.all([read(`${base}.css`), read(`${base}.js`)]);
  if (css === null && js === null) throw new Error(`no such adjunct: ${name}`);
  let tags = '';
  for (const line of [css, js].filter((text) => text !== null).join('\n').split('\n')) {
    const include = INCLUDE.exec(line);
    if (include) tags += await adjunctTags(include[1], written);
  }
  const url = `/adjuncts/${name.split('.').join('/')}`;
  if (css !== null) tags += `<link rel='stylesheet' href='${url}.css' type='text/css' />\n`;
  if (js !== null) tags += `<script src='${url}.js' type='text/javascript'></script>\n`;
  return tags;
}

const escapeAttribute = (value) => String(value).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

// The mount point as the plugin's Jelly writes it: the build page's summary box (summary.jelly inside core's
// t:summary row of the build status page's summary table, beside the floated "Started … / Took …" box of
// Run/index.jelly), or the action's own page (index.jelly).
function mount({ model, poll, crumbOn, view }) {
  const crumb = crumbOn === 'head' ? '' : ` data-crumb-header="${CRUMB_HEADER}" data-crumb-value="${CRUMB_VALUE}"`;
  const host = `<div class="immutable-deployment"${view ? ` data-view="${escapeAttribute(view)}"` : ''}
     data-model-url="/model/${escapeAttribute(model)}" data-detail-url="${DETAIL_PATH}"${poll ? ` data-poll-interval="${escapeAttribute(poll)}"` : ''}
     ${crumb}>Loading deployment details…</div>`;
  if (view !== 'summary') return host;
  return `<div class="run-times">Started 12 min ago<br>Took 10 min</div>
<table class="run-summary">
<tr class="app-summary">
<td class="run-summary__icon"><span aria-hidden="true">▣</span></td>
<td class="run-summary__body">
<a href="${DETAIL_PATH}" class="immutable-deployment-link">Immutable Deployment</a>
${host}
</td>
</tr>
</table>`;
}

function page({ adjunct, crumbOn, theme, ...rest }) {
  const crumb = `data-crumb-header="${CRUMB_HEADER}" data-crumb-value="${CRUMB_VALUE}"`;
  return `<!doctype html>
<html lang="en">
<head${crumbOn === 'head' ? ` ${crumb}` : ''}>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build #42 - test page</title>
<link rel="stylesheet" href="/test/page.css">
${theme === 'jenkins-dark' ? '<link rel="stylesheet" href="/test/jenkins-dark.css">' : ''}
<script src="/test/harness.js"></script>
${adjunct}</head>
<body>
<main>
<h1>Build #42</h1>
${mount({ crumbOn, ...rest })}
</main>
</body>
</html>
`;
}

// The job's Live deployments page (LiveReleasesAction/index.jelly) in a page laid out as Jenkins lays out a job's.
async function liveDeploymentsPage(releases) {
  const { adjuncts, main } = await livePage(releases);
  const written = new Set();
  let tags = '';
  for (const name of adjuncts) tags += await adjunctTags(name, written);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>shop » release · Live deployments - test page</title>
<link rel="stylesheet" href="/test/page.css">
<link rel="stylesheet" href="/test/jenkins.css">
<script src="/test/harness.js"></script>
${tags}</head>
<body>
<div class="jenkins-page">
<aside>Status<br>Build with Parameters<br>Configure<br>Live deployments</aside>
<main>${main}</main>
</div>
</body>
</html>
`;
}

export async function startServer() {
  const models = new Map();
  const failures = new Map();
  const modelRequests = new Map();
  const posts = [];
  let onPost = () => 200;
  let liveReleases = [];
  const adjunct = await adjunctTags(ADJUNCT);

  const server = createServer(async (request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    const send = (status, type, body, headers = {}) => {
      response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
      response.end(body);
    };
    try {
      if (request.method === 'GET' && url.pathname === '/page') {
        const csp = url.searchParams.get('csp') !== 'off';
        send(200, 'text/html; charset=utf-8', page({
          adjunct,
          model: url.searchParams.get('model') || '',
          poll: url.searchParams.get('poll'),
          theme: url.searchParams.get('theme'),
          crumbOn: url.searchParams.get('crumbOn'),
          view: url.searchParams.get('view'),
        }), csp ? { 'Content-Security-Policy': CSP } : {});
      } else if (request.method === 'GET' && url.pathname === '/live') {
        send(200, 'text/html; charset=utf-8', await liveDeploymentsPage(liveReleases), { 'Content-Security-Policy': CSP });
      } else if (request.method === 'GET' && url.pathname.startsWith('/model/')) {
        const name = decodeURIComponent(url.pathname.slice('/model/'.length));
        modelRequests.set(name, (modelRequests.get(name) || 0) + 1);
        if (failures.has(name)) send(failures.get(name), 'text/plain', 'failing on purpose');
        else if (models.has(name)) send(200, 'application/json', JSON.stringify(models.get(name)));
        else send(404, 'text/plain', 'no such model');
      } else if (request.method === 'GET' && (url.pathname.startsWith('/adjuncts/') || url.pathname.startsWith('/test/'))) {
        const [root, rest] = url.pathname.startsWith('/adjuncts/')
          ? [ADJUNCT_DIR, url.pathname.slice('/adjuncts/'.length)]
          : [PAGE_DIR, url.pathname.slice('/test/'.length)];
        const file = path.resolve(root, rest);
        if (!file.startsWith(root) || !TYPES[path.extname(file)]) return send(404, 'text/plain', 'not found');
        send(200, TYPES[path.extname(file)], await readFile(file));
      } else if (url.pathname === '/favicon.ico') {
        send(204, 'image/x-icon', '');
      } else if (request.method === 'POST') {
        let body = '';
        for await (const chunk of request) body += chunk;
        const post = { path: url.pathname + url.search, headers: request.headers, body };
        posts.push(post);
        send(onPost(post), 'text/plain', 'ok');
      } else {
        send(404, 'text/plain', 'not found');
      }
    } catch (error) {
      send(500, 'text/plain', String(error));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;

  return {
    origin,
    pageUrl: (model, options = {}) => {
      const query = new URLSearchParams({ model, ...options });
      return `${origin}/page?${query}`;
    },
    setModel: (name, model) => { failures.delete(name); models.set(name, structuredClone(model)); },
    /** What the Live deployments page (/live) lists: {cluster, namespace, deployment, image, buildUrl, buildDisplayName}. */
    setLiveReleases: (releases) => { liveReleases = structuredClone(releases); },
    liveUrl: () => `${origin}/live`,
    fail: (name, status) => failures.set(name, status),
    heal: (name) => failures.delete(name),
    requests: (name) => modelRequests.get(name) || 0,
    posts,
    onPost: (handler) => { onPost = handler; },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
