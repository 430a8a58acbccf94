package io.jenkins.plugins.immutabledeployment.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A test CA and a server certificate for {@code localhost} / {@code 127.0.0.1} signed by it, made with openssl
 * once per JVM in a temporary directory that goes when the JVM does.
 */
public record TestCertificates(Path caDirectory, Path caCertificate, Path serverCertificate, Path serverKey) {

    private static TestCertificates instance;

    public static synchronized TestCertificates get() {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    private static TestCertificates create() {
        try {
            Path work = Files.createTempDirectory("test-pki-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> RegistryServer.deleteRecursively(work)));
            Path caDirectory = Files.createDirectories(work.resolve("ca"));
            Path caCert = caDirectory.resolve("ca.crt");
            Path caKey = work.resolve("ca.key");
            Path serverKey = work.resolve("server.key");
            Path serverCsr = work.resolve("server.csr");
            Path serverCert = work.resolve("server.crt");
            Path extensions = work.resolve("server.ext");
            Command.run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", caKey.toString(), "-out", caCert.toString(), "-days", "2",
                    "-subj", "/CN=immutable-deployment test CA",
                    "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign"));
            Command.run(List.of("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", serverKey.toString(), "-out", serverCsr.toString(), "-subj", "/CN=localhost"));
            Files.writeString(extensions, "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                    + "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n");
            Command.run(List.of("openssl", "x509", "-req", "-in", serverCsr.toString(), "-CA", caCert.toString(),
                    "-CAkey", caKey.toString(), "-CAcreateserial", "-out", serverCert.toString(), "-days", "2",
                    "-extfile", extensions.toString()));
            return new TestCertificates(caDirectory, caCert, serverCert, serverKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
