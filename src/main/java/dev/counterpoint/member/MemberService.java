package dev.counterpoint.member;

import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.Text;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.TextInput;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.store.Ids;
import dev.counterpoint.store.Outbox;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Finding members by what the cashier has (a code, a phone, its last four digits, a name) and enrolling new ones. */
public final class MemberService {
    public static final int MAX_MATCHES = 20;
    public static final int MAX_NAME_LENGTH = 40;

    private final Jdbi jdbi;
    private final MemberRepository members;
    private final Outbox outbox;
    private final Hlc hlc;
    private final Clock clock;
    private final RandomGenerator random;
    private final String storeId;
    private final String terminalId;
    private final ConsentRepository consent = new ConsentRepository();
    private final MemberErasure erasure;
    private final CardRange cards;

    private final dev.counterpoint.audit.AuditLog audit;

    /** @param cards this store's card numbers: a card in hand must be one; new numbers keep out of a narrower range */
    public MemberService(Jdbi jdbi, MemberRepository members, Outbox outbox, Hlc hlc, Clock clock,
                         RandomGenerator random, String storeId, String terminalId, MemberErasure erasure,
                         dev.counterpoint.audit.AuditLog audit, CardRange cards) {
        this.audit = audit;
        this.cards = cards;
        this.jdbi = jdbi;
        this.members = members;
        this.outbox = outbox;
        this.hlc = hlc;
        this.clock = clock;
        this.random = random;
        this.storeId = storeId;
        this.terminalId = terminalId;
        this.erasure = erasure;
    }

    public Optional<Member> findByCode(String code) {
        return jdbi.withHandle(h -> members.findByCode(h, code.strip()));
    }

    /**
     * What a cashier typed: a card code wins; then a full phone number; four digits are the end of
     * a phone number; anything else is the start of a name. At most {@link #MAX_MATCHES} results.
     */
    private static final java.util.regex.Pattern LAST4 = java.util.regex.Pattern.compile("\\d{4}");
    private static final java.util.regex.Pattern DIGITS = java.util.regex.Pattern.compile("\\d+");

    public List<Member> search(String query) {
        String q = query == null ? "" : query.strip();
        if (q.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> {
            Optional<Member> byCode = members.findByCode(h, q);
            if (byCode.isPresent()) {
                return List.of(byCode.get());
            }
            Optional<String> phone = Phones.normalise(q);
            if (phone.isPresent()) {
                return members.findAllByPhone(h, phone.get(), MAX_MATCHES);
            }
            if (LAST4.matcher(q).matches()) {
                return members.findByPhoneLast4(h, q, MAX_MATCHES);
            }
            if (DIGITS.matcher(q).matches()) {
                return List.of();
            }
            return members.findByName(h, q, MAX_MATCHES);
        });
    }

    /**
     * Enrols without recording any consent, as an import without the column or the demo store does: for tools and
     * tests. The counter enrols with {@link #enrol(String, String, LocalDate, EnrolmentConsent)}, which requires the
     * privacy notice.
     */
    public Member enrol(String name, String phone, LocalDate birthday) {
        return enrol(name, phone, birthday, null);
    }

    /**
     * Enrols at the counter: validates, issues a new card code, records the member, its consent and their events in
     * one transaction. The privacy notice must have been accepted; marketing consent is recorded per channel, given
     * or not. ({@code given} null: no consent recorded, see {@link #enrol(String, String, LocalDate)}.)
     */
    public Member enrol(String name, String phone, LocalDate birthday, EnrolmentConsent given) {
        return enrol(name, phone, birthday, given, null);
    }

