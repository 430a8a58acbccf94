package io.jenkins.plugins.immutabledeployment.credentials;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.FreeStyleBuild;
import hudson.util.Secret;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.nio.charset.StandardCharsets;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class BuildCredentialsTest {

    private static final String PASSWORD = "pa55-never-shown";
    private static final String TOKEN = "token-never-shown";
    private static final byte[] KUBECONFIG = "apiVersion: v1\nkind: Config\n".getBytes(StandardCharsets.UTF_8);

    private BuildCredentials credentials;

    @BeforeEach
    void setUp(JenkinsRule r) throws Exception {
        SystemCredentialsProvider store = SystemCredentialsProvider.getInstance();
        store.getCredentials().add(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "registry", null, "ci", PASSWORD));
        store.getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL, "token", null, Secret.fromString(TOKEN)));
        store.getCredentials().add(new FileCredentialsImpl(CredentialsScope.GLOBAL, "kubeconfig", null, "config", SecretBytes.fromRawBytes(KUBECONFIG)));
        store.save();
        FreeStyleBuild build = r.buildAndAssertSuccess(r.createFreeStyleProject());
        credentials = new BuildCredentials(build);
    }

    @Test
    void resolvesEachKindIntoPlainValues() throws Exception {
        RegistryLogin login = credentials.usernamePassword("credentialsId", "registry");
        assertEquals("ci", login.username());
        assertEquals(PASSWORD, login.password());
        assertEquals(TOKEN, credentials.secretText("tokenCredentialsId", "token"));
        assertArrayEquals(KUBECONFIG, credentials.secretFile("kubeconfigCredentialsId", "kubeconfig"));
        assertArrayEquals(TOKEN.getBytes(StandardCharsets.UTF_8), credentials.secretTextOrFile("signingKeyCredentialsId", "token"));
        assertArrayEquals(KUBECONFIG, credentials.secretTextOrFile("signingKeyCredentialsId", "kubeconfig"));
    }

    @Test
    void refusesAnUnknownIdNamingTheField() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> credentials.usernamePassword("credentialsId", "nope"));
        assertEquals("credentialsId", e.field());
        assertTrue(e.getMessage().contains("\"nope\""), e.getMessage());
        assertTrue(e.getMessage().contains("Username with password"), e.getMessage());
    }

    @Test
    void refusesACredentialOfTheWrongKindWithoutShowingIt() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> credentials.secretText("tokenCredentialsId", "registry"));
        assertEquals("tokenCredentialsId", e.field());
        assertTrue(e.getMessage().contains("not Secret text"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), "no secret in the message");
    }

    @Test
    void refusesAnEmptyId() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> credentials.secretFile("kubeconfigCredentialsId", " "));
        assertEquals("kubeconfigCredentialsId", e.field());
    }

    @Test
    void loginNeverPrintsThePassword() {
        RegistryLogin login = credentials.usernamePassword("credentialsId", "registry");
        assertFalse(login.toString().contains(PASSWORD), login.toString());
    }
}
