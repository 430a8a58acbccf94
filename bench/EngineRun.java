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

/**
 * The engine's own time for a push or a copy, without JVM start-up: does the same once to warm up (classes loaded,
 * code compiled), then times one. Prints "seconds".
 *
 * <pre>
 * java -Xmx64m -cp cli/target/immutable-deploy.jar bench/EngineRun.java push HOST WARMUP_LAYOUT LAYOUT
 * java -Xmx64m -cp cli/target/immutable-deploy.jar bench/EngineRun.java copy HOST REPO@sha256:HEX   (copies within HOST)
 * </pre>
 */
public class EngineRun {
    public static void main(String[] args) {
        String host = args[1];
        RegistryClient client = new RegistryClient(host, RegistryConnection.defaults().withPlainHttp(true));
        Runnable warmUp;
        Runnable timed;
        if (args[0].equals("push")) {
            warmUp = () -> push(client, host + "/bench/warmup:1", Path.of(args[2]));
            timed = () -> push(client, host + "/bench/engine:1", Path.of(args[3]));
        } else {
            ImageRef source = ImageRef.parse(args[2], "image");
            ImageWithReferrersCopier copier = new ImageWithReferrersCopier(client, client, Progress.NONE);
            warmUp = () -> copier.copy(source, ImageRef.parse(host + "/bench/warmup-copy:1", "to"), TagPolicy.IMMUTABLE);
            timed = () -> copier.copy(source, ImageRef.parse(host + "/bench/engine-copy:1", "to"), TagPolicy.IMMUTABLE);
        }
        warmUp.run();
        long start = System.nanoTime();
        timed.run();
        System.out.printf("%.3f%n", (System.nanoTime() - start) / 1e9);
    }

    private static PushResult push(RegistryClient client, String image, Path layout) {
        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            return new ImagePusher(client, Progress.NONE).push(archive, ImageRef.parse(image, "image"), TagPolicy.IMMUTABLE);
        }
    }
}
