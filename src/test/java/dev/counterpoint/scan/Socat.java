package dev.counterpoint.scan;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A pseudo-terminal pair made by socat: the scanner side is what the app opens, the other side is
 * where the test "scans". Killing socat is unplugging the scanner; starting it again with the same
 * link paths is plugging it back in.
 */
public final class Socat implements AutoCloseable {
    public final Path scannerSide;
    /** The far end: where a test types as a scanner, or reads what a receipt printer was sent. */
    public final Path feederSide;
    private Process process;

    public Socat(Path dir) {
        this.scannerSide = dir.resolve("ttyScanner");
        this.feederSide = dir.resolve("ttyFeeder");
    }

    public Socat plugIn() throws IOException, InterruptedException {
        process = new ProcessBuilder("socat", "-d", "-d",
                "pty,raw,echo=0,link=" + scannerSide, "pty,raw,echo=0,link=" + feederSide)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(Files.exists(scannerSide) && Files.exists(feederSide))) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("socat did not make its ptys (is socat installed? .ci/run installs it)");
            }
            Thread.sleep(20);
        }
        return this;
    }

    public void unplug() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Writes bytes into the feeder side exactly as given, in one write. */
    public void write(byte[] bytes) throws IOException {
        try (OutputStream out = Files.newOutputStream(feederSide)) {
            out.write(bytes);
            out.flush();
        }
    }

    public void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            unplug();
        }
    }
}
