package io.jenkins.plugins.immutabledeployment.steps;

import io.jenkins.plugins.immutabledeployment.attestation.ReleaseResult;
import io.jenkins.plugins.immutabledeployment.oci.PushResult;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a push on an agent did, brought back to the controller as plain serializable values. */
final class PushOutcome implements Serializable {

    private static final long serialVersionUID = 1L;

    final String image;
    final String digest;
    final String repository;
    final String tag;
    final long size;
    final String provenance;
    final String sbom;

    private PushOutcome(String image, String digest, String repository, String tag, long size, String provenance, String sbom) {
        this.image = image;
        this.digest = digest;
        this.repository = repository;
        this.tag = tag;
        this.size = size;
        this.provenance = provenance;
        this.sbom = sbom;
    }

    static PushOutcome of(ReleaseResult result) {
        PushResult push = result.push();
        return new PushOutcome(push.image(), push.digest().toString(), push.repository(), push.tag(), push.size(),
                result.provenance() == null ? null : result.provenance().toString(), result.sbom() == null ? null : result.sbom().toString());
    }

    /**
     * The step's result: image, digest, repository, tag (when one was written), size, provenance (the attestation's
     * digest, when attached), sbom (the SBOM artifact's digest, when attached).
     */
    Map<String, Object> stepResult() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("image", image);
        result.put("digest", digest);
        result.put("repository", repository);
        if (tag != null) {
            result.put("tag", tag);
        }
        result.put("size", size);
        if (provenance != null) {
            result.put("provenance", provenance);
        }
        if (sbom != null) {
            result.put("sbom", sbom);
        }
        return result;
    }
}
