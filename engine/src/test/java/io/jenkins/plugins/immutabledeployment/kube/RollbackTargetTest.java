package io.jenkins.plugins.immutabledeployment.kube;

import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.image;
import static io.jenkins.plugins.immutabledeployment.kube.ReleaseLedgerTest.release;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RollbackTargetTest {

    /** Newest first: e (aborted) on top of d, c, d again, b, a. */
    static final List<Release> HISTORY = List.of(
            release('e', ReleaseOutcome.ABORTED, 9),
            release('d', ReleaseOutcome.ROLLED_BACK, 8),
            release('c', ReleaseOutcome.PROMOTED, 7),
            release('d', ReleaseOutcome.PROMOTED, 6),
            release('f', ReleaseOutcome.FAILED, 5),
            release('b', ReleaseOutcome.PROMOTED, 4),
            release('a', ReleaseOutcome.PROMOTED, 3));

    @ParameterizedTest(name = "{0} with {1} live -> {2}")
    @CsvSource({
            // revision, live digest, expected digest: good releases are those that ran as stable, one per digest
            "previous, d, c",
            "1,        d, c",
            "2,        d, b",
            "3,        d, a",
            "previous, c, d",
            "2,        c, b",
            // live digest unknown (a tag) or deployed outside the ledger: the newest good release is "previous"
            "previous, -, d",
            "previous, 9, d",
    })
    void resolvesRevisionsToGoodReleasesBeforeTheLiveOne(String revision, String live, char expected) {
        Digest liveDigest = "-".equals(live) ? null : image(live.charAt(0)).digest();

        ResolvedRelease resolved = RollbackTarget.parse(revision).resolveIn(HISTORY, liveDigest);

        assertThat(resolved.image()).isEqualTo(image(expected));
        assertThat(resolved.knownGood()).isTrue();
        assertThat(resolved.ledgerEntry().outcome().wentLive()).isTrue();
    }

    @Test
    void previousIsTheNewestEntryOfThatDigest() {
        ResolvedRelease resolved = RollbackTarget.parse("previous").resolveIn(HISTORY, image('c').digest());

        assertThat(resolved.ledgerEntry().outcome()).isEqualTo(ReleaseOutcome.ROLLED_BACK);
    }

    @Test
    void refusesARevisionBeyondTheLedger() {
        assertThatThrownBy(() -> RollbackTarget.parse("4").resolveIn(HISTORY, image('d').digest()))
                .isInstanceOf(NoSuchReleaseException.class)
                .hasMessageContaining("revision 4")
                .hasMessageContaining("only 3 earlier releases");
    }

    @Test
    void refusesPreviousWhenNothingElseEverRan() {
        List<Release> onlyOne = List.of(release('a', ReleaseOutcome.PROMOTED, 1), release('b', ReleaseOutcome.ABORTED, 0));

        assertThatThrownBy(() -> RollbackTarget.parse("previous").resolveIn(onlyOne, image('a').digest()))
                .isInstanceOf(NoSuchReleaseException.class)
                .hasMessageContaining("no earlier release");
        assertThatThrownBy(() -> RollbackTarget.parse("previous").resolveIn(List.of(), null))
                .isInstanceOf(NoSuchReleaseException.class);
    }

    @Test
    void anExplicitImageIsTakenAsGivenAndFlaggedWhenNotKnownGood() {
        ResolvedRelease known = RollbackTarget.image(image('b').reference()).resolveIn(HISTORY, image('d').digest());
        ResolvedRelease onlyFailed = RollbackTarget.image(image('f').reference()).resolveIn(HISTORY, image('d').digest());
        ResolvedRelease unknown = RollbackTarget.image(image('9').reference()).resolveIn(HISTORY, image('d').digest());

        assertThat(known.knownGood()).isTrue();
        assertThat(known.ledgerEntry().deployedBy()).endsWith("/4/");
        assertThat(onlyFailed.knownGood()).isFalse();
        assertThat(unknown.knownGood()).isFalse();
        assertThat(unknown.image()).isEqualTo(image('9'));
    }

    @ParameterizedTest
    @CsvSource({"0", "-1", "latest", "1.5", "HEAD~1"})
    void refusesRevisionsThatAreNeitherPreviousNorAPositiveCount(String revision) {
        assertThatThrownBy(() -> RollbackTarget.parse(revision))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("revision:")
                .hasMessageContaining("previous, or a number of releases back");
    }

    @Test
    void refusesAnExplicitImageWithoutDigest() {
        assertThatThrownBy(() -> RollbackTarget.image("registry.example.com/shop/api:1.0"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("image:")
                .hasMessageContaining("@sha256:");
    }
}
