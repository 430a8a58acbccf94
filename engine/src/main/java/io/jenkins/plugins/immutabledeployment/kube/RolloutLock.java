package io.jenkins.plugins.immutabledeployment.kube;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * The rollout lock of one Deployment: a {@code coordination.k8s.io/v1} Lease named
 * {@code <deployment>-immutable-deployment} beside it. A rollout or rollback holds it for its whole run and renews
 * it well within {@code leaseDurationSeconds} (a third of it is the usual rhythm); a second process is refused with
 * the holder's identity; a lease not renewed in time may be taken over. Every write is locked to the
 * resourceVersion read just before, so two processes racing for a free lease cannot both win.
 */
public final class RolloutLock {

    static final String LEASE_SUFFIX = "-immutable-deployment";

    private final KubernetesClient client;
    private final Clock clock;

    public RolloutLock(KubernetesClient client, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static String leaseName(DeploymentTarget target) {
        return target.deployment() + LEASE_SUFFIX;
    }

    /**
     * Takes the lock for {@code holder}: creates the Lease, takes it over when it has expired or was released,
     * or renews it when {@code holder} already holds it (a resumed process).
     *
     * @throws RolloutLockedException when another holder has it and its lease has not expired
     */
    public LockHolder acquire(DeploymentTarget target, String holder, Duration leaseDuration) {
        requireHolder(holder);
        requireDuration(leaseDuration);
        return KubeCalls.retryOnConflict("acquire the rollout lock of " + target, () -> {
            Lease lease = lease(target).get();
            Instant now = clock.instant();
            if (lease == null) {
                return holderOf(lease(target).create(newLease(target, holder, leaseDuration, now)));
            }
            Optional<LockHolder> current = holderOf(lease.getSpec());
            if (current.isPresent() && !current.get().identity().equals(holder) && !current.get().expiredAt(now)) {
                throw locked(target, current.get());
            }
            boolean sameHolder = current.isPresent() && current.get().identity().equals(holder);
            return holderOf(write(lease, holder, leaseDuration, now, !sameHolder));
        });
    }

    /**
     * Takes the lock for {@code holder} whoever holds it, for a rollback that must stop a rollout in progress.
     * The previous holder finds out at its next {@link #renew}.
     *
     * @return the holder the lock was taken from, if another one held it (expired or not)
     */
    public Optional<LockHolder> takeOver(DeploymentTarget target, String holder, Duration leaseDuration) {
        requireHolder(holder);
        requireDuration(leaseDuration);
        return KubeCalls.retryOnConflict("take over the rollout lock of " + target, () -> {
            Lease lease = lease(target).get();
            Instant now = clock.instant();
            if (lease == null) {
                lease(target).create(newLease(target, holder, leaseDuration, now));
                return Optional.empty();
            }
            Optional<LockHolder> previous = holderOf(lease.getSpec()).filter(h -> !h.identity().equals(holder));
            write(lease, holder, leaseDuration, now, previous.isPresent());
            return previous;
        });
    }

    /**
     * Extends the lease of {@code holder} from now.
     *
     * @throws RolloutLockedException when {@code holder} no longer holds the lock (released, or taken over after it
     *                                expired or by a rollback): the caller must stop changing the Deployment
     */
    public LockHolder renew(DeploymentTarget target, String holder) {
        requireHolder(holder);
        return KubeCalls.retryOnConflict("renew the rollout lock of " + target, () -> {
            Lease lease = lease(target).get();
            Optional<LockHolder> current = lease == null ? Optional.empty() : holderOf(lease.getSpec());
            if (current.isEmpty() || !current.get().identity().equals(holder)) {
                String now = current.map(LockHolder::identity).orElse(null);
                throw new RolloutLockedException("the rollout lock of " + target + " is no longer held by " + holder
                        + (now == null ? "; it was released" : "; it is now held by " + now), now);
            }
            return holderOf(write(lease, holder, current.get().duration(), clock.instant(), false));
        });
    }

    /** Gives the lock up if {@code holder} holds it; returns whether it did. */
    public boolean release(DeploymentTarget target, String holder) {
        requireHolder(holder);
        return KubeCalls.retryOnConflict("release the rollout lock of " + target, () -> {
            Lease lease = lease(target).get();
            if (lease == null || holderOf(lease.getSpec()).filter(h -> h.identity().equals(holder)).isEmpty()) {
                return false;
            }
            lease(target).lockResourceVersion(lease.getMetadata().getResourceVersion()).delete();
            return true;
        });
    }

    /** The current holder, if the Lease exists and names one (expired or not). */
    public Optional<LockHolder> current(DeploymentTarget target) {
        Lease lease = KubeCalls.call("read the rollout lock of " + target, () -> lease(target).get());
        return lease == null ? Optional.empty() : holderOf(lease.getSpec());
    }

    private Resource<Lease> lease(DeploymentTarget target) {
        return client.leases().inNamespace(target.namespace()).withName(leaseName(target));
    }

    private static Lease newLease(DeploymentTarget target, String holder, Duration duration, Instant now) {
        return new LeaseBuilder()
                .withNewMetadata()
                .withName(leaseName(target))
                .withNamespace(target.namespace())
                .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .addToAnnotations(Labels.DEPLOYMENT, target.deployment())
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(holder)
                .withLeaseDurationSeconds(seconds(duration))
                .withAcquireTime(microTime(now))
                .withRenewTime(microTime(now))
                .withLeaseTransitions(0)
                .endSpec()
                .build();
    }

    /** Writes the lease for {@code holder}, locked to the resourceVersion it was read with. */
    private Lease write(Lease lease, String holder, Duration duration, Instant now, boolean transition) {
        LeaseSpec spec = lease.getSpec() == null ? new LeaseSpec() : lease.getSpec();
        if (transition || spec.getAcquireTime() == null || spec.getHolderIdentity() == null) {
            spec.setAcquireTime(microTime(now));
            spec.setLeaseTransitions((spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions()) + (transition ? 1 : 0));
        }
        spec.setHolderIdentity(holder);
        spec.setLeaseDurationSeconds(seconds(duration));
        spec.setRenewTime(microTime(now));
        lease.setSpec(spec);
        return client.leases().inNamespace(lease.getMetadata().getNamespace()).resource(lease).update();
    }

    private static LockHolder holderOf(Lease lease) {
        return holderOf(lease.getSpec()).orElseThrow();
    }

    private static Optional<LockHolder> holderOf(LeaseSpec spec) {
        if (spec == null || spec.getHolderIdentity() == null || spec.getHolderIdentity().isEmpty()) {
            return Optional.empty();
        }
        Instant renewed = spec.getRenewTime() != null ? spec.getRenewTime().toInstant()
                : spec.getAcquireTime() != null ? spec.getAcquireTime().toInstant() : Instant.EPOCH;
        Instant acquired = spec.getAcquireTime() != null ? spec.getAcquireTime().toInstant() : renewed;
        long seconds = spec.getLeaseDurationSeconds() == null ? 0 : spec.getLeaseDurationSeconds();
        return Optional.of(new LockHolder(spec.getHolderIdentity(), acquired, renewed, Duration.ofSeconds(seconds)));
    }

    private static RolloutLockedException locked(DeploymentTarget target, LockHolder holder) {
        return new RolloutLockedException("Deployment " + target + " is locked by another rollout: " + holder.identity()
                + " holds its lock since " + holder.acquired() + " (it expires at " + holder.expires()
                + " unless renewed); wait for that rollout to finish or abort it", holder.identity());
    }

    private static ZonedDateTime microTime(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC);
    }

    private static int seconds(Duration duration) {
        return Math.toIntExact(Math.max(1, duration.toSeconds()));
    }

    private static void requireHolder(String holder) {
        if (holder == null || holder.isBlank()) {
            throw new InvalidInputException("holder", "is empty", "a build URL or cli:USER@HOST");
        }
    }

    private static void requireDuration(Duration duration) {
        if (duration == null || duration.toSeconds() < 1 || duration.toSeconds() > Integer.MAX_VALUE) {
            throw new InvalidInputException("leaseDuration", "\"" + duration + "\" is not a usable lease duration",
                    "at least one second, e.g. PT30S");
        }
    }
}
