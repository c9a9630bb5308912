package dev.counterpoint.member;

import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.store.JdbcBatch;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** Member rows and their codes. Methods take the caller's handle so they join its transaction. */
public final class MemberRepository {
    private static final String COLUMNS =
            "SELECT m.id, c.code, m.display_name, m.phone_masked, m.birthday, m.tier, m.home_store, m.enrolled_at, m.enrolled_via";
    private static final int MEMBER_COLUMNS = 9;
    private static final String FROM = " FROM member m JOIN member_code c ON c.member_id = m.id AND c.kind = 'CARD'";
    private static final String SELECT = COLUMNS + FROM + "\n";
    /**
     * A member by one of its codes ({@code k}). A scanned code is nearly always the card itself, so its index entry
     * already holds the card code: the card is looked up only for an alias (a merged member's old card), which saves a
     * page of member_code read and decoded on each scan of a large store. A member without a card is not found, as with
     * {@link #FROM}'s join.
     */
    private static final String BY_CODE = "SELECT m.id, CASE WHEN k.kind = 'CARD' THEN k.code ELSE (SELECT code FROM"
            + " member_code WHERE member_id = m.id AND kind = 'CARD' ORDER BY code LIMIT 1) END,"
            + " m.display_name, m.phone_masked, m.birthday, m.tier, m.home_store, m.enrolled_at, m.enrolled_via";
    private static final String FROM_CODE = " FROM member_code k JOIN member m ON m.id = k.member_id"
            + " WHERE k.code = :code AND m.status = 'ACTIVE'"
            + " AND (k.kind = 'CARD' OR EXISTS(SELECT 1 FROM member_code WHERE member_id = m.id AND kind = 'CARD'))";

    private final Phones phones;
    private final PhoneSeal seal;
    private final PhoneBoxKeys phoneBoxKeys = new PhoneBoxKeys();

    public MemberRepository(Phones phones, PhoneSeal seal) {
        this.phones = phones;
        this.seal = seal;
    }

    public Optional<Member> findByCode(Handle h, String code) {
        return h.createQuery(BY_CODE + FROM_CODE)
                .bind("code", code).map(MemberRepository::map).findOne();
    }

    /** Reads what a {@link #findByCodeWith} statement added after the member's own columns. */
    @FunctionalInterface
    public interface MemberAnd<T> {
        T read(Member member, ResultSet rs, int first) throws SQLException;
    }

    /**
     * As {@link #findByCode}, with further values about the member read in the same statement: {@code columns} are
     * SQL expressions over the member row {@code m} (each kept by the repository of the table it reads), read by
     * {@code and} from the row after the member's own columns. A scan reads the member, balances and dates so.
     */
    public <T> Optional<T> findByCodeWith(Handle h, String code, String columns, MemberAnd<T> and) {
        return h.createQuery(BY_CODE + ", " + columns + FROM_CODE)
                .bind("code", code).map((rs, ctx) -> and.read(map(rs, ctx), rs, MEMBER_COLUMNS + 1)).findOne();
    }

    /** As {@link #findById}, with further values as {@link #findByCodeWith} reads them. */
    public <T> Optional<T> findByIdWith(Handle h, UUID id, String columns, MemberAnd<T> and) {
        return h.createQuery(COLUMNS + ", " + columns + FROM + " WHERE m.id = :id AND m.status <> 'ERASED'")
                .bind("id", id).map((rs, ctx) -> and.read(map(rs, ctx), rs, MEMBER_COLUMNS + 1)).findOne();
    }

    /** A member by id; an erased member is not one (see {@link #erasedByCode}). */
    public Optional<Member> findById(Handle h, UUID id) {
        return h.createQuery(SELECT + " WHERE m.id = :id AND m.status <> 'ERASED'").bind("id", id)
                .map(MemberRepository::map).findOne();
    }

    /** A card whose member was erased: what is left to say about it. */
    public record ErasedCard(UUID memberId, String cardCode, OffsetDateTime erasedAt) {
    }

