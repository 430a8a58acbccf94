package io.jenkins.plugins.immutabledeployment.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.oci.Digest;
import org.junit.jupiter.api.Test;

class ReferrersTagTest {

    private static final Digest SUBJECT = Digest.parse("sha256:" + "a".repeat(64));
    private static final Digest REFERRER = Digest.parse("sha256:0123456789abcdef" + "f".repeat(48));

    @Test
    void indexTagIsTheSpecsAlgorithmDashHex() {
        assertThat(ReferrersTag.index(SUBJECT)).isEqualTo("sha256-" + "a".repeat(64));
    }

    @Test
    void sha512IndexTagTruncatesTheHexTo64Characters() {
        Digest sha512 = Digest.parse("sha512:" + "b".repeat(128));
        assertThat(ReferrersTag.index(sha512)).isEqualTo("sha512-" + "b".repeat(64));
    }

    @Test
    void entryTagsAreValidTagsThatNameTheirReferrer() {
        String entry = ReferrersTag.entry(SUBJECT, REFERRER);

        assertThat(entry).isEqualTo("sha256-" + "a".repeat(64) + ".0123456789abcdef").hasSizeLessThanOrEqualTo(128);
        assertThat(entry).matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
        assertThat(ReferrersTag.entryPrefix(SUBJECT, entry)).contains("0123456789abcdef");
    }

    @Test
    void otherTagsAreNotEntries() {
        assertThat(ReferrersTag.entryPrefix(SUBJECT, ReferrersTag.index(SUBJECT))).isEmpty();
        assertThat(ReferrersTag.entryPrefix(SUBJECT, "sha256-" + "a".repeat(64) + ".att")).isEmpty();
        assertThat(ReferrersTag.entryPrefix(SUBJECT, "sha256-" + "a".repeat(64) + ".0123456789ABCDEF")).isEmpty();
        assertThat(ReferrersTag.entryPrefix(SUBJECT, ReferrersTag.entry(REFERRER, SUBJECT))).isEmpty();
        assertThat(ReferrersTag.entryPrefix(SUBJECT, "latest")).isEmpty();
    }
}
