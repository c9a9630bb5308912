package dev.counterpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.checkout.MemberPanelFormat;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.main.CounterpointCommand;
import dev.counterpoint.member.Member;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LookupCommandTest {
    @TempDir
    Path dir;

    @Test
    void jsonShowsTheMemberAsTheCounterDoes() throws Exception {
        Member m;
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            m = ctx.memberService().enrol("王芳", "13800135678", LocalDate.now().minusYears(30).plusDays(2));
            ctx.checkoutService().recordSale(m.id(), null, List.of(new PurchaseLine("BEAN-01", "咖啡豆", 1, 8_800),
                    new PurchaseLine("LATTE", "饮品", 2, 6_400)));
        }

        Run run = run("--data-dir", dir.toString(), "--lang", "en", "lookup", m.cardCode(), "--json");

        assertThat(run.exit).isZero();
        JsonNode doc = new ObjectMapper().readTree(run.out);
        assertThat(doc.get("card_code").asText()).isEqualTo(m.cardCode());
        assertThat(doc.get("name").asText()).isEqualTo("王芳");
        assertThat(doc.get("phone_masked").asText()).isEqualTo("138****5678");
        assertThat(doc.get("tier").asText()).isEqualTo("NORMAL");
        assertThat(doc.get("points").asLong()).isEqualTo(152);
        assertThat(doc.get("stored_value_fen").asLong()).isZero();
        assertThat(doc.get("tags").get(0).asText()).isEqualTo("NEW");
        assertThat(doc.get("purchases")).hasSize(2);
        assertThat(doc.get("purchases").get(0).get("sku").asText()).isEqualTo("BEAN-01");
        assertThat(doc.get("purchases").get(0).get("amount_fen").asLong()).isEqualTo(8_800);
        JsonNode suggestion = doc.get("suggestions").get(0);
        assertThat(suggestion.get("reason").asText()).isEqualTo("BIRTHDAY");
        assertThat(suggestion.get("text").asText()).startsWith("Birthday in 2 days");
        assertThat(suggestion.get("coupon").get("template").asText()).isEqualTo("BIRTHDAY");
    }

    /** The text is the counter's member panel, line by line, worded by the same formatter. */
    @Test
    void textShowsThePanelAsTheCounterWordsIt() throws Exception {
        Member m;
        MemberPanelFormat.Panel panel;
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            m = ctx.memberService().enrol("王芳", "13800135678", null);
            for (int i = 0; i < 2; i++) {
                ctx.checkoutService().recordSale(m.id(), null, List.of(new PurchaseLine("BEAN-01", "咖啡豆", 3, 75_000)));
            }
            panel = new MemberPanelFormat(Locale.ENGLISH, ctx.clock().getZone(), ctx.config().storeId())
                    .panel(ctx.memberSummaryService().byCode(m.cardCode()).orElseThrow());
        }

        Run run = run("--data-dir", dir.toString(), "--lang", "en", "lookup", m.cardCode());

        assertThat(run.exit).as(run.err).isZero();
        List<String> lines = run.out.lines().toList();
        assertThat(lines.get(0)).isEqualTo("王芳  " + m.cardCode() + "  138****5678  " + panel.tierText());
        // grouped as the panel shows it, not as a bare number
        assertThat(lines).contains("Points: 1,500   Stored value: ¥0.00", panel.lastVisit() + "   " + panel.tierProgress(),
                "Often buys: BEAN-01 (咖啡豆) · bought 2 times");
        MemberPanelFormat.PurchaseRow bought = panel.purchases().get(0);
        assertThat(lines).contains("  " + bought.date() + "  ¥750.00  BEAN-01 ×3  " + bought.receiptNo());
        assertThat(panel.suggestions()).isNotEmpty();
        for (MemberPanelFormat.SuggestionRow s : panel.suggestions()) {
            assertThat(lines).contains("* " + s.title() + " — " + s.reason());
        }

        JsonNode doc = new ObjectMapper().readTree(run("--data-dir", dir.toString(), "--lang", "en", "lookup", m.cardCode(),
                "--json").out);
        assertThat(doc.get("suggestions").get(0).get("title").asText()).isEqualTo(panel.suggestions().get(0).title());
        assertThat(doc.get("suggestions").get(0).get("text").asText()).isEqualTo(panel.suggestions().get(0).reason());
    }

    /** A member QR token is taken as the counter takes it: verified with head office's key, then its card looked up. */
    @Test
    void aMemberQrTokenIsVerifiedAsTheCounterDoes() throws Exception {
        java.security.KeyPair headOffice = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        java.security.KeyPair forger = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Member m;
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemUTC())) {
            m = ctx.memberService().enrol("王芳", "13800135678", null);
            ctx.database().jdbi().useHandle(h -> new dev.counterpoint.scan.MemberQrKeys().insert(h,
                    java.util.Base64.getEncoder().encodeToString(headOffice.getPublic().getEncoded()),
                    java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)));
        }
        String token = new dev.counterpoint.scan.MemberQrSigner(headOffice.getPrivate(), Clock.systemUTC()).tokenFor(m.cardCode());
        Run shown = run("--data-dir", dir.toString(), "--lang", "en", "lookup", token, "--json");
        assertThat(shown.exit).as(shown.err).isZero();
        assertThat(new ObjectMapper().readTree(shown.out).get("card_code").asText()).isEqualTo(m.cardCode());

        String forged = new dev.counterpoint.scan.MemberQrSigner(forger.getPrivate(), Clock.systemUTC()).tokenFor(m.cardCode());
        Run refused = run("--data-dir", dir.toString(), "--lang", "en", "lookup", forged);
        assertThat(refused.exit).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err).isNotBlank();
        assertThat(refused.out).doesNotContain("王芳");
    }

    @Test
    void chineseTextFollowsLang() throws Exception {
        Member m;
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            m = ctx.memberService().enrol("李娜", "13911112222", null);
        }
        Run run = run("--data-dir", dir.toString(), "--lang", "zh", "lookup", m.cardCode(), "--json");
        JsonNode suggestion = new ObjectMapper().readTree(run.out).get("suggestions").get(0);
        assertThat(suggestion.get("reason").asText()).isEqualTo("WELCOME");
        assertThat(suggestion.get("text").asText()).isEqualTo("新会员欢迎礼");
        assertThat(suggestion.get("coupon").get("name").asText()).isEqualTo("新会员礼 ¥10");
    }

    @Test
    void unknownCodeSaysSoOnStderrWithExitThree() {
        Run run = run("--data-dir", dir.toString(), "--lang", "en", "lookup", "2999999999994");
        assertThat(run.exit).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run.out).isEmpty();
        assertThat(run.err).contains("No member with code 2999999999994");
    }

    @Test
    void unusableDataDirIsAClearMessageNotAStackTrace() throws Exception {
        Path file = dir.resolve("not-a-dir");
        java.nio.file.Files.writeString(file, "x");
        Run run = run("--data-dir", file.toString(), "lookup", "1");
        assertThat(run.exit).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.err).startsWith("counterpoint: ").doesNotContain("Exception");
    }

    static Run run(String... args) {
        return runWithInput("", args);
    }

    /** Runs a command with {@code input} as its standard input (PINs, one per line). */
    static Run runWithInput(String input, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CounterpointCommand.commandLine(
                new java.io.ByteArrayInputStream(input.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    record Run(int exit, String out, String err) {
    }
}
