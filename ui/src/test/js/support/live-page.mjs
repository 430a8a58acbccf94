// The job's Live deployments page as Jenkins renders the plugin's LiveReleasesAction/index.jelly, for the browser
// tests: the Jelly's own main panel with its row filled in for each release (every ${…} of it must be one this file
// knows, so a changed view is noticed), the adjuncts it includes, and around it a page laid out as Jenkins lays out
// a job's page (a side panel beside the main panel from 970 px on, core's jenkins-table spacing: page/jenkins.css).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const JELLY = fileURLToPath(new URL(
  '../../../../../plugin/src/main/resources/io/jenkins/plugins/immutabledeployment/actions/LiveReleasesAction/index.jelly',
  import.meta.url));
const ROWS = /<j:forEach var="live" items="\$\{it\.releases\}">([\s\S]*?)<\/j:forEach>/;

const escapeHtml = (value) => String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `template` with each ${expression} replaced by its value in `values`, escaped as Jelly's escape-by-default does. */
function fill(template, values) {
  return template.replace(/\$\{([^}]*)\}/g, (_, expression) => {
    if (!Object.prototype.hasOwnProperty.call(values, expression)) {
      throw new Error(`the test does not know the Jelly expression \${${expression}} in ${JELLY}`);
    }
    return escapeHtml(values[expression]);
  });
}

/**
 * The page's parts for `releases` ({cluster, namespace, deployment, image, buildUrl, buildDisplayName}; cluster
 * null is the default one): `adjuncts`, the names its <st:adjunct> tags include, and `main`, the main panel's HTML.
 */
export async function livePage(releases) {
  const jelly = await readFile(JELLY, 'utf8');
  const adjuncts = [...jelly.matchAll(/<st:adjunct includes="([^"]+)"\s*\/>/g)].map((match) => match[1]);
  const panel = /<l:main-panel>([\s\S]*)<\/l:main-panel>/.exec(jelly)[1];
  const row = ROWS.exec(panel)[1];
  const main = panel.replace(ROWS, () => releases.map((live) => fill(row, {
    "live.release.cluster != null ? live.release.cluster : 'default'": live.cluster ?? 'default',
    'live.release.namespace': live.namespace,
    'live.release.deployment': live.deployment,
    'live.release.image': live.image,
    rootURL: '',
    'live.buildUrl': live.buildUrl,
    'live.buildDisplayName': live.buildDisplayName,
  })).join(''));
  if (/\$\{|<[jst]:/.test(main)) throw new Error(`the test cannot render all of the main panel of ${JELLY}`);
  return { adjuncts, main };
}
