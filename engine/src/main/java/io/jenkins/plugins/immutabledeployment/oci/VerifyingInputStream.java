package io.jenkins.plugins.immutabledeployment.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes content through while computing its digest; once the expected size is reached (or the stream ends),
 * a size or digest mismatch fails the read with an {@link IOException} caused by an {@link IntegrityException}.
 */
final class VerifyingInputStream extends FilterInputStream {

    private final Digest expected;
    private final long expectedSize;
    private final String what;
    private final MessageDigest digest;
    private long count;
    private boolean verified;

    /** A stream of local blob content that fails, before its last byte is passed on, when it is not what it claims. */
    static InputStream of(BlobSource blob) throws IOException {
        return new VerifyingInputStream(blob.open(), blob.digest(), blob.size(),
                "blob " + blob.digest() + " as read from its source (the image archive or file)");
    }

    /** @param expectedSize the size the content must have, or -1 when only the digest is known */
    VerifyingInputStream(InputStream in, Digest expected, long expectedSize, String what) {
        super(in);
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.what = what;
        this.digest = expected.newMessageDigest();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n < 0) {
            verify();
            return -1;
        }
        digest.update(buffer, offset, n);
        count += n;
        if (expectedSize >= 0 && count >= expectedSize) {
            verify();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skipping would defeat digest verification");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void verify() throws IOException {
        if (expectedSize >= 0 && count != expectedSize) {
            throw mismatch(what + " " + expected + " has " + (count > expectedSize ? "at least " : "only ") + count
                    + " bytes, expected " + expectedSize);
        }
        if (verified) {
            return;
        }
        if (!expected.matches(digest.digest())) {
            throw mismatch(what + " content does not match its digest " + expected + " (tampered with or corrupted)");
        }
        verified = true;
    }

    private static IOException mismatch(String message) {
        return new IOException(message, new IntegrityException(message));
    }
}
