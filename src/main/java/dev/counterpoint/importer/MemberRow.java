package dev.counterpoint.importer;

import dev.counterpoint.member.ConsentAnswer;
import dev.counterpoint.member.MemberService;
import dev.counterpoint.member.Phones;
import dev.counterpoint.protocol.Limits;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.UserMessage;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One row of a member list ({@link MemberList#COLUMNS}) read and checked as far as it can be without a database: every
 * problem is collected, each naming the line, the column and the reason. The till's import and head office's read the
 * same rows the same way; each then asks its own database whether the card and phone are free ({@link #cardCodeTaken},
 * {@link #phoneTaken}).
 */
public final class MemberRow {
    static final int MAX_CARD_CODE_LENGTH = 64;     // member_code.code, and the protocol's card_code
    static final int MAX_PHONE_LENGTH = 32;         // generous for "+86 138-0013-8000" and the like
    /** The protocol's own caps: a row beyond them is refused here, never only at head office. */
    static final long MAX_POINTS = Limits.MAX_OPENING_POINTS;
    static final long MAX_STORED_VALUE_FEN = Limits.MAX_OPENING_FEN;
    private static final Pattern CARD_CODE = Pattern.compile("[^\\s\\p{Cntrl}]+");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);

    private final RowCheck check;
    /** Whether the row has a field for every column (else nothing more of it is read). */
    private boolean complete;
    /** Where a problem found in the database goes among the row's problems: in its column's place. */
    private int codeSlot;
    private int phoneSlot;
    private String cardCode;
    private String name;
    private String phoneRaw;
    private String phone;
    private LocalDate birthday;
    private Tier tier;
    private long openingPoints;
    private long openingFen;
    private Optional<Boolean> marketingConsent = Optional.empty();

    private MemberRow(RowCheck check) {
        this.check = check;
    }

    /** Reads one row; {@code firstLines} remembers the file's card codes, so a repeated one is refused. */
    static MemberRow read(CsvRow row, FirstLines firstLines, LocalDate today) {
        MemberRow r = new MemberRow(new RowCheck(row));
        RowCheck check = r.check;
        if (!check.hasAllColumns()) {
            return r;
        }
        r.complete = true;
        r.cardCode = cardCode(check, firstLines);
        r.codeSlot = check.errorCount();
        r.name = check.plain("name", check.required("name", MemberService.MAX_NAME_LENGTH));
        r.phone = r.phone(check);
        r.phoneSlot = check.errorCount();
        r.birthday = birthday(check, today);
        r.tier = tier(check);
        Long points = check.nonNegativeOrZero("points", MAX_POINTS);
        Long fen = check.nonNegativeOrZero("stored_value_fen", MAX_STORED_VALUE_FEN);
        r.openingPoints = points == null ? 0 : points;
        r.openingFen = fen == null ? 0 : fen;
        r.marketingConsent = marketingConsent(check);
        return r;
    }

    public long line() {
        return check.line();
    }

    /** Whether the row has a field for every column (else only that is said of it). */
    public boolean complete() {
        return complete;
    }

    /** Whether the row has no problem (so far). */
    public boolean ok() {
        return check.ok();
    }

    public List<UserMessage> errors() {
        return check.errors();
    }

    /** The card code if well formed and not met earlier in the file (even when the row has other problems), else null. */
    public String cardCode() {
        return cardCode;
    }

    public String name() {
        return name;
    }

    /** The phone as written in the file, or null. */
    public String phoneRaw() {
        return phoneRaw;
    }

    /** The normalised phone, or null when there is none or it is not a phone number. */
    public String phone() {
        return phone;
    }

    public LocalDate birthday() {
        return birthday;
    }

    public Tier tier() {
        return tier;
    }

    public long openingPoints() {
        return openingPoints;
    }

    public long openingFen() {
        return openingFen;
    }

    /** The legacy system's marketing consent (every channel alike): empty when the file does not say. */
    public Optional<Boolean> marketingConsent() {
        return marketingConsent;
    }

    /**
     * What the database already holds: the card code ({@code cardCodeTaken}), and a member with the phone ({@code
     * phoneHolderName} and card, or null). Each is told in its column's place among the row's problems.
     */
    public void taken(boolean cardCodeTaken, String phoneHolderName, String phoneHolderCardCode) {
        // The phone's place comes after the card's: told first, it keeps the card's place where it was.
        if (phoneHolderName != null) {
            check.rejectAt(phoneSlot, "import.row.phoneTaken", RowCheck.shown(phoneRaw), phoneHolderName, phoneHolderCardCode);
        }
        if (cardCodeTaken) {
            check.rejectAt(codeSlot, "import.row.cardCodeExists", cardCode);
        }
    }

    /** A further problem of the row, told after the others. */
    public void reject(String key, Object... args) {
        check.reject(key, args);
    }

    /**
     * An optional column's text (the file may lack the column, a row may leave it empty): null then, and null with an
     * error when it is longer than {@code maxLength} or holds control characters.
     */
    public String optionalText(String column, int maxLength) {
        return complete && check.has(column) ? check.plain(column, check.optional(column, maxLength)) : null;
    }

    /** The card code if well formed and not met earlier in the file; whether a database has it is asked later. */
    private static String cardCode(RowCheck check, FirstLines firstLines) {
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
        long first = firstLines.putIfAbsent(code, check.line());
        if (first > 0) {
            check.reject("import.row.cardCodeRepeated", code, String.valueOf(first));
            return null;
        }
        return code;
    }

    private String phone(RowCheck check) {
        String raw = check.optional("phone", MAX_PHONE_LENGTH);
        if (raw == null) {
            return null;
        }
        Optional<String> normalised = Phones.normalise(raw);
        if (normalised.isEmpty()) {
            check.reject("import.row.phoneInvalid", RowCheck.shown(raw));
            return null;
        }
        phoneRaw = raw;
        return normalised.get();
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
     * The marketing consent: empty when the column is absent or the field empty (nothing recorded); a value other than
     * yes/no, 1/0, 是/否 (in any case) is the row's error.
     */
    private static Optional<Boolean> marketingConsent(RowCheck check) {
        String raw = check.has(MemberList.MARKETING_CONSENT) ? check.optional(MemberList.MARKETING_CONSENT, Integer.MAX_VALUE) : null;
        if (raw == null) {
            return Optional.empty();
        }
        Optional<Boolean> answer = ConsentAnswer.parse(raw);
        if (answer.isEmpty()) {
            check.reject("import.row.consentInvalid", RowCheck.shown(raw), ConsentAnswer.SPELLINGS);
        }
        return answer;
    }
}
