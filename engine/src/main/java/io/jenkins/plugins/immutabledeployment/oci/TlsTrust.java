package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.Problems;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** TLS trust: the JDK's trusted CAs plus, optionally, the CAs of a PEM file. Verification is never turned off. */
public final class TlsTrust {

    public static final String ACCEPTED_FORM = "a readable PEM file of one or more X.509 CA certificates";

    private TlsTrust() {}

    /** The JDK's default context when {@code extraCa} is {@code null}; bad files are refused as bad input for {@code field}. */
    public static SSLContext context(Path extraCa, String field) {
        try {
            if (extraCa == null) {
                return SSLContext.getDefault();
            }
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int index = 0;
            for (X509Certificate jdkCa : defaultTrustManager().getAcceptedIssuers()) {
                anchors.setCertificateEntry("jdk-" + index++, jdkCa);
            }
            for (Certificate extra : readCertificates(extraCa, field)) {
                anchors.setCertificateEntry("extra-" + index++, extra);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS trust", e);
        }
    }

    private static Collection<? extends Certificate> readCertificates(Path file, String field) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new InvalidInputException(field, "cannot read \"" + file + "\" (" + Problems.describe(e) + ")",
                    ACCEPTED_FORM);
        } catch (GeneralSecurityException e) {
            throw new InvalidInputException(field, "\"" + file + "\" holds no valid certificate", ACCEPTED_FORM);
        }
        if (certificates.isEmpty()) {
            throw new InvalidInputException(field, "\"" + file + "\" holds no certificate", ACCEPTED_FORM);
        }
        return certificates;
    }

    private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (var manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("the JDK has no X.509 trust manager");
    }
}
