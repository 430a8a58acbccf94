package io.jenkins.plugins.immutabledeployment.config;

import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.credentials.CredentialsChoices;
import io.jenkins.plugins.immutabledeployment.forms.FormChecks;
import io.jenkins.plugins.immutabledeployment.oci.RegistryAddress;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * How to reach one OCI registry: its address, the credential to log in with, an extra CA to trust, and
 * whether it speaks plain HTTP (a local test registry). Only the credential id is stored, never a secret.
 */
public final class RegistryEntry implements Describable<RegistryEntry> {

    private final String url;
    private String credentialsId;
    private String caCertificate;
    private boolean plainHttp;

    @DataBoundConstructor
    public RegistryEntry(String url) {
        this.url = Util.fixEmptyAndTrim(url);
    }

    /** As configured: {@code host[:port]} or an http(s) URL. */
    public String getUrl() {
        return url;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    /** PEM text of an extra CA certificate to trust for this registry (public, not a secret). */
    public String getCaCertificate() {
        return caCertificate;
    }

    @DataBoundSetter
    public void setCaCertificate(String caCertificate) {
        this.caCertificate = Util.fixEmptyAndTrim(caCertificate);
    }

    public boolean isPlainHttp() {
        return plainHttp;
    }

    @DataBoundSetter
    public void setPlainHttp(boolean plainHttp) {
        this.plainHttp = plainHttp;
    }

    /** The {@code host[:port]} that image references name, lower-cased ({@link RegistryAddress}); null when the URL is unusable. */
    public String getHost() {
        try {
            return url == null ? null : RegistryAddress.parse(url, "url").host();
        } catch (InvalidInputException e) {
            return null;
        }
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<RegistryEntry> {

        @Override
        public String getDisplayName() {
            return "Registry";
        }

        public FormValidation doCheckUrl(@QueryParameter String value) {
            return FormChecks.registry(value);
        }

        public FormValidation doCheckCaCertificate(@QueryParameter String value) {
            return FormChecks.caCertificate(value);
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return CredentialsChoices.forGlobalConfiguration(CredentialsChoices.USERNAME_PASSWORD, credentialsId);
        }
    }
}
