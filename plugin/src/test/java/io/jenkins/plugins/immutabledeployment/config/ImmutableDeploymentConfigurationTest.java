package io.jenkins.plugins.immutabledeployment.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.immutabledeployment.steps.CanaryRolloutStep;
import io.jenkins.plugins.immutabledeployment.steps.RollbackToStep;
import java.util.List;
import jenkins.model.Jenkins;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class ImmutableDeploymentConfigurationTest {

    private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2E=\n-----END CERTIFICATE-----";

    @Test
    void keepsEverySettingThroughTheConfigurationPage(JenkinsRule r) throws Exception {
        ImmutableDeploymentConfiguration config = ImmutableDeploymentConfiguration.get();
        List<RegistryEntry> registries = List.of(registry("registry.example.com:5000", "registry"), new RegistryEntry("localhost:5000"));
        registries.get(1).setPlainHttp(true);
        List<ClusterEntry> clusters = List.of(kubeconfigCluster(), tokenCluster());
        config.setRegistries(registries);
        config.setClusters(clusters);
        config.setDefaultCanaryPlan("10,pause:2m,50,pause:5m,100");
        config.setSigningKeyCredentialsId("signing-key");
        config.setDefaultPrometheusUrl("http://prometheus:9090");

        r.configRoundtrip();

        ImmutableDeploymentConfiguration after = ImmutableDeploymentConfiguration.get();
        r.assertEqualDataBoundBeans(registries, after.getRegistries());
        r.assertEqualDataBoundBeans(clusters, after.getClusters());
        assertEquals("10,pause:2m,50,pause:5m,100", after.getDefaultCanaryPlan());
        assertEquals("signing-key", after.getSigningKeyCredentialsId());
        assertEquals("http://prometheus:9090", after.getDefaultPrometheusUrl());
    }

    @Test
    void survivesAReloadFromDisk(JenkinsRule r) throws Exception {
        ImmutableDeploymentConfiguration config = ImmutableDeploymentConfiguration.get();
        config.setRegistries(List.of(registry("https://registry.example.com", "registry")));
        config.setClusters(List.of(tokenCluster()));
        config.setDefaultCanaryPlan("10,100");

        ImmutableDeploymentConfiguration reloaded = new ImmutableDeploymentConfiguration();

        r.assertEqualDataBoundBeans(config.getRegistries(), reloaded.getRegistries());
        r.assertEqualDataBoundBeans(config.getClusters(), reloaded.getClusters());
        assertEquals("10,100", reloaded.getDefaultCanaryPlan());
    }

    @Test
    void findsRegistriesByHostAndClustersByName(JenkinsRule r) {
        ImmutableDeploymentConfiguration config = ImmutableDeploymentConfiguration.get();
        config.setRegistries(List.of(registry("https://Registry.Example.com:8443/", "a"), registry("localhost:5000", "b")));
        config.setClusters(List.of(kubeconfigCluster(), tokenCluster()));

        assertEquals("a", config.findRegistry("registry.example.com:8443").orElseThrow().getCredentialsId());
        assertEquals("b", config.findRegistry("localhost:5000").orElseThrow().getCredentialsId());
        assertTrue(config.findRegistry("registry.example.com").isEmpty());
        assertEquals("staging", config.findCluster("staging").orElseThrow().getName());
        assertTrue(config.findCluster("nowhere").isEmpty());
    }

    @Test
    void listsCredentialIdsToAdministratorsOnlyAndOnlyThoseBuildsCanUse(JenkinsRule r) throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("reader"));
        SystemCredentialsProvider store = SystemCredentialsProvider.getInstance();
        store.getCredentials().add(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "registry", null, "ci", "s3cret-pass"));
        store.getCredentials().add(new UsernamePasswordCredentialsImpl(CredentialsScope.SYSTEM, "system-only", null, "ci", "s3cret-pass"));
        store.save();
        RegistryEntry.DescriptorImpl descriptor = r.jenkins.getDescriptorByType(RegistryEntry.DescriptorImpl.class);

        try (ACLContext ignored = ACL.as2(User.getById("reader", true).impersonate2())) {
            assertTrue(descriptor.doFillCredentialsIdItems("").isEmpty(), "a non-administrator sees no credential ids");
        }
        try (ACLContext ignored = ACL.as2(User.getById("admin", true).impersonate2())) {
            List<String> ids = values(descriptor.doFillCredentialsIdItems(""));
            assertTrue(ids.contains("registry"), "GLOBAL credentials are listed: " + ids);
            assertTrue(!ids.contains("system-only"), "SYSTEM credentials are invisible to builds, so not listed: " + ids);
        }
    }

    @Test
    void listsClusterNamesOnlyToUsersWhoMayConfigureTheJob(JenkinsRule r) throws Exception {
        ImmutableDeploymentConfiguration.get().setClusters(List.of(new ClusterEntry("prod-eu")));
        FreeStyleProject job = r.createFreeStyleProject("shop");
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ, Item.CONFIGURE).everywhere().to("developer")
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader"));
        CanaryRolloutStep.DescriptorImpl canary = r.jenkins.getDescriptorByType(CanaryRolloutStep.DescriptorImpl.class);
        RollbackToStep.DescriptorImpl rollback = r.jenkins.getDescriptorByType(RollbackToStep.DescriptorImpl.class);

        try (ACLContext ignored = ACL.as2(User.getById("reader", true).impersonate2())) {
            assertEquals(List.of(""), values(canary.doFillClusterItems(job)), "only the default, no configured name");
            assertEquals(List.of(""), values(rollback.doFillClusterItems(job)));
            assertEquals(List.of(""), values(canary.doFillClusterItems(null)), "the root Snippet Generator needs Administer");
        }
        try (ACLContext ignored = ACL.as2(User.getById("developer", true).impersonate2())) {
            assertEquals(List.of("", "prod-eu"), values(canary.doFillClusterItems(job)));
            assertEquals(List.of("", "prod-eu"), values(rollback.doFillClusterItems(job)));
        }
    }

    private static List<String> values(ListBoxModel model) {
        return model.stream().map(o -> o.value).toList();
    }

    private static RegistryEntry registry(String url, String credentialsId) {
        RegistryEntry entry = new RegistryEntry(url);
        entry.setCredentialsId(credentialsId);
        entry.setCaCertificate(CA);
        return entry;
    }

    private static ClusterEntry kubeconfigCluster() {
        ClusterEntry cluster = new ClusterEntry("prod");
        cluster.setKubeconfigCredentialsId("prod-kubeconfig");
        cluster.setContext("prod-deployer");
        return cluster;
    }

    private static ClusterEntry tokenCluster() {
        ClusterEntry cluster = new ClusterEntry("staging");
        cluster.setServerUrl("https://kubernetes.staging.example.com:6443");
        cluster.setTokenCredentialsId("staging-token");
        cluster.setCaCertificate(CA);
        return cluster;
    }
}
