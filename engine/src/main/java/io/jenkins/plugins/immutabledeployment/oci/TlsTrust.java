package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.Problems;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.security.SecureRandom;
import java.security.Security;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
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
                return new LazyDefaultContext();
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

    /**
     * The JDK's default context, made on first use. An HTTP client asks its context for the default TLS parameters
     * when it is built, which for the default context means reading and parsing the JDK's CA store: a cost that a
     * short command talking plain HTTP pays for nothing. Every TLS connection gets the JDK's default context, made
     * when the first one is opened.
     */
    private static final class LazyDefaultContext extends SSLContext {

        LazyDefaultContext() {
            super(new Spi(), Security.getProvider("SunJSSE"), "Default");
        }

        private static final class Spi extends SSLContextSpi {

            private volatile SSLContext real;

            private SSLContext real() {
                SSLContext context = real;
                if (context == null) {
                    try {
                        context = SSLContext.getDefault();
                    } catch (GeneralSecurityException e) {
                        throw new IllegalStateException("cannot set up TLS", e);
                    }
                    real = context;
                }
                return context;
            }

            @Override
            protected void engineInit(KeyManager[] keyManagers, TrustManager[] trustManagers, SecureRandom random) {
                throw new UnsupportedOperationException("the default context is initialised by the JDK");
            }

            @Override
            protected SSLSocketFactory engineGetSocketFactory() {
                return real().getSocketFactory();
            }

            @Override
            protected SSLServerSocketFactory engineGetServerSocketFactory() {
                return real().getServerSocketFactory();
            }

            @Override
            protected SSLEngine engineCreateSSLEngine() {
                return real().createSSLEngine();
            }

            @Override
            protected SSLEngine engineCreateSSLEngine(String host, int port) {
                return real().createSSLEngine(host, port);
            }

            @Override
            protected SSLSessionContext engineGetServerSessionContext() {
                return real().getServerSessionContext();
            }

            @Override
            protected SSLSessionContext engineGetClientSessionContext() {
                return real().getClientSessionContext();
            }

            /**
             * Before the first TLS use, parameters that name no protocols and no cipher suites: an engine given them
             * keeps its own defaults, which are the default context's. (Asking a context for its parameters checks
             * every cipher suite against the JCE, which is start-up time again.)
             */
            @Override
            protected SSLParameters engineGetDefaultSSLParameters() {
                SSLContext context = real;
                return context != null ? context.getDefaultSSLParameters() : new SSLParameters();
            }

            @Override
            protected SSLParameters engineGetSupportedSSLParameters() {
                return real().getSupportedSSLParameters();
            }
        }
    }

    /**
     * PEM text of one or more X.509 CA certificates, as an extra CA given in a configuration rather than a file
     * (a registry's or a cluster's): refused as bad input for {@code field} when it holds none.
     */
    public static void requireCertificates(String pem, String field) {
        String form = "PEM text of one or more X.509 CA certificates, starting with -----BEGIN CERTIFICATE-----";
        try {
            if (pem == null || CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).isEmpty()) {
                throw new InvalidInputException(field, "holds no certificate", form);
            }
        } catch (CertificateException e) {
            throw new InvalidInputException(field, "is not a readable X.509 certificate", form);
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
