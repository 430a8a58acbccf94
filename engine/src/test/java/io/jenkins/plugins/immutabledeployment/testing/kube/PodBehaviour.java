package io.jenkins.plugins.immutabledeployment.testing.kube;

/** What the fake kubelet makes of a container running a given image. */
public enum PodBehaviour {
    /** Starts and becomes ready. */
    READY,
    /** Starts, then keeps crashing: waiting in CrashLoopBackOff with restarts, never ready. */
    CRASH_LOOP,
    /** The image cannot be pulled: waiting in ImagePullBackOff. */
    IMAGE_PULL_BACKOFF,
    /** The image cannot be pulled: waiting in ErrImagePull (the first failed pull). */
    ERR_IMAGE_PULL,
    /** The container cannot be configured (a missing secret): waiting in CreateContainerConfigError. */
    CREATE_CONTAINER_CONFIG_ERROR,
    /** Ready, but restarted once (e.g. a crash that recovered). */
    RESTARTED_ONCE,
    /** Running but never passing its readiness probe. */
    NEVER_READY
}
