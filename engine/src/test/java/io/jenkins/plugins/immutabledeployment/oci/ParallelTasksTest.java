package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelTasksTest {

    @Test
    void runsEveryItemWithAtMostParallelismAtOnce() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Set<Integer> done = ConcurrentHashMap.newKeySet();
        CountDownLatch threeStarted = new CountDownLatch(3);
        ParallelTasks.forEach(IntStream.range(0, 20).boxed().toList(), 3, item -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            threeStarted.countDown();
            try {
                threeStarted.await(10, TimeUnit.SECONDS); // the first three overlap: it runs in parallel
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            running.decrementAndGet();
            done.add(item);
        });
        assertThat(done).hasSize(20);
        assertThat(most.get()).isEqualTo(3);
    }

    @Test
    void firstFailureIsRethrownOnceTheInterruptedTasksHaveCleanedUp() {
        CountDownLatch othersStarted = new CountDownLatch(2);
        AtomicInteger cleanedUp = new AtomicInteger();
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> ParallelTasks.forEach(List.of(0, 1, 2, 3, 4, 5), 3, item -> {
            if (item == 0) {
                awaitQuietly(othersStarted);
                throw boom;
            }
            othersStarted.countDown();
            try {
                new CountDownLatch(1).await(); // until interrupted
            } catch (InterruptedException e) {
                cleanedUp.incrementAndGet();
                throw new RegistryInterruptedException("interrupted", e);
            }
        })).isSameAs(boom);
        assertThat(cleanedUp.get()).isEqualTo(2);
    }

    @Test
    void anInterruptMeantForOneCallDoesNotReachTheNext() {
        for (int round = 0; round < 5; round++) {
            assertThatThrownBy(() -> ParallelTasks.forEach(List.of(0, 1, 2), 3, item -> {
                if (item == 0) {
                    throw new IllegalStateException("boom");
                }
                try {
                    Thread.sleep(10_000); // a blocking request, ended by the interrupt
                } catch (InterruptedException e) {
                    // swallowed: the interrupt status is cleared, as a blocking call that gives up leaves it
                    Thread.currentThread().interrupt();
                }
            })).hasMessage("boom");
            Set<Boolean> interrupted = ConcurrentHashMap.newKeySet();
            ParallelTasks.forEach(List.of(0, 1, 2, 3), 3, item -> interrupted.add(Thread.currentThread().isInterrupted()));
            assertThat(interrupted).containsOnly(false);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
