package io.jenkins.plugins.immutabledeployment.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Releases that happened but could not be written to the ledger (its ConfigMap kept refusing the write): kept on
 * the stable Deployment, in the annotation {@value #ANNOTATION} (a JSON list, oldest first), until the next rollout
 * or rollback of that Deployment writes them to the ledger before anything of its own. A rollout that ends so is
 * reported as "released, not recorded".
 */
public final class DeferredReleases {

    public static final String ANNOTATION = Labels.PREFIX + "unrecorded-releases";

    private static final TypeReference<List<Release>> RELEASES = new TypeReference<>() {};

    private final DeploymentAnnotation annotation;
    private final ReleaseLedger ledger;

    public DeferredReleases(KubernetesClient client, ReleaseLedger ledger) {
        this.annotation = new DeploymentAnnotation(client, ANNOTATION);
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    /** Keeps {@code release} on the Deployment for a later {@link #flush}. */
    public void defer(DeploymentTarget target, Release release) {
        annotation.update(target, stored -> {
            List<Release> all = new ArrayList<>(parse(stored));
            if (!all.contains(release)) {
                all.add(release);
            }
            return Optional.of(json(all));
        });
    }

    /** The releases waiting to be written, oldest first. */
    public List<Release> pending(DeploymentTarget target) {
        return parse(annotation.read(target));
    }

    /**
     * Writes the waiting releases to the ledger, oldest first, then removes them from the Deployment. Repeating it
     * after a failure part-way records nothing twice (the ledger skips an entry it has).
     *
     * @return the releases written
     */
    public List<Release> flush(DeploymentTarget target) {
        List<Release> waiting = pending(target);
        for (Release release : waiting) {
            ledger.append(target, release);
        }
        if (!waiting.isEmpty()) {
            annotation.update(target, stored -> {
                List<Release> left = new ArrayList<>(parse(stored));
                left.removeAll(waiting);
                return left.isEmpty() ? Optional.empty() : Optional.of(json(left));
            });
        }
        return waiting;
    }

    private static List<Release> parse(Optional<String> json) {
        if (json.isEmpty() || json.get().isBlank()) {
            return List.of();
        }
        try {
            return Json.mapper().readValue(json.get(), RELEASES);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return List.of(); // an edited, unreadable list: nothing can be recorded from it
        }
    }

    private static String json(List<Release> releases) {
        try {
            return Json.mapper().writeValueAsString(releases);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise releases", e);
        }
    }
}
