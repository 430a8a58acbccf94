package io.jenkins.plugins.immutabledeployment.kube;

import java.time.Duration;
import java.time.Instant;

/**
 * Who holds a Deployment's rollout lock (a {@code coordination.k8s.io/v1} Lease) and until when.
 *
 * @param identity a build URL, or {@code cli:USER@HOST} for the command line
 * @param process  the process that drives the holder's rollout ({@link RolloutLock#PROCESS_ANNOTATION}); null for a
 *                 Lease written by a version that did not name it
 * @param acquired when the current holder (in that process) took the lease
 * @param renewed  when the holder last renewed it
 * @param duration how long a renewal keeps it
 */
public record LockHolder(String identity, String process, Instant acquired, Instant renewed, Duration duration) {

    /** The moment after which another process may take the lease over. */
    public Instant expires() {
        return renewed.plus(duration);
    }

    public boolean expiredAt(Instant now) {
        return now.isAfter(expires());
    }

    /** Whether {@code candidate} is the process holding the lease (any process, for a Lease that names none). */
    public boolean heldBy(String candidate) {
        return process == null || process.equals(candidate);
    }
}