    /**
     * As {@link #enrol(String, String, LocalDate, EnrolmentConsent)}, giving the member {@code cardInHand} (a card of
     * this store's range that no one holds yet, as scanned) instead of a new number; null: a new number.
     */
    public Member enrol(String name, String phone, LocalDate birthday, EnrolmentConsent given, String cardInHand) {
        String inHand = cardInHand == null ? null : cardInHand.strip();
        if (inHand != null && !cards.contains(inHand)) {
            throw CardRange.wellFormed(inHand)
                    ? new BusinessRuleException("enrol.error.cardOutOfRange", inHand, cards.shown())
                    : new BusinessRuleException("enrol.error.cardInvalid", shown(inHand));
        }
        if (given != null && !given.privacyNotice()) {
            throw new BusinessRuleException("enrol.error.privacyNoticeRequired");
        }
        String displayName = name == null ? "" : name.strip();
        if (displayName.isEmpty()) {
            throw new BusinessRuleException("enrol.error.nameRequired");
        }
        checkName(displayName);
        String normalised = Phones.normalise(phone)
                .orElseThrow(() -> new BusinessRuleException("enrol.error.phoneInvalid", phone == null ? "" : phone.strip()));
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (birthday != null && (birthday.isAfter(now.toLocalDate()) || birthday.getYear() < 1900)) {
            throw new BusinessRuleException("enrol.error.birthdayInvalid");
        }
        return jdbi.inTransaction(h -> {
            Optional<Member> existing = members.findByPhone(h, normalised);
            if (existing.isPresent()) {
                throw new BusinessRuleException("enrol.error.phoneTaken", existing.get().displayName(), existing.get().cardCode());
            }
            String card;
            if (inHand != null) {
                // Held by a member, an erased one or as a merged member's alias: a card is never given out twice.
                if (members.codeExists(h, inHand)) {
                    throw new BusinessRuleException("enrol.error.cardTaken", inHand);
                }
                card = inHand;
            } else {
                do {
                    card = CardCodes.newCardCode(random);
                } while (!cards.mayDraw(card) || members.codeExists(h, card));
            }
            NewMember m = new NewMember(Ids.next(), card, displayName, normalised, birthday, Tier.NORMAL, storeId, now,
                    EnrolmentSource.COUNTER);
            long stamp = hlc.now();
            members.insert(h, m, stamp);
            outbox.append(h, enrolled(m, members.phoneHmac(normalised), members.phoneBox(h, normalised)));
            if (given != null) {
                recordConsent(h, m.id(), true, given.marketingSms(), given.marketingWechat(), now, stamp);
            }
            return members.findById(h, m.id()).orElseThrow();
        });
    }

    /** A refused card number as a message shows it: short, and nothing in it that is not text. */
    private static String shown(String code) {
        String printable = code.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 20 ? printable.substring(0, 20) + "…" : printable;
    }

    /**
     * The event a new member is announced with; the phone travels as its keyed hash and masked form, and sealed for head
     * office alone ({@code phoneBox}, decision 0059).
     */
    public static Event.MemberEnrolled enrolled(NewMember m, String phoneHmac, String phoneBox) {
        return new Event.MemberEnrolled(m.id(), m.cardCode(), m.displayName(), phoneHmac,
                m.normalisedPhone() == null ? null : Phones.mask(m.normalisedPhone()), m.birthday(), m.tier(), m.homeStore(),
                m.enrolledAt(), m.source(), phoneBox);
    }

    /**
     * Edits a member's profile (null = unchanged). Each changed field is stamped with the HLC, so head office can
     * keep the latest edit per field when two stores edit the same member offline (last writer wins per field).
     */
    public Member updateProfile(UUID memberId, String name, LocalDate birthday) {
        String displayName = name == null ? null : name.strip();
        if (displayName != null && displayName.isEmpty()) {
            throw new BusinessRuleException("enrol.error.nameRequired");
        }
        if (displayName != null) {
            checkName(displayName);
        }
        if (birthday != null && (birthday.isAfter(LocalDate.now(clock)) || birthday.getYear() < 1900)) {
            throw new BusinessRuleException("enrol.error.birthdayInvalid");
        }
        return jdbi.inTransaction(h -> {
            members.lockForAction(h, memberId);
            long stamp = hlc.now();
            boolean changed = false;
            if (displayName != null) {
                members.setField(h, memberId, "name", displayName, stamp);
                changed = true;
            }
            if (birthday != null) {
                members.setField(h, memberId, "birthday", birthday.toString(), stamp);
                changed = true;
            }
            if (changed) {
                outbox.append(h, new Event.MemberUpdated(memberId, new Event.ProfileFields(displayName, birthday)));
            }
            return members.findById(h, memberId).orElseThrow();
        });
    }

