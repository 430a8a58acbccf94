package io.jenkins.plugins.immutabledeployment.model;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import java.util.List;
import java.util.Optional;

/**
 * Makes the model document one viewer sees from a build's facts: everything the build recorded, each promotion and
 * rollout naming the build's image it used ({@code imageId}), {@code running} while the build still runs (the page
 * keeps updating itself until it ends), an image's signed provenance verified once a promotion verified it, and as actions only what this viewer may do now: approve or reject a
 * promotion that waits for them, promote or abort a rollout that waits for a person (a manual pause or an
 * inconclusive analysis) when they have the job's Build permission.
 */
public final class ModelAssembler {

    private ModelAssembler() {}

    /**
     * @param building whether the build that recorded {@code facts} still runs (Jenkins' {@code Run.isBuilding()}):
     *     the document is then {@code running} even when nothing in the facts is in flight
     */
    public static DeploymentModel assemble(BuildFacts facts, boolean building, Viewer viewer, ActionUrls urls) {
        DeploymentModel.Builder model = DeploymentModel.builder().building(building);
        facts.images().forEach(image -> model.image(verifiedByAPromotion(image, facts.promotions())));
        facts.promotions().forEach(p -> model.promotion(p.view().withImageId(imageId(facts.images(), p.view().from()))));
        facts.rollouts().forEach(r -> model.rollout(r.withImageId(imageId(facts.images(), r.image()))));
        facts.rollbacks().forEach(model::rollback);
        for (PromotionRecord promotion : facts.promotions()) {
            if (promotion.mayBeDecidedBy(viewer)) {
                model.action(ActionView.approve(promotion.id(), urls.url(ActionKind.APPROVE, promotion.id())));
                model.action(ActionView.reject(promotion.id(), urls.url(ActionKind.REJECT, promotion.id())));
            }
        }
        for (RolloutView rollout : facts.rollouts()) {
            if (viewer.mayBuild() && RolloutViews.awaitsDecision(rollout)) {
                model.action(ActionView.promote(rollout.id(), urls.url(ActionKind.PROMOTE, rollout.id())));
                model.action(ActionView.abort(rollout.id(), urls.url(ActionKind.ABORT, rollout.id())));
            }
        }
        return model.build();
    }

    /**
     * The image as recorded, shown verified when a promotion of this build verified the signature of the very
     * attestation the image's provenance names with a public key: the build that signed it cannot vouch for it itself.
     */
    private static ImageView verifiedByAPromotion(ImageView image, List<PromotionRecord> promotions) {
        ProvenanceView provenance = image.provenance();
        if (provenance == null || !provenance.signed() || provenance.verified() || provenance.attestationDigest() == null) {
            return image;
        }
        boolean verified = promotions.stream()
                .anyMatch(p -> provenance.attestationDigest().equals(p.view().verifiedProvenance()));
        return verified ? image.withProvenance(provenance.asVerified()) : image;
    }

    public static String json(BuildFacts facts, boolean building, Viewer viewer, ActionUrls urls) {
        return ModelJson.write(assemble(facts, building, viewer, urls));
    }

    /**
     * The build's image a digest-pinned {@code reference} is: the one pushed to that repository with that digest, else
     * the first pushed with that digest (the same bytes copied elsewhere, e.g. promoted from staging to prod);
     * {@code null} when none is, or the reference is not digest-pinned.
     */
    static String imageId(List<ImageView> images, String reference) {
        Optional<ImageRef> ref = parsed(reference);
        if (ref.isEmpty() || ref.get().digest() == null) {
            return null;
        }
        String digest = ref.get().digest().toString();
        List<ImageView> sameBytes = images.stream().filter(i -> i.digest().equals(digest)).toList();
        return sameBytes.stream()
                .filter(i -> parsed(i.repository()).map(ImageRef::name).filter(ref.get().name()::equals).isPresent())
                .findFirst()
                .or(() -> sameBytes.stream().findFirst())
                .map(ImageView::id)
                .orElse(null);
    }

    private static Optional<ImageRef> parsed(String reference) {
        if (reference == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ImageRef.parse(reference, "image"));
        } catch (InvalidInputException e) {
            return Optional.empty();
        }
    }
}
