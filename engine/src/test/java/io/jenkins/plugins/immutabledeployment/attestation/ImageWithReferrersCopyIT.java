package io.jenkins.plugins.immutabledeployment.attestation;

import static io.jenkins.plugins.immutabledeployment.attestation.ReferrersIT.client;
import static io.jenkins.plugins.immutabledeployment.attestation.ReferrersIT.envelope;
import static io.jenkins.plugins.immutabledeployment.attestation.ReferrersIT.pushed;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.oci.Descriptor;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import io.jenkins.plugins.immutabledeployment.testing.ReferrersApiRegistry;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Skopeo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copying an image takes its attestations and SBOMs along: within a registry, between two, and across mechanisms. */
class ImageWithReferrersCopyIT {

    @AutoClose
    private static final RegistryServer registry = RegistryServer.plain();
    @AutoClose
    private static final RegistryServer other = RegistryServer.plain();
    @AutoClose
    private static final ReferrersApiRegistry withApi = ReferrersApiRegistry.start();

    @TempDir
    Path work;

    @Test
    void sameRegistryCopyTakesAttestationsAndSbomsAlong() throws Exception {
        RegistryClient client = client(registry);
        ImageRef image = attachedImage(client, registry.ref("dev/api:1"));

        ImageWithReferrersCopier.Copied copy = new ImageWithReferrersCopier(client, client, Progress.NONE)
                .copy(image, registry.ref("staging/api:1"), TagPolicy.IMMUTABLE);

        assertThat(copy.image().digest()).isEqualTo(image.digest());
        assertThat(copy.image().blobsMounted()).isEqualTo(2);
        assertThat(copy.attached()).hasSize(2);
        assertThat(copy.referrersCopied()).isEqualTo(2);
        assertThat(copy.referrers()).isEqualTo(ReferrerMechanism.TAG_SCHEMA);
        assertSameReferrers(client, "dev/api", client, "staging/api", image.digest());
        assertThat(Skopeo.inspectDigest(registry, "staging/api:1")).isEqualTo(image.digest());
        // the attestation can be read and checked in the new repository
        ImageAttestations there = new AttestationVerifier(client).check(registry.ref("staging/api").withDigest(image.digest()), null);
        assertThat(there.attestations()).singleElement().satisfies(a -> {
            assertThat(a.readable()).isTrue();
            assertThat(a.subjectMatches()).isTrue();
        });
        assertThat(there.sboms()).hasSize(1);

        // again: the target has them, nothing is copied twice
        assertThat(new ImageWithReferrersCopier(client, client, Progress.NONE)
                .copy(image, registry.ref("staging/api:1"), TagPolicy.IMMUTABLE).attached()).isEmpty();
    }

    @Test
    void crossRegistryCopyTakesThemAlongAndUsesTheTargetsMechanism() throws Exception {
        RegistryClient source = client(registry);
        ImageRef image = attachedImage(source, registry.ref("team/app:2"));
        RegistryClient target = client(other);
        RegistryClient api = new RegistryClient(withApi.host(), withApi.backend().connection());

        ImageWithReferrersCopier.Copied toOther = new ImageWithReferrersCopier(source, target, Progress.NONE)
                .copy(image, other.ref("mirror/app:2"), TagPolicy.IMMUTABLE);
        ImageWithReferrersCopier.Copied toApi = new ImageWithReferrersCopier(source, api, Progress.NONE)
                .copy(image, ImageRef.parse(withApi.host() + "/mirror/app:2", "to"), TagPolicy.IMMUTABLE);

        assertThat(toOther.attached()).hasSize(2);
        assertThat(toOther.referrers()).isEqualTo(ReferrerMechanism.TAG_SCHEMA);
        assertThat(toOther.image().blobsCopied()).isEqualTo(2);
        assertSameReferrers(source, "team/app", target, "mirror/app", image.digest());
        assertThat(new Referrers(target).list("mirror/app", image.digest()).mechanism())
                .isEqualTo(ReferrerMechanism.TAG_SCHEMA);

        assertThat(toApi.attached()).hasSize(2);
        assertThat(toApi.referrers()).isEqualTo(ReferrerMechanism.REFERRERS_API);
        assertSameReferrers(source, "team/app", api, "mirror/app", image.digest());
        assertThat(new Referrers(api).list("mirror/app", image.digest()).mechanism())
                .isEqualTo(ReferrerMechanism.REFERRERS_API);
        assertThat(api.listTags("mirror/app")).containsExactly("2");
    }

    /** An image with a provenance attestation and a CycloneDX SBOM attached. */
    private ImageRef attachedImage(RegistryClient client, ImageRef target) throws Exception {
        ImageRef image = pushed(client, target);
        ArtifactAttacher attacher = new ArtifactAttacher(client, Clock.systemUTC());
        attacher.attachAttestation(image, envelope(image, target.repository()));
        Path bom = Files.writeString(work.resolve(target.repository().replace('/', '-') + ".json"),
                "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\"}");
        attacher.attachSbom(image, Sbom.read(bom, "sbom"), Progress.NONE);
        return image;
    }

    private static void assertSameReferrers(
            RegistryClient source, String from, RegistryClient target, String to, Digest digest) {
        Set<Digest> expected = digests(new Referrers(source).list(from, digest).referrers());
        assertThat(expected).hasSize(2);
        assertThat(digests(new Referrers(target).list(to, digest).referrers())).isEqualTo(expected);
        for (Digest referrer : expected) {
            assertThat(target.getManifest(to, referrer.toString()).bytes())
                    .isEqualTo(source.getManifest(from, referrer.toString()).bytes());
        }
    }

    private static Set<Digest> digests(List<Descriptor> descriptors) {
        return descriptors.stream().map(Descriptor::digest).collect(Collectors.toSet());
    }
}
