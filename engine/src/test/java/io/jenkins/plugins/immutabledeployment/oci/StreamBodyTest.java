package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class StreamBodyTest {

    /** Asks for one buffer at a time, the next from inside {@code onNext}, as the HTTP client does once it has sent one. */
    private static class Receiver implements Flow.Subscriber<ByteBuffer> {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final List<Integer> sizes = new ArrayList<>();
        Flow.Subscription subscription;
        Throwable failure;
        boolean completed;
        int depth;
        int deepest;

        @Override
        public void onSubscribe(Flow.Subscription newSubscription) {
            subscription = newSubscription;
            subscription.request(1);
        }

        @Override
        public void onNext(ByteBuffer item) {
            depth++;
            deepest = Math.max(deepest, depth);
            sizes.add(item.remaining());
            byte[] bytes = new byte[item.remaining()];
            item.get(bytes);
            received.writeBytes(bytes);
            subscription.request(1);
            depth--;
        }

        @Override
        public void onError(Throwable throwable) {
            failure = throwable;
        }

        @Override
        public void onComplete() {
            completed = true;
        }
    }

    private static Receiver receive(StreamBody body) {
        Receiver receiver = new Receiver();
        body.subscribe(receiver);
        return receiver;
    }

    @Test
    void passesTheContentOnInChunksOfTheGivenSizeAndCompletes() {
        byte[] content = "0123456789".getBytes(StandardCharsets.US_ASCII);

        Receiver receiver = receive(new StreamBody(new ByteArrayInputStream(content), content.length, 4));

        assertThat(receiver.sizes).containsExactly(4, 4, 2);
        assertThat(receiver.received.toByteArray()).isEqualTo(content);
        assertThat(receiver.completed).isTrue();
        assertThat(receiver.failure).isNull();
    }

    @Test
    void contentThatDoesNotMatchItsDigestFailsTheBodyBeforeItsLastByteIsPassedOn() {
        byte[] content = "0123456789".getBytes(StandardCharsets.US_ASCII);
        Digest other = Digest.sha256("not the content".getBytes(StandardCharsets.US_ASCII));
        VerifyingInputStream verifying = new VerifyingInputStream(new ByteArrayInputStream(content), other,
                content.length, "blob");

        Receiver receiver = receive(new StreamBody(verifying, content.length, 4));

        assertThat(receiver.received.size()).isEqualTo(8);
        assertThat(receiver.completed).isFalse();
        assertThat(RegistryHttp.integrityCause(receiver.failure)).isNotNull()
                .hasMessageContaining("does not match its digest " + other);
    }

    @Test
    void contentShorterThanItsLengthFailsTheBody() {
        Receiver receiver = receive(new StreamBody(new ByteArrayInputStream(new byte[6]), 10, 4));

        assertThat(receiver.received.size()).isEqualTo(4);
        assertThat(receiver.completed).isFalse();
        assertThat(receiver.failure).hasMessage("the content ended after 6 of 10 bytes");
    }

    @Test
    void requestsFromInsideOnNextAreServedByTheLoopNotByNestedCalls() {
        Receiver receiver = receive(new StreamBody(new ByteArrayInputStream(new byte[100_000]), 100_000, 1));

        assertThat(receiver.completed).isTrue();
        assertThat(receiver.received.size()).isEqualTo(100_000);
        assertThat(receiver.deepest).isEqualTo(1);
    }

    @Test
    void cancelledBodyReadsNoMore() {
        Receiver receiver = new Receiver() {
            @Override
            public void onNext(ByteBuffer item) {
                sizes.add(item.remaining());
                subscription.cancel();
                subscription.request(1);
            }
        };

        new StreamBody(new ByteArrayInputStream(new byte[10]), 10, 4).subscribe(receiver);

        assertThat(receiver.sizes).containsExactly(4);
        assertThat(receiver.completed).isFalse();
    }
}
