package io.jenkins.plugins.immutabledeployment.forms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import hudson.util.FormValidation;
import hudson.util.FormValidation.Kind;
import org.junit.jupiter.api.Test;

class FormChecksTest {

    private static final String DIGEST = "sha256:" + "a1".repeat(32);

    @Test
    void acceptsDurationsWithUnitsOnly() {
        assertEquals(Kind.OK, FormChecks.duration("2m", true).kind);
        assertEquals(Kind.OK, FormChecks.duration("1h30m", true).kind);
        assertEquals(Kind.OK, FormChecks.duration("", false).kind);
        assertEquals(Kind.ERROR, FormChecks.duration("", true).kind);
        assertEquals(Kind.ERROR, FormChecks.duration("120", false).kind);
        assertEquals(Kind.ERROR, FormChecks.duration("2 minutes", false).kind);
    }

    @Test
    void weightsGoUpWithinZeroToHundredAndShouldEndAtHundred() {
        assertEquals(Kind.OK, FormChecks.weights("10, 50,100").kind);
        assertEquals(Kind.WARNING, FormChecks.weights("10, 50").kind);
        assertEquals(Kind.ERROR, FormChecks.weights("50, 10, 100").kind);
        assertEquals(Kind.ERROR, FormChecks.weights("10, 150").kind);
        assertEquals(Kind.ERROR, FormChecks.weights("10, ten").kind);
    }

    @Test
    void imageReferencesNeedADigestWhereAsked() {
        assertEquals(Kind.OK, FormChecks.imageReference("registry.example.com:5000/shop/api@" + DIGEST, true).kind);
        assertEquals(Kind.OK, FormChecks.imageReference("shop/api:1.4", false).kind);
        assertEquals(Kind.ERROR, FormChecks.imageReference("shop/api:1.4", true).kind);
        assertEquals(Kind.ERROR, FormChecks.imageReference("shop/api@sha256:abc", true).kind);
        assertEquals(Kind.ERROR, FormChecks.imageReference("https://registry.example.com/shop/api", false).kind);
        assertEquals(Kind.ERROR, FormChecks.imageReference("Shop/API", false).kind);
    }

    @Test
    void repositoriesToPushToHaveNoDigest() {
        assertEquals(Kind.OK, FormChecks.repository("registry.example.com/shop/api").kind);
        assertEquals(Kind.OK, FormChecks.repository("localhost:5000/api:dev").kind);
        assertEquals(Kind.ERROR, FormChecks.repository("registry.example.com/shop/api@" + DIGEST).kind);
    }

    @Test
    void registriesAreHostPortOrHttpUrls() {
        assertEquals(Kind.OK, FormChecks.registry("registry.example.com").kind);
        assertEquals(Kind.OK, FormChecks.registry("127.0.0.1:5000").kind);
        assertEquals(Kind.OK, FormChecks.registry("https://registry.example.com:8443").kind);
        assertEquals(Kind.ERROR, FormChecks.registry("ftp://registry.example.com").kind);
        assertEquals(Kind.ERROR, FormChecks.registry("registry example").kind);
    }

    @Test
    void canaryPlansAreWeightsPausesAndAnalyses() {
        assertEquals(Kind.OK, FormChecks.canaryPlan("10,pause:2m,analysis:errors,50,pause:manual,100").kind);
        assertEquals(Kind.ERROR, FormChecks.canaryPlan("10,wait:2m,100").kind);
        assertEquals(Kind.ERROR, FormChecks.canaryPlan("10,pause:soon,100").kind);
        assertEquals(Kind.ERROR, FormChecks.canaryPlan("10,101").kind);
    }

    @Test
    void kubernetesNamesAndRevisions() {
        assertEquals(Kind.OK, FormChecks.kubernetesName("shop-api.v2", true).kind);
        assertEquals(Kind.ERROR, FormChecks.kubernetesName("Shop_API", true).kind);
        assertEquals(Kind.ERROR, FormChecks.kubernetesLabel("a.b", true).kind);
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
}
