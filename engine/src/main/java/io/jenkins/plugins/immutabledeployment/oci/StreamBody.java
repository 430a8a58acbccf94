package io.jenkins.plugins.immutabledeployment.oci;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body of known length read from a stream in large chunks, on the thread that asks for them. The JDK's
 * {@code BodyPublishers.ofInputStream} hands the client 16 KiB buffers; at hundreds of MiB that is tens of thousands
 * of allocations, reads and hand-overs where a few thousand do. The stream is read once: the body cannot be replayed.
 * A stream that ends before {@code length} bytes, or fails, fails the request before its last byte is passed on.
 */
final class StreamBody implements HttpRequest.BodyPublisher {

    /** Large enough to cut the per-buffer cost, small enough that three uploads at once stay far below a 64 MiB heap. */
    static final int CHUNK = 256 << 10;

    private final InputStream content;
    private final long length;
    private final int chunk;

    StreamBody(InputStream content, long length) {
        this(content, length, CHUNK);
    }

    StreamBody(InputStream content, long length, int chunk) {
        this.content = content;
        this.length = length;
        this.chunk = chunk;
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        subscriber.onSubscribe(new Chunks(subscriber));
    }

    /** Reads and passes on as many chunks as were asked for; re-entrant calls from {@code onNext} only add demand. */
    private final class Chunks implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger pending = new AtomicInteger();
        private volatile boolean cancelled;
        private boolean finished;
        private long sent;

        Chunks(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancelled = true;
                subscriber.onError(new IllegalArgumentException("non-positive request: " + n));
                return;
            }
            demand.getAndAccumulate(n, (current, more) -> current + more < 0 ? Long.MAX_VALUE : current + more);
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        private void drain() {
            if (pending.getAndIncrement() != 0) {
                return;
            }
            do {
                while (!finished && !cancelled && (sent == length || demand.get() > 0)) {
                    if (sent == length) {
                        finished = true;
                        subscriber.onComplete();
                        break;
                    }
                    ByteBuffer next;
                    try {
                        next = read();
                    } catch (IOException | RuntimeException e) {
                        finished = true;
                        subscriber.onError(e);
                        break;
                    }
                    demand.decrementAndGet();
                    subscriber.onNext(next);
                }
            } while (pending.decrementAndGet() != 0);
        }

        private ByteBuffer read() throws IOException {
            byte[] buffer = new byte[(int) Math.min(chunk, length - sent)];
            int n = content.readNBytes(buffer, 0, buffer.length);
            if (n < buffer.length) {
                throw new IOException("the content ended after " + (sent + n) + " of " + length + " bytes");
            }
            sent += n;
            return ByteBuffer.wrap(buffer);
        }
    }
}