    /**
     * Changes a member's marketing consent at the counter (null: that channel unchanged): recorded with the time, this
     * terminal and {@code staffId} (null until staff sign in), and sent to head office, where the latest change of
     * each channel wins, as for profile fields.
     */
    public List<ConsentRecord> changeConsent(UUID memberId, Boolean marketingSms, Boolean marketingWechat,
                                             String staffId) {
        if (marketingSms == null && marketingWechat == null) {
            throw new BusinessRuleException("consent.error.nothing");
        }
        TextInput.check("staff", staffId, MAX_STAFF_ID_LENGTH);
        return jdbi.inTransaction(h -> {
            // Head office takes a consent that names staff only if it names an account of this store.
            if (staffId != null && h.createQuery("""
                    SELECT COUNT(*) FROM staff WHERE id = :id AND active AND (store_id IS NULL OR store_id = :store)""")
                    .bind("id", staffId).bind("store", storeId).mapTo(Integer.class).one() == 0) {
                throw new BusinessRuleException("consent.error.staffUnknown", staffId);
            }
            members.lockForAction(h, memberId);
            OffsetDateTime now = OffsetDateTime.now(clock);
            long stamp = hlc.now();
            recordConsent(h, memberId, null, marketingSms, marketingWechat, now, stamp, staffId);
            return consent.of(h, memberId);
        });
    }

    /** The member's consent as held here, in channel order. */
    public List<ConsentRecord> consent(UUID memberId) {
        return jdbi.withHandle(h -> consent.of(h, memberId));
    }

    private void recordConsent(Handle h, UUID memberId, Boolean privacy, Boolean sms,
                               Boolean wechat, OffsetDateTime now, long stamp) {
        recordConsent(h, memberId, privacy, sms, wechat, now, stamp, null);
    }

    private void recordConsent(Handle h, UUID memberId, Boolean privacy, Boolean sms,
                               Boolean wechat, OffsetDateTime now, long stamp, String staffId) {
        Event.MemberConsent event = new Event.MemberConsent(memberId, privacy, sms, wechat, now, staffId);
        event.channels().forEach((channel, granted) -> consent.set(h, memberId,
                new ConsentRecord(channel, granted, now, storeId, terminalId, staffId), stamp));
        outbox.append(h, event);
    }

    /** A staff id as consent records carry it. */
    public static final int MAX_STAFF_ID_LENGTH = 64;
    /** Who approved an erasure, as its event carries it. */
    public static final int MAX_ERASED_BY_LENGTH = 200;

    /**
     * Erases a member's personal data at this terminal at once, with the members merged into it here, and tells head
     * office, which erases it everywhere (decision 0044). The card is then reported as erased; the ledgers stay.
     */
    public void erase(UUID memberId, String erasedBy) {
        TextInput.check("--manager", erasedBy, MAX_ERASED_BY_LENGTH);
        jdbi.useTransaction(h -> {
            members.lockForAction(h, memberId);
            OffsetDateTime now = OffsetDateTime.now(clock);
            for (UUID id : MemberErasure.withAliases(h, memberId)) {
                erasure.erase(h, id, now);
            }
            outbox.append(h, new Event.MemberErased(memberId, now, erasedBy));
            String card = h.createQuery("SELECT code FROM member_code WHERE member_id = :m AND kind = 'CARD' ORDER BY code LIMIT 1")
                    .bind("m", memberId).mapTo(String.class).findOne().orElse(memberId.toString());
            audit.append(h, erasedBy, dev.counterpoint.audit.AuditAction.MEMBER_ERASED, card, java.util.Map.of());
        });
    }

    /** The card, if its member was erased. */
    public Optional<MemberRepository.ErasedCard> erasedCard(String code) {
        return jdbi.withHandle(h -> members.erasedByCode(h, code.strip()));
    }

    /** A name typed at the counter: within the length the counter shows, one line, no bidi controls. */
    private static void checkName(String displayName) {
        Text.problem(displayName, MAX_NAME_LENGTH).ifPresent(p -> {
            if (p == Text.Problem.TOO_LONG) {
                throw new BusinessRuleException("enrol.error.nameTooLong", MAX_NAME_LENGTH);
            }
            throw new BusinessRuleException("enrol.error.nameInvalid");
        });
    }
}
