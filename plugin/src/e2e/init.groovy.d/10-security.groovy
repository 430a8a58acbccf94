// End-to-end check (plugin/src/e2e/run.sh): security on, with Jenkins' own user database. admin creates the jobs
// through the REST API with an API token; alice is the approval's only submitter; bob may build but is no submitter.
// Anyone logged in has full control; anonymous users may read (bin/boot's readiness probe reads /api/json).
import groovy.json.JsonSlurper
import hudson.model.User
import hudson.security.FullControlOnceLoggedInAuthorizationStrategy
import hudson.security.HudsonPrivateSecurityRealm
import jenkins.model.Jenkins
import jenkins.security.ApiTokenProperty

def jenkins = Jenkins.get()
def setup = new JsonSlurper().parse(new File(jenkins.rootDir, 'e2e-setup.json'))

def realm = new HudsonPrivateSecurityRealm(false)
jenkins.securityRealm = realm
setup.passwords.each { id, password -> realm.createAccount(id, password) }
def strategy = new FullControlOnceLoggedInAuthorizationStrategy()
strategy.allowAnonymousRead = true
jenkins.authorizationStrategy = strategy
jenkins.save()

def token = User.getById('admin', false).getProperty(ApiTokenProperty).generateNewToken('end-to-end check')
new File(setup.adminTokenFile).text = token.plainValue
