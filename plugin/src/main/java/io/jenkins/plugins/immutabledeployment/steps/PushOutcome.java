package io.jenkins.plugins.immutabledeployment.steps;

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

    private PushOutcome(String image, String digest, String repository, String tag, long size) {
        this.image = image;
        this.digest = digest;
        this.repository = repository;
        this.tag = tag;
        this.size = size;
    }

    static PushOutcome of(PushResult result) {
        return new PushOutcome(result.image(), result.digest().toString(), result.repository(), result.tag(), result.size());
    }

    /** The step's result: image, digest, repository, tag (when one was written), size. */
    Map<String, Object> stepResult() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("image", image);
        result.put("digest", digest);
        result.put("repository", repository);
        if (tag != null) {
            result.put("tag", tag);
        }
        result.put("size", size);
        return result;
    }
}
