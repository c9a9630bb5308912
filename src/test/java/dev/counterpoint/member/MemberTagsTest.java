package dev.counterpoint.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.counterpoint.wiring.TerminalWiring;
import dev.counterpoint.audit.AuditEntry;
import dev.counterpoint.loyalty.SegmentTag;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.protocol.TagName;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.testing.TestClock;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manager's custom tag at the terminal: the row, its {@code member.tagged} event and its audit entry together; the
 * name checked and kept in its normal form; at most 20 a member; a cashier refused; head office's state applied by HLC.
 */
class MemberTagsTest {
    @TempDir
    Path dir;
    final TestClock clock = new TestClock(Instant.parse("2026-11-23T02:00:00Z"), ZoneId.of("Asia/Shanghai"));
    TerminalWiring ctx;
    Member member;
    Staff manager;
    Staff cashier;

    @BeforeEach
    void setUp() {
        ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, clock);
        member = ctx.memberService().enrol("王芳", "138 0013 5678", null);
        manager = ctx.staffAccounts().addFirst("li", "李店长", StaffRole.MANAGER, "246810");
        cashier = ctx.staffAccounts().add(manager, "wu", "吴", StaffRole.CASHIER, "135790");
    }

    @AfterEach
    void close() {
        ctx.close();
    }

    @Test
    void aManagersTagIsWrittenWithItsEventAndAuditEntryInItsNormalForm() throws Exception {
        // "Cafe" with a combining accent, padded: kept as NFC, trimmed.
        MemberTags.Outcome done = ctx.memberTags().set(member.id(), "  Cafe\u0301 club ", true, manager);
        assertThat(done.changed()).isTrue();
        assertThat(done.tag()).isEqualTo("Café club");
        assertThat(ctx.memberTags().of(member.id())).containsExactly("Café club");

        String payload = ctx.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT payload FROM outbox_event WHERE type = 'member.tagged'").mapTo(String.class).one());
        Event.MemberTagged e = (Event.MemberTagged) ProtocolJson.readEvent(ctx.json(), "member.tagged",
                ctx.json().readTree(payload));
        assertThat(e.memberId()).isEqualTo(member.id());
        assertThat(e.tag()).isEqualTo("Café club");
        assertThat(e.on()).isTrue();
        assertThat(e.staffId()).isEqualTo("li");
        AuditEntry audit = ctx.database().jdbi().withHandle(h -> ctx.auditLog().entries(h)).stream()
                .filter(x -> x.action().equals("MEMBER_TAGGED")).findFirst().orElseThrow();
        assertThat(audit.staffId()).isEqualTo("li");
        assertThat(audit.subject()).isEqualTo(member.cardCode());
        assertThat(audit.detail()).containsEntry("tag", "Café club").containsEntry("on", "true");
        // The stamp row and the event: the row's HLC is not after the event's, so head office's answer replaces it.
        long rowHlc = ctx.database().queryLong("SELECT hlc FROM member_tag");
        long eventHlc = ctx.database().queryLong("SELECT hlc FROM outbox_event WHERE type = 'member.tagged'");
        assertThat(rowHlc).isPositive().isLessThanOrEqualTo(eventHlc);

        // Again: nothing written. Removed: the row stays, off.
        assertThat(ctx.memberTags().set(member.id(), "Café club", true, manager).changed()).isFalse();
        assertThat(ctx.memberTags().set(member.id(), "Café club", false, manager).tags()).isEmpty();
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM outbox_event WHERE type = 'member.tagged'")).isEqualTo(2);
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM member_tag WHERE NOT tag_on")).isEqualTo(1);
        assertThat(ctx.memberTags().set(member.id(), "Café club", false, manager).changed()).isFalse();
    }

    @Test
    void aCashierAnInvalidNameOrATwentyFirstTagIsRefusedAndWritesNothing() {
        long events = ctx.database().queryLong("SELECT COUNT(*) FROM outbox_event");
        assertRefused(() -> ctx.memberTags().set(member.id(), "VIP", true, cashier), "tags.error.managerOnly");
        assertRefused(() -> ctx.memberTags().set(member.id(), "   ", true, manager), "tags.error.empty");
        assertRefused(() -> ctx.memberTags().set(member.id(), "十七个字的标签十七个字的标签十七个", true, manager),
                "tags.error.tooLong");
        assertRefused(() -> ctx.memberTags().set(member.id(), "a/b", true, manager), "tags.error.characters");
        assertRefused(() -> ctx.memberTags().set(member.id(), "VIP\u202E", true, manager), "tags.error.characters");
        assertRefused(() -> ctx.memberTags().set(member.id(), "Dormant", true, manager), "tags.error.automatic");
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM outbox_event")).isEqualTo(events);

        for (int i = 1; i <= TagName.MAX_PER_MEMBER; i++) {
            ctx.memberTags().set(member.id(), "标签" + i, true, manager);
        }
        assertRefused(() -> ctx.memberTags().set(member.id(), "再一个", true, manager), "tags.error.tooMany");
        assertThat(ctx.memberTags().of(member.id())).hasSize(20).doesNotContain("再一个");
        // 16 characters, CJK, digits, space, - and _ are a tag.
        ctx.memberTags().set(member.id(), "标签1", false, manager);
        assertThat(ctx.memberTags().set(member.id(), "会员-日_2026 春季活动", true, manager).changed()).isTrue();
    }

    @Test
    void anErasedMemberTakesNoTagAndLosesTheTagsItHad() {
        ctx.memberTags().set(member.id(), "VIP", true, manager);
        ctx.memberService().erase(member.id(), "li");
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM member_tag")).isZero();
        assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM outbox_event WHERE type = 'member.tagged'"
                + " AND payload LIKE '%VIP%'")).isZero();
        assertRefused(() -> ctx.memberTags().set(member.id(), "VIP", true, manager), "member.error.erased");
    }

    @Test
    void headOfficesStateReplacesAnOlderOneAndNeverANewerChangeMadeHere() {
        ctx.memberTags().set(member.id(), "VIP", true, manager);
        long local = ctx.database().queryLong("SELECT hlc FROM member_tag");
        OffsetDateTime at = OffsetDateTime.now(clock);
        ctx.database().jdbi().useTransaction(h -> MemberTags.applyPulled(h, member.id(),
                new MemberTags.TagRow("VIP", false, at, "S9", "zhang", local - 1)));
        assertThat(ctx.memberTags().of(member.id())).containsExactly("VIP");
        ctx.database().jdbi().useTransaction(h -> MemberTags.applyPulled(h, member.id(),
                new MemberTags.TagRow("VIP", false, at, "S9", "zhang", local + 1)));
        assertThat(ctx.memberTags().of(member.id())).isEmpty();
        ctx.database().jdbi().useTransaction(h -> MemberTags.applyPulled(h, member.id(),
                new MemberTags.TagRow("素食", true, at, null, "console:owner", local + 2)));
        assertThat(ctx.memberTags().of(member.id())).containsExactly("素食");
        assertThat(ctx.memberSummaryService().byId(member.id()).orElseThrow().customTags()).containsExactly("素食");
    }

    @Test
    void theProtocolsAutomaticNamesAreTheSegmentTags() {
        assertThat(TagName.AUTOMATIC).containsExactlyElementsOf(Arrays.stream(SegmentTag.values()).map(Enum::name).toList());
        assertThat(TagName.problem("at_risk")).contains(TagName.Problem.AUTOMATIC);
        assertThat(TagName.problem(TagName.normalise(" VIP "))).isEmpty();
        assertThat(List.of("", "a/b", "x\ty", "１２３４５６７８９０１２３４５６７")).allSatisfy(t ->
                assertThat(TagName.problem(t)).isPresent());
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String key) {
        assertThatThrownBy(call).isInstanceOf(BusinessRuleException.class)
                .extracting(e -> ((BusinessRuleException) e).userMessage().key()).isEqualTo(key);
    }
}
