package dev.counterpoint.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.store.DataKey;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemberServiceTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T06:00:00Z"), ZoneId.of("Asia/Shanghai"));

    @TempDir
    Path dir;
    TerminalWiring ctx;
    MemberService members;

    @BeforeEach
    void setUp() {
        ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, CLOCK);
        members = ctx.memberService();
    }

    @AfterEach
    void tearDown() {
        ctx.close();
    }

    @Test
    void enrolmentIssuesAValidCardAndKeepsTheMaskedPhoneInTheClearAndTheNumberOnlySealed() {
        Member m = members.enrol("  李娜 ", "+86 139-1234-5678", LocalDate.of(1992, 3, 8));

        assertThat(m.displayName()).isEqualTo("李娜");
        assertThat(m.phoneMasked()).isEqualTo("139****5678");
        assertThat(m.cardCode()).hasSize(13).startsWith("29");
        assertThat(CardCodes.checkDigit(m.cardCode())).isEqualTo(m.cardCode().charAt(12) - '0');
        assertThat(m.enrolledVia()).isEqualTo(EnrolmentSource.COUNTER);
        Map<String, Object> row = ctx.database().jdbi().withHandle(h ->
                h.createQuery("SELECT * FROM member").mapToMap().one());
        assertThat(row.values()).noneMatch(v -> String.valueOf(v).contains("13912345678"));
        // Sealed for a later re-key (decision 0038): it opens with this terminal's data key, for this member.
        assertThat(new PhoneSeal(DataKey.of(ctx.config())).unseal(m.id(), (byte[]) row.get("phone_sealed"))).contains("13912345678");
        String payload = ctx.database().jdbi().withHandle(h ->
                h.createQuery("SELECT payload FROM outbox_event WHERE type = 'member.enrolled'").mapTo(String.class).one());
        assertThat(payload).contains(m.cardCode()).contains("139****5678").doesNotContain("13912345678");
    }

    @Test
    void theCardInHandIsTheMembersWhenItIsOneOfTheStoresAndNobodysYet() {
        String inHand = CardCodes.withCheckDigit("291234567890");
        Member m = members.enrol("李娜", "13912345678", null, new EnrolmentConsent(true, false, false), inHand);

        assertThat(m.cardCode()).isEqualTo(inHand);
        assertThat(members.findByCode(inHand)).map(Member::id).contains(m.id());
        String payload = ctx.database().jdbi().withHandle(h ->
                h.createQuery("SELECT payload FROM outbox_event WHERE type = 'member.enrolled'").mapTo(String.class).one());
        assertThat(payload).contains("\"card_code\":\"" + inHand + "\"");

        assertThatThrownBy(() -> members.enrol("王芳", "13800135678", null, new EnrolmentConsent(true, false, false), inHand))
                .isInstanceOf(BusinessRuleException.class)
                .satisfies(e -> assertThat(((BusinessRuleException) e).userMessage().format(Locale.ENGLISH))
                        .isEqualTo("Card " + inHand + " already belongs to a member: give the customer another card."));
        assertThat(members.search("13800135678")).as("nothing written for the refused one").isEmpty();
    }

    @Test
    void aMergedMembersOldCardFindsTheSurvivorWithTheSurvivorsOwnCard() {
        Member survivor = members.enrol("李娜", "13912345678", null);
        Member merged = members.enrol("李娜", "13812345678", null);
        // What a merge from head office leaves: the merged member's card now an alias of the survivor's.
        ctx.database().jdbi().useHandle(h -> {
            h.createUpdate("UPDATE member_code SET member_id = :s, kind = 'ALIAS' WHERE member_id = :a")
                    .bind("s", survivor.id()).bind("a", merged.id()).execute();
            h.createUpdate("UPDATE member SET status = 'MERGED' WHERE id = :a").bind("a", merged.id()).execute();
        });

        assertThat(members.findByCode(merged.cardCode())).get().satisfies(m -> {
            assertThat(m.id()).isEqualTo(survivor.id());
            assertThat(m.cardCode()).isEqualTo(survivor.cardCode());
        });
        assertThat(members.findByCode(survivor.cardCode())).map(Member::cardCode).contains(survivor.cardCode());

        // A member holding only an alias (its card taken back by a split) is not found by it, as before.
        ctx.database().jdbi().useHandle(h -> h.createUpdate("DELETE FROM member_code WHERE code = :c")
                .bind("c", survivor.cardCode()).execute());
        assertThat(members.findByCode(merged.cardCode())).isEmpty();
    }

    @Test
    void aCardInHandThatIsNoCardOfTheStoreIsRefusedBeforeAnythingIsWritten() {
        String product = CardCodes.withCheckDigit("690123456789");
        String badDigit = "2912345678901";
        for (String[] c : new String[][] {
                {product, "\u201c" + product + "\u201d is not a card number: 13 digits starting with 29, the last one the check digit."},
                {badDigit, "\u201c" + badDigit + "\u201d is not a card number: 13 digits starting with 29, the last one the check digit."},
                {"29\u0000", "\u201c29?\u201d is not a card number: 13 digits starting with 29, the last one the check digit."}}) {
            assertThatThrownBy(() -> members.enrol("李娜", "13912345678", null, new EnrolmentConsent(true, false, false), c[0]))
                    .isInstanceOf(BusinessRuleException.class)
                    .satisfies(e -> assertThat(((BusinessRuleException) e).userMessage().format(Locale.ENGLISH)).isEqualTo(c[1]));
        }
        assertThat(members.search("13912345678")).isEmpty();
    }

    @Test
    void aStoreWithItsOwnRangeTakesOnlyItsCardsAndDrawsNewNumbersOutsideIt() throws Exception {
        Path store = dir.resolve("own-range");
        java.nio.file.Files.createDirectories(store);
        java.nio.file.Files.writeString(store.resolve("counterpoint.properties"), "card.range=2912\n");
        try (TerminalWiring own = TerminalWiring.inMemory(store, Locale.ENGLISH, CLOCK)) {
            String elsewhere = CardCodes.withCheckDigit("299999999999");
            assertThatThrownBy(() -> own.memberService().enrol("李娜", "13912345678", null,
                    new EnrolmentConsent(true, false, false), elsewhere))
                    .isInstanceOf(BusinessRuleException.class)
                    .satisfies(e -> assertThat(((BusinessRuleException) e).userMessage().format(Locale.ENGLISH))
                            .isEqualTo("Card " + elsewhere + " is not one of this store's cards (they start with 2912…)."));
            // The range's numbers are on cards in the drawer: a number drawn for a customer without a card is never one.
            for (int i = 0; i < 500; i++) {
                Member m = own.memberService().enrol("会员" + i, String.format("139%08d", i), null);
                assertThat(m.cardCode()).startsWith("29").doesNotStartWith("2912");
            }
        }
    }

    @Test
    void searchByCodeFullPhoneLastFourAndNamePrefix() {
        Member wang = members.enrol("王芳", "13800135678", null);
        Member wang2 = members.enrol("王小明", "13700005678", null);
        Member li = members.enrol("李娜", "13911112222", null);

        assertThat(members.search(wang.cardCode())).containsExactly(wang);
        assertThat(members.search("138-0013-5678")).containsExactly(wang);
        assertThat(members.search("5678")).containsExactlyInAnyOrder(wang, wang2);
        assertThat(members.search("王")).containsExactlyInAnyOrder(wang, wang2);
        assertThat(members.search("李")).containsExactly(li);
        assertThat(members.search("9999")).isEmpty();
        assertThat(members.search("123456")).isEmpty();
        assertThat(members.search("%")).isEmpty();
        assertThat(members.search("   ")).isEmpty();
    }

    @Test
    void twoCharactersFindANameAnywhereWithNamesStartingWithThemFirst() {
        Member wang = members.enrol("王小明", "13800135678", null);
        Member xiao = members.enrol("小明", "13700005678", null);
        Member li = members.enrol("李明", "13911112222", null);
        Member anna = members.enrol("Anna Li", "13911113333", null);

        assertThat(members.search("小明")).containsExactly(xiao, wang);
        assertThat(members.search("明")).isEmpty(); // one character matches only at the start
        assertThat(members.search("li")).containsExactly(anna);
        assertThat(members.search("NA L")).containsExactly(anna);
        assertThat(members.search("王明")).isEmpty(); // both pieces' characters are there, but not together
        assertThat(members.search("李明")).containsExactly(li);
        assertThat(members.search("%明")).isEmpty();
        assertThat(members.search("!明")).isEmpty();
    }

    @Test
    void aRenamedMemberIsFoundByItsNewNameOnly() {
        Member m = members.enrol("王小明", "13800135678", null);
        ctx.database().jdbi().useTransaction(h -> ctx.memberRepository().setField(h, m.id(), "name", "赵丽颖", 1L));

        assertThat(members.search("小明")).isEmpty();
        assertThat(members.search("丽颖")).extracting(Member::id).containsExactly(m.id());
    }

    @Test
    void enrolmentRefusesBadInputWithTheReason() {
        members.enrol("王芳", "13800135678", null);
        assertRefused(() -> members.enrol(" ", "13800135679", null), "Enter the member's name.");
        assertRefused(() -> members.enrol("王", "12345", null),
                "\u201c12345\u201d is not a mainland mobile number (11 digits starting with 1).");
        assertRefused(() -> members.enrol("王二", "138 0013 5678", null), "This phone number already belongs to 王芳 (card ");
        assertRefused(() -> members.enrol("王三", "13800135670", LocalDate.of(2027, 1, 1)),
                "The birthday must be a real date in the past.");
        assertThat(members.search("王")).hasSize(1);
    }

    private static void assertRefused(Runnable action, String messageStart) {
        assertThatThrownBy(action::run).isInstanceOf(BusinessRuleException.class)
                .extracting(e -> ((BusinessRuleException) e).userMessage().format(Locale.ENGLISH))
                .asString().startsWith(messageStart);
    }
}
