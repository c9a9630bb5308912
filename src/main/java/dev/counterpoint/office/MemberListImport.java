package dev.counterpoint.office;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.importer.ImportFileException;
import dev.counterpoint.importer.ImportProgress;
import dev.counterpoint.importer.ImportResult;
import dev.counterpoint.importer.MemberList;
import dev.counterpoint.importer.MemberRow;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.member.Phones;
import dev.counterpoint.office.report.BusinessZone;
import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.store.Ids;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Head office's own import of a chain's member list ({@code office import-members FILE}): the till's list
 * ({@link MemberList}), read and checked as the till reads it, with an optional {@value #HOME_STORE} column. Each good row
 * becomes a member head office knows, enrolled via IMPORT at its home store, with its opening points and stored value
 * and the marketing consent the list holds, written as a store's import is projected ({@link Projector#enrol}); every
 * store receives the member through the change feed, and the home store its balances. A card code or an active
 * member's phone head office already has, a store it does not know, or any problem the till would refuse, refuses the
 * row alone and names it. Rows are committed {@value #CHUNK_ROWS} at a time, each chunk under the feed lock like a
 * push, so pushes go on between chunks; what needs no database (parsing, hashing the phone, sealing it) is done
 * before the lock is taken.
 */
public final class MemberListImport {
    /** Optional column: the store the row's member belongs to; an empty field, or no column, means the command's. */
    public static final String HOME_STORE = "home_store";
    static final int CHUNK_ROWS = 1_000;
    private static final int MAX_STORE_LENGTH = 32; // terminal.store_id
    private static final Logger LOG = LoggerFactory.getLogger(MemberListImport.class);

    private final Jdbi jdbi;
    private final Clock clock;
    private final ObjectMapper json;
    private final PhoneBoxes phoneBoxes;
    private final Projector projector;
    private final RuleSetRepository ruleSets;
    private final Hlc hlc;

    public MemberListImport(Jdbi jdbi, Clock clock, ObjectMapper json, PhoneBoxes phoneBoxes) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.json = json;
        this.phoneBoxes = phoneBoxes;
        this.projector = new Projector(json, new EventChecks(json), phoneBoxes);
        this.ruleSets = new RuleSetRepository(json);
        this.hlc = new Hlc(clock, 0);
    }

    /** A checked row, and what head office keeps of its phone (null without one). */
    private record Row(MemberRow row, String homeStore, String phoneHmac, String phoneBox) {
    }

    /**
     * Imports the file, telling each refused row's problems to {@code errors} and {@code progress} after each chunk.
     *
     * @param store the home store of rows that do not name one, or null when every row must
     * @throws ImportFileException when the file cannot be read, or the members' store is unknown or not said; then
     *                             nothing was imported
     */
    public ImportResult importFile(Path file, String store, Consumer<UserMessage> errors, ImportProgress progress)
            throws ImportFileException {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        Set<String> stores = jdbi.withHandle(h ->
                new HashSet<>(h.createQuery("SELECT DISTINCT store_id FROM terminal").mapTo(String.class).list()));
        if (store != null && !stores.contains(store)) {
            throw new ImportFileException(new UserMessage("import.file.storeUnknown", file.toString(), store));
        }
        // Today, and the opening points' expiry, are days in the chain's business zone, as the till's are in its own.
        LocalDate today = now.atZoneSameInstant(jdbi.withHandle(BusinessZone::read)).toLocalDate();
        long imported = 0;
        long rejected = 0;
        try (MemberList list = MemberList.open(file, List.of(HOME_STORE), today)) {
            if (store == null && !list.has(HOME_STORE)) {
                throw new ImportFileException(new UserMessage("import.file.noHomeStore", file.toString(), HOME_STORE));
            }
            Phones phones = jdbi.inTransaction(phoneBoxes::chainPhones);
            LocalDate lotExpires = jdbi.withHandle(h -> ChainRules.current(h, ruleSets)).lotExpiresOn(today);
            while (list.hasNext()) {
                List<Row> chunk = new ArrayList<>(CHUNK_ROWS);
                while (chunk.size() < CHUNK_ROWS && list.hasNext()) {
                    chunk.add(row(list.next(), store, stores, phones));
                }
                List<Row> written = jdbi.inTransaction(h -> write(h, chunk, lotExpires, now));
                for (Row r : chunk) {
                    r.row().errors().forEach(errors);
                }
                imported += written.size();
                rejected += chunk.size() - written.size();
                progress.advanced(imported + rejected, list.bytesRead(), list.size());
            }
        }
        LOG.info("head office imported members from {}: {} imported, {} rejected", file, imported, rejected);
        return new ImportResult(imported, rejected);
    }

    /** Checks the row's store and keys and seals its phone: all that needs no database. */
    private Row row(MemberRow row, String store, Set<String> stores, Phones phones) {
        int before = row.errors().size();
        String home = row.optionalText(HOME_STORE, MAX_STORE_LENGTH);
        // A row without a field for every column has been told so; its store is not asked after.
        if (row.complete() && row.errors().size() == before) {
            home = home != null ? home : store;
            if (home == null) {
                row.reject("import.row.required", HOME_STORE);
            } else if (!stores.contains(home)) {
                row.reject("import.row.storeUnknown", home);
                home = null;
            }
        }
        String hmac = row.phone() == null ? null : phones.hmac(row.phone());
        String box = row.ok() && row.phone() != null ? phoneBoxes.seal(row.phone()) : null;
        return new Row(row, home, hmac, box);
    }

    /** Under the feed lock: refuses the chunk's rows whose card or phone head office has, writes the rest. */
    private List<Row> write(Handle h, List<Row> chunk, LocalDate lotExpires, OffsetDateTime now) {
        FeedWriter feed = new FeedWriter(h, json, now);
        Set<String> codes = new HashSet<>();
        Set<String> hmacs = new HashSet<>();
        for (Row r : chunk) {
            if (r.row().cardCode() != null) {
                codes.add(r.row().cardCode());
            }
            if (r.phoneHmac() != null) {
                hmacs.add(r.phoneHmac());
            }
        }
        Set<String> takenCodes = new HashSet<>(codes.isEmpty() ? List.of() : h.createQuery(
                        "SELECT card_code FROM member WHERE card_code IN (<codes>)")
                .bindList("codes", new ArrayList<>(codes)).mapTo(String.class).list());
        Map<String, String[]> takenPhones = new HashMap<>();
        if (!hmacs.isEmpty()) {
            h.createQuery("SELECT phone_hmac, display_name, card_code FROM member WHERE phone_hmac IN (<h>) AND status = 'ACTIVE'")
                    .bindList("h", new ArrayList<>(hmacs))
                    .map((rs, ctx) -> takenPhones.putIfAbsent(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)}))
                    .list();
        }
        List<Row> written = new ArrayList<>(chunk.size());
        for (Row r : chunk) {
            MemberRow row = r.row();
            String[] holder = r.phoneHmac() == null ? null : takenPhones.get(r.phoneHmac());
            row.taken(row.cardCode() != null && takenCodes.contains(row.cardCode()),
                    holder == null ? null : holder[0], holder == null ? null : holder[1]);
            if (!row.ok()) {
                continue;
            }
            UUID id = Ids.next();
            long points = row.openingPoints();
            long fen = row.openingFen();
            Event.MemberImported m = new Event.MemberImported(id, row.cardCode(), row.name(), r.phoneHmac(),
                    row.phone() == null ? null : Phones.mask(row.phone()), row.birthday(), row.tier(), r.homeStore(), now,
                    EnrolmentSource.IMPORT, points, points > 0 ? lotExpires : null, points > 0 ? Ids.next() : null, fen,
                    fen > 0 ? Ids.next() : null, r.phoneBox());
            long stamp = hlc.now();
            projector.enrol(h, feed, null, stamp, m.enrolment(), m, r.phoneBox(), now);
            // The consent the legacy list holds, as given to head office when it was imported (no store, no staff).
            row.marketingConsent().ifPresent(granted -> projector.consent(h, feed, id,
                    new Event.MemberConsent(id, null, granted, granted, now, null), null, null, stamp, Ids.next()));
            takenCodes.add(row.cardCode());
            if (r.phoneHmac() != null) {
                takenPhones.putIfAbsent(r.phoneHmac(), new String[] {row.name(), row.cardCode()});
            }
            written.add(r);
        }
        feed.finish();
        return written;
    }
}
