package dev.counterpoint.member;

import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.store.Ids;
import dev.counterpoint.store.Outbox;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
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

    public MemberService(Jdbi jdbi, MemberRepository members, Outbox outbox, Hlc hlc, Clock clock,
                         RandomGenerator random, String storeId) {
        this.jdbi = jdbi;
        this.members = members;
        this.outbox = outbox;
        this.hlc = hlc;
        this.clock = clock;
        this.random = random;
        this.storeId = storeId;
    }

    public Optional<Member> findByCode(String code) {
        return jdbi.withHandle(h -> members.findByCode(h, code.strip()));
    }

    /**
     * What a cashier typed: a card code wins; then a full phone number; four digits are the end of
     * a phone number; anything else is the start of a name. At most {@link #MAX_MATCHES} results.
     */
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
                return members.findByPhone(h, phone.get()).map(List::of).orElse(List.of());
            }
            if (q.matches("\\d{4}")) {
                return members.findByPhoneLast4(h, q, MAX_MATCHES);
            }
            if (q.matches("\\d+")) {
                return List.of();
            }
            return members.findByName(h, q, MAX_MATCHES);
        });
    }

    /** Enrols at the counter: validates, issues a new card code, records the member and its event in one transaction. */
    public Member enrol(String name, String phone, LocalDate birthday) {
        String displayName = name == null ? "" : name.strip();
        if (displayName.isEmpty()) {
            throw new BusinessRuleException("enrol.error.nameRequired");
        }
        if (displayName.length() > MAX_NAME_LENGTH) {
            throw new BusinessRuleException("enrol.error.nameTooLong", MAX_NAME_LENGTH);
        }
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
            do {
                card = CardCodes.newCardCode(random);
            } while (members.codeExists(h, card));
            NewMember m = new NewMember(Ids.next(), card, displayName, normalised, birthday, Tier.NORMAL, storeId, now,
                    EnrolmentSource.COUNTER);
            long stamp = hlc.now();
            members.insert(h, m, stamp);
            outbox.append(h, enrolled(m, members.phoneHmac(normalised)));
            return members.findById(h, m.id()).orElseThrow();
        });
    }

    /** The event a new member is announced with; the phone travels only as its keyed hash and masked form. */
    public static Event.MemberEnrolled enrolled(NewMember m, String phoneHmac) {
        return new Event.MemberEnrolled(m.id(), m.cardCode(), m.displayName(), phoneHmac,
                m.normalisedPhone() == null ? null : Phones.mask(m.normalisedPhone()), m.birthday(), m.tier(), m.homeStore(),
                m.enrolledAt(), m.source());
    }

    /**
     * Edits a member's profile (null = unchanged). Each changed field is stamped with the HLC, so head office can
     * keep the latest edit per field when two stores edit the same member offline (last writer wins per field).
     */
    public Member updateProfile(java.util.UUID memberId, String name, LocalDate birthday) {
        String displayName = name == null ? null : name.strip();
        if (displayName != null && displayName.isEmpty()) {
            throw new BusinessRuleException("enrol.error.nameRequired");
        }
        if (displayName != null && displayName.length() > MAX_NAME_LENGTH) {
            throw new BusinessRuleException("enrol.error.nameTooLong", MAX_NAME_LENGTH);
        }
        if (birthday != null && (birthday.isAfter(LocalDate.now(clock)) || birthday.getYear() < 1900)) {
            throw new BusinessRuleException("enrol.error.birthdayInvalid");
        }
        return jdbi.inTransaction(h -> {
            h.createQuery("SELECT id FROM member WHERE id = :id FOR UPDATE").bind("id", memberId).mapTo(java.util.UUID.class)
                    .findOne().orElseThrow(() -> new BusinessRuleException("member.error.unknown"));
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
}
