package io.jenkins.plugins.immutabledeployment.forms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.Util;
import hudson.util.FormValidation;
import hudson.util.FormValidation.Kind;
import io.jenkins.plugins.immutabledeployment.testing.OciLayouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forms accept exactly what the engine's parsers accept, and say what the engine says. */
class FormChecksTest {

    private static final String DIGEST = "sha256:" + "a1".repeat(32);

    @Test
    void durationsAreWhatTheEngineReads() {
        assertEquals(Kind.OK, FormChecks.duration("interval", "2m", true).kind);
        assertEquals(Kind.OK, FormChecks.duration("interval", "1h30m", true).kind);
        assertEquals(Kind.OK, FormChecks.duration("interval", "", false).kind);
        assertEquals(Kind.ERROR, FormChecks.duration("interval", "", true).kind);
        assertEquals(Kind.ERROR, FormChecks.duration("interval", "120", false).kind);
        assertEquals(Kind.ERROR, FormChecks.duration("interval", "2 minutes", false).kind);
        FormValidation days = FormChecks.duration("approval.timeout", "1d", false);
        assertEquals(Kind.ERROR, days.kind, "the engine has no days, so neither has the form");
        // getMessage() is the HTML the form shows: the engine's text, escaped.
        assertTrue(days.getMessage().startsWith(Util.escape("approval.timeout: \"1d\" is not a duration; expected a duration like 30s")), days.getMessage());
    }

    @Test
    void weightsAreWhatThePlanParserReadsAndShouldEndAtHundred() {
        assertEquals(Kind.OK, FormChecks.weights("10, 50,100").kind);
        assertEquals(Kind.WARNING, FormChecks.weights("10, 50").kind);
        assertEquals(Kind.ERROR, FormChecks.weights("50, 10, 100").kind);
        assertEquals(Kind.ERROR, FormChecks.weights("10, 150").kind);
        assertEquals(Kind.ERROR, FormChecks.weights("10, ten").kind);
    }

    @Test
    void imageReferencesAreWhatImageRefReads() {
        assertEquals(Kind.OK, FormChecks.imageReference("image", "registry.example.com:5000/shop/api@" + DIGEST, true).kind);
        assertEquals(Kind.OK, FormChecks.imageReference("image", "shop/api:1.4", false).kind);
        assertEquals(Kind.ERROR, FormChecks.imageReference("image", "shop/api:1.4", true).kind);
        assertEquals(Kind.ERROR, FormChecks.imageReference("image", "shop/api@sha256:abc", true).kind);
        assertEquals(Kind.ERROR, FormChecks.imageReference("image", "https://registry.example.com/shop/api", false).kind);
        assertEquals(Kind.ERROR, FormChecks.imageReference("image", "Shop/API", false).kind);
        FormValidation tagOnly = FormChecks.imageReference("image", "shop/api:1.4", true);
        assertTrue(tagOnly.getMessage().startsWith(Util.escape("image: \"docker.io/shop/api:1.4\" has no digest")), tagOnly.getMessage());
    }

    @Test
    void tagsAndPublicKeys() {
        assertEquals(Kind.OK, FormChecks.tag("release-42").kind);
        assertEquals(Kind.OK, FormChecks.tag("").kind);
        assertEquals(Kind.ERROR, FormChecks.tag("-rc").kind);
        assertEquals(Kind.ERROR, FormChecks.tag("a/b").kind);
        assertEquals(Kind.OK, FormChecks.publicKey("").kind);
        assertEquals(Kind.ERROR, FormChecks.publicKey("-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----").kind);
    }

    @Test
    void registriesAreWhatRegistryAddressReads() {
        assertEquals(Kind.OK, FormChecks.registry("registry.example.com").kind);
        assertEquals(Kind.OK, FormChecks.registry("127.0.0.1:5000").kind);
        assertEquals(Kind.OK, FormChecks.registry("https://registry.example.com:8443").kind);
        assertEquals(Kind.ERROR, FormChecks.registry("ftp://registry.example.com").kind);
        assertEquals(Kind.ERROR, FormChecks.registry("registry example").kind);
        FormValidation single = FormChecks.registry("registry");
        assertEquals(Kind.ERROR, single.kind, "references would take 'registry' for a Docker Hub path, so no entry could match");
        assertTrue(single.getMessage().startsWith(Util.escape("url: \"registry\" is not a registry host")), single.getMessage());
    }

    @Test
    void canaryPlansAreWhatThePlanParserReads() {
        assertEquals(Kind.OK, FormChecks.canaryPlan("10,pause:2m,analysis:errors,50,pause:manual,100").kind);
        assertEquals(Kind.ERROR, FormChecks.canaryPlan("10,wait:2m,100").kind);
        assertEquals(Kind.ERROR, FormChecks.canaryPlan("10,pause:soon,100").kind);
        assertEquals(Kind.ERROR, FormChecks.canaryPlan("10,101").kind);
    }

    @Test
    void kubernetesNamesAreWhatTheEngineAcceptsAndRevisions() {
        assertEquals(Kind.OK, FormChecks.deployment("shop-api.v2").kind);
        assertEquals(Kind.ERROR, FormChecks.deployment("Shop_API").kind);
        assertEquals(Kind.ERROR, FormChecks.deployment("").kind);
        assertEquals(Kind.ERROR, FormChecks.deployment("a".repeat(240)).kind, "no room for the lease's name suffix");
        assertEquals(Kind.OK, FormChecks.objectName("httpRoute", "a".repeat(240)).kind);
        assertEquals(Kind.OK, FormChecks.label("namespace", "").kind);
        assertEquals(Kind.ERROR, FormChecks.label("namespace", "a.b").kind);
        assertTrue(FormChecks.label("namespace", "a.b").getMessage().startsWith(Util.escape("namespace: \"a.b\" is not a valid name")));
        assertEquals(Kind.OK, FormChecks.revision("previous").kind);
        assertEquals(Kind.OK, FormChecks.revision("3").kind);
        assertEquals(Kind.ERROR, FormChecks.revision("0").kind);
        assertEquals(Kind.ERROR, FormChecks.revision("last").kind);
    }

    @Test
    void errorMessagesAreEscapedForTheBrowser() {
        FormValidation v = FormChecks.canaryPlan("<b>x</b>");
        assertEquals(Kind.ERROR, v.kind);
        assertEquals(false, v.renderHtml().contains("<b>"), v.renderHtml());
    }

    @Test
    void addressesAndCertificatesAreWhatTheEngineTakes(@TempDir Path dir) throws Exception {
        assertEquals(Kind.OK, FormChecks.prometheus("http://prometheus.monitoring:9090").kind);
        assertEquals(Kind.OK, FormChecks.prometheus("").kind);
        assertEquals(Kind.ERROR, FormChecks.prometheus("prometheus:9090").kind);
        FormValidation withCredentials = FormChecks.prometheus("http://u:s3cret@prometheus:9090");
        assertEquals(Kind.ERROR, withCredentials.kind);
        assertTrue(!withCredentials.getMessage().contains("s3cret"), withCredentials.getMessage());

        assertEquals(Kind.OK, FormChecks.caCertificate("").kind);
        assertEquals(Kind.ERROR, FormChecks.caCertificate("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----").kind);
        Path cert = dir.resolve("ca.pem");
        OciLayouts.run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", dir.resolve("ca.key").toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=test-ca"));
        assertEquals(Kind.OK, FormChecks.caCertificate(Files.readString(cert)).kind);
    }
}
