package io.jenkins.plugins.immutabledeployment.kube;

/**
 * How far the stable Deployment's own rollout (after its image was set) has come.
 *
 * @param generation               the generation that carries the new image
 * @param observedGeneration       the generation the Deployment controller has acted on
 * @param replicas                 the desired replica count
 * @param updatedReplicas          pods of the new template
 * @param availableReplicas        available pods (ready for minReadySeconds)
 * @param totalReplicas            all pods, old ones included
 * @param progressDeadlineExceeded whether the controller reported ProgressDeadlineExceeded
 */
public record PromotionStatus(
        long generation,
        long observedGeneration,
        int replicas,
        int updatedReplicas,
        int availableReplicas,
        int totalReplicas,
        boolean progressDeadlineExceeded) {

    /** Every pod runs the new template and is available, and no old pod is left. */
    public boolean complete() {
        return observedGeneration >= generation
                && updatedReplicas == replicas
                && totalReplicas == replicas
                && availableReplicas == replicas;
    }

    public String summary() {
        if (observedGeneration < generation) {
            return "waiting for the Deployment controller to see generation " + generation;
        }
        return updatedReplicas + " of " + replicas + " pods updated, " + availableReplicas + " available, "
                + (totalReplicas - updatedReplicas) + " old pods left" + (progressDeadlineExceeded ? ", progress deadline exceeded" : "");
    }
}
