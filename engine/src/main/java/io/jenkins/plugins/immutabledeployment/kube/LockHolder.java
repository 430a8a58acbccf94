package io.jenkins.plugins.immutabledeployment.kube;

import java.time.Duration;
import java.time.Instant;

/**
 * Who holds a Deployment's rollout lock (a {@code coordination.k8s.io/v1} Lease) and until when.
 *
 * @param identity a build URL, or {@code cli:USER@HOST} for the command line
 * @param acquired when the current holder took the lease
 * @param renewed  when the holder last renewed it
 * @param duration how long a renewal keeps it
 */
public record LockHolder(String identity, Instant acquired, Instant renewed, Duration duration) {

    /** The moment after which another process may take the lease over. */
    public Instant expires() {
        return renewed.plus(duration);
    }

    public boolean expiredAt(Instant now) {
        return now.isAfter(expires());
    }
}
