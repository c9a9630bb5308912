package dev.counterpoint.importer;

import dev.counterpoint.loyalty.PointsLedger;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.loyalty.StoredValueLedger;
import dev.counterpoint.member.ConsentRecord;
import dev.counterpoint.member.ConsentRepository;
import dev.counterpoint.member.MemberRepository;
import dev.counterpoint.member.MemberService;
import dev.counterpoint.member.NewMember;
import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.store.Ids;
import dev.counterpoint.store.Outbox;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports members from another system's export: {@code card_code,phone,name,birthday,tier,points,stored_value_fen}.
 * Each good row becomes a member enrolled via IMPORT at this store (so no welcome offer), its opening
 * points and stored value, and one {@code member.imported} event, all in the same transaction. Each row is
 * checked before anything of it is written, so a bad row is reported and skipped without touching good ones;
 * good rows are committed {@value #BATCH_ROWS} at a time.
 *
 * <p>The file streams through two threads (decision 0083): a reader parses and checks each row and makes what its rows
 * and event will hold (ids, the phone's keyed hash and seals, the event's JSON), a chunk at a time; the caller's thread
 * looks the chunk's card codes and phones up in the store, refuses those taken, and writes the rest in one JDBC batch
 * per table and one transaction. At most {@value #CHUNKS_AHEAD} chunks wait between them, so memory does not grow
 * with the file, but for the first line of each card code ({@link FirstLines}, 20 bytes a code).
 */
public final class MemberImporter {
    static final int BATCH_ROWS = 5_000;
    /** Chunks the reader may have ready while one is written: enough to keep both threads busy. */
    static final int CHUNKS_AHEAD = 1;
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
        return importFile(file, errors, ImportProgress.NONE);
    }

    /** As {@link #importFile(Path, Consumer)}, telling {@code progress} after each committed chunk. */
    public ImportResult importFile(Path file, Consumer<UserMessage> errors, ImportProgress progress)
            throws ImportFileException {
        OffsetDateTime now = OffsetDateTime.now(clock);
        try (MemberList csv = MemberList.open(file, List.of(), now.toLocalDate()); Handle h = jdbi.open()) {
            Run run = new Run(rules.active(h), now, errors, members.phoneBoxer(h));
            Reader reader = new Reader(csv, run);
            Thread thread = new Thread(reader, "member-import-reader");
            thread.setDaemon(true);
            thread.start();
            // Every row that refers to a member is written after it in the same transaction, so the foreign keys'
            // look-ups (one a name piece, card and ledger entry) could only ever pass. The setting is H2's, for the
            // whole database and not kept in its file; the import commands hold the store alone.
            h.execute("SET REFERENTIAL_INTEGRITY FALSE");
            try {
                for (Chunk chunk = reader.take(); chunk != Chunk.END; chunk = reader.take()) {
                    Chunk c = chunk;
                    h.useTransaction(tx -> write(tx, c, run));
                    progress.advanced(run.imported + run.rejected, c.bytesRead, csv.size());
                }
            } finally {
                h.execute("SET REFERENTIAL_INTEGRITY TRUE");
                reader.stop();
                thread.interrupt();
                joinQuietly(thread);
            }
            LOG.info("imported members from {}: {} imported, {} rejected", file, run.imported, run.rejected);
            return new ImportResult(run.imported, run.rejected);
        }
    }

    /** Looks the chunk's codes and phones up, refuses those taken, writes the rest and their events. */
    private void write(Handle h, Chunk chunk, Run run) {
        Taken taken = Taken.lookUp(h, members, chunk.rows);
        try (MemberRepository.NewMembers memberRows = members.newMembers(h);
             PointsLedger.Appends pointRows = points.appends(h);
             StoredValueLedger.Appends svRows = storedValue.appends(h);
             ConsentRepository.NewConsents consentRows = consent.newConsents(h);
             Outbox.Batch events = outbox.batch(h)) {
            for (Candidate c : chunk.rows) {
                Taken.Holder holder = c.phoneHmac == null ? null : taken.phones.get(c.phoneHmac);
                c.row.taken(c.row.cardCode() != null && taken.codes.contains(c.row.cardCode()),
                        holder == null ? null : holder.name(), holder == null ? null : holder.cardCode());
                if (!c.row.ok()) {
                    run.rejected++;
                    c.row.errors().forEach(run.errors);
                    continue;
                }
                long stamp = hlc.now();
                memberRows.add(c.member, c.phoneHmac, c.phoneSealed, stamp);
                if (c.pointsEntry != null) {
                    pointRows.add(c.pointsEntry, c.member.id(), c.row.openingPoints(), PointsKind.OPENING, run.lotExpires, null,
                            run.now, stamp);
                }
                if (c.svEntry != null) {
                    svRows.add(c.svEntry, c.member.id(), c.row.openingFen(), StoredValueKind.OPENING, null, run.now, stamp);
                }
                events.add(c.imported);
                if (c.consent != null) {
                    long consentStamp = hlc.now();
                    c.consent.channels().forEach((channel, value) -> consentRows.add(c.member.id(),
                            new ConsentRecord(channel, value, run.now, storeId, terminalId, null), consentStamp));
                    events.add(c.consentEvent);
                }
                taken.imported(c);
                run.imported++;
            }
            // Members first: every other row refers to one.
            memberRows.flush();
            pointRows.flush();
            svRows.flush();
            consentRows.flush();
            events.flush();
        }
    }

    /** Keys the checked row's phone and, for a row without a problem, makes what it writes. */
    private Candidate candidate(MemberRow row, Run run) {
        Candidate c = new Candidate(row);
        if (row.phone() != null) {
            c.phoneHmac = members.phoneHmac(row.phone());
        }
        if (!row.ok()) {
            return c;
        }
        NewMember m = new NewMember(Ids.next(), row.cardCode(), row.name(), row.phone(), row.birthday(), row.tier(), storeId,
                run.now, EnrolmentSource.IMPORT);
        long openingPoints = row.openingPoints();
        long openingFen = row.openingFen();
        c.member = m;
        c.phoneSealed = members.sealPhone(m.id(), row.phone());
        c.pointsEntry = openingPoints > 0 ? Ids.next() : null;
        c.svEntry = openingFen > 0 ? Ids.next() : null;
        c.imported = outbox.prepare(Event.MemberImported.of(MemberService.enrolled(m, c.phoneHmac, run.phoneBoxer.apply(row.phone())),
                openingPoints, c.pointsEntry == null ? null : run.lotExpires, c.pointsEntry, openingFen, c.svEntry));
        // The consent the legacy list holds, as given at this terminal when it was imported (no staff: an import).
        row.marketingConsent().ifPresent(granted -> {
            c.consent = new Event.MemberConsent(m.id(), null, granted, granted, run.now, null);
            c.consentEvent = outbox.prepare(c.consent);
        });
        return c;
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One row as the reader left it: its problems so far, and, for a row without any, what it will write. */
    private static final class Candidate {
        final MemberRow row;
        String phoneHmac;
        NewMember member;
        byte[] phoneSealed;
        UUID pointsEntry;
        UUID svEntry;
        Outbox.Prepared imported;
        Event.MemberConsent consent;
        Outbox.Prepared consentEvent;

        Candidate(MemberRow row) {
            this.row = row;
        }
    }

    /** Rows in file order, and how far into the file the reader was when it handed them over. */
    private record Chunk(List<Candidate> rows, long bytesRead) {
        static final Chunk END = new Chunk(List.of(), 0);
    }

    /**
     * The reader's thread: parses and checks rows into chunks for the writer. A failure (the file changed under the
     * import, a bug) is handed over in place of a chunk and thrown on the writer's thread.
     */
    private final class Reader implements Runnable {
        private final MemberList csv;
        private final Run run;
        private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
        private volatile boolean stopped;

        Reader(MemberList csv, Run run) {
            this.csv = csv;
            this.run = run;
        }

        @Override
        public void run() {
            try {
                while (csv.hasNext() && !stopped) {
                    List<Candidate> rows = new ArrayList<>(BATCH_ROWS);
                    while (rows.size() < BATCH_ROWS && csv.hasNext()) {
                        rows.add(candidate(csv.next(), run));
                    }
                    ready.put(new Chunk(rows, csv.bytesRead()));
                }
                ready.put(Chunk.END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                try {
                    ready.put(e);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        Chunk take() {
            Object next;
            try {
                next = ready.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("the import was interrupted", e);
            }
            if (next instanceof RuntimeException e) {
                throw e;
            }
            if (next instanceof Error e) {
                throw e;
            }
            return (Chunk) next;
        }

        void stop() {
            stopped = true;
        }
    }

    /**
     * The card codes and phones of one chunk that are already taken, looked up in two queries for the whole
     * chunk rather than two per row, and kept current as the chunk's own rows are written. Earlier chunks are in
     * the store by then, so a phone of an earlier row is found there.
     */
    private static final class Taken {
        record Holder(String name, String cardCode) {
        }

        final Set<String> codes;
        final Map<String, Holder> phones = new HashMap<>();

        private Taken(Set<String> codes) {
            this.codes = codes;
        }

        static Taken lookUp(Handle h, MemberRepository members, List<Candidate> chunk) {
            Set<String> codes = new HashSet<>();
            Set<String> hmacs = new HashSet<>();
            for (Candidate c : chunk) {
                if (c.row.cardCode() != null) {
                    codes.add(c.row.cardCode());
                }
                if (c.phoneHmac != null) {
                    hmacs.add(c.phoneHmac);
                }
            }
            Taken taken = new Taken(new HashSet<>(members.takenCodes(h, codes)));
            members.activeByPhoneHmac(h, hmacs)
                    .forEach((hmac, m) -> taken.phones.put(hmac, new Holder(m.displayName(), m.cardCode())));
            return taken;
        }

        void imported(Candidate c) {
            codes.add(c.member.cardCode());
            if (c.phoneHmac != null) {
                phones.putIfAbsent(c.phoneHmac, new Holder(c.member.displayName(), c.member.cardCode()));
            }
        }
    }

    /** State of one import: its rules, time and counts. */
    private static final class Run {
        final RuleSet rules;
        final OffsetDateTime now;
        final LocalDate lotExpires;
        final Consumer<UserMessage> errors;
        final UnaryOperator<String> phoneBoxer;
        /** The writer's alone. */
        long imported;
        long rejected;

        Run(RuleSet rules, OffsetDateTime now, Consumer<UserMessage> errors, UnaryOperator<String> phoneBoxer) {
            this.rules = rules;
            this.now = now;
            this.lotExpires = rules.lotExpiresOn(now.toLocalDate());
            this.errors = errors;
            this.phoneBoxer = phoneBoxer;
        }
    }
}
