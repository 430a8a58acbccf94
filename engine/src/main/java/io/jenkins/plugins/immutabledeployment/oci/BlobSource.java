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

    /**
     * Whether the content comes over the network and its stream checks itself against the digest, so that a
     * mismatch is corruption on the way that reading again may mend. Local content (an archive, a file) is checked
     * by the uploader as it is read, and a mismatch there is final.
     */
    default boolean fromNetwork() {
        return false;
    }

    /**
     * Reads the whole content and checks it against the digest and size: the proof a push needs before it skips a
     * blob the registry already has under that digest.
     *
     * @throws IntegrityException when the content is not what the digest says
     */
    default void prove() {
        try (InputStream in = VerifyingInputStream.of(this)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            IntegrityException integrity = RegistryHttp.integrityCause(e);
            if (integrity != null) {
                throw integrity;
            }
            throw new java.io.UncheckedIOException("cannot read blob " + digest() + ": " + e.getMessage(), e);
        }
    }

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
