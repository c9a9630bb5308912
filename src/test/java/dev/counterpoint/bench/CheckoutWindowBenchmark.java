package dev.counterpoint.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.app.CounterWindow;
import dev.counterpoint.checkout.CounterViewModel;
import dev.counterpoint.checkout.MemberPanelFormat;
import dev.counterpoint.coupon.CouponTemplate;
import dev.counterpoint.loyalty.PointLots;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.receipt.ReceiptPreviewViewModel;
import dev.counterpoint.wiring.TerminalWiring;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.application.Platform;
import javafx.event.Event;
import javafx.event.EventTarget;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Enter to receipt in the real counter window (headless Monocle), on the bench store. For each sale a member is
 * scanned (untimed) and shown, the amount is put in the sale's amount field as typed, and either the top suggested
 * coupon is chosen with F1 ({@link Variant#COUPON}) or points and stored value are put in their fields
 * ({@link Variant#POINTS_AND_STORED_VALUE}); the two alternate. The clock starts when the Enter that completes the
 * sale is dispatched into the amount field and stops in a post-layout pulse listener of the counter's scene at the
 * first pulse after which the receipt preview is visible and its paper holds every row of this receipt, laid out. The floor, sale by sale in the same run: the rows that sale wrote (the checkout's transaction and the receipt's
 * copy), written again with bare JDBC in one transaction on the same database ({@link BareWrites}).
 */
class CheckoutWindowBenchmark {
    /** Timed sales of each variant. */
    static final int CHECKOUTS = Integer.getInteger("bench.checkouts", 500);
    /** Sales of each variant before the clock; each also scans a member, which warms the scan path. */
    static final int WARM_UP = Integer.getInteger("bench.checkoutWarmUp", 300);
    /** One pulse at 60 Hz. */
    static final double PULSE_MICROS = 16_667;
    /** The idle time before each Enter is drawn from 0 up to this, so that Enter falls anywhere between two pulses. */
    static final long IDLE_BEFORE_ENTER_NANOS = TimeUnit.MICROSECONDS.toNanos(
            Long.getLong("bench.idleBeforeEnterMicros", Math.round(PULSE_MICROS)));
    /**
     * The members are drawn afresh for each run (the seed is recorded): a sale uses up a coupon and spends balances, so
     * the members of an earlier run are not the same members any more.
     */
    static final long SEED = Long.getLong("bench.seed", System.currentTimeMillis());
    /** Members sampled to find enough for both variants (a member without a usable coupon or balances is passed over). */
    static final int CANDIDATES = Integer.getInteger("bench.checkoutCandidates", 60_000);
    static final String CASHIER = "bench-cashier";
    static final String PIN = "246813";

    enum Variant { COUPON, POINTS_AND_STORED_VALUE }

    /** A sale as rung up: what the checkout row must say afterwards. */
    record Sale(Variant variant, String card, UUID memberId, long grossFen, UUID couponId, long points, long storedValueFen) {
    }

    /** The sale being waited for; touched on the FX thread only. */
    private static final class Waiting {
        final CompletableFuture<Waiting> done = new CompletableFuture<>();
        int shownBefore;
        long enter;
        /** The checkout's result applied on the FX thread (the sale's receipt line set). */
        long applied;
        /**
         * The receipt handed to the preview (its rows about to be set, on the FX thread): in the same step as the
         * checkout's outcome when the checkout's transaction made it, later when the receipts' thread did.
         */
        long arrived;
        /** The preview's rows laid into its paper (its title set next). */
        long rebuilt;
        /** The preview's rows built and its window asked to show. */
        long made;
        long laidOut;
        /** Collections (young or full) completed by Enter and by the pulse that showed the receipt. */
        long gcsAtEnter;
        long gcsAtLaidOut;
        /** Bytes allocated by the counter's threads (see {@link AppThreads}) by Enter and by that pulse. */
        long allocatedAtEnter;
        long allocatedAtLaidOut;
    }

    /**
     * The threads a sale runs on once Enter is pressed: the FX thread, the counter's database and receipts threads and
     * the renderer. The benchmark's own thread waits meanwhile, so what these allocate between Enter and the receipt
     * shown is what the sale itself costs the heap, and that decides how many collections land inside timed sales.
     */
    private static final class AppThreads {
        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        private static final List<java.lang.management.GarbageCollectorMXBean> COLLECTORS =
                java.lang.management.ManagementFactory.getGarbageCollectorMXBeans();
        final long[] ids;
        final String[] names;

        AppThreads(long fxThread) {
            List<Thread> found = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getId() == fxThread || t.getName().equals("counter-db") || t.getName().equals("counter-receipts")
                        || t.getName().startsWith("QuantumRenderer")) {
                    found.add(t);
                }
            }
            found.sort(java.util.Comparator.comparing(t -> t.getId() == fxThread ? "" : t.getName()));
            ids = found.stream().mapToLong(Thread::getId).toArray();
            names = found.stream().map(t -> t.getId() == fxThread ? "fx" : t.getName()).toArray(String[]::new);
        }

        long[] allocated() {
            return THREADS.getThreadAllocatedBytes(ids);
        }

        long allocatedSum() {
            return positive(allocated());
        }

        static long collections() {
            return COLLECTORS.stream().mapToLong(c -> Math.max(0, c.getCollectionCount())).sum();
        }

        /** Bytes allocated so far by every live thread of the JVM, the benchmark's own included. */
        static long allThreads() {
            return positive(THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds()));
        }

        static long collectionMillis() {
            return COLLECTORS.stream().mapToLong(c -> Math.max(0, c.getCollectionTime())).sum();
        }

        /** The sum of the values not negative (-1: a thread that ended, or a figure the JVM does not keep). */
        private static long positive(long[] values) {
            long sum = 0;
            for (long v : values) {
                sum += Math.max(0, v);
            }
            return sum;
        }
    }

    @Test
    void enterToReceiptAgainstBareWrites() throws Exception {
        try (TerminalWiring ctx = TerminalWiring.open(BenchStore.dataDir(), Locale.ENGLISH, Clock.systemDefaultZone())) {
            Jdbi jdbi = ctx.database().jdbi();
            int pushed = markEarlierEventsPushed(jdbi);
            ensureCashier(ctx);
            // The day's backup is made now, untimed: the window would start it a minute in, among the timed sales.
            ctx.backups().dailyIfDue();
            List<String> cards = BenchStore.randomCards(jdbi, CANDIDATES, SEED);
            // Each variant's members are chosen now, before the clock: looking up some ten members for every one that
            // can have the sale made garbage enough for a few collections in the timed phase, the benchmark's, not
            // the counter's. A member is used once, so what makes them worth scanning does not change before then.
            int[] passedOver = {0};
            Map<Variant, ArrayDeque<Chosen>> chosen = choose(ctx, cards, WARM_UP + CHECKOUTS, passedOver);

            FxToolkit.registerPrimaryStage();
            CounterWindow[] opened = new CounterWindow[1];
            FxToolkit.setupStage(stage -> {
                opened[0] = CounterWindow.create(ctx.counter());
                stage.setScene(opened[0].scene());
                stage.setTitle(opened[0].title());
                stage.show();
                stage.toFront();
            });
            WaitForAsyncUtils.waitForFxEvents();
            CounterWindow window = opened[0];
            Scene scene = window.scene();
            CounterViewModel vm = window.viewModel();
            ReceiptPreviewViewModel receipts = window.receipts();
            TextField amountField = (TextField) scene.lookup("#saleAmountField");
            TextField pointsField = (TextField) scene.lookup("#pointsField");
            TextField storedValueField = (TextField) scene.lookup("#storedValueField");

            WaitForAsyncUtils.asyncFx(() -> vm.statusBar().signIn(CASHIER, PIN)).get();
            waitUntil(() -> CASHIER.equals(vm.statusBar().signedInStaffId()), "the cashier signed in");

            long fxThread = WaitForAsyncUtils.asyncFx(() -> Thread.currentThread().getId()).get();
            AppThreads[] appThreads = {new AppThreads(fxThread)};
            Waiting[] waiting = new Waiting[1];
            String[] scanning = new String[1];
            CompletableFuture<?>[] scanShown = new CompletableFuture<?>[1];
            Node[] previewNodes = new Node[3];
            Runnable onPulse = () -> {
                Waiting w = waiting[0];
                if (w != null && w.enter != 0 && receipts.shownProperty().get() > w.shownBefore
                        && shows(scene, receipts, previewNodes)) {
                    w.laidOut = System.nanoTime();
                    w.gcsAtLaidOut = AppThreads.collections();
                    w.allocatedAtLaidOut = appThreads[0].allocatedSum();
                    waiting[0] = null;
                    w.done.complete(w);
                }
            };
            WaitForAsyncUtils.asyncFx(() -> {
                scene.addPostLayoutPulseListener(onPulse);
                vm.checkout().receiptProperty().addListener((o, was, now) -> {
                    Waiting w = waiting[0];
                    if (w != null && w.applied == 0 && !now.isEmpty()) {
                        w.applied = System.nanoTime();
                    }
                });
                // added before the preview's own invalidation listener (the preview is made at the first receipt), so
                // told first: the receipt has come back to the FX thread, its rows not yet on the paper
                receipts.rows().addListener((javafx.beans.InvalidationListener) change -> {
                    Waiting w = waiting[0];
                    if (w != null && w.arrived == 0) {
                        w.arrived = System.nanoTime();
                    }
                });
                receipts.titleProperty().addListener((o, was, now) -> {
                    Waiting w = waiting[0];
                    if (w != null && w.rebuilt == 0) {
                        w.rebuilt = System.nanoTime();
                    }
                });
                receipts.shownProperty().addListener((o, was, now) -> {
                    Waiting w = waiting[0];
                    if (w != null && w.made == 0) {
                        w.made = System.nanoTime();
                    }
                });
                vm.memberPanel().cardCodeProperty().addListener((o, was, now) -> {
                    if (scanning[0] != null && scanning[0].equals(now)) {
                        scanning[0] = null;
                        scanShown[0].complete(null);
                    }
                });
            }).get();

            Map<Variant, long[]> app = new TreeMap<>();
            Map<Variant, long[]> floor = new TreeMap<>();
            Map<Variant, long[]> toApplied = new TreeMap<>();
            Map<Variant, long[]> appliedToArrived = new TreeMap<>();
            Map<Variant, long[]> arrivedToRebuilt = new TreeMap<>();
            Map<Variant, long[]> rebuiltToMade = new TreeMap<>();
            Map<Variant, long[]> madeToPulse = new TreeMap<>();
            Map<Variant, int[]> done = new TreeMap<>();
            Map<Variant, long[]> gcsInSale = new TreeMap<>();
            Object[] timedPhase = new Object[1];
            Map<Variant, long[]> allocatedInSale = new TreeMap<>();
            Map<Variant, Map<String, Integer>> rowsWritten = new TreeMap<>();
            Map<Variant, Map<String, Integer>> statements = new TreeMap<>();
            for (Variant v : Variant.values()) {
                for (var m : List.of(app, floor, toApplied, appliedToArrived, arrivedToRebuilt, rebuiltToMade, madeToPulse,
                        gcsInSale, allocatedInSale)) {
                    m.put(v, new long[CHECKOUTS]);
                }
                done.put(v, new int[1]);
                rowsWritten.put(v, new TreeMap<>());
                statements.put(v, new TreeMap<>());
            }
            Pattern receiptNo = Pattern.compile(Pattern.quote(ctx.config().storeId() + "-" + ctx.config().terminalId() + "-")
                    + "\\d+");
            SplittableRandom random = new SplittableRandom(SEED);
            int split = 0;
            int total = 2 * (WARM_UP + CHECKOUTS);
            // the whole timed phase, every thread: what a sale cycle (scan, ring-up, checkout, preview, the benchmark's
            // own checks and floor) allocates, and the collections and their time meanwhile
            long[] phaseStart = new long[4];
            long[] phaseThreadsStart = null;
            try (BareWrites bare = new BareWrites(jdbi, t -> t.getName().equals("counter-db")
                    || t.getName().equals("counter-receipts"))) {
                for (int sale = 0; sale < total; ) {
                    Variant variant = Variant.values()[sale % 2];
                    Chosen next = chosen.get(variant).poll();
                    if (next == null) {
                        throw new AssertionError("only " + sale + " sales from " + cards.size() + " members sampled; raise "
                                + "-Dbench.checkoutCandidates");
                    }
                    String card = next.card();
                    // the member on the counter, as scanned (untimed)
                    boolean scanned = false;
                    while (!scanned) {
                        try {
                            scan(scene, vm, card, scanning, scanShown).get(30, TimeUnit.SECONDS);
                            scanned = true;
                        } catch (ExecutionException e) {
                            split++;
                        }
                    }
                    waitUntilIdle(vm, receipts);
                    Optional<Sale> rung = ringUp(ctx, vm, variant, card, next.member().id(), random, amountField,
                            pointsField, storedValueField);
                    if (rung.isEmpty()) {
                        passedOver[0]++;
                        continue;
                    }
                    bare.take();
                    if (IDLE_BEFORE_ENTER_NANOS > 0) {
                        LockSupport.parkNanos(random.nextLong(IDLE_BEFORE_ENTER_NANOS));
                    }
                    if (sale == 2 * WARM_UP && phaseThreadsStart == null) {
                        appThreads[0] = new AppThreads(fxThread);
                        phaseThreadsStart = appThreads[0].allocated();
                        phaseStart[0] = AppThreads.allThreads();
                        phaseStart[1] = AppThreads.collections();
                        phaseStart[2] = AppThreads.collectionMillis();
                        phaseStart[3] = System.nanoTime();
                    }
                    Waiting w = new Waiting();
                    Platform.runLater(() -> {
                        EventTarget target = target(scene);
                        waiting[0] = w;
                        w.shownBefore = receipts.shownProperty().get();
                        w.allocatedAtEnter = appThreads[0].allocatedSum();
                        w.gcsAtEnter = AppThreads.collections();
                        w.enter = System.nanoTime();
                        Event.fireEvent(target, new KeyEvent(KeyEvent.KEY_PRESSED, KeyEvent.CHAR_UNDEFINED, "", KeyCode.ENTER, false, false, false, false));
                        Event.fireEvent(target, new KeyEvent(KeyEvent.KEY_TYPED, "\r", "", KeyCode.UNDEFINED, false, false, false, false));
                        Event.fireEvent(target, new KeyEvent(KeyEvent.KEY_RELEASED, KeyEvent.CHAR_UNDEFINED, "", KeyCode.ENTER, false, false, false, false));
                    });
                    try {
                        w.done.get(30, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        throw new AssertionError("sale " + sale + " (" + rung.get() + ") showed no receipt within 30 s; the "
                                + "counter says: " + WaitForAsyncUtils.asyncFx(() -> ((Label) scene.lookup("#messageLabel"))
                                .getText()).get(), e);
                    }
                    waitUntilIdle(vm, receipts);
                    String shownNumber = WaitForAsyncUtils.asyncFx(() -> receipts.titleProperty().get()).get();
                    Matcher number = receiptNo.matcher(shownNumber);
                    assertThat(number.find()).as("the preview's title names a receipt: %s", shownNumber).isTrue();
                    List<BareWrites.Captured> run = bare.take();
                    checkWritten(jdbi, rung.get(), number.group(), run);

                    BareWrites.Written written = new BareWrites.Written();
                    Map<Object, Object> substitutes = bare.prepare(run, written);
                    long bareNanos = bare.replay(run, substitutes, number.group(), written);
                    bare.remove(written);

                    int k = sale / 2 - WARM_UP;
                    if (k == 0) {
                        System.out.println("[bench] checkout-window: what one " + variant + " sale ran (thread, rows, SQL):");
                        for (BareWrites.Captured c : run) {
                            System.out.printf(Locale.ROOT, "  %-16s %s %2d  %s%n", c.thread(), c.write() ? "W" : "r",
                                    c.rows().size(), c.sql().replaceAll("\\s+", " ").substring(0,
                                            Math.min(110, c.sql().replaceAll("\\s+", " ").length())));
                        }
                    }
                    if (k >= 0) {
                        app.get(variant)[k] = w.laidOut - w.enter;
                        floor.get(variant)[k] = bareNanos;
                        toApplied.get(variant)[k] = w.applied - w.enter;
                        appliedToArrived.get(variant)[k] = w.arrived - w.applied;
                        arrivedToRebuilt.get(variant)[k] = w.rebuilt - w.arrived;
                        rebuiltToMade.get(variant)[k] = w.made - w.rebuilt;
                        madeToPulse.get(variant)[k] = w.laidOut - w.made;
                        gcsInSale.get(variant)[k] = w.gcsAtLaidOut - w.gcsAtEnter;
                        allocatedInSale.get(variant)[k] = w.allocatedAtLaidOut - w.allocatedAtEnter;
                        done.get(variant)[0]++;
                        BareWrites.writtenRows(run).forEach((what, n) -> rowsWritten.get(variant).merge(what, n, Integer::sum));
                        for (BareWrites.Captured c : run) {
                            statements.get(variant).merge(c.thread() + " " + (c.write() ? "writes" : "reads"), 1,
                                    Integer::sum);
                        }
                    }
                    sale++;
                }
                long[] threadsEnd = appThreads[0].allocated();
                long sales = 2L * CHECKOUTS;
                Map<String, Object> phase = new LinkedHashMap<>();
                phase.put("allocated_per_sale_cycle_all_threads_kb", (AppThreads.allThreads() - phaseStart[0]) / sales / 1024);
                Map<String, Long> byThread = new LinkedHashMap<>();
                for (int i = 0; i < threadsEnd.length; i++) {
                    byThread.put(appThreads[0].names[i], (threadsEnd[i] - phaseThreadsStart[i]) / sales / 1024);
                }
                phase.put("allocated_per_sale_cycle_by_counter_thread_kb", byThread);
                phase.put("collections", AppThreads.collections() - phaseStart[1]);
                phase.put("collection_millis", AppThreads.collectionMillis() - phaseStart[2]);
                phase.put("seconds", Math.round((System.nanoTime() - phaseStart[3]) / 1e8) / 10.0);
                timedPhase[0] = phase;
            } finally {
                WaitForAsyncUtils.asyncFx(() -> scene.removePostLayoutPulseListener(onPulse)).get();
                FxToolkit.setupStage(Stage::hide);
                FxToolkit.setupFixture(window::close);
            }

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("members_in_store", BenchStore.MEMBERS);
            figures.put("checkouts_per_variant", CHECKOUTS);
            figures.put("warm_up_per_variant", WARM_UP);
            figures.put("seed", SEED);
            figures.put("members_passed_over", passedOver[0]);
            figures.put("scans_split_by_a_stall_and_repeated", split);
            figures.put("earlier_pending_events_marked_pushed", pushed);
            figures.put("idle_before_enter_micros_up_to", IDLE_BEFORE_ENTER_NANOS / 1000);
            figures.put("timed_phase", timedPhase[0]);
            List<BenchResults.Row> rows = new ArrayList<>();
            for (Variant v : Variant.values()) {
                assertThat(done.get(v)[0]).as("timed %s sales", v).isEqualTo(CHECKOUTS);
                BenchResults.Latency a = BenchResults.Latency.of(app.get(v));
                BenchResults.Latency f = BenchResults.Latency.of(floor.get(v));
                double over = a.p99Micros() - f.p99Micros();
                Map<String, Object> part = new LinkedHashMap<>();
                part.put("app", a);
                part.put("floor", f);
                part.put("p99_app_minus_floor_micros", Math.round(over * 100) / 100.0);
                part.put("within_one_pulse", over <= PULSE_MICROS);
                part.put("enter_to_checkout_applied", BenchResults.Latency.of(toApplied.get(v)));
                part.put("applied_to_receipt_arrived", BenchResults.Latency.of(appliedToArrived.get(v)));
                part.put("receipt_arrived_to_rows_laid_in", BenchResults.Latency.of(arrivedToRebuilt.get(v)));
                part.put("rows_laid_in_to_window_shown", BenchResults.Latency.of(rebuiltToMade.get(v)));
                part.put("window_asked_to_layout_pulse", BenchResults.Latency.of(madeToPulse.get(v)));
                part.putAll(collectionsAndAllocation(app.get(v), gcsInSale.get(v), allocatedInSale.get(v)));
                Map<String, Double> perSale = new TreeMap<>();
                rowsWritten.get(v).forEach((what, n) -> perSale.put(what, n / (double) CHECKOUTS));
                part.put("rows_written_per_sale", perSale);
                Map<String, Double> statementsPerSale = new TreeMap<>();
                statements.get(v).forEach((what, n) -> statementsPerSale.put(what, n / (double) CHECKOUTS));
                part.put("statements_per_sale", statementsPerSale);
                figures.put(v.name().toLowerCase(Locale.ROOT), part);
                rows.add(BenchResults.Row.target(
                        "Enter → receipt shown, real window, " + (v == Variant.COUPON ? "F1 coupon" : "points + stored value")
                                + ", p99 (" + CHECKOUTS + " sales)",
                        BenchResults.ms(a.p99Micros()) + " (p50 " + BenchResults.ms(a.p50Micros()) + ")",
                        "bare-JDBC writes p99 " + BenchResults.ms(f.p99Micros()) + " (p50 " + BenchResults.ms(f.p50Micros()) + ")",
                        "p99 − floor p99 ≤ 16.7 ms (is " + BenchResults.ms(over) + ")", over <= PULSE_MICROS));
            }
            BenchResults.record("checkout-window", figures, rows.toArray(BenchResults.Row[]::new));
        }
    }

    /**
     * What decides the tail: the collections that landed between Enter and the receipt shown (in all sales, and in the
     * slowest 1 %, the sales the p99 is read from), and what the counter's threads allocated in that time (a sale's share
     * of the young generation: the more it allocates, the more often a collection falls inside one).
     */
    private static Map<String, Object> collectionsAndAllocation(long[] nanos, long[] gcs, long[] allocated) {
        Integer[] bySlowness = new Integer[nanos.length];
        for (int i = 0; i < nanos.length; i++) {
            bySlowness[i] = i;
        }
        java.util.Arrays.sort(bySlowness, (a, b) -> Long.compare(nanos[b], nanos[a]));
        int slowest = (int) Math.ceil(nanos.length / 100.0);
        int slowWithGc = 0;
        for (int i = 0; i < slowest; i++) {
            slowWithGc += gcs[bySlowness[i]] > 0 ? 1 : 0;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sales_with_a_collection", java.util.Arrays.stream(gcs).filter(n -> n > 0).count());
        m.put("slowest_1pct_with_a_collection", slowWithGc + " of " + slowest);
        long[] sorted = allocated.clone();
        java.util.Arrays.sort(sorted);
        m.put("allocated_by_counter_threads_enter_to_shown_kb", Map.of(
                "mean", java.util.Arrays.stream(allocated).sum() / allocated.length / 1024,
                "p50", sorted[sorted.length / 2] / 1024));
        return m;
    }

    /**
     * Pending events of earlier runs (there is no head office here) are marked pushed, as a store that syncs every
     * minute has them: each run then starts with none, and the count the status bar reads does not grow run to run.
     */
    private static int markEarlierEventsPushed(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE outbox_event SET pushed_at = CURRENT_TIMESTAMP WHERE pushed_at IS NULL")
                .execute());
    }

    /** The cashier the sales are rung up by: the store's first account if it has none. */
    private static void ensureCashier(TerminalWiring ctx) {
        if (ctx.staffAccounts().find(CASHIER).isEmpty()) {
            assertThat(ctx.staffAccounts().any()).as("a bench store without staff (the cashier is its first account)")
                    .isFalse();
            ctx.staffAccounts().addFirst(CASHIER, "Bench cashier", StaffRole.MANAGER, PIN);
        }
    }

    /** A quick look before scanning: a usable coupon without a category, or points and stored value to spend. */
    /** A member chosen for a variant's sale, and their card. */
    private record Chosen(String card, Member member) {
    }

    /**
     * Goes through the sampled cards until each variant has {@code perVariant} members worth scanning for its sale and
     * a tenth more (a sale can still not be rung up after the scan); a member good for both goes to the shorter list.
     */
    private static Map<Variant, ArrayDeque<Chosen>> choose(TerminalWiring ctx, List<String> cards, int perVariant,
                                                                     int[] passedOver) {
        int wanted = perVariant + perVariant / 10 + 20;
        Map<Variant, ArrayDeque<Chosen>> chosen = new EnumMap<>(Variant.class);
        for (Variant v : Variant.values()) {
            chosen.put(v, new ArrayDeque<>());
        }
        for (String card : cards) {
            if (chosen.values().stream().allMatch(q -> q.size() >= wanted)) {
                break;
            }
            Optional<Member> member = ctx.memberService().findByCode(card);
            Variant to = null;
            for (Variant v : Variant.values()) {
                if (member.isPresent() && chosen.get(v).size() < wanted && worthScanning(ctx, member.get(), v)
                        && (to == null || chosen.get(v).size() < chosen.get(to).size())) {
                    to = v;
                }
            }
            if (to == null) {
                passedOver[0]++;
            } else {
                chosen.get(to).add(new Chosen(card, member.get()));
            }
        }
        return chosen;
    }

    private static boolean worthScanning(TerminalWiring ctx, Member m, Variant variant) {
        LocalDate today = LocalDate.now(ctx.clock());
        return ctx.database().jdbi().withHandle(h -> variant == Variant.COUPON
                ? ctx.couponRepository().wallet(h, m.id()).stream().anyMatch(c -> c.usableOn(today)
                        && c.template().category() == null && c.template().servesTier(m.tier()))
                : PointLots.usable(ctx.pointsLedger().lots(h, m.id()), today) > 0
                        && ctx.storedValueLedger().balanceFen(h, m.id()) > 0);
    }

    /**
     * Rings the sale up on the member shown (untimed): the amount, and F1 for the top coupon or the points and stored
     * value typed in. Empty when this member cannot have this variant's sale (their top suggestion is not a coupon the
     * amount can take, or their balances after the scan's upkeep are too small).
     */
    private static Optional<Sale> ringUp(TerminalWiring ctx, CounterViewModel vm, Variant variant, String card, UUID memberId,
                                         SplittableRandom random, TextField amountField, TextField pointsField,
                                         TextField storedValueField) throws Exception {
        long gross = 3_000 + random.nextLong(27_000);
        if (variant == Variant.COUPON) {
            return WaitForAsyncUtils.asyncFx(() -> {
                List<MemberPanelFormat.SuggestionRow> offers = vm.memberPanel().suggestions();
                if (offers.isEmpty() || offers.get(0).suggestion().isPoints()
                        || offers.get(0).suggestion().template().category() != null) {
                    return Optional.<Sale>empty();
                }
                CouponTemplate t = offers.get(0).suggestion().template();
                long amount = Math.max(gross, t.minSpendFen() + random.nextLong(5_000));
                amountField.requestFocus();
                amountField.setText(yuan(amount));
                EventTarget target = amountField;
                Event.fireEvent(target, new KeyEvent(KeyEvent.KEY_PRESSED, KeyEvent.CHAR_UNDEFINED, "", KeyCode.F1, false, false, false, false));
                Event.fireEvent(target, new KeyEvent(KeyEvent.KEY_RELEASED, KeyEvent.CHAR_UNDEFINED, "", KeyCode.F1, false, false, false, false));
                var chosen = vm.checkout().chosenCouponProperty().get();
                if (chosen != offers.get(0)) {
                    return Optional.<Sale>empty();
                }
                return Optional.of(new Sale(variant, card, memberId, amount, chosen.suggestion().couponId(), 0, 0));
            }).get();
        }
        LocalDate today = LocalDate.now(ctx.clock());
        record Balances(RuleSet rules, long points, long storedValueFen) {
        }
        Balances b = ctx.database().jdbi().withHandle(h -> new Balances(ctx.ruleSetRepository().active(h),
                PointLots.usable(ctx.pointsLedger().lots(h, memberId), today), ctx.storedValueLedger().balanceFen(h, memberId)));
        int perYuan = b.rules().pointsPerYuanRedeemed();
        long step = perYuan / gcd(perYuan, 100);
        // points for at most half the bill, stored value for at most half of what is left
        long points = Math.min(b.points(), gross / 2 * perYuan / 100) / step * step;
        long storedValue = Math.min(b.storedValueFen(), (gross - b.rules().fenForPoints(points)) / 2);
        if (points <= 0 || storedValue <= 0) {
            return Optional.empty();
        }
        return WaitForAsyncUtils.asyncFx(() -> {
            amountField.requestFocus();
            amountField.setText(yuan(gross));
            pointsField.setText(Long.toString(points));
            storedValueField.setText(yuan(storedValue));
            return Optional.of(new Sale(variant, card, memberId, gross, null, points, storedValue));
        }).get();
    }

    /**
     * The sale was recorded as rung up (checked outside the timing): its checkout row under the receipt number shown,
     * for this member, amount, coupon, points and stored value, its receipt copy, and the rows it wrote include the
     * purchase, its line, the event and, by variant, the coupon's redemption or the points and stored-value entries.
     */
    private static void checkWritten(Jdbi jdbi, Sale sale, String receiptNo, List<BareWrites.Captured> run) {
        record Row(UUID member, long gross, UUID coupon, long points, long storedValue, boolean copied) {
        }
        Row row = jdbi.withHandle(h -> h.createQuery("""
                SELECT c.member_id, c.gross_fen, c.coupon_id, c.points_redeemed, c.stored_value_fen,
                       EXISTS (SELECT 1 FROM receipt_copy r WHERE r.kind = 'CHECKOUT' AND r.number = c.receipt_no)
                FROM checkout c WHERE c.receipt_no = :r""")
                .bind("r", receiptNo)
                .map((rs, c) -> new Row(rs.getObject(1, UUID.class), rs.getLong(2), rs.getObject(3, UUID.class), rs.getLong(4),
                        rs.getLong(5), rs.getBoolean(6)))
                .findOne().orElseThrow(() -> new AssertionError("no checkout " + receiptNo + " for " + sale)));
        assertThat(row).as("the checkout of %s", sale)
                .isEqualTo(new Row(sale.memberId(), sale.grossFen(), sale.couponId(), sale.points(), sale.storedValueFen(), true));
        Map<String, Integer> written = BareWrites.writtenRows(run);
        assertThat(written).as("what the sale of %s wrote", sale).containsKeys("INSERT purchase", "INSERT purchase_line",
                "INSERT outbox_event", "INSERT checkout", "MERGE receipt_copy");
        if (sale.variant() == Variant.COUPON) {
            assertThat(written).containsKeys("UPDATE coupon", "INSERT coupon_redemption");
        } else {
            assertThat(written).containsKeys("INSERT points_entry", "INSERT sv_entry");
        }
    }

    /**
     * Whether the counter shows the receipt its preview's view model holds: the preview (laid over the member column at
     * the first receipt) visible, its title and every row of its paper laid out with this receipt's text, and no other
     * row shown (the labels of a longer receipt before it are kept hidden).
     */
    private static boolean shows(Scene counter, ReceiptPreviewViewModel receipts, Node[] found) {
        // The preview's nodes are looked up once and kept while they are in the scene: a lookup parses its selector
        // again at every node it passes, and this runs at every pulse of every timed sale, so it made garbage (about
        // 200 KB a sale) inside the very time measured.
        if (found[0] == null || found[0].getScene() != counter) {
            Node preview = counter.lookup(".receipt-preview");
            if (preview == null) {
                return false;
            }
            Node scroll = preview.lookup("#paperScroll");
            found[0] = preview;
            found[1] = preview.lookup("#titleLabel");
            // the paper is the scroll pane's content (a lookup finds it only once the pane's skin is made)
            found[2] = ((StackPane) ((ScrollPane) scroll).getContent()).getChildren().get(0);
        }
        Node preview = found[0];
        if (!preview.isVisible() || preview.getParent() == null || !preview.getParent().isVisible()) {
            return false;
        }
        Label title = (Label) found[1];
        VBox paper = (VBox) found[2];
        List<ReceiptPreviewViewModel.PreviewRow> rows = receipts.rows();
        if (!title.getText().equals(receipts.titleProperty().get()) || rows.isEmpty()
                || paper.getChildren().size() < rows.size()) {
            return false;
        }
        for (int i = rows.size(); i < paper.getChildren().size(); i++) {
            if (paper.getChildren().get(i).isVisible() || paper.getChildren().get(i).isManaged()) {
                return false;
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            Label label = (Label) paper.getChildren().get(i);
            String text = rows.get(i).text();
            if (!label.isVisible() || !label.getText().equals(text.isEmpty() ? " " : text) || label.getWidth() <= 0
                    || label.isNeedsLayout()) {
                return false;
            }
        }
        return true;
    }

    /** Types the card code and Enter as a wedge scanner does; the future completes when the panel shows the member. */
    private static CompletableFuture<?> scan(Scene scene, CounterViewModel vm, String code, String[] scanning,
                                             CompletableFuture<?>[] shown) {
        CompletableFuture<Object> done = new CompletableFuture<>();
        Platform.runLater(() -> {
            scanning[0] = code;
            shown[0] = done;
            for (char c : code.toCharArray()) {
                key(scene, c);
            }
            EventTarget target = target(scene);
            Event.fireEvent(target, new KeyEvent(KeyEvent.KEY_PRESSED, KeyEvent.CHAR_UNDEFINED, "", KeyCode.ENTER, false, false, false, false));
            Event.fireEvent(target, new KeyEvent(KeyEvent.KEY_TYPED, "\r", "", KeyCode.UNDEFINED, false, false, false, false));
            Event.fireEvent(target, new KeyEvent(KeyEvent.KEY_RELEASED, KeyEvent.CHAR_UNDEFINED, "", KeyCode.ENTER, false, false, false, false));
            if (!code.equals(vm.lookup().lastScanProperty().get())) {
                // a stall longer than the wedge gap split the burst: typed text, not a scan
                scanning[0] = null;
                vm.lookup().searchQueryProperty().set("");
                vm.checkout().saleAmountProperty().set("");
                done.completeExceptionally(new IllegalStateException("split scan"));
            }
        });
        return done;
    }

    private static void key(Scene scene, char c) {
        EventTarget target = target(scene);
        String s = String.valueOf(c);
        KeyCode key = KeyCode.getKeyCode(s) == null ? KeyCode.UNDEFINED : KeyCode.getKeyCode(s);
        Event.fireEvent(target, new KeyEvent(KeyEvent.KEY_PRESSED, KeyEvent.CHAR_UNDEFINED, s, key, false, false, false, false));
        Event.fireEvent(target, new KeyEvent(KeyEvent.KEY_TYPED, s, "", KeyCode.UNDEFINED, false, false, false, false));
        Event.fireEvent(target, new KeyEvent(KeyEvent.KEY_RELEASED, KeyEvent.CHAR_UNDEFINED, s, key, false, false, false, false));
    }

    private static EventTarget target(Scene scene) {
        return scene.getFocusOwner() != null ? scene.getFocusOwner() : scene.getRoot();
    }

    /** Until the counter's database thread and the receipts' thread have nothing under way. */
    private static void waitUntilIdle(CounterViewModel vm, ReceiptPreviewViewModel receipts) throws Exception {
        waitUntil(() -> {
            try {
                return WaitForAsyncUtils.asyncFx(() -> !vm.statusBar().busyProperty().get()
                        && !receipts.busyProperty().get()).get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "the counter idle");
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 30 s for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static String yuan(long fen) {
        return String.format(Locale.ROOT, "%d.%02d", fen / 100, fen % 100);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
