package io.jenkins.plugins.immutabledeployment.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubmittersTest {

    private static final Submitters SUBMITTERS = Submitters.parse(" alice ,, release-managers ", "approval.submitters");

    private static Viewer viewer(String user, boolean mayBuild, String... groups) {
        return new Viewer(user, List.of(groups), mayBuild, Viewer.NameMatch.IGNORE_CASE, Viewer.NameMatch.EXACT);
    }

    @Test
    void parsesNamesSkippingEmptyOnes() {
        assertThat(SUBMITTERS.names()).containsExactly("alice", "release-managers");
        assertThat(SUBMITTERS).hasToString("alice, release-managers");
        assertThatThrownBy(() -> Submitters.parse(" , ", "approval.submitters"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("approval.submitters: names nobody; expected " + Submitters.ACCEPTED_FORM);
        assertThatThrownBy(() -> Submitters.parse(null, "approval.submitters")).hasMessageStartingWith("approval.submitters: is empty");
    }

    @Test
    void aNamedUserOrGroupMemberWithBuildPermissionMayDecide() {
        assertThat(SUBMITTERS.permits(viewer("alice", true))).isTrue();
        assertThat(SUBMITTERS.permits(viewer("ALICE", true))).as("the realm compares user ids ignoring case").isTrue();
        assertThat(SUBMITTERS.permits(viewer("carol", true, "authenticated", "release-managers"))).isTrue();
    }

    @Test
    void bothConditionsAreNeeded() {
        assertThat(SUBMITTERS.permits(viewer("alice", false))).as("named, without Build").isFalse();
        assertThat(SUBMITTERS.permits(viewer("bob", true, "developers"))).as("Build, not named").isFalse();
        assertThat(SUBMITTERS.permits(viewer("carol", true, "Release-Managers"))).as("the realm compares groups exactly").isFalse();
        assertThat(SUBMITTERS.permits(Viewer.ANONYMOUS)).isFalse();
        assertThat(SUBMITTERS.permits(viewer(null, true, "release-managers"))).as("anonymous, whatever its groups").isFalse();
    }
}
