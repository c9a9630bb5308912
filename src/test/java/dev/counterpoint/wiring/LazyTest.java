package dev.counterpoint.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LazyTest {
    @Test
    void aSecondThreadWaitsForTheBuildUnderWayAndGetsItsService() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Lazy<Object> lazy = new Lazy<>(() -> {
            builds.incrementAndGet();
            building.countDown();
            try {
                finish.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Object();
        });
        AtomicReference<Object> first = new AtomicReference<>();
        AtomicReference<Object> second = new AtomicReference<>();
        Thread a = new Thread(() -> first.set(lazy.get()));
        a.start();
        assertThat(building.await(30, TimeUnit.SECONDS)).isTrue();
        Thread b = new Thread(() -> second.set(lazy.get()));
        b.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (b.getState() != Thread.State.BLOCKED && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(b.getState()).as("the second asker waits for the build under way").isEqualTo(Thread.State.BLOCKED);
        assertThat(lazy.built()).isFalse();

        finish.countDown();
        a.join(30_000);
        b.join(30_000);
        assertThat(builds).hasValue(1);
        assertThat(second.get()).isNotNull().isSameAs(first.get());
        assertThat(lazy.built()).isTrue();
    }

    @Test
    void ifBuiltHandsOverOnlyWhatWasBuilt() {
        Lazy<String> lazy = new Lazy<>(() -> "service");
        List<String> seen = new ArrayList<>();
        lazy.ifBuilt(seen::add);
        assertThat(seen).isEmpty();
        assertThat(lazy.built()).isFalse();
        lazy.get();
        lazy.ifBuilt(seen::add);
        assertThat(seen).containsExactly("service");
    }
}
