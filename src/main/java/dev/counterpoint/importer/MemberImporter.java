package dev.counterpoint.importer;

import dev.counterpoint.loyalty.PointsLedger;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.loyalty.StoredValueLedger;
import dev.counterpoint.member.ConsentAnswer;
import dev.counterpoint.member.ConsentRecord;
import dev.counterpoint.member.ConsentRepository;
import dev.counterpoint.member.MemberRepository;
import dev.counterpoint.member.MemberService;
import dev.counterpoint.member.NewMember;
import dev.counterpoint.member.Phones;
import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.store.Ids;
import dev.counterpoint.store.Outbox;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports members from another system's export: {@code card_code,phone,name,birthday,tier,points,stored_value_fen}.
 * Each good row becomes a member enrolled via IMPORT at this store (so no welcome offer), its opening
 * points and stored value, and one {@code member.imported} event, all in the same transaction. Rows are
 * checked before anything is written, so a bad row is reported and skipped without touching good ones;
 * good rows are committed {@value #BATCH_ROWS} at a time.
 */
public final class MemberImporter {
    public static final List<String> COLUMNS =
            List.of("card_code", "phone", "name", "birthday", "tier", "points", "stored_value_fen");
    /** Optional: whether the member agreed to marketing (yes/no, 1/0, 是/否), recorded for SMS and WeChat alike. */
    public static final String MARKETING_CONSENT = "marketing_consent";
    static final int BATCH_ROWS = 500;
    static final int MAX_CARD_CODE_LENGTH = 64;     // member_code.code
    static final int MAX_PHONE_LENGTH = 32;         // generous for "+86 138-0013-8000" and the like
    static final long MAX_POINTS = 1_000_000_000L;
    static final long MAX_STORED_VALUE_FEN = 10_000_000_000L; // ¥100 million, as Money.parseYuan
    private static final Pattern CARD_CODE = Pattern.compile("[^\\s\\p{Cntrl}]+");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Logger LOG = LoggerFactory.getLogger(MemberImporter.class);

    private final Jdbi jdbi;
    private final MemberRepository members;
    private final PointsLedger points;
    private final StoredValueLedger storedValue;
    private final RuleSetRepository rules;
    private final Outbox outbox;
    private final Hlc hlc;
    private final Clock clock;
    private final String storeId;
    private final String terminalId;
    private final ConsentRepository consent = new ConsentRepository();

    public MemberImporter(Jdbi jdbi, MemberRepository members, PointsLedger points, StoredValueLedger storedValue,
                          RuleSetRepository rules, Outbox outbox, Hlc hlc, Clock clock, String storeId,
                          String terminalId) {
        this.jdbi = jdbi;
        this.members = members;
        this.points = points;
        this.storedValue = storedValue;
        this.rules = rules;
        this.outbox = outbox;
        this.hlc = hlc;
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
        try (CsvFile csv = CsvFile.open(file, COLUMNS, List.of(MARKETING_CONSENT)); Handle h = jdbi.open()) {
            Run run = new Run(rules.active(h), OffsetDateTime.now(clock), errors);
            while (csv.hasNext()) {
                List<CsvRow> batch = new ArrayList<>(BATCH_ROWS);
                while (batch.size() < BATCH_ROWS && csv.hasNext()) {
                    batch.add(csv.next());
                }
                h.useTransaction(tx -> {
                    Taken taken = Taken.lookUp(tx, members, batch);
                    for (CsvRow row : batch) {
                        importRow(tx, row, run, taken);
                    }
                });
            }
            LOG.info("imported members from {}: {} imported, {} rejected", file, run.imported, run.rejected);
            return new ImportResult(run.imported, run.rejected);
        }
    }

    private void importRow(Handle h, CsvRow row, Run run, Taken taken) {
        RowCheck check = new RowCheck(row);
        if (check.hasAllColumns()) {
            String code = cardCode(check, run, taken);
            String name = name(check);
            String phone = phone(check, taken);
            LocalDate birthday = birthday(check, run.now.toLocalDate());
            Tier tier = tier(check);
            Long openingPoints = check.nonNegativeOrZero("points", MAX_POINTS);
            Long openingFen = check.nonNegativeOrZero("stored_value_fen", MAX_STORED_VALUE_FEN);
            Optional<Boolean> marketing = marketingConsent(check);
            if (check.ok()) {
                NewMember m = new NewMember(Ids.next(), code, name, phone, birthday, tier, storeId, run.now,
                        EnrolmentSource.IMPORT);
                write(h, m, openingPoints, openingFen, run);
                marketing.ifPresent(granted -> recordConsent(h, m, granted, run));
                taken.imported(m);
                run.imported++;
                return;
            }
        }
        run.rejected++;
        check.errors().forEach(run.errors);
    }

    private void write(Handle h, NewMember m, long openingPoints, long openingFen, Run run) {
        long stamp = hlc.now();
        members.insert(h, m, stamp);
        LocalDate lotExpires = run.rules.lotExpiresOn(run.now.toLocalDate());
        UUID pointsEntry = openingPoints > 0
                ? points.append(h, m.id(), openingPoints, PointsKind.OPENING, lotExpires, null, run.now, stamp)
                : null;
        UUID svEntry = openingFen > 0
                ? storedValue.append(h, m.id(), openingFen, StoredValueKind.OPENING, null, run.now, stamp)
                : null;
        outbox.append(h, Event.MemberImported.of(MemberService.enrolled(m, members.phoneHmac(m.normalisedPhone()),
                members.phoneBox(h, m.normalisedPhone())),
                openingPoints, pointsEntry == null ? null : lotExpires, pointsEntry, openingFen, svEntry));
    }

    /**
     * The legacy system's marketing consent, recorded for every channel: empty when the column is absent or the field
     * empty (nothing recorded); a value other than yes/no, 1/0, 是/否 (in any case) is the row's error.
     */
    private static Optional<Boolean> marketingConsent(RowCheck check) {
        String raw = check.has(MARKETING_CONSENT) ? check.optional(MARKETING_CONSENT, Integer.MAX_VALUE) : null;
        if (raw == null) {
            return Optional.empty();
        }
        Optional<Boolean> answer = ConsentAnswer.parse(raw);
        if (answer.isEmpty()) {
            check.reject("import.row.consentInvalid", RowCheck.shown(raw), ConsentAnswer.SPELLINGS);
        }
        return answer;
    }

    /** The consent the legacy list holds, as given at this terminal when it was imported (no staff: an import). */
    private void recordConsent(Handle h, NewMember m, boolean granted, Run run) {
        Event.MemberConsent event = new Event.MemberConsent(m.id(), null, granted, granted, run.now, null);
        long stamp = hlc.now();
        event.channels().forEach((channel, value) -> consent.set(h, m.id(),
                new ConsentRecord(channel, value, run.now, storeId, terminalId, null), stamp));
        outbox.append(h, event);
    }

    private String cardCode(RowCheck check, Run run, Taken taken) {
        String code = check.plain("card_code", check.required("card_code", MAX_CARD_CODE_LENGTH));
        if (code == null) {
            return null;
        }
        if (!CARD_CODE.matcher(code).matches()) {
            check.reject("import.row.cardCodeInvalid", RowCheck.shown(code));
            return null;
        }
        // Every later row with a code already seen is refused, even if the first was refused too:
        // two rows claiming one card is a mistake in the export that a person has to resolve.
        Long first = run.firstLineOfCode.putIfAbsent(code, check.line());
        if (first != null) {
            check.reject("import.row.cardCodeRepeated", code, String.valueOf(first));
            return null;
        }
        if (taken.codes.contains(code)) {
            check.reject("import.row.cardCodeExists", code);
            return null;
        }
        return code;
    }

    /**
     * A name is shown on one line at the counter, so line breaks (possible in a quoted field) are refused, and so are
     * text-direction controls, which make it read as something else.
     */
    private static String name(RowCheck check) {
        return check.plain("name", check.required("name", MemberService.MAX_NAME_LENGTH));
    }

    /** Sees members written earlier in this import too: earlier batches are committed, this one is in {@code taken}. */
    private String phone(RowCheck check, Taken taken) {
        String raw = check.optional("phone", MAX_PHONE_LENGTH);
        if (raw == null) {
            return null;
        }
        Optional<String> phone = Phones.normalise(raw);
        if (phone.isEmpty()) {
            check.reject("import.row.phoneInvalid", RowCheck.shown(raw));
            return null;
        }
        Taken.Holder holder = taken.phones.get(members.phoneHmac(phone.get()));
        if (holder != null) {
            check.reject("import.row.phoneTaken", RowCheck.shown(raw), holder.name(), holder.cardCode());
            return null;
        }
        return phone.get();
    }

    private static LocalDate birthday(RowCheck check, LocalDate today) {
        String raw = check.optional("birthday", Integer.MAX_VALUE);
        if (raw == null) {
            return null;
        }
        LocalDate birthday;
        try {
            birthday = LocalDate.parse(raw, DATE);
        } catch (DateTimeParseException e) {
            check.reject("import.row.dateInvalid", "birthday", RowCheck.shown(raw));
            return null;
        }
        // The same rule as enrolment at the counter.
        if (birthday.isAfter(today) || birthday.getYear() < 1900) {
            check.reject("import.row.birthdayRange", raw);
            return null;
        }
        return birthday;
    }

    private static Tier tier(RowCheck check) {
        String raw = check.optional("tier", Integer.MAX_VALUE);
        Optional<Tier> tier = Tier.parse(raw);
        if (tier.isEmpty()) {
            check.reject("import.row.tierInvalid", RowCheck.shown(raw));
            return null;
        }
        return tier.get();
    }

    /**
     * The card codes and phones of one batch that are already taken, looked up in two queries for the whole
     * batch rather than two per row, and kept current as the batch's own rows are written.
     */
    private static final class Taken {
        record Holder(String name, String cardCode) {
        }

        final Set<String> codes;
        final Map<String, Holder> phones = new HashMap<>();
        private final MemberRepository members;

        private Taken(Set<String> codes, MemberRepository members) {
            this.codes = codes;
            this.members = members;
        }

        static Taken lookUp(Handle h, MemberRepository members, List<CsvRow> batch) {
            Set<String> codes = new HashSet<>();
            Set<String> hmacs = new HashSet<>();
            for (CsvRow row : batch) {
                if (row.size() == row.columns().size()) {
                    codes.add(row.get("card_code"));
                    Phones.normalise(row.get("phone")).map(members::phoneHmac).ifPresent(hmacs::add);
                }
            }
            Taken taken = new Taken(new HashSet<>(members.takenCodes(h, codes)), members);
            members.activeByPhoneHmac(h, hmacs)
                    .forEach((hmac, m) -> taken.phones.put(hmac, new Holder(m.displayName(), m.cardCode())));
            return taken;
        }

        void imported(NewMember m) {
            codes.add(m.cardCode());
            if (m.normalisedPhone() != null) {
                phones.putIfAbsent(members.phoneHmac(m.normalisedPhone()), new Holder(m.displayName(), m.cardCode()));
            }
        }
    }

    /** State of one import: counts, and the first line of each card code, to name it when a code repeats. */
    private static final class Run {
        final RuleSet rules;
        final OffsetDateTime now;
        final Consumer<UserMessage> errors;
        final Map<String, Long> firstLineOfCode = new HashMap<>();
        long imported;
        long rejected;

        Run(RuleSet rules, OffsetDateTime now, Consumer<UserMessage> errors) {
            this.rules = rules;
            this.now = now;
            this.errors = errors;
        }
    }
}
