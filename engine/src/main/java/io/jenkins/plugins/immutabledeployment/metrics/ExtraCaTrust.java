package io.jenkins.plugins.immutabledeployment.metrics;

import io.jenkins.plugins.immutabledeployment.Problems;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** An SSLContext that trusts the JDK's CAs plus those in a PEM file. Verification stays on. */
final class ExtraCaTrust {

    private ExtraCaTrust() {}

    static SSLContext sslContext(Path caFile, String field) {
        try {
            X509TrustManager jdk = trustManager(null);
            X509TrustManager extra = trustManager(keyStoreOf(caFile, field));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new Either(jdk, extra)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS trust", e);
        }
    }

    private static KeyStore keyStoreOf(Path caFile, String field) throws GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | CertificateException e) {
            throw new InvalidInputException(field, "cannot read a certificate from " + caFile + " (" + Problems.describe(e) + ")",
                    "a PEM file with one or more CA certificates");
        }
        if (certificates.isEmpty()) {
            throw new InvalidInputException(field, caFile + " holds no certificate", "a PEM file with one or more CA certificates");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int i = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("extra-ca-" + i++, certificate);
        }
        return store;
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X509TrustManager");
    }

    /** Trusts a server chain that either trust manager accepts. */
    private static final class Either implements X509TrustManager {
        private final X509TrustManager first;
        private final X509TrustManager second;

        Either(X509TrustManager first, X509TrustManager second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                first.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                second.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted here");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>(List.of(first.getAcceptedIssuers()));
            all.addAll(List.of(second.getAcceptedIssuers()));
            return all.toArray(new X509Certificate[0]);
        }
    }
}
