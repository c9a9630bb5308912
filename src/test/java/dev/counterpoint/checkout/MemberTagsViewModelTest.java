package dev.counterpoint.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.scan.ScanEvent;
import dev.counterpoint.shared.BackgroundTasks;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The member panel's own-tags editor without the FX toolkit: a manager signed in adds and removes tags of the member
 * shown and the panel shows them apart from the automatic ones; a cashier needs a manager's id and PIN; a refused tag
 * says why; another member closes the editor.
 */
class MemberTagsViewModelTest {
    @TempDir
    Path dir;

    private CounterFixture fx;
    private CounterViewModel vm;

    @BeforeEach
    void open() {
        fx = new CounterFixture(dir, Locale.ENGLISH, "");
        var ctx = fx.ctx;
        vm = new CounterViewModel(ctx.memberService(), ctx.memberSummaryService(), ctx.checkoutService(), ctx.checkouts(),
                () -> ctx.database().jdbi().withHandle(ctx.outbox()::pendingCount), ctx.config(), Locale.ENGLISH, ctx.clock(),
                BackgroundTasks.onCallingThread(), ctx.scanCheck(), null, ctx.staffAccounts(), ctx.memberTags());
        vm.start();
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private void scan(String code) {
        vm.onScan(new ScanEvent(code, ScanEvent.Source.WEDGE, fx.clock.instant()));
    }

    private String message() {
        return vm.messages().messageProperty().get();
    }

    @Test
    void aSignedInManagerAddsAndRemovesTagsShownApartFromTheAutomaticOnes() {
        vm.statusBar().signIn(CounterFixture.MANAGER, CounterFixture.MANAGER_PIN);
        MemberTagsViewModel tags = vm.memberTags();
        tags.open();
        assertThat(tags.openProperty().get()).as("no member shown").isFalse();
        assertThat(message()).isEqualTo("Scan or search a member first.");

        scan(fx.wang.cardCode());
        tags.open();
        assertThat(tags.openProperty().get()).isTrue();
        assertThat(tags.approvalNeededProperty().get()).as("the manager is signed in").isFalse();
        tags.tagProperty().set(" 素食 ");
        tags.add();
        assertThat(message()).isEqualTo("Tag \"素食\" added to card " + fx.wang.cardCode() + ".");
        assertThat(tags.tagProperty().get()).isEmpty();
        tags.tagProperty().set("VIP");
        tags.add();
        assertThat(vm.memberPanel().customTags()).containsExactly("VIP", "素食");
        assertThat(vm.memberPanel().tags()).doesNotContain("VIP", "素食");
        assertThat(fx.ctx.memberTags().of(fx.wang.id())).containsExactly("VIP", "素食");

        tags.remove("VIP");
        assertThat(vm.memberPanel().customTags()).containsExactly("素食");
        assertThat(message()).isEqualTo("Tag \"VIP\" removed from card " + fx.wang.cardCode() + ".");

        tags.tagProperty().set("high_value");
        tags.add();
        assertThat(vm.messages().kindProperty().get()).isEqualTo(CounterMessages.Kind.ERROR);
        assertThat(message()).isEqualTo("\"high_value\" is the name of an automatic tag: choose another.");
        assertThat(vm.memberPanel().customTags()).containsExactly("素食");

        scan(fx.li.cardCode());
        assertThat(tags.openProperty().get()).as("another member closes the editor").isFalse();
        assertThat(vm.memberPanel().customTags()).isEmpty();
    }

    @Test
    void aCashierNeedsAManagersIdAndPinWhichIsForgottenAfterwards() {
        fx.ctx.staffAccounts().add(fx.ctx.staffAccounts().authenticate(CounterFixture.MANAGER, CounterFixture.MANAGER_PIN,
                StaffRole.MANAGER), "wu", "吴", StaffRole.CASHIER, "135790");
        vm.statusBar().signIn("wu", "135790");
        scan(fx.wang.cardCode());
        MemberTagsViewModel tags = vm.memberTags();
        tags.open();
        assertThat(tags.approvalNeededProperty().get()).isTrue();
        tags.tagProperty().set("VIP");
        tags.add();
        assertThat(message()).isEqualTo("Only a manager may set a member's tags: sign in as a manager or give a manager's id and PIN.");
        tags.managerIdProperty().set("wu");
        tags.managerPinProperty().set("135790");
        tags.add();
        assertThat(vm.messages().kindProperty().get()).isEqualTo(CounterMessages.Kind.ERROR);
        assertThat(tags.managerPinProperty().get()).isEmpty();
        assertThat(fx.ctx.memberTags().of(fx.wang.id())).isEmpty();

        tags.managerIdProperty().set(CounterFixture.MANAGER);
        tags.managerPinProperty().set(CounterFixture.MANAGER_PIN);
        tags.add();
        assertThat(fx.ctx.memberTags().of(fx.wang.id())).containsExactly("VIP");
        assertThat(vm.memberPanel().customTags()).containsExactly("VIP");
        assertThat(tags.managerPinProperty().get()).isEmpty();
        tags.close();
        assertThat(tags.openProperty().get()).isFalse();
    }
}
