package dev.counterpoint.wiring;

import dev.counterpoint.checkout.CheckoutService;
import dev.counterpoint.checkout.Checkouts;
import dev.counterpoint.checkout.MemberSummaryService;
import dev.counterpoint.checkout.Refunds;
import dev.counterpoint.loyalty.RuleSetService;
import dev.counterpoint.member.MemberService;
import dev.counterpoint.member.MemberTags;
import dev.counterpoint.receipt.ReceiptDesk;
import dev.counterpoint.scan.ScanCheck;
import dev.counterpoint.scan.ScannerSettings;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.staff.StaffAccounts;
import dev.counterpoint.store.Backups;
import dev.counterpoint.store.TerminalConfig;
import dev.counterpoint.sync.CloseDay;
import dev.counterpoint.sync.SyncScheduler;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the counter window works with, and nothing else of the terminal: made by {@link TerminalWiring#counter()}.
 *
 * @param dataDir           where the scanner and printer settings screens save
 * @param pendingEvents     events not yet sent to head office (the status bar's count)
 * @param rulesFileProblems what was wrong with the rules file, read at the first ask (on the counter's database thread)
 * @param scannerSettings   the scanner settings to start with: saved ones, or what the command line put in their place
 */
public record CounterServices(Path dataDir, Locale locale, Clock clock, TerminalConfig config,
        MemberService memberService, MemberTags memberTags, MemberSummaryService memberSummaryService, CheckoutService checkoutService,
        Checkouts checkouts, Refunds refunds, StaffAccounts staffAccounts, RuleSetService ruleSetService,
        ScanCheck scanCheck, ReceiptDesk receiptDesk, CloseDay closeDay, Backups backups, SyncScheduler syncScheduler,
        LongSupplier pendingEvents, Supplier<List<UserMessage>> rulesFileProblems, ScannerSettings scannerSettings) {

    /** The same, starting with these scanner settings (not saved: {@link ScannerSettings#save} does that). */
    public CounterServices withScannerSettings(ScannerSettings settings) {
        return new CounterServices(dataDir, locale, clock, config, memberService, memberTags, memberSummaryService,
                checkoutService, checkouts, refunds, staffAccounts, ruleSetService, scanCheck, receiptDesk, closeDay,
                backups, syncScheduler, pendingEvents, rulesFileProblems, settings);
    }
}
