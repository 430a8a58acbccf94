// End-to-end check (plugin/src/e2e/run.sh): the release signing key (Secret text holding a PKCS#8 PEM, as a user
// pastes it) and the mock cluster's kubeconfig (Secret file), both global credentials.
import com.cloudbees.plugins.credentials.CredentialsScope
import com.cloudbees.plugins.credentials.SecretBytes
import com.cloudbees.plugins.credentials.SystemCredentialsProvider
import groovy.json.JsonSlurper
import hudson.util.Secret
import jenkins.model.Jenkins
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl

def setup = new JsonSlurper().parse(new File(Jenkins.get().rootDir, 'e2e-setup.json'))

def store = SystemCredentialsProvider.getInstance()
store.credentials.add(new StringCredentialsImpl(CredentialsScope.GLOBAL, 'release-signing-key', 'release signing key',
        Secret.fromString(new File(setup.signingKeyFile).text)))
store.credentials.add(new FileCredentialsImpl(CredentialsScope.GLOBAL, 'local-kubeconfig', 'mock cluster', 'kubeconfig',
        SecretBytes.fromRawBytes(new File(setup.kubeconfigFile).bytes)))
store.save()
