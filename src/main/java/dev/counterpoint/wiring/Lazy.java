package dev.counterpoint.wiring;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A service built at its first use, once, whichever thread asks first (the counter asks from the FX thread and from
 * its background threads). Each has its own lock: services depend on each other without cycles, so two threads
 * building two of them never wait on each other in a ring.
 */
final class Lazy<T> implements Supplier<T> {
    private final Supplier<? extends T> build;
    private volatile T value;

    Lazy(Supplier<? extends T> build) {
        this.build = build;
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = Objects.requireNonNull(build.get(), "a service was built as null");
                    value = v;
                }
            }
        }
        return v;
    }

    /** Whether it has been built (without building it). */
    boolean built() {
        return value != null;
    }

    /** Hands the service to {@code action} if it has been built; builds nothing. */
    void ifBuilt(Consumer<? super T> action) {
        T v = value;
        if (v != null) {
            action.accept(v);
        }
    }
}
