package dev.counterpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.app.AppContext;
import dev.counterpoint.demo.ScaleStoreGenerator;
import dev.counterpoint.sync.SyncSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scale store is a benchmark fixture (decision 0026): register and sync refuse it before reaching head office. */
class ScaleFixtureGuardTest {
    /** Nothing listens here: a refusal that tried to reach head office would say so instead. */
    private static final String OFFICE = "http://127.0.0.1:9";

    @TempDir
    Path tmp;
    private Path store;

    @BeforeEach
    void scaleStore() {
        store = tmp.resolve("scale");
        try (AppContext ctx = AppContext.open(store, Locale.ENGLISH, Clock.systemDefaultZone())) {
            ctx.demoStoreGenerator().generate(0, (written, total) -> { });
            ScaleStoreGenerator.of(ctx).generate(40, 200, (pass, members, total, rows) -> { });
        }
    }

    @Test
    void registerIsRefusedAndNothingIsWritten() throws Exception {
        String config = Files.readString(store.resolve("counterpoint.properties"));
        LookupCommandTest.Run en = LookupCommandTest.run("--data-dir", store.toString(), "--lang", "en", "register",
                "--office", OFFICE, "ABCD-EFGH");
        assertThat(en.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(en.err()).startsWith("Refused: this data dir holds scale data (demo-data --members)")
                .contains("never registered or synced").doesNotContain("cannot be reached");
        LookupCommandTest.Run zh = LookupCommandTest.run("--data-dir", store.toString(), "--lang", "zh", "register",
                "--office", OFFICE, "ABCD-EFGH");
        assertThat(zh.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(zh.err()).startsWith("已拒绝：此数据目录是大规模测试数据").contains("不可注册或同步");
        assertThat(store.resolve(SyncSettings.FILE_NAME)).doesNotExist();
        assertThat(Files.readString(store.resolve("counterpoint.properties"))).isEqualTo(config);
    }

    @Test
    void syncIsRefusedEvenWhenTheDataDirWasRegisteredBefore() {
        new SyncSettings(URI.create(OFFICE), "credential").save(store);
        LookupCommandTest.Run sync = LookupCommandTest.run("--data-dir", store.toString(), "--lang", "en", "sync");
        assertThat(sync.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(sync.err()).startsWith("Refused: this data dir holds scale data").doesNotContain("cannot be reached");
    }

    @Test
    void anOrdinaryDemoStoreIsNotMarked() {
        Path demo = tmp.resolve("demo");
        assertThat(LookupCommandTest.run("--data-dir", demo.toString(), "--lang", "en", "demo-data").exit()).isZero();
        LookupCommandTest.Run register = LookupCommandTest.run("--data-dir", demo.toString(), "--lang", "en", "register",
                "--office", OFFICE, "ABCD-EFGH");
        assertThat(register.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(register.err()).doesNotContain("scale data");
    }
}
