// The live Jenkins through its REST API, as `admin` with an API token (a token needs no CSRF crumb), and the
// waits a check needs: each polls with a deadline (the ui module's `eventually`, which run.sh copies beside this).
import { eventually } from '../ui-support/browser.mjs';

/** How often the waits ask Jenkins. */
const POLL_MS = 250;

const xml = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A Pipeline job's config.xml: display name, string parameters with defaults, the Jenkinsfile run in the sandbox. */
function pipelineXml({ displayName, parameters, jenkinsfile }) {
  const parameterXml = Object.entries(parameters).map(([name, value]) => `
        <hudson.model.StringParameterDefinition>
          <name>${xml(name)}</name>
          <defaultValue>${xml(value)}</defaultValue>
          <trim>false</trim>
        </hudson.model.StringParameterDefinition>`).join('');
  return `<?xml version='1.1' encoding='UTF-8'?>
<flow-definition>
  ${displayName ? `<displayName>${xml(displayName)}</displayName>` : ''}
  <properties>
    <hudson.model.ParametersDefinitionProperty>
      <parameterDefinitions>${parameterXml}
      </parameterDefinitions>
    </hudson.model.ParametersDefinitionProperty>
  </properties>
  <definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition">
    <script>${xml(jenkinsfile)}</script>
    <sandbox>true</sandbox>
  </definition>
</flow-definition>
`;
}

export function jenkinsClient(jenkinsUrl, user, token) {
  const authorization = `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`;

  async function request(path, { method = 'GET', body, type } = {}) {
    const headers = { Authorization: authorization };
    if (type) headers['Content-Type'] = type;
    return fetch(new URL(path, jenkinsUrl), { method, headers, body, redirect: 'manual' });
  }

  async function expectOk(path, response) {
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${(await response.text()).slice(0, 500)}`);
    return response;
  }

  const json = async (path) => (await expectOk(path, await request(path))).json();
  const text = async (path) => (await expectOk(path, await request(path))).text();

  return {
    json,
    text,

    /** Creates a Pipeline job through createItem with its config.xml. */
    async createPipeline(name, job) {
      const path = `createItem?name=${encodeURIComponent(name)}`;
      await expectOk(path, await request(path, { method: 'POST', body: pipelineXml(job), type: 'application/xml' }));
    },

    /** Starts a build with parameters; returns its number once it left the queue. */
    async build(name, parameters) {
      const path = `job/${encodeURIComponent(name)}/buildWithParameters?delay=0sec`;
      const response = await expectOk(path, await request(path, {
        method: 'POST', body: new URLSearchParams(parameters), type: 'application/x-www-form-urlencoded',
      }));
      const queueItem = new URL('api/json', response.headers.get('location')).pathname.replace(/^\//, '');
      const item = await eventually(async () => (await json(queueItem)).executable,
        { what: `${name} to leave the queue`, timeout: 60000, interval: POLL_MS });
      return item.number;
    },

    /** The build's state: building, result, displayName. */
    buildState: (name, number) => json(`job/${encodeURIComponent(name)}/${number}/api/json?tree=building,result,displayName`),

    /** Waits for the build to finish and returns its result. */
    async awaitResult(name, number, timeout = 120000) {
      const done = await eventually(async () => {
        const state = await json(`job/${encodeURIComponent(name)}/${number}/api/json?tree=building,result`);
        return state.building ? null : state;
      }, { what: `${name} #${number} to finish`, timeout, interval: POLL_MS });
      return done.result;
    },

    /** The build's deployment model as admin sees it (admin is no submitter: no approve/reject actions). */
    model: (name, number) => json(`job/${encodeURIComponent(name)}/${number}/immutable-deployment/model.json`),

    consoleText: (name, number) => text(`job/${encodeURIComponent(name)}/${number}/consoleText`),
  };
}
