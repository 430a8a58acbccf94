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
 * The engine's own time for a push or a copy, without JVM start-up: does the same once to warm up (classes loaded,
 * code compiled), then times one (a copy: TIMES copies, each into a repository of its own, and prints the median).
 * Prints "seconds".
 *
 * <pre>
 * java -Xmx64m -cp cli/target/immutable-deploy.jar bench/EngineRun.java push HOST WARMUP_LAYOUT LAYOUT
 * java -Xmx64m -cp cli/target/immutable-deploy.jar bench/EngineRun.java copy HOST REPO@sha256:HEX [TIMES]   (within HOST)
 * </pre>
 */
public class EngineRun {
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
        copier.copy(source, ImageRef.parse(host + "/bench/warmup-copy:1", "to"), TagPolicy.IMMUTABLE);
        int times = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        double[] seconds = new double[times];
        for (int i = 0; i < times; i++) {
            ImageRef target = ImageRef.parse(host + "/bench/engine-copy-" + i + ":1", "to");
            seconds[i] = seconds(() -> copier.copy(source, target, TagPolicy.IMMUTABLE));
        }
        Arrays.sort(seconds);
        System.out.printf("%.3f%n", seconds[(times - 1) / 2]);
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
