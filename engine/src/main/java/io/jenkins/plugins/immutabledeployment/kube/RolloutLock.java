package io.jenkins.plugins.immutabledeployment.kube;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rollout lock of one Deployment: a {@code coordination.k8s.io/v1} Lease named
 * {@code <deployment>-immutable-deployment} beside it. A rollout or rollback holds it for its whole run and renews
 * it well within {@code leaseDurationSeconds}; a second holder is refused with the holder's identity; a lease not
 * renewed in time may be taken over. Every write is locked to the resourceVersion read just before, so two processes
 * racing for a free lease cannot both win.
 *
 * <p>Besides the holder (a build URL, a CLI user) the Lease names the process that drives the rollout, in the
 * annotation {@value #PROCESS_ANNOTATION}: each {@code RolloutLock} is one process. The same holder may take its
 * lock back from another process at once (a Jenkins restart: the build resumes its rollout in the new process); the
 * process it was taken from finds out at its next {@link #renew} and stops, so a rollout is never driven by two
 * processes, and the Lease's {@code leaseTransitions} count every change of holder or process.
 *
 * <p>A renewal is one request: the Lease this process wrote last, written again locked to its resourceVersion
 * (read afresh only when someone else changed it meanwhile).
 */
public final class RolloutLock {

    static final String LEASE_SUFFIX = "-immutable-deployment";
    /** On the Lease: the process holding it, {@code pid N on HOST, runner ID}. */
    public static final String PROCESS_ANNOTATION = Labels.PREFIX + "process";

    private final KubernetesClient client;
    private final Clock clock;
    private final String process;
    private final Map<String, Lease> written = new ConcurrentHashMap<>();

    /** A lock for this process: a new process identity ({@link #process()}). */
    public RolloutLock(KubernetesClient client, Clock clock) {
        this(client, clock, ProcessIdentity.next());
    }

    RolloutLock(KubernetesClient client, Clock clock, String process) {
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.process = Objects.requireNonNull(process, "process");
    }

    public static String leaseName(DeploymentTarget target) {
        return target.deployment() + LEASE_SUFFIX;
    }

    /** The identity of this process as the Leases it writes name it. */
    public String process() {
        return process;
    }

    /**
     * Takes the lock for {@code holder} in this process: creates the Lease, takes it over when it has expired or was
     * released, or takes it back when {@code holder} already holds it (renewing it in this process, which may be a
     * new one resuming the rollout).
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
                return held(remember(target, lease(target).create(newLease(target, holder, leaseDuration, now))));
            }
            Optional<LockHolder> current = holderOf(lease);
            if (current.isPresent() && !current.get().identity().equals(holder) && !current.get().expiredAt(now)) {
                throw locked(target, current.get());
            }
            return held(write(target, lease, holder, leaseDuration, now));
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
                remember(target, lease(target).create(newLease(target, holder, leaseDuration, now)));
                return Optional.empty();
            }
            Optional<LockHolder> previous = holderOf(lease).filter(h -> !h.identity().equals(holder));
            write(target, lease, holder, leaseDuration, now);
            return previous;
        });
    }

    /**
     * Extends the lease of {@code holder} in this process from now.
     *
     * @throws RolloutLockedException when {@code holder} no longer holds the lock in this process (released, taken
     *                                over after it expired or by a rollback, or taken back by the same holder in
     *                                another process): the caller must stop changing the Deployment
     */
    public LockHolder renew(DeploymentTarget target, String holder) {
        requireHolder(holder);
        String what = "renew the rollout lock of " + target;
        Lease mine = written.get(key(target));
        if (mine != null) {
            try {
                return renewFrom(target, holder, mine);
            } catch (KubernetesClientException e) {
                if (e.getCode() != KubeCalls.CONFLICT && e.getCode() != 404) {
                    throw KubeCalls.failure(what, e);
                }
                // Someone else changed or removed the Lease since: read it afresh below.
            }
        }
        return KubeCalls.retryOnConflict(what, () -> renewFrom(target, holder, lease(target).get()));
    }

    private LockHolder renewFrom(DeploymentTarget target, String holder, Lease lease) {
        Optional<LockHolder> current = lease == null ? Optional.empty() : holderOf(lease);
        if (current.isEmpty() || !current.get().identity().equals(holder) || !current.get().heldBy(process)) {
            written.remove(key(target));
            throw lost(target, holder, current.orElse(null));
        }
        return held(write(target, lease, holder, current.get().duration(), clock.instant()));
    }

    /** Gives the lock up if {@code holder} holds it; returns whether it did. */
    public boolean release(DeploymentTarget target, String holder) {
        requireHolder(holder);
        return KubeCalls.retryOnConflict("release the rollout lock of " + target, () -> {
            Lease lease = lease(target).get();
            if (lease == null || holderOf(lease).filter(h -> h.identity().equals(holder)).isEmpty()) {
                return false;
            }
            lease(target).lockResourceVersion(lease.getMetadata().getResourceVersion()).delete();
            written.remove(key(target));
            return true;
        });
    }

    /** The current holder, if the Lease exists and names one (expired or not). */
    public Optional<LockHolder> current(DeploymentTarget target) {
        Lease lease = KubeCalls.call("read the rollout lock of " + target, () -> lease(target).get());
        return lease == null ? Optional.empty() : holderOf(lease);
    }

    private Resource<Lease> lease(DeploymentTarget target) {
        return client.leases().inNamespace(target.namespace()).withName(leaseName(target));
    }

    private Lease newLease(DeploymentTarget target, String holder, Duration duration, Instant now) {
        return new LeaseBuilder()
                .withNewMetadata()
                .withName(leaseName(target))
                .withNamespace(target.namespace())
                .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .addToAnnotations(Labels.DEPLOYMENT, target.deployment())
                .addToAnnotations(PROCESS_ANNOTATION, process)
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

    /**
     * Writes the lease for {@code holder} in this process, locked to the resourceVersion it was read with; a change of
     * holder or process is a transition. {@code read} itself is left as it was.
     */
    private Lease write(DeploymentTarget target, Lease read, String holder, Duration duration, Instant now) {
        Lease lease = client.getKubernetesSerialization().clone(read);
        Optional<LockHolder> before = holderOf(lease);
        boolean transition = before.isPresent() && (!before.get().identity().equals(holder) || !before.get().heldBy(process));
        LeaseSpec spec = lease.getSpec() == null ? new LeaseSpec() : lease.getSpec();
        if (transition || spec.getAcquireTime() == null || spec.getHolderIdentity() == null || spec.getHolderIdentity().isEmpty()) {
            spec.setAcquireTime(microTime(now));
            spec.setLeaseTransitions((spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions()) + (transition ? 1 : 0));
        }
        spec.setHolderIdentity(holder);
        spec.setLeaseDurationSeconds(seconds(duration));
        spec.setRenewTime(microTime(now));
        lease.setSpec(spec);
        if (lease.getMetadata().getAnnotations() == null) {
            lease.getMetadata().setAnnotations(new HashMap<>());
        }
        lease.getMetadata().getAnnotations().put(PROCESS_ANNOTATION, process);
        return remember(target, client.leases().inNamespace(lease.getMetadata().getNamespace()).resource(lease).update());
    }

    private Lease remember(DeploymentTarget target, Lease lease) {
        written.put(key(target), lease);
        return lease;
    }

    private static String key(DeploymentTarget target) {
        return target.namespace() + "/" + target.deployment();
    }

    private static LockHolder held(Lease lease) {
        return holderOf(lease).orElseThrow();
    }

    private static Optional<LockHolder> holderOf(Lease lease) {
        return holderOf(lease.getSpec(), lease.getMetadata() == null ? null : lease.getMetadata().getAnnotations());
    }

    private static Optional<LockHolder> holderOf(LeaseSpec spec, Map<String, String> annotations) {
        if (spec == null || spec.getHolderIdentity() == null || spec.getHolderIdentity().isEmpty()) {
            return Optional.empty();
        }
        Instant renewed = spec.getRenewTime() != null ? spec.getRenewTime().toInstant()
                : spec.getAcquireTime() != null ? spec.getAcquireTime().toInstant() : Instant.EPOCH;
        Instant acquired = spec.getAcquireTime() != null ? spec.getAcquireTime().toInstant() : renewed;
        long seconds = spec.getLeaseDurationSeconds() == null ? 0 : spec.getLeaseDurationSeconds();
        String process = annotations == null ? null : annotations.get(PROCESS_ANNOTATION);
        return Optional.of(new LockHolder(spec.getHolderIdentity(), process, acquired, renewed, Duration.ofSeconds(seconds)));
    }

    private static RolloutLockedException locked(DeploymentTarget target, LockHolder holder) {
        return new RolloutLockedException("Deployment " + target + " is locked by another rollout: " + holder.identity()
                + " holds its lock since " + holder.acquired() + " (it expires at " + holder.expires()
                + " unless renewed); wait for that rollout to finish or abort it", holder.identity());
    }

    private RolloutLockedException lost(DeploymentTarget target, String holder, LockHolder now) {
        String why = now == null ? "it was released"
                : now.identity().equals(holder) ? "the same holder took it in another process (" + now.process() + "), which drives the rollout now"
                : "it is now held by " + now.identity();
        return new RolloutLockedException("the rollout lock of " + target + " is no longer held by " + holder + " in this process ("
                + process + "): " + why, now == null ? null : now.identity());
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
