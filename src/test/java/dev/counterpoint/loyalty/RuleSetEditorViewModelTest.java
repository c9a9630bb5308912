package dev.counterpoint.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.protocol.Tier;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.wiring.TerminalWiring;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleSetEditorViewModelTest {
    @TempDir
    Path dir;
    TerminalWiring ctx;
    RuleSetEditorViewModel vm;

    @BeforeEach
    void setUp() {
        ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, Clock.fixed(Instant.parse("2026-11-23T06:00:00Z"), ZoneId.of("Asia/Shanghai")));
        vm = new RuleSetEditorViewModel(ctx.ruleSetService(), ctx.staffAccounts(), Locale.ENGLISH,
                dev.counterpoint.shared.BackgroundTasks.onCallingThread());
    }

    @AfterEach
    void tearDown() {
        ctx.close();
    }

    @Test
    void staysLockedWithoutTheRightPin() {
        vm.managerIdProperty().set("li");
        vm.pinProperty().set("123456");
        vm.unlock();
        assertThat(vm.unlockedProperty().get()).isFalse();
        assertThat(vm.messageProperty().get()).isEqualTo("There is no active staff account li.");

        ctx.staffAccounts().addFirst("li", "李店长", StaffRole.MANAGER, "246810");
        vm.pinProperty().set("123456");
        vm.unlock();
        assertThat(vm.unlockedProperty().get()).isFalse();
        assertThat(vm.messageProperty().get()).isEqualTo("Wrong PIN for li: 4 tries left before the account is locked.");
        Staff cashier = ctx.staffAccounts().add(ctx.staffAccounts().authenticate("li", "246810"), "wu", "吴", StaffRole.CASHIER,
                "135790");
        vm.managerIdProperty().set(cashier.id());
        vm.pinProperty().set("135790");
        vm.unlock();
        assertThat(vm.unlockedProperty().get()).as("a cashier may not change the rules").isFalse();
        assertThat(vm.messageProperty().get()).isEqualTo("Staff wu may not do this: it needs the manager role.");
        vm.save();
        assertThat(ctx.ruleSetService().active().version()).isEqualTo(2);
    }

    @Test
    void showsTheRulesInForceAndSavesAValidFormAsTheNextVersion() {
        unlock();
        assertThat(vm.inForceProperty().get()).isEqualTo("Version 2 in force");
        assertThat(vm.thresholdProperty(Tier.SILVER).get()).isEqualTo("1000");
        assertThat(vm.earnProperty(Tier.GOLD).get()).isEqualTo("1500");
        assertThat(vm.bonusesProperty().get()).isEqualTo("500=50, 1000=120");

        vm.thresholdProperty(Tier.SILVER).set("800");
        vm.winBackDaysProperty().set("45");
        vm.bonusesProperty().set("300=20");
        vm.save();

        assertThat(vm.messageProperty().get()).isEqualTo("Version 3 is now in force.");
        RuleSet active = ctx.ruleSetService().active();
        assertThat(active.version()).isEqualTo(3);
        assertThat(active.threshold(Tier.SILVER)).isEqualTo(80_000);
        assertThat(active.winBackAfterDays()).isEqualTo(45);
        assertThat(active.topUpBonuses()).containsExactly(new RuleSet.TopUpBonus(30_000, 2_000));
        String payload = ctx.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT payload FROM outbox_event WHERE type = 'rules.changed'").mapTo(String.class).one());
        assertThat(payload).contains("\"version\":3", "\"source\":\"editor by li\"");
        assertThat(ctx.ruleSetService().file()).content().contains("\"version\" : 3");
    }

    @Test
    void aBadFormListsEveryProblemByFieldAndChangesNothing() {
        unlock();
        vm.thresholdProperty(Tier.GOLD).set("500");
        vm.lifetimeDaysProperty().set("a year");
        vm.reviewDateProperty().set("31-12");
        vm.save();

        assertThat(vm.problems()).containsExactly("Points lifetime (days): enter a whole number.");
        vm.lifetimeDaysProperty().set("365");
        vm.save();
        assertThat(vm.problems()).containsExactly(
                "Threshold for Gold: each tier needs more than the tier below it.",
                "Tier review date (MM-DD): must be a date of the year written MM-DD, e.g. 01-01.");
        assertThat(vm.messageIsErrorProperty().get()).isTrue();
        assertThat(ctx.ruleSetService().active().version()).isEqualTo(2);
    }

    private void unlock() {
        ctx.staffAccounts().addFirst("li", "李店长", StaffRole.MANAGER, "246810");
        vm.managerIdProperty().set("li");
        vm.pinProperty().set("246810");
        vm.unlock();
        assertThat(vm.unlockedProperty().get()).isTrue();
        assertThat(vm.pinProperty().get()).as("the PIN is not kept in the form").isEmpty();
    }
}
