import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.attestation.ImageWithReferrersCopier;
import io.jenkins.plugins.immutabledeployment.oci.ImageArchive;
import io.jenkins.plugins.immutabledeployment.oci.ImagePusher;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.PushResult;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.RegistryConnection;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The engine's own time for a push or a copy, without JVM start-up, on one client as a Jenkins controller keeps
 * one. A push: pushes WARMUP_LAYOUT once to warm up (classes loaded, code compiled; bench/push-copy.sh gives it a
 * 64 MiB image of its own), then times the push of LAYOUT and prints "seconds".
 * A copy: times the second copy of the process, copies until {@link #WARMUP_COPIES} are done, then times TIMES
 * copies, each into a repository of its own, and prints "median-seconds second-copy-seconds".
 *
 * <pre>
 * java -Xmx64m -cp cli/target/immutable-deploy.jar bench/EngineRun.java push HOST WARMUP_LAYOUT LAYOUT
 * java -Xmx64m -cp cli/target/immutable-deploy.jar bench/EngineRun.java copy HOST REPO@sha256:HEX [TIMES]   (within HOST)
 * </pre>
 */
public class EngineRun {
    /**
     * Copies before the timed ones: a controller that has promoted a few images has the copy path compiled (the
     * second copy of a process still runs much of it interpreted: it is printed as well, on its own).
     */
    static final int WARMUP_COPIES = 10;

    public static void main(String[] args) {
        String host = args[1];
        RegistryClient client = new RegistryClient(host, RegistryConnection.defaults().withPlainHttp(true));
        if (args[0].equals("push")) {
            push(client, host + "/bench/warmup:1", Path.of(args[2]));
            System.out.printf("%.3f%n", seconds(() -> push(client, host + "/bench/engine:1", Path.of(args[3]))));
            return;
        }
        ImageRef source = ImageRef.parse(args[2], "image");
        ImageWithReferrersCopier copier = new ImageWithReferrersCopier(client, client, Progress.NONE);
        String run = Long.toHexString(System.nanoTime()); // target repositories of their own, whatever ran before
        copier.copy(source, ImageRef.parse(host + "/bench/warmup-copy-" + run + ":1", "to"), TagPolicy.IMMUTABLE);
        double second = seconds(() -> copier.copy(source, ImageRef.parse(host + "/bench/second-copy-" + run + ":1", "to"),
                TagPolicy.IMMUTABLE));
        for (int i = 2; i < WARMUP_COPIES; i++) {
            copier.copy(source, ImageRef.parse(host + "/bench/warmup-copy-" + run + "-" + i + ":1", "to"), TagPolicy.IMMUTABLE);
        }
        int times = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        double[] seconds = new double[times];
        for (int i = 0; i < times; i++) {
            ImageRef target = ImageRef.parse(host + "/bench/engine-copy-" + run + "-" + i + ":1", "to");
            seconds[i] = seconds(() -> copier.copy(source, target, TagPolicy.IMMUTABLE));
        }
        Arrays.sort(seconds);
        System.out.printf("%.3f %.3f%n", seconds[(times - 1) / 2], second);
    }

    private static double seconds(Runnable timed) {
        long start = System.nanoTime();
        timed.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static PushResult push(RegistryClient client, String image, Path layout) {
        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            return new ImagePusher(client, Progress.NONE).push(archive, ImageRef.parse(image, "image"), TagPolicy.IMMUTABLE);
        }
    }
}
