package io.jenkins.plugins.immutabledeployment.kube;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/** Names one process's rollout runner in the Leases it holds: {@code pid N on HOST, runner ID}. */
final class ProcessIdentity {

    private ProcessIdentity() {}

    /** A new identity: the pid and host of this JVM and a random part, so two runners of one JVM differ too. */
    static String next() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "an unknown host";
        }
        return "pid " + ProcessHandle.current().pid() + " on " + host + ", runner " + UUID.randomUUID().toString().substring(0, 8);
    }
}
