package dev.counterpoint.importer;

import dev.counterpoint.history.Purchase;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.history.PurchaseRepository;
import dev.counterpoint.member.Member;
import dev.counterpoint.member.MemberRepository;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.PurchaseSource;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.store.Ids;
import dev.counterpoint.store.Outbox;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports purchase history: {@code card_code,purchased_at,sku,category,qty,amount_fen}, one row per line.
 * Consecutive good rows of the same card and the same moment form one purchase with several lines
 * (how receipts are usually exported); each purchase is written with one {@code purchase.imported}
 * event in its transaction. Imported history earns no points: they were earned, or not, in the old system.
 */
public final class PurchaseImporter {
    public static final List<String> COLUMNS = List.of("card_code", "purchased_at", "sku", "category", "qty", "amount_fen");
    static final int BATCH_ROWS = 500;
    static final int MAX_CODE_LENGTH = 64;          // member_code.code
    static final int MAX_SKU_LENGTH = 64;           // purchase_line.sku
    static final int MAX_CATEGORY_LENGTH = 64;      // purchase_line.category
    static final long MAX_QTY = 100_000;
    static final long MAX_AMOUNT_FEN = 10_000_000_000L; // ¥100 million, as Money.parseYuan
    private static final Logger LOG = LoggerFactory.getLogger(PurchaseImporter.class);

    private final Jdbi jdbi;
    private final MemberRepository members;
    private final PurchaseRepository purchases;
    private final Outbox outbox;
    private final Clock clock;
    private final String storeId;
    private final String terminalId;

    public PurchaseImporter(Jdbi jdbi, MemberRepository members, PurchaseRepository purchases, Outbox outbox,
                            Clock clock, String storeId, String terminalId) {
        this.jdbi = jdbi;
        this.members = members;
        this.purchases = purchases;
        this.outbox = outbox;
        this.clock = clock;
        this.storeId = storeId;
        this.terminalId = terminalId;
    }

    /**
     * Imports the file, reporting each refused row's problems to {@code errors} as they are found.
     *
     * @throws ImportFileException when the file cannot be read at all; then nothing was imported
     */
    public ImportResult importFile(Path file, Consumer<UserMessage> errors) throws ImportFileException {
        try (CsvFile csv = CsvFile.open(file, COLUMNS); Handle h = jdbi.open()) {
            Run run = new Run(errors);
            while (csv.hasNext()) {
                h.useTransaction(tx -> {
                    for (int n = 0; n < BATCH_ROWS && csv.hasNext(); n++) {
                        importRow(tx, csv.next(), run);
                    }
                    // A purchase still open at a batch's end may go on in the next rows; it is written
                    // whole in a later transaction, or here when the file has ended.
                    if (!csv.hasNext()) {
                        writeOpenPurchase(tx, run);
                    }
                });
            }
            LOG.info("imported purchases from {}: {} imported, {} rejected", file, run.imported, run.rejected);
            return new ImportResult(run.imported, run.rejected);
        }
    }

    private void importRow(Handle h, CsvRow row, Run run) {
        RowCheck check = new RowCheck(row);
        if (check.hasAllColumns()) {
            Member member = member(h, check, run);
            OffsetDateTime at = purchasedAt(check);
            String sku = check.plain("sku", check.optional("sku", MAX_SKU_LENGTH));
            String category = check.plain("category", check.optional("category", MAX_CATEGORY_LENGTH));
            Long qty = check.wholeNumber("qty", 1, MAX_QTY);
            Long amount = check.wholeNumber("amount_fen", 0, MAX_AMOUNT_FEN);
            if (check.ok()) {
                if (run.open != null && !run.open.continuedBy(member.id(), at)) {
                    writeOpenPurchase(h, run);
                }
                if (run.open == null) {
                    run.open = new OpenPurchase(member, at);
                }
                run.open.lines.add(new PurchaseLine(sku, category, qty.intValue(), amount));
                run.imported++;
                return;
            }
        }
        run.rejected++;
        check.errors().forEach(run.errors);
    }

    private void writeOpenPurchase(Handle h, Run run) {
        OpenPurchase open = run.open;
        if (open == null) {
            return;
        }
        run.open = null;
        long total = open.lines.stream().mapToLong(PurchaseLine::amountFen).sum();
        Purchase p = new Purchase(Ids.next(), open.member.id(), storeId, null, open.at, total, PurchaseSource.IMPORT,
                List.copyOf(open.lines));
        purchases.insert(h, p, terminalId);
        // Imported history earns no points: the legacy system's balance comes with the member list.
        outbox.append(h, new Event.PurchaseImported(p.id(), open.member.id(), open.member.cardCode(), open.at, total,
                PurchaseLine.toWire(p.lines()), PurchaseSource.IMPORT, null, 0, null, null, null));
    }

    /** The member the row's card belongs to; rows of one card usually come together, so the last lookup is kept. */
    private Member member(Handle h, RowCheck check, Run run) {
        String code = check.required("card_code", MAX_CODE_LENGTH);
        if (code == null) {
            return null;
        }
        if (!code.equals(run.lastCode)) {
            run.lastCode = code;
            run.lastMember = members.findByCode(h, code).orElse(null);
        }
        if (run.lastMember == null) {
            check.reject("import.row.cardCodeUnknown", RowCheck.shown(code));
        } else if (!storeId.equals(run.lastMember.homeStore())) {
            // Head office takes imported history only for the importing store's own members: another store's member's
            // history is that store's to bring.
            check.reject("import.row.otherStoresMember", RowCheck.shown(code), run.lastMember.homeStore());
            return null;
        }
        return run.lastMember;
    }

    /** ISO date-time with an offset or Z, or a local one meaning this terminal's zone; a space may stand for the T. */
    private OffsetDateTime purchasedAt(RowCheck check) {
        String raw = check.required("purchased_at", Integer.MAX_VALUE);
        if (raw == null) {
            return null;
        }
        String iso = raw.length() > 10 && raw.charAt(10) == ' ' ? raw.substring(0, 10) + 'T' + raw.substring(11) : raw;
        OffsetDateTime at;
        try {
            at = OffsetDateTime.parse(iso);
        } catch (DateTimeParseException withoutOffset) {
            try {
                at = LocalDateTime.parse(iso).atZone(clock.getZone()).toOffsetDateTime();
            } catch (DateTimeParseException e) {
                check.reject("import.row.dateTimeInvalid", RowCheck.shown(raw));
                return null;
            }
        }
        if (at.toInstant().isAfter(clock.instant())) {
            check.reject("import.row.dateTimeFuture", raw);
            return null;
        }
        return at;
    }

    /** Good rows of one purchase not yet written. */
    private static final class OpenPurchase {
        final Member member;
        final OffsetDateTime at;
        final List<PurchaseLine> lines = new ArrayList<>();

        OpenPurchase(Member member, OffsetDateTime at) {
            this.member = member;
            this.at = at;
        }

        boolean continuedBy(UUID memberId, OffsetDateTime time) {
            return member.id().equals(memberId) && at.toInstant().equals(time.toInstant());
        }
    }

    private static final class Run {
        final Consumer<UserMessage> errors;
        OpenPurchase open;
        String lastCode;
        Member lastMember;
        long imported;
        long rejected;

        Run(Consumer<UserMessage> errors) {
            this.errors = errors;
        }
    }
}