    /** The card's member, if it was erased (a card that never existed is empty too). */
    public Optional<ErasedCard> erasedByCode(Handle h, String code) {
        return h.createQuery("""
                SELECT m.id, k.code, m.erased_at FROM member_code k JOIN member m ON m.id = k.member_id
                WHERE k.code = :code AND m.status = 'ERASED'""")
                .bind("code", code)
                .map((rs, ctx) -> new ErasedCard(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class)))
                .findFirst();
    }

    /**
     * Locks the member's row for an action in the caller's transaction. Refused when there is no such member here, or
     * when it was erased (an erased member's card serves no action).
     */
    public void lockForAction(Handle h, UUID id) {
        String status = h.createQuery("SELECT status FROM member WHERE id = :id FOR UPDATE").bind("id", id)
                .mapTo(String.class).findOne()
                .orElseThrow(() -> new BusinessRuleException("member.error.unknown"));
        if ("ERASED".equals(status)) {
            throw new BusinessRuleException("member.error.erased");
        }
    }

    public boolean codeExists(Handle h, String code) {
        return h.createQuery("SELECT COUNT(*) FROM member_code WHERE code = :code").bind("code", code).mapTo(Integer.class).one() > 0;
    }

    /** Which of these codes are already taken, by a card or an alias. */
    public Set<String> takenCodes(Handle h, Collection<String> codes) {
        if (codes.isEmpty()) {
            return Set.of();
        }
        return h.createQuery("SELECT code FROM member_code WHERE code IN (<codes>)").bindList("codes", List.copyOf(codes))
                .mapTo(String.class).set();
    }

    /** Active members holding these phones, by the phone's keyed hash ({@link #phoneHmac}). */
    public Map<String, Member> activeByPhoneHmac(Handle h, Collection<String> hmacs) {
        if (hmacs.isEmpty()) {
            return Map.of();
        }
        // Holders are rare (a phone already taken), so each is read in full only once found.
        Map<String, UUID> holders = new HashMap<>();
        h.createQuery("SELECT phone_hmac, id FROM member WHERE phone_hmac IN (<hmacs>) AND status = 'ACTIVE'")
                .bindList("hmacs", List.copyOf(hmacs))
                .map((rs, ctx) -> Map.entry(rs.getString("phone_hmac"), rs.getObject("id", UUID.class)))
                .forEach(e -> holders.putIfAbsent(e.getKey(), e.getValue()));
        Map<String, Member> owners = new HashMap<>();
        holders.forEach((hmac, id) -> findById(h, id).ifPresent(m -> owners.put(hmac, m)));
        return owners;
    }

    public Optional<Member> findByPhone(Handle h, String normalisedPhone) {
        return h.createQuery(SELECT + " WHERE m.phone_hmac = :hmac AND m.status = 'ACTIVE'")
                .bind("hmac", phones.hmac(normalisedPhone)).map(MemberRepository::map).findFirst();
    }

    /** Everyone with this phone: usually one, two when head office was told they are different people. */
    public List<Member> findAllByPhone(Handle h, String normalisedPhone, int limit) {
        return h.createQuery(SELECT + " WHERE m.phone_hmac = :hmac AND m.status = 'ACTIVE' ORDER BY m.enrolled_at, m.id LIMIT :limit")
                .bind("hmac", phones.hmac(normalisedPhone)).bind("limit", limit).map(MemberRepository::map).list();
    }

    public List<Member> findByPhoneLast4(Handle h, String last4, int limit) {
        // Ordered by the index's leading columns (the first two are fixed here) so H2 reads it in order and stops at
        // the limit; the index holds every column read (V31), so the members' rows are not read.
        return h.createQuery(SELECT + " WHERE m.phone_last4 = :last4 AND m.status = 'ACTIVE'"
                        + " ORDER BY m.phone_last4, m.status, m.display_name LIMIT :limit")
                .bind("last4", last4).bind("limit", limit).map(MemberRepository::map).list();
    }

    /**
     * Names that start with the query ("王" finds 王芳 and 王小明), which is how cashiers usually ask, and, from two
     * characters on, names that contain it anywhere ("小明" finds 王小明 too): those that start with it come first.
     * One character anywhere would match a good part of the store, so it matches only at the start.
     */
    public List<Member> findByName(Handle h, String query, int limit) {
        String q = query.strip().toLowerCase(Locale.ROOT);
        // '!' escapes LIKE's wildcards: Jdbi's SQL parser reads a backslash in a quoted literal as an escape.
        String escaped = q.replace("!", "!!").replace("%", "!%").replace("_", "!_");
        List<Member> found = new ArrayList<>(h.createQuery(SELECT
                        + " WHERE m.name_search LIKE :start ESCAPE '!' AND m.status = 'ACTIVE' ORDER BY m.name_search LIMIT :limit")
                .bind("start", escaped + "%").bind("limit", limit).map(MemberRepository::map).list());
        if (q.length() < 2 || found.size() == limit) {
            return found;
        }
        // The members holding the query's first piece, in name order from the index; LIKE on the index's own copy of
        // the name keeps those holding the whole query before any member is read, and the search stops at its limit.
        found.addAll(h.createQuery(COLUMNS + """

                FROM member_name_gram g JOIN member m ON m.id = g.member_id
                     JOIN member_code c ON c.member_id = m.id AND c.kind = 'CARD'
                WHERE g.gram = :gram AND g.name_search LIKE :anywhere ESCAPE '!' AND g.name_search NOT LIKE :start ESCAPE '!'
                  AND m.status = 'ACTIVE'
                ORDER BY g.gram, g.name_search, g.member_id LIMIT :limit""")
                .bind("gram", q.substring(0, 2))
                .bind("anywhere", "%" + escaped + "%").bind("start", escaped + "%").bind("limit", limit - found.size())
                .map(MemberRepository::map).list());
        return found;
    }

    /**
     * The pieces of a lower-cased name the fragment search looks up: every two adjacent characters, or the
     * name itself when it is one character. V8__name_fragment_index.sql applies the same rule in SQL.
     */
    public static Set<String> nameGrams(String nameSearch) {
        if (nameSearch.length() < 2) {
            return Set.of(nameSearch);
        }
        Set<String> grams = new LinkedHashSet<>();
        for (int i = 0; i + 2 <= nameSearch.length(); i++) {
            grams.add(nameSearch.substring(i, i + 2));
        }
        return grams;
    }

    /** Writes (or rewrites, after a rename) the member's name pieces; every path that sets a name calls this. */
    public void indexName(Handle h, UUID memberId, String displayName) {
        h.createUpdate("DELETE FROM member_name_gram WHERE member_id = :m").bind("m", memberId).execute();
        String nameSearch = displayName.toLowerCase(Locale.ROOT);
        try (JdbcBatch grams = JdbcBatch.prepare(h, INSERT_GRAM)) {
            for (String gram : nameGrams(nameSearch)) {
                grams.add(gram, nameSearch, memberId);
            }
            grams.flush();
        }
    }

    public String phoneHmac(String normalisedPhone) {
        return normalisedPhone == null ? null : phones.hmac(normalisedPhone);
    }

    /** The number sealed for head office alone, for the enrolment event; null before the terminal has its key. */
    public String phoneBox(Handle h, String normalisedPhone) {
        return phoneBoxKeys.box(h, normalisedPhone);
    }

    /**
     * Seals numbers for head office with the latest phone-box key held now, read once: for a run of enrolments (an
     * import) on a thread of its own. Null for a number, or for every number when the terminal has no key yet.
     */
    public java.util.function.UnaryOperator<String> phoneBoxer(Handle h) {
        Optional<java.security.PublicKey> key = phoneBoxKeys.latest(h);
        return phone -> phone == null || key.isEmpty() ? null : dev.counterpoint.protocol.PhoneBox.seal(key.get(), phone);
    }

    /** The number sealed for this member, kept so it can be hashed again with another key (decision 0038). */
    public byte[] sealPhone(java.util.UUID memberId, String normalisedPhone) {
        return normalisedPhone == null ? null : seal.seal(memberId, normalisedPhone);
    }

    private static final String INSERT_MEMBER = """
            INSERT INTO member(id, display_name, name_search, phone_hmac, phone_sealed, phone_masked, phone_last4, birthday,
                               tier, home_store, enrolled_at, enrolled_via, updated_hlc)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String INSERT_CODE = "INSERT INTO member_code(code, member_id, kind) VALUES (?, ?, 'CARD')";
    private static final String INSERT_GRAM = "INSERT INTO member_name_gram(gram, name_search, member_id) VALUES (?, ?, ?)";

    public void insert(Handle h, NewMember m, long hlc) {
        try (NewMembers batch = newMembers(h)) {
            batch.add(m, phoneHmac(m.normalisedPhone()), sealPhone(m.id(), m.normalisedPhone()), hlc);
            batch.flush();
        }
    }

    /** Writes new members in JDBC batches on the handle's connection, in its transaction (an import's thousands). */
    public NewMembers newMembers(Handle h) {
        return new NewMembers(h);
    }

    /**
     * New members' rows — the member, its card, its name pieces — added one member at a time and written a batch per
     * table at {@link #flush}. The phone's keyed hash and seal come made ({@link #phoneHmac}, {@link #sealPhone}), so
     * an import makes them on another thread than the one that writes.
     */
    public static final class NewMembers implements AutoCloseable {
        private final JdbcBatch members;
        private final JdbcBatch codes;
        private final JdbcBatch grams;

        private NewMembers(Handle h) {
            members = JdbcBatch.prepare(h, INSERT_MEMBER);
            codes = JdbcBatch.prepare(h, INSERT_CODE);
            grams = JdbcBatch.prepare(h, INSERT_GRAM);
        }

        public void add(NewMember m, String phoneHmac, byte[] phoneSealed, long hlc) {
            String phone = m.normalisedPhone();
            String nameSearch = m.displayName().toLowerCase(Locale.ROOT);
            members.add(m.id(), m.displayName(), nameSearch, phoneHmac, phoneSealed,
                    phone == null ? null : Phones.mask(phone), phone == null ? null : Phones.last4(phone), m.birthday(),
                    m.tier().name(), m.homeStore(), m.enrolledAt(), m.source().name(), hlc);
            codes.add(m.cardCode(), m.id());
            for (String gram : nameGrams(nameSearch)) {
                grams.add(gram, nameSearch, m.id());
            }
        }

        /** Writes what was added: members first, then what refers to them. */
        public void flush() {
            members.flush();
            codes.flush();
            grams.flush();
        }

        @Override
        public void close() {
            members.close();
            codes.close();
            grams.close();
        }
    }

    /** Member fields head office settles by last writer wins: the profile a person edits, and the tier the rules set. */
    public static final java.util.Set<String> SYNCED_FIELDS = java.util.Set.of("name", "birthday", "tier");

    /** The HLC of a field's last edit, or null if it was never edited since enrolment. */
    public Long fieldHlc(Handle h, UUID memberId, String field) {
        return h.createQuery("SELECT hlc FROM member_field_hlc WHERE member_id = :m AND field = :f")
                .bind("m", memberId).bind("f", field).mapTo(Long.class).findOne().orElse(null);
    }

    /** Sets a profile field and records the HLC it was set at. */
    public void setField(Handle h, UUID memberId, String field, String value, long hlc) {
        switch (field) {
            case "name" -> {
                h.createUpdate("UPDATE member SET display_name = :v, name_search = :s, updated_hlc = :hlc WHERE id = :m")
                        .bind("v", value).bind("s", value.toLowerCase(Locale.ROOT)).bind("hlc", hlc).bind("m", memberId).execute();
                indexName(h, memberId, value);
            }
            case "birthday" -> h.createUpdate("UPDATE member SET birthday = :v, updated_hlc = :hlc WHERE id = :m")
                    .bind("v", value == null ? null : LocalDate.parse(value)).bind("hlc", hlc).bind("m", memberId).execute();
            case "tier" -> h.createUpdate("UPDATE member SET tier = :v, updated_hlc = :hlc WHERE id = :m")
                    .bind("v", Tier.valueOf(value).name()).bind("hlc", hlc).bind("m", memberId).execute();
            default -> throw new IllegalArgumentException("not a profile field: " + field);
        }
        h.createUpdate("DELETE FROM member_field_hlc WHERE member_id = :m AND field = :f").bind("m", memberId).bind("f", field).execute();
        h.createUpdate("INSERT INTO member_field_hlc(member_id, field, hlc) VALUES (:m, :f, :hlc)")
                .bind("m", memberId).bind("f", field).bind("hlc", hlc).execute();
    }

    /** The member of a row whose first columns are {@link #COLUMNS}' (by position: no look-up of labels per row). */
    static Member map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Member(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getObject(5, LocalDate.class), Tier.valueOf(rs.getString(6)), rs.getString(7),
                rs.getObject(8, OffsetDateTime.class), EnrolmentSource.valueOf(rs.getString(9)));
    }
}
