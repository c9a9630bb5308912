package dev.counterpoint.scan;

import java.util.function.Consumer;

/**
 * Something that reads codes: the keyboard-wedge filter or a serial scanner. Every source hands its
 * reads, in order, to the same sink, which must be called on the UI thread; the counter cannot tell
 * them apart except by {@link ScanEvent#source()}.
 */
public interface ScanSource extends AutoCloseable {
    /** Starts delivering reads to {@code sink}; called once. */
    void start(Consumer<ScanEvent> sink);

    /** Stops reading and lets go of the device. */
    @Override
    void close();
}
