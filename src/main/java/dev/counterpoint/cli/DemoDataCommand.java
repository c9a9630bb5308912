package dev.counterpoint.cli;

import dev.counterpoint.demo.DemoStoreGenerator;
import dev.counterpoint.demo.ScaleStoreGenerator;
import dev.counterpoint.demo.Showcase;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.PrintWriter;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "demo-data", description = {
        "Fill an empty data dir with a demo store: members, purchases, points, stored value, coupons.",
        "With --members: a large store for benchmarks (the showcase members plus that many more, bulk-written without outbox events).",
        "Exit 0 done; 1 refused: the data dir already has members (nothing written); 2 bad counts."})
public final class DemoDataCommand implements Callable<Integer> {
    @ParentCommand
    CommandRoot root;

    @Spec
    CommandSpec spec;

    @Option(names = "--members", description = "Scale data: this many generated members (e.g. 1000000).")
    Integer members;

    @Option(names = "--purchases", description = "Scale data: about this many purchases between them (default: 10 per member).")
    Long purchases;

    @Override
    public Integer call() {
        try (TerminalWiring wiring = root.openWiring()) {
            boolean scaleData = members != null || purchases != null;
            return fill(wiring.demoStoreGenerator(), scaleData ? wiring.scaleStoreGenerator() : null);
        }
    }

    /** The demo store; given {@code scale} (scale data asked for), its showcase members and the scale data. */
    int fill(DemoStoreGenerator demo, ScaleStoreGenerator scale) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ResourceBundle bundle = Messages.bundle(root.locale());
        try {
            if (scale == null) {
                generate(demo, out, bundle);
            } else {
                int count = members == null ? DemoStoreGenerator.DEFAULT_MEMBERS : members;
                if (count <= 0 || purchases != null && purchases < 0) {
                    err.println(new UserMessage("demo.scale.badCounts").format(bundle));
                    err.flush();
                    return ExitCodes.USAGE;
                }
                generateScale(demo, scale, count, purchases == null ? 10L * count : purchases, out, bundle);
            }
            return ExitCodes.OK;
        } catch (BusinessRuleException e) {
            err.println(e.userMessage().format(bundle));
            err.flush();
            return ExitCodes.REFUSED;
        }
    }

    /**
     * The showcase members (through the demo's own path, with their events), then the bulk members with a
     * progress bar redrawn in place.
     */
    private static void generateScale(DemoStoreGenerator demo, ScaleStoreGenerator scale, int count, long purchases,
                                      PrintWriter out, ResourceBundle bundle) {
        demo.generate(0, (written, total) -> { });
        long started = System.nanoTime();
        ScaleStoreGenerator.Summary s = scale.generate(count, purchases, new ScaleStoreGenerator.Progress() {
            private ScaleStoreGenerator.Pass shown;

            @Override
            public void written(ScaleStoreGenerator.Pass pass, int written, int total, long rows) {
                if (shown != null && pass != shown) {
                    out.println(); // each pass keeps its finished bar on a line of its own
                }
                shown = pass;
                long elapsed = Math.max(1, System.nanoTime() - started);
                int width = 30;
                int filled = (int) ((long) written * width / total);
                String bar = "#".repeat(filled) + " ".repeat(width - filled);
                out.print("\r" + new UserMessage("demo.scale.progress", bar,
                        bundle.getString("demo.scale.pass." + pass.name().toLowerCase(java.util.Locale.ROOT)), written,
                        total, rows, rows * 1_000_000_000L / elapsed).format(bundle));
                out.flush();
            }

            @Override
            public void finishing(int indexes) {
                out.println();
                out.print(new UserMessage("demo.scale.indexing", indexes).format(bundle));
                out.flush();
            }
        });
        out.println();
        out.println(new UserMessage("demo.scale.summary", s.members(), s.purchases(), s.lines(), s.coupons(), s.rows(),
                s.nanos() / 1_000_000_000.0, s.rowsPerSecond()).format(bundle));
        out.println(bundle.getString("demo.showcase.header"));
        for (Showcase showcase : Showcase.values()) {
            out.println("  " + showcase.cardCode() + "  " + bundle.getString(showcase.messageKey()));
        }
        out.flush();
    }

    /** Generates the demo store with progress and a summary on {@code out}; shared with {@code terminal --demo}. */
    static DemoStoreGenerator.Summary generate(DemoStoreGenerator demo, PrintWriter out, ResourceBundle bundle) {
        DemoStoreGenerator.Summary s = demo.generate(DemoStoreGenerator.DEFAULT_MEMBERS, (written, total) -> {
            out.println(new UserMessage("demo.progress", written, total).format(bundle));
            out.flush();
        });
        out.println(new UserMessage("demo.summary", s.members(), s.purchases(), s.coupons(), s.couponsUsed(), s.topUps())
                .format(bundle));
        out.println(bundle.getString("demo.showcase.header"));
        for (Showcase showcase : Showcase.values()) {
            out.println("  " + showcase.cardCode() + "  " + bundle.getString(showcase.messageKey()));
        }
        out.flush();
        return s;
    }
}
