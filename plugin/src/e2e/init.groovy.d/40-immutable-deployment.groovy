// End-to-end check (plugin/src/e2e/run.sh): Manage Jenkins → System → Immutable Deployment: the local
// docker-registry over plain HTTP, and the mock cluster as cluster 'local' through its kubeconfig credential.
import groovy.json.JsonSlurper
import io.jenkins.plugins.immutabledeployment.config.ClusterEntry
import io.jenkins.plugins.immutabledeployment.config.ImmutableDeploymentConfiguration
import io.jenkins.plugins.immutabledeployment.config.RegistryEntry
import jenkins.model.Jenkins

def setup = new JsonSlurper().parse(new File(Jenkins.get().rootDir, 'e2e-setup.json'))

def registry = new RegistryEntry(setup.registry)
registry.plainHttp = true
def cluster = new ClusterEntry('local')
cluster.kubeconfigCredentialsId = 'local-kubeconfig'
def configuration = ImmutableDeploymentConfiguration.get()
configuration.registries = [registry]
configuration.clusters = [cluster]
