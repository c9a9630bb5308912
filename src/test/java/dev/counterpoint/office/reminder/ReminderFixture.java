package dev.counterpoint.office.reminder;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.member.Phones;
import dev.counterpoint.office.PhoneBoxes;
import dev.counterpoint.office.Registrations;
import dev.counterpoint.protocol.PhoneBox;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.testing.TestClock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Head office's tables as projection leaves them, written directly: members (with a phone box sealed for the office's
 * key, as an enrolment brings it), consent, point entries, purchases and coupons; a clock in the chain's zone.
 */
final class ReminderFixture implements AutoCloseable {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final AtomicInteger CARDS = new AtomicInteger();

    final OfficeDatabase db;
    final TestClock clock;
    final ObjectMapper json = ProtocolJson.newMapper();
    final PhoneBoxes boxes;

    ReminderFixture(OfficeDatabase db, Instant now) {
        this.db = db;
        this.clock = new TestClock(now, ZoneOffset.UTC); // head office runs on a UTC clock; days are the business zone's
        this.boxes = new PhoneBoxes(db.jdbi(), clock, json, db.settingSeal());
    }

    static OfficeDatabase h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:reminders-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        ds.setUser("office");
        ds.setPassword("");
        return OfficeDatabase.of(ds);
    }

    /** 10:00 in Shanghai on {@code day}. */
    static Instant tenOClock(LocalDate day) {
        return day.atTime(10, 0).atZone(ZONE).toInstant();
    }

    LocalDate today() {
        return clock.instant().atZone(ZONE).toLocalDate();
    }

    /** The chain's keyed phone hash, as the stores' enrolments carry it. */
    Phones chainPhones() {
        return new Phones(java.util.HexFormat.of().parseHex(new Registrations(db.jdbi(), clock, db.settingSeal()).chainPhoneKey()));
    }

    Reminders reminders(ReminderSettings settings) {
        return new Reminders(db.jdbi(), boxes, clock, json, settings);
    }

    /** A member as the builder says; returns its id. */
    Member member(String name) {
        return new Member(name);
    }

    final class Member {
        final UUID id = UUID.randomUUID();
        final String card = String.format("29%011d", CARDS.incrementAndGet());
        private final String name;
        private String phone;
        private LocalDate birthday;
        private final List<String[]> consent = new ArrayList<>();

        Member(String name) {
            this.name = name;
        }

        Member phone(String normalised) {
            this.phone = normalised;
            return this;
        }

        Member birthday(LocalDate d) {
            this.birthday = d;
            return this;
        }

        Member consent(String channel, boolean granted) {
            consent.add(new String[] {channel, Boolean.toString(granted)});
            return this;
        }

        Member sms() {
            return consent("MARKETING_SMS", true);
        }

        Member wechat() {
            return consent("MARKETING_WECHAT", true);
        }

        Member save() {
            String box = phone == null ? null : PhoneBox.seal(PhoneBox.publicKey(boxes.publicKey()), phone);
            String hmac = phone == null ? null : chainPhones().hmac(phone);
            db.jdbi().useHandle(h -> {
                h.createUpdate("""
                        INSERT INTO member(id, card_code, display_name, phone_hmac, phone_masked, phone_box, birthday, tier,
                                           home_store, enrolled_at, enrolled_hlc, enrolled_via, status)
                        VALUES (:id, :card, :name, :hmac, :masked, :box, :birthday, 'NORMAL', 'S001', :at, 1, 'COUNTER', 'ACTIVE')""")
                        .bind("id", id).bind("card", card).bind("name", name).bind("hmac", hmac)
                        .bind("masked", phone == null ? null : Phones.mask(phone))
                        .bind("box", box).bindByType("birthday", birthday, LocalDate.class).bind("at", at(today().minusYears(2))).execute();
                for (String[] c : consent) {
                    h.createUpdate("""
                            INSERT INTO member_consent(member_id, channel, granted, recorded_at, store_id, terminal_id, hlc, event_id)
                            VALUES (:m, :c, :g, :at, 'S001', 'T1', 1, :e)""")
                            .bind("m", id).bind("c", c[0]).bind("g", Boolean.parseBoolean(c[1])).bind("at", at(today()))
                            .bind("e", UUID.randomUUID()).execute();
                }
            });
            return this;
        }

        /** Merged into {@code survivor}, as a same-phone enrolment leaves it. */
        Member mergedInto(Member survivor) {
            db.jdbi().useHandle(h -> h.createUpdate("UPDATE member SET status = 'MERGED', survivor_id = :s WHERE id = :id")
                    .bind("s", survivor.id).bind("id", id).execute());
            return this;
        }

        /** Erased as head office erases (the row kept; here with its birthday left, to show erasure alone keeps it out). */
        Member erased() {
            db.jdbi().useHandle(h -> h.createUpdate("UPDATE member SET erased_at = :at WHERE id = :id")
                    .bind("at", at(today())).bind("id", id).execute());
            return this;
        }

        /** A lot of {@code points} earned on {@code earned}, expiring after {@code expires}; returns the lot's id. */
        UUID earned(long points, LocalDate earned, LocalDate expires) {
            return entry(points, "EARN", expires, null, earned);
        }

        /** Points spent from {@code lot} (null: from the lots that expire first). */
        void spent(long points, UUID lot, LocalDate on) {
            entry(-points, "REDEEM", null, lot, on);
        }

        private UUID entry(long delta, String kind, LocalDate expires, UUID ref, LocalDate on) {
            UUID entry = UUID.randomUUID();
            // A null written as NULL: PostgreSQL takes an untyped null parameter for text, not a date or uuid.
            db.jdbi().useHandle(h -> h.createUpdate("""
                    INSERT INTO points_entry(id, member_id, delta, kind, lot_expires_on, ref_id, created_at, hlc, store_id)
                    VALUES (:id, :m, :d, :k, """ + (expires == null ? "NULL" : ":e") + ", " + (ref == null ? "NULL" : ":r")
                    + ", :at, 1, 'S001')")
                    .bind("id", entry).bind("m", id).bind("d", delta).bind("k", kind)
                    .bind("e", expires).bind("r", ref).bind("at", at(on)).execute());
            return entry;
        }

        /** A purchase at 12:00 in the business zone on {@code day}. */
        void bought(LocalDate day) {
            db.jdbi().useHandle(h -> h.createUpdate("""
                    INSERT INTO purchase(id, member_id, store_id, terminal_id, receipt_no, purchased_at, total_fen, source)
                    VALUES (:id, :m, 'S001', 'T1', NULL, :at, 3500, 'SALE')""")
                    .bind("id", UUID.randomUUID()).bind("m", id)
                    .bind("at", day.atTime(12, 0).atZone(ZONE).toOffsetDateTime()).execute());
        }

        /** A coupon issued at 11:00 in the business zone on {@code issued}, by {@code issuedBy}. */
        String coupon(String template, LocalDate issued, LocalDate validUntil, String issuedBy) {
            String code = "HQ" + String.format("%010d", CARDS.incrementAndGet());
            db.jdbi().useHandle(h -> h.createUpdate("""
                    INSERT INTO coupon(id, code, member_id, template_id, valid_from, valid_until, issued_at, issued_by)
                    VALUES (:id, :code, :m, :t, :from, :until, :at, :by)""")
                    .bind("id", UUID.randomUUID()).bind("code", code).bind("m", id).bind("t", template).bind("from", issued)
                    .bind("until", validUntil).bind("at", issued.atTime(11, 0).atZone(ZONE).toOffsetDateTime())
                    .bind("by", issuedBy).execute());
            return code;
        }
    }

    void voidCoupon(String code) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE coupon SET status = 'VOID' WHERE code = :c").bind("c", code).execute());
    }

    void claim(String code) {
        db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO coupon_claim(coupon_code, redemption_id, hlc, event_id) VALUES (:c, :r, 1, :e)""")
                .bind("c", code).bind("r", UUID.randomUUID()).bind("e", UUID.randomUUID()).execute());
    }

    static OffsetDateTime at(LocalDate day) {
        return day.atTime(9, 0).atZone(ZONE).toOffsetDateTime();
    }

    /** The reminders recorded for a member: "kind occasion STATE sends". */
    List<String> recorded(Member m) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT kind || ' ' || occasion || ' ' || state || ' ' || sends FROM reminder_message WHERE member_id = :m
                ORDER BY kind, occasion""").bind("m", m.id).mapTo(String.class).list());
    }

    long count(String sql) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + sql).mapTo(Long.class).one());
    }

    @Override
    public void close() {
        db.close();
    }
}
