package io.jenkins.plugins.immutabledeployment.config;

import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.immutabledeployment.credentials.CredentialsChoices;
import io.jenkins.plugins.immutabledeployment.forms.FormChecks;
import io.jenkins.plugins.immutabledeployment.kube.KubeClients;
import java.util.regex.Pattern;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * How to reach one Kubernetes cluster, by the name steps use ({@code cluster: 'prod'}): either a kubeconfig
 * held in a Secret file credential (optionally a context in it), or an API server URL with a bearer token
 * held in a Secret text credential and the API server's CA certificate.
 */
public final class ClusterEntry implements Describable<ClusterEntry> {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,62})");

    private final String name;
    private String kubeconfigCredentialsId;
    private String context;
    private String serverUrl;
    private String tokenCredentialsId;
    private String caCertificate;

    @DataBoundConstructor
    public ClusterEntry(String name) {
        this.name = Util.fixEmptyAndTrim(name);
    }

    public String getName() {
        return name;
    }

    public String getKubeconfigCredentialsId() {
        return kubeconfigCredentialsId;
    }

    @DataBoundSetter
    public void setKubeconfigCredentialsId(String kubeconfigCredentialsId) {
        this.kubeconfigCredentialsId = Util.fixEmptyAndTrim(kubeconfigCredentialsId);
    }

    /** The kubeconfig context to use; its current context when empty. */
    public String getContext() {
        return context;
    }

    @DataBoundSetter
    public void setContext(String context) {
        this.context = Util.fixEmptyAndTrim(context);
    }

    public String getServerUrl() {
        return serverUrl;
    }

    @DataBoundSetter
    public void setServerUrl(String serverUrl) {
        this.serverUrl = Util.fixEmptyAndTrim(serverUrl);
    }

    public String getTokenCredentialsId() {
        return tokenCredentialsId;
    }

    @DataBoundSetter
    public void setTokenCredentialsId(String tokenCredentialsId) {
        this.tokenCredentialsId = Util.fixEmptyAndTrim(tokenCredentialsId);
    }

    /** PEM text of the API server's CA certificate (public, not a secret). */
    public String getCaCertificate() {
        return caCertificate;
    }

    @DataBoundSetter
    public void setCaCertificate(String caCertificate) {
        this.caCertificate = Util.fixEmptyAndTrim(caCertificate);
    }

    /** Whether this entry uses a kubeconfig (otherwise server URL + token). */
    public boolean usesKubeconfig() {
        return kubeconfigCredentialsId != null;
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<ClusterEntry> {

        @Override
        public String getDisplayName() {
            return "Cluster";
        }

        public FormValidation doCheckName(@QueryParameter String value) {
            if (Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.error("A name is required; steps refer to the cluster by it (cluster: 'prod').");
            }
            return NAME.matcher(value.trim()).matches()
                    ? FormValidation.ok()
                    : FormValidation.error("Expected up to 63 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        public FormValidation doCheckServerUrl(@QueryParameter String value, @QueryParameter String kubeconfigCredentialsId) {
            boolean kubeconfig = Util.fixEmptyAndTrim(kubeconfigCredentialsId) != null;
            boolean server = Util.fixEmptyAndTrim(value) != null;
            if (kubeconfig && server) {
                return FormValidation.error("Give either a kubeconfig credential or a server URL with a token, not both.");
            }
            if (!kubeconfig && !server) {
                return FormValidation.error("Give a kubeconfig credential, or a server URL with a token credential.");
            }
            return server ? FormChecks.engine(() -> KubeClients.serverUrl(value, "serverUrl")) : FormValidation.ok();
        }

        public FormValidation doCheckTokenCredentialsId(@QueryParameter String value, @QueryParameter String serverUrl) {
            if (Util.fixEmptyAndTrim(serverUrl) != null && Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.error("A server URL needs a token credential (Secret text).");
            }
            return FormValidation.ok();
        }

        public FormValidation doCheckCaCertificate(@QueryParameter String value) {
            return FormChecks.caCertificate(value);
        }

        @POST
        public ListBoxModel doFillKubeconfigCredentialsIdItems(@QueryParameter String kubeconfigCredentialsId) {
            return CredentialsChoices.forGlobalConfiguration(CredentialsChoices.SECRET_FILE, kubeconfigCredentialsId);
        }

        @POST
        public ListBoxModel doFillTokenCredentialsIdItems(@QueryParameter String tokenCredentialsId) {
            return CredentialsChoices.forGlobalConfiguration(CredentialsChoices.SECRET_TEXT, tokenCredentialsId);
        }
    }
}
