// End-to-end check (plugin/src/e2e/run.sh): the Jenkins URL (provenance names the builder by it) and the global
// environment variables the check's Jenkinsfiles read: REGISTRY (host:port of the local docker-registry),
// IMAGE_LAYOUT and WORKER_LAYOUT (the OCI layouts umoci made for the release's two images) and SIGNING_PUBLIC_KEY
// (a PEM file; public material).
import groovy.json.JsonSlurper
import hudson.slaves.EnvironmentVariablesNodeProperty
import jenkins.model.Jenkins
import jenkins.model.JenkinsLocationConfiguration

def jenkins = Jenkins.get()
def setup = new JsonSlurper().parse(new File(jenkins.rootDir, 'e2e-setup.json'))

JenkinsLocationConfiguration.get().url = setup.jenkinsUrl

def variables = [REGISTRY: setup.registry, IMAGE_LAYOUT: setup.imageLayout, WORKER_LAYOUT: setup.workerLayout,
                 SIGNING_PUBLIC_KEY: setup.signingPublicKeyFile]
jenkins.globalNodeProperties.replaceBy([new EnvironmentVariablesNodeProperty(
        variables.collect { name, value -> new EnvironmentVariablesNodeProperty.Entry(name, value) })])
jenkins.save()
