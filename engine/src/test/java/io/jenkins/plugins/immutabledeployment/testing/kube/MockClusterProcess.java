package io.jenkins.plugins.immutabledeployment.testing.kube;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@link MockCluster} (fabric8 mock server in CRUD mode and the {@link FakeClusterController}) in a process of its
 * own, for tests whose classpath cannot hold the mock server: the Jenkins plugin's tests, whose classpath is Jenkins'
 * and its plugins'. Launched as {@code java -cp <engine target/test-classes:target/classes:target/test-classpath.txt>
 * io.jenkins.plugins.immutabledeployment.testing.kube.MockClusterProcess}.
 *
 * <p>When it serves, it prints one line to stdout, {@code mock-cluster <API server URL> <kubeconfig file>} (the
 * kubeconfig names that server, plain HTTP, no credentials), and nothing else on stdout afterwards. It closes
 * everything and exits when its stdin ends, so it ends with the process that started it (whose end closes the pipe):
 * status 0, or 1 when the fake controller failed meanwhile (the failure on stderr).
 */
public final class MockClusterProcess {

    /** The first word of the line printed when the cluster serves. */
    public static final String READY = "mock-cluster";

    private MockClusterProcess() {}

    public static void main(String[] args) throws IOException {
        PrintStream stdout = System.out;
        System.setOut(System.err); // whatever else gets printed must not fill a pipe nobody reads
        Path kubeconfig = Files.createTempFile("mock-cluster-", ".kubeconfig");
        int status = 0;
        try {
            try (MockCluster cluster = MockCluster.start()) {
                String url = cluster.client().getMasterUrl().toString().replaceFirst("/$", "");
                Files.writeString(kubeconfig, kubeconfig(url), StandardCharsets.UTF_8);
                stdout.println(READY + " " + url + " " + kubeconfig);
                stdout.flush();
                drain(System.in);
            }
        } catch (RuntimeException | AssertionError e) {
            e.printStackTrace(System.err);
            status = 1;
        } finally {
            Files.deleteIfExists(kubeconfig);
        }
        System.exit(status); // the mock server's and the clients' threads need not be daemons
    }

    /** A kubeconfig for the API server at {@code url}: one cluster, one context, a user without credentials. */
    static String kubeconfig(String url) {
        return "apiVersion: v1\n"
                + "kind: Config\n"
                + "clusters:\n"
                + "- name: mock\n"
                + "  cluster:\n"
                + "    server: " + url + "\n"
                + "users:\n"
                + "- name: test\n"
                + "  user: {}\n"
                + "contexts:\n"
                + "- name: mock\n"
                + "  context:\n"
                + "    cluster: mock\n"
                + "    user: test\n"
                + "    namespace: default\n"
                + "current-context: mock\n";
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[256];
        while (in.read(buffer) >= 0) {
            // lines are ignored: the end of the input is the only command
        }
    }
}
