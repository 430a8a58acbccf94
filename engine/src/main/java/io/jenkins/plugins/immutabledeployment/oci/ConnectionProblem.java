package io.jenkins.plugins.immutabledeployment.oci;

import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * A failure to talk to a registry that no retry can mend, so it is reported at once: the settings (plain HTTP or
 * TLS, trusted CAs) or the host name are wrong. Connection refused, resets and time-outs are not among them.
 */
public enum ConnectionProblem {
    /** TLS was spoken to a server that answered in plain HTTP. */
    PLAIN_HTTP_SERVER("the server speaks plain HTTP, not TLS"),
    /** Plain HTTP was spoken to a server that wants TLS. */
    TLS_SERVER("the server speaks TLS (HTTPS), but plain HTTP was asked for"),
    /** The server's certificate does not chain to a trusted CA. */
    UNTRUSTED_CERTIFICATE("the server's TLS certificate is not trusted (no path to a trusted CA)"),
    /** Any other TLS handshake failure (protocol, cipher, host name). */
    TLS_HANDSHAKE("the TLS handshake failed"),
    /** The host name does not resolve. */
    UNKNOWN_HOST("the host name does not resolve");

    private final String fact;

    ConnectionProblem(String fact) {
        this.fact = fact;
    }

    /** The fact, with the JDK's detail where it adds something. */
    String describe(IOException cause) {
        if (this == TLS_HANDSHAKE && cause != null && cause.getMessage() != null) {
            return fact + ": " + cause.getMessage();
        }
        return fact;
    }

    /** The problem behind an I/O failure, or {@code null} when a retry may help. */
    static ConnectionProblem of(IOException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return UNKNOWN_HOST;
            }
            if (cause instanceof CertPathBuilderException
                    || cause instanceof CertificateException && String.valueOf(cause.getMessage()).contains("PKIX")) {
                return UNTRUSTED_CERTIFICATE;
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException ssl) {
                String message = String.valueOf(ssl.getMessage());
                if (message.contains("plaintext connection") || message.contains("Unsupported or unrecognized SSL message")) {
                    return PLAIN_HTTP_SERVER;
                }
                if (message.contains("PKIX")) {
                    return UNTRUSTED_CERTIFICATE;
                }
                if (ssl instanceof SSLHandshakeException) {
                    return TLS_HANDSHAKE;
                }
            }
        }
        return null;
    }

    /** Whether a 400 answer's body is a TLS server's complaint about a plain-HTTP request. */
    static boolean isHttpToTlsAnswer(byte[] body) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        return text.contains("HTTP request to an HTTPS server") || text.contains("plain HTTP request was sent to HTTPS");
    }
}
