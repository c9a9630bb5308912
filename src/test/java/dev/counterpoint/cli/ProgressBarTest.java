package dev.counterpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.shared.Messages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    final StringWriter err = new StringWriter();
    final AtomicLong clock = new AtomicLong();

    ProgressBar bar(Locale locale) {
        return new ProgressBar(new PrintWriter(err, true), Messages.bundle(locale), clock::get);
    }

    @Test
    void showsTheShareOfTheFileTheRowsTheRateAndTheTimeLeftAtThatRate() {
        ProgressBar bar = bar(Locale.ENGLISH);
        clock.set(TimeUnit.SECONDS.toNanos(10));

        bar.advanced(250_000, 25_000_000, 100_000_000);

        assertThat(err.toString()).isEqualTo("\r[######..................] 25%  250,000 rows  25,000 rows/s  0:30 left");
    }

    @Test
    void inChineseToo() {
        assertThat(bar(Locale.SIMPLIFIED_CHINESE).line(500, 50, 100, TimeUnit.SECONDS.toNanos(75)))
                .isEqualTo("[############............] 50%  500 行  7 行/秒  剩余 1:15");
    }

    @Test
    void redrawsAtMostFourTimesASecondButAlwaysAtTheEnd() {
        ProgressBar bar = bar(Locale.ENGLISH);
        clock.set(TimeUnit.SECONDS.toNanos(1));
        bar.advanced(10, 10, 100);
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
        bar.advanced(20, 20, 100);
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
        bar.advanced(100, 100, 100);

        assertThat(err.toString().split("\r", -1)).hasSize(3); // two drawings
        assertThat(err.toString()).contains(" 10 rows").doesNotContain(" 20 rows").contains(" 100 rows");
    }

    @Test
    void aMessageGetsALineOfItsOwnAndTheBarEndsItsLine() {
        ProgressBar bar = bar(Locale.ENGLISH);
        clock.set(TimeUnit.SECONDS.toNanos(1));
        bar.advanced(10, 10, 100);
        int shown = err.toString().length() - 1;

        bar.clear();
        err.write("line 7: name is required" + System.lineSeparator());
        bar.advanced(100, 100, 100);
        bar.finish();

        String[] lines = err.toString().split(System.lineSeparator(), -1);
        assertThat(lines[0]).endsWith("\r" + " ".repeat(shown) + "\rline 7: name is required");
        assertThat(lines[1]).startsWith("\r[########################] 100%  100 rows");
        assertThat(lines[2]).isEmpty();
    }
}
