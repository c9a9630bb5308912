package dev.counterpoint.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.testing.ChildJvm;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal process is killed for real (SIGKILL of a separate JVM) in the middle of redeeming and in the
 * middle of a sync. On restart, everything it had confirmed is there, each with its outbox event, and the
 * next sync delivers the rest exactly once.
 */
class KillTerminalTest {
    @TempDir
    Path tmp;

    @Test
    void killedDuringRedemptionsNothingConfirmedIsLostAndTheOutboxResumes() throws Exception {
        try (OfficeHarness office = OfficeHarness.h2()) {
            Path dir = prepare(office, "S001");
            Process worker = start(dir, "redeem");
            List<UUID> confirmed = new ArrayList<>();
            UUID member;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
                member = UUID.fromString(out.readLine().substring("MEMBER ".length()));
                String line;
                while (confirmed.size() < 60 && (line = out.readLine()) != null) {
                    confirmed.add(UUID.fromString(line.substring("CONFIRMED ".length())));
                }
                worker.toHandle().destroyForcibly(); // SIGKILL, leaving its output readable
                worker.waitFor(30, TimeUnit.SECONDS);
                while ((line = out.readLine()) != null) { // what it printed before dying was confirmed too
                    if (line.startsWith("CONFIRMED ")) {
                        confirmed.add(UUID.fromString(line.substring("CONFIRMED ".length())));
                    }
                }
            }
            assertThat(confirmed).hasSizeGreaterThanOrEqualTo(60);
            try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemUTC())) {
                long spends = count(ctx, "SELECT COUNT(*) FROM points_entry WHERE kind = 'SPEND'");
                assertThat(spends).isGreaterThanOrEqualTo(confirmed.size());
                for (UUID entry : confirmed) {
                    assertThat(count(ctx, "SELECT COUNT(*) FROM points_entry WHERE id = '" + entry + "'")).isOne();
                }
                // Every spend has its event (same transaction), and the balance is exactly what the spends left.
                assertThat(count(ctx, "SELECT COUNT(*) FROM outbox_event WHERE type = 'points.redeemed'")).isEqualTo(spends);
                assertThat(OfficeSyncContract.points(ctx, member)).isEqualTo(100_000 - 100 * spends);
                SyncReport r = ctx.syncEngine().orElseThrow().syncOnce();
                assertThat(r.pushed()).isEqualTo(spends + 2);
                assertThat(office.officeLong("SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = ?", member))
                        .isEqualTo(100_000 - 100 * spends);
            }
        }
    }

    @Test
    void killedDuringASyncTheRestIsPushedExactlyOnceAfterRestart() throws Exception {
        try (OfficeHarness office = OfficeHarness.h2()) {
            Path dir = prepare(office, "S002");
            int sales = 700; // two batches; a sale on the H2 file takes ~20 ms here
            Process worker = start(dir, "sync", String.valueOf(sales));
            try (BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(out.readLine()).isEqualTo("READY " + (sales + 1));
                // Kill as soon as head office has some of the day but not all of it.
                long received = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (received == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                    received = office.officeLong("SELECT COUNT(*) FROM inbox");
                }
                worker.toHandle().destroyForcibly();
                worker.waitFor(30, TimeUnit.SECONDS);
            }
            long atKill = office.officeLong("SELECT COUNT(*) FROM inbox");
            assertThat(atKill).isPositive();
            try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemUTC())) {
                long total = count(ctx, "SELECT COUNT(*) FROM outbox_event");
                assertThat(total).isEqualTo(sales + 1);
                long markedBefore = count(ctx, "SELECT COUNT(*) FROM outbox_event WHERE pushed_at IS NOT NULL");
                assertThat(markedBefore).isLessThanOrEqualTo(office.officeLong("SELECT COUNT(*) FROM inbox"));
                SyncReport r = ctx.syncEngine().orElseThrow().syncOnce();
                assertThat(r.pushed()).isEqualTo(total - markedBefore);
                assertThat(office.officeLong("SELECT COUNT(*) FROM inbox")).isEqualTo(total);
                assertThat(office.officeLong("SELECT COUNT(*) FROM purchase")).isEqualTo(sales);
                assertThat(office.officeLong("SELECT COALESCE(SUM(delta), 0) FROM points_entry"))
                        .isEqualTo(count(ctx, "SELECT COALESCE(SUM(delta), 0) FROM points_entry"));
                assertThat(count(ctx, "SELECT COUNT(*) FROM outbox_event WHERE pushed_at IS NULL")).isZero();
                // The restart compared the outbox with head office: a cut push is not a restore, nothing was renumbered.
                assertThat(OfficeSyncContract.localEventIds(ctx)).isEqualTo(OfficeSyncContract.officeEventIds(office, "S002"));
                assertThat(count(ctx, "SELECT COALESCE(own_changes_through, 0) FROM sync_state")).isZero();
            }
        }
    }

    /** A registered terminal data dir (H2 file), not yet opened by anyone. */
    private Path prepare(OfficeHarness office, String store) {
        Path dir = tmp.resolve(store);
        office.terminal(dir, store, "T1", Clock.systemUTC()).close();
        // The harness opened an in-memory context; the worker uses the data dir's own file database.
        return dir;
    }

    private static Process start(Path dir, String... mode) throws IOException {
        List<String> cmd = new ArrayList<>(ChildJvm.command(TerminalWorker.class.getName(), dir.toString()));
        cmd.addAll(List.of(mode));
        return new ProcessBuilder(cmd).redirectError(dir.resolve("worker.err").toFile()).start();
    }

    private static long count(TerminalWiring ctx, String sql) {
        return ctx.database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
