package io.jenkins.plugins.immutabledeployment.oci;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Blob content to upload, known by digest and size; {@link #open()} may be called again for a retry. */
public interface BlobSource {

    Digest digest();

    long size();

    /** A fresh stream of exactly {@link #size()} bytes; the caller closes it. */
    InputStream open() throws IOException;

    /** A small blob held in memory (a config, an attestation). */
    static BlobSource of(byte[] content) {
        byte[] copy = content.clone();
        Digest digest = Digest.sha256(copy);
        return new BlobSource() {
            @Override
            public Digest digest() {
                return digest;
            }

            @Override
            public long size() {
                return copy.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(copy);
            }
        };
    }
}
