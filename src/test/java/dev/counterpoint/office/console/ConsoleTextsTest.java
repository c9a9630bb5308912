package dev.counterpoint.office.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.loyalty.SegmentTag;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.PurchaseSource;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The console's language comes from the switch, else the browser; every key the pages make from a value exists. */
class ConsoleTextsTest {
    @Test
    void theSwitchWinsThenTheBrowsersFirstChineseOrEnglishThenEnglish() {
        assertThat(Texts.choose("en", "zh-CN,zh;q=0.9")).isEqualTo(Locale.ENGLISH);
        assertThat(Texts.choose("zh-CN", "en-US")).isEqualTo(Messages.CHINESE);
        assertThat(Texts.choose(null, "zh-CN,zh;q=0.9,en;q=0.8")).isEqualTo(Messages.CHINESE);
        assertThat(Texts.choose(null, "zh-TW")).isEqualTo(Messages.CHINESE);
        assertThat(Texts.choose(null, "fr-FR,en;q=0.5,zh;q=0.4")).isEqualTo(Locale.ENGLISH);
        assertThat(Texts.choose(null, "de, zh;q=0.5")).isEqualTo(Messages.CHINESE);
        assertThat(Texts.choose("klingon", null)).isEqualTo(Locale.ENGLISH);
        assertThat(Texts.choose(null, ";;;q=x")).isEqualTo(Locale.ENGLISH);
    }

    @Test
    void theConsolesTextsWriteAnApostropheAsMessageFormatWantsIt() {
        for (Locale l : Texts.LANGUAGES) {
            ResourceBundle b = Messages.bundle(l);
            for (String key : b.keySet()) {
                if (key.startsWith("console.")) {
                    assertThat(b.getString(key)).as(key + " (a lone ' vanishes: write '')").doesNotContainPattern("(?<!')'(?!')");
                }
            }
        }
        assertThat(new Texts(Locale.ENGLISH, java.time.ZoneOffset.UTC).text("console.reports.members")).startsWith("Members' ");
    }

    @Test
    void everyKeyMadeFromAValueIsInBothLanguages() {
        List<String> keys = new ArrayList<>();
        ExceptionsPage.KINDS.forEach(k -> keys.addAll(List.of("console.exception.kind." + k, "console.exception.explain." + k)));
        ExceptionsPage.STATES.forEach(s -> keys.add("console.exception.filter." + s));
        Stream.of("OPEN", "RESOLVED").forEach(s -> keys.add("console.exception.state." + s));
        Stream.of(TerminalStates.Close.values()).forEach(c -> keys.add("console.close." + c));
        ExceptionsPage.KINDS.forEach(k -> ExceptionsPage.outcomes(k).forEach(o -> keys.add("console.outcome." + o)));
        ExceptionsPage.outcomes("SOMETHING_NEW").forEach(o -> keys.add("console.outcome." + o));
        keys.add("console.outcome.SETTLED_BY_OFFICE");
        Stream.of("PENDING", "ACTIVE", "REVOKED").forEach(s -> keys.add("console.terminal.status." + s));
        Stream.of("ACTIVE", "MERGED", "ERASED").forEach(s -> keys.add("console.member.status." + s));
        Stream.of("ISSUED", "REDEEMED", "VOID", "EXPIRED").forEach(s -> keys.add("console.coupon.status." + s));
        Stream.of(PurchaseSource.values()).forEach(s -> keys.add("console.source." + s));
        Stream.of(PointsKind.values()).forEach(k -> keys.add("console.points." + k));
        Stream.of(StoredValueKind.values()).forEach(k -> keys.add("console.sv." + k));
        Stream.of("points", "sv").forEach(l -> keys.add("console.member.adjustedByOffice." + l));
        Stream.of(Tier.values()).forEach(t -> keys.add("tier." + t));
        ReportsPage.REASONS.forEach(r -> keys.add("console.reason." + r));
        Stream.of(ReportsPage.Kpi.values()).forEach(k -> keys.add(k.key));
        Stream.of(SegmentTag.values()).forEach(t -> keys.add("tag." + t));
        // An owner's menu is the whole menu.
        Viewer owner = new Viewer(1, "boss", Viewer.Role.OWNER, null);
        new Page(new Texts(Locale.ENGLISH, java.time.ZoneOffset.UTC), owner, "", null, "/").navItems()
                .forEach(n -> keys.add("console.nav." + n.id()));
        assertThat(keys).contains("console.nav.campaigns");
        for (Locale l : Texts.LANGUAGES) {
            ResourceBundle b = Messages.bundle(l);
            assertThat(keys).as(l.toString()).allSatisfy(k -> assertThat(b.containsKey(k)).as(k).isTrue());
        }
    }
}
