package io.jenkins.plugins.immutabledeployment.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromotionRequestTest {

    private static final String IMAGE = "registry.example.com/shop/api@sha256:" + "9f".repeat(32);

    private static Map<String, Object> params(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        map.put("image", IMAGE);
        map.put("to", "registry.example.com/shop-prod/api");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void aPlainPromotion() {
        PromotionRequest request = PromotionRequest.parse(params("tag", "release-42", "stage", "production"));
        assertThat(request.source().toString()).isEqualTo(IMAGE);
        assertThat(request.target().toString()).isEqualTo("registry.example.com/shop-prod/api:release-42");
        assertThat(request.stage()).isEqualTo("production");
        assertThat(request.approval()).isNull();
        assertThat(request.promotion().gates().any()).isFalse();
    }

    @Test
    void anApprovalWithItsDefaults() {
        PromotionRequest request = PromotionRequest.parse(params("approval", Map.of("submitters", "release-managers", "timeout", "24h")));
        assertThat(request.approval().submitters().names()).containsExactly("release-managers");
        assertThat(request.approval().timeout()).isEqualTo(Duration.ofHours(24));
        assertThat(request.approval().prompt()).isEqualTo("Promote " + IMAGE + " to registry.example.com/shop-prod/api?");
        assertThat(request.stage()).as("no stage given: the target's repository path").isEqualTo("shop-prod.api");
    }

    @Test
    void refusesBadApprovals() {
        assertThatThrownBy(() -> PromotionRequest.parse(params("approval", Map.of("submitters", "alice", "timeout", "1 day"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("approval.timeout: \"1 day\" is not a duration");
        assertThatThrownBy(() -> PromotionRequest.parse(params("approval", Map.of("submitters", "alice", "timeout", "0s"))))
                .hasMessageStartingWith("approval.timeout: is zero");
        assertThatThrownBy(() -> PromotionRequest.parse(params("approval", Map.of("timeout", "1h"))))
                .hasMessageStartingWith("approval.submitters: is empty");
        assertThatThrownBy(() -> PromotionRequest.parse(params("approval", Map.of("submitters", "alice", "approvers", "bob"))))
                .hasMessageStartingWith("approvers: is not a parameter of approval");
    }

    @Test
    void aTagOnlySourceNeedsResolve() {
        assertThatThrownBy(() -> PromotionRequest.parse(params("image", "registry.example.com/shop/api:1.4")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("image: \"registry.example.com/shop/api:1.4\" is not pinned by digest");
        PromotionRequest resolving = PromotionRequest.parse(params("image", "registry.example.com/shop/api:1.4", "resolve", true));
        assertThat(resolving.promotion().resolve()).isTrue();
        assertThat(resolving.source().digest()).isNull();
    }

    @Test
    void refusesBadTargetsStagesAndGates() {
        assertThatThrownBy(() -> PromotionRequest.parse(params("to", IMAGE)))
                .hasMessageStartingWith("to: \"" + IMAGE + "\" has a digest");
        assertThatThrownBy(() -> PromotionRequest.parse(params("to", "registry.example.com/shop-prod/api:a", "tag", "b")))
                .hasMessageStartingWith("tag: \"b\" differs from the tag \"a\" in to");
        assertThatThrownBy(() -> PromotionRequest.parse(params("stage", "prod/eu")))
                .hasMessageStartingWith("stage: \"prod/eu\" is not a stage name; expected 1-63 letters");
        assertThatThrownBy(() -> PromotionRequest.parse(params("publicKey", "not a key")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("publicKey: ");
        assertThatThrownBy(() -> PromotionRequest.parse(params("resolve", "yes")))
                .hasMessageStartingWith("resolve: is not true or false");
        assertThatThrownBy(() -> PromotionRequest.parse(params("requirePromotedTo", "prod/eu")))
                .hasMessageStartingWith("requirePromotedTo: \"prod/eu\" is not a stage name");
        assertThat(PromotionRequest.parse(params("requirePromotedTo", "staging")).promotion().gates().requirePromotedTo())
                .isEqualTo("staging");
    }
}
