package io.jenkins.plugins.immutabledeployment.config;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.immutabledeployment.credentials.CredentialsChoices;
import io.jenkins.plugins.immutabledeployment.forms.FormChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import jenkins.model.GlobalConfiguration;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins → System → Immutable Deployment: registries, clusters and defaults the steps use.
 * Configuration as Code sets it under {@code unclassified: immutableDeployment:}. Only credential ids are
 * stored.
 */
@Extension
@Symbol("immutableDeployment")
public class ImmutableDeploymentConfiguration extends GlobalConfiguration {

    private List<RegistryEntry> registries = new ArrayList<>();
    private List<ClusterEntry> clusters = new ArrayList<>();
    private String defaultCanaryPlan;
    private String signingKeyCredentialsId;
    private String defaultPrometheusUrl;

    public ImmutableDeploymentConfiguration() {
        load();
    }

    public static ImmutableDeploymentConfiguration get() {
        return ExtensionList.lookupSingleton(ImmutableDeploymentConfiguration.class);
    }

    /** Saved data from older versions may lack the lists. */
    protected Object readResolve() {
        if (registries == null) {
            registries = new ArrayList<>();
        }
        if (clusters == null) {
            clusters = new ArrayList<>();
        }
        return this;
    }

    public List<RegistryEntry> getRegistries() {
        return List.copyOf(registries);
    }

    @DataBoundSetter
    public void setRegistries(List<RegistryEntry> registries) {
        this.registries = registries == null ? new ArrayList<>() : new ArrayList<>(registries);
        save();
    }

    public List<ClusterEntry> getClusters() {
        return List.copyOf(clusters);
    }

    @DataBoundSetter
    public void setClusters(List<ClusterEntry> clusters) {
        this.clusters = clusters == null ? new ArrayList<>() : new ArrayList<>(clusters);
        save();
    }

    /** The plan {@code canaryRollout} uses when a step gives neither steps nor weights, e.g. {@code 10,pause:2m,50,pause:5m,100}. */
    public String getDefaultCanaryPlan() {
        return defaultCanaryPlan;
    }

    @DataBoundSetter
    public void setDefaultCanaryPlan(String defaultCanaryPlan) {
        this.defaultCanaryPlan = Util.fixEmptyAndTrim(defaultCanaryPlan);
        save();
    }

    /** Id of a Secret text or Secret file credential holding a PKCS#8 PEM private key (ECDSA P-256 or Ed25519). */
    public String getSigningKeyCredentialsId() {
        return signingKeyCredentialsId;
    }

    @DataBoundSetter
    public void setSigningKeyCredentialsId(String signingKeyCredentialsId) {
        this.signingKeyCredentialsId = Util.fixEmptyAndTrim(signingKeyCredentialsId);
        save();
    }

    public String getDefaultPrometheusUrl() {
        return defaultPrometheusUrl;
    }

    @DataBoundSetter
    public void setDefaultPrometheusUrl(String defaultPrometheusUrl) {
        this.defaultPrometheusUrl = Util.fixEmptyAndTrim(defaultPrometheusUrl);
        save();
    }

    /** The registry entry whose {@code host[:port]} is {@code host}, if one is configured. */
    public Optional<RegistryEntry> findRegistry(String host) {
        if (host == null) {
            return Optional.empty();
        }
        String wanted = host.toLowerCase(Locale.ROOT);
        return registries.stream().filter(r -> wanted.equals(r.getHost())).findFirst();
    }

    /** The cluster entry named {@code name}, if one is configured. */
    public Optional<ClusterEntry> findCluster(String name) {
        return clusters.stream().filter(c -> c.getName() != null && c.getName().equals(name)).findFirst();
    }

    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        // A list left empty in the form is absent from the JSON: clear first so removing the last entry sticks.
        registries = new ArrayList<>();
        clusters = new ArrayList<>();
        req.bindJSON(this, json);
        save();
        return true;
    }

    public FormValidation doCheckDefaultCanaryPlan(@QueryParameter String value) {
        return FormChecks.canaryPlan(value);
    }

    public FormValidation doCheckDefaultPrometheusUrl(@QueryParameter String value) {
        return FormChecks.prometheus(value);
    }

    @POST
    public ListBoxModel doFillSigningKeyCredentialsIdItems(@QueryParameter String signingKeyCredentialsId) {
        return CredentialsChoices.forGlobalConfiguration(CredentialsChoices.SECRET_TEXT_OR_FILE, signingKeyCredentialsId);
    }
}
