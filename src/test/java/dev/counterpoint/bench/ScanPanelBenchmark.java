package dev.counterpoint.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.app.AppContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;

/**
 * What a scan costs to fill the member panel (card, history, suggestions: {@code MemberSummaryService.byCode},
 * upkeep included) on the bench store, against its floor: the very SELECTs that scan ran, captured from Jdbi
 * with their arguments and replayed bare over JDBC on the same database (prepared once, results read to the end).
 * Members are scanned in a random order, each once, alternating app and floor so both see the same machine.
 */
class ScanPanelBenchmark {
    static final int SCANS = Integer.getInteger("bench.scans", 1_000);
    static final int WARM_UP = 300;

    /** One statement as Jdbi ran it: positional SQL and its arguments in order. */
    record Captured(String sql, List<Argument> args, StatementContext ctx) {
    }

    @Test
    void scanToPanelAgainstBareQueries() throws SQLException {
        try (AppContext ctx = AppContext.open(BenchStore.dataDir(), Locale.ENGLISH, Clock.systemDefaultZone())) {
            List<String> cards = BenchStore.randomCards(ctx.database().jdbi(), WARM_UP + SCANS);
            List<Captured> captured = new ArrayList<>();
            ctx.database().jdbi().setSqlLogger(new SqlLogger() {
                @Override
                public void logAfterExecution(StatementContext c) {
                    String sql = c.getParsedSql().getSql();
                    if (!sql.stripLeading().regionMatches(true, 0, "SELECT", 0, 6)) {
                        return;
                    }
                    List<Argument> args = new ArrayList<>();
                    var params = c.getParsedSql().getParameters();
                    if (params.isPositional()) {
                        for (int i = 0; i < params.getParameterCount(); i++) {
                            args.add(c.getBinding().findForPosition(i).orElseThrow());
                        }
                    } else {
                        for (String name : params.getParameterNames()) {
                            args.add(c.getBinding().findForName(name, c).orElseThrow());
                        }
                    }
                    captured.add(new Captured(sql, args, c));
                }
            });
            long[] app = new long[SCANS];
            long[] floor = new long[SCANS];
            int statements = 0;
            int shown = 0;
            try (Connection bare = ctx.database().jdbi().open().getConnection()) {
                Map<String, PreparedStatement> prepared = new LinkedHashMap<>();
                for (int i = 0; i < cards.size(); i++) {
                    captured.clear();
                    long t0 = System.nanoTime();
                    boolean found = ctx.memberSummaryService().byCode(cards.get(i)).isPresent();
                    long t1 = System.nanoTime();
                    List<Captured> run = List.copyOf(captured);
                    long t2 = System.nanoTime();
                    for (Captured c : run) {
                        PreparedStatement ps = prepared.get(c.sql());
                        if (ps == null) {
                            ps = bare.prepareStatement(c.sql());
                            prepared.put(c.sql(), ps);
                        }
                        for (int a = 0; a < c.args().size(); a++) {
                            c.args().get(a).apply(a + 1, ps, c.ctx());
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            int columns = rs.getMetaData().getColumnCount();
                            while (rs.next()) {
                                for (int col = 1; col <= columns; col++) {
                                    rs.getObject(col);
                                }
                            }
                        }
                    }
                    long t3 = System.nanoTime();
                    if (i >= WARM_UP) {
                        app[i - WARM_UP] = t1 - t0;
                        floor[i - WARM_UP] = t3 - t2;
                        statements += run.size();
                        shown += found ? 1 : 0;
                    }
                }
                for (PreparedStatement ps : prepared.values()) {
                    ps.close();
                }
            }
            ctx.database().jdbi().setSqlLogger(SqlLogger.NOP_SQL_LOGGER);
            assertThat(shown).isEqualTo(SCANS);
            BenchResults.Latency a = BenchResults.Latency.of(app);
            BenchResults.Latency f = BenchResults.Latency.of(floor);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("members_in_store", BenchStore.MEMBERS);
            figures.put("scans", SCANS);
            figures.put("selects_per_scan", statements / (double) SCANS);
            figures.put("app", a);
            figures.put("floor", f);
            figures.put("p99_ratio", Math.round(a.p99Micros() / f.p99Micros() * 100) / 100.0);
            BenchResults.record("scan-to-panel", figures);
        }
    }
}
