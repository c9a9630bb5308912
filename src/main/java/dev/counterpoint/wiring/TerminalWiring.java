package dev.counterpoint.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.audit.AuditLog;
import dev.counterpoint.catalog.ProductRepository;
import dev.counterpoint.checkout.Adjustments;
import dev.counterpoint.checkout.CheckoutService;
import dev.counterpoint.checkout.Checkouts;
import dev.counterpoint.checkout.MemberFactsReader;
import dev.counterpoint.checkout.MemberSummaryService;
import dev.counterpoint.checkout.MemberUpkeep;
import dev.counterpoint.checkout.Refunds;
import dev.counterpoint.coupon.CouponRepository;
import dev.counterpoint.coupon.CouponService;
import dev.counterpoint.coupon.SuggestionEngine;
import dev.counterpoint.demo.DemoStoreGenerator;
import dev.counterpoint.history.ChainHistory;
import dev.counterpoint.history.PurchaseRepository;
import dev.counterpoint.importer.MemberImporter;
import dev.counterpoint.importer.ProductImporter;
import dev.counterpoint.importer.PurchaseImporter;
import dev.counterpoint.loyalty.PointsLedger;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.loyalty.RuleSetService;
import dev.counterpoint.loyalty.StoredValueLedger;
import dev.counterpoint.loyalty.TierLedger;
import dev.counterpoint.member.CardRange;
import dev.counterpoint.member.MemberErasure;
import dev.counterpoint.member.MemberRepository;
import dev.counterpoint.member.MemberService;
import dev.counterpoint.member.MemberTags;
import dev.counterpoint.member.PhoneSeal;
import dev.counterpoint.member.Phones;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.receipt.PrinterSettings;
import dev.counterpoint.receipt.ReceiptDesk;
import dev.counterpoint.receipt.Receipts;
import dev.counterpoint.report.ZReportService;
import dev.counterpoint.scan.MemberQrKeys;
import dev.counterpoint.scan.MemberQrVerifier;
import dev.counterpoint.scan.ScanCheck;
import dev.counterpoint.scan.ScannerSettings;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.shared.Clocks;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.staff.StaffAccounts;
import dev.counterpoint.store.Backups;
import dev.counterpoint.store.DataKey;
import dev.counterpoint.store.Database;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.store.Outbox;
import dev.counterpoint.store.TerminalConfig;
import dev.counterpoint.sync.CloseDay;
import dev.counterpoint.sync.OfficeClient;
import dev.counterpoint.sync.Registration;
import dev.counterpoint.sync.SyncEngine;
import dev.counterpoint.sync.SyncException;
import dev.counterpoint.sync.SyncScheduler;
import dev.counterpoint.sync.SyncSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jdbi.v3.core.Jdbi;

/**
 * The terminal's composition root: each service is built here by constructor, at its first use and once, whichever
 * thread asks first. A command gets built what it asks for and what that needs, no more: {@code lookup} never builds
 * the receipts, the importers or the demo generators. Only the commands' shells and the counter's start ask it for
 * services (ArchitectureTest); the services themselves never see it (decision 0076).
 */
public final class TerminalWiring implements AutoCloseable {
    private final Path dataDir;
    private final Locale locale;
    private final Clock clock;
    private final TerminalConfig config;
    private final Database database;
    /**
     * Every service below, by name. A service's recipe names only services declared above it: two threads building
     * two services never wait on each other in a ring.
     */
    private final Map<String, Lazy<?>> services = new LinkedHashMap<>();
    /** Null until the data dir's rules file has been read (see {@link #rulesFileProblems()}). */
    private List<UserMessage> rulesFileProblems;

    private final Lazy<ObjectMapper> json = lazy("json", ProtocolJson::newMapper);
    private final Lazy<Hlc> hlc = lazy("hlc",
            () -> new Hlc(clock(), database().queryLong("SELECT COALESCE(MAX(hlc), 0) FROM outbox_event")));
    private final Lazy<Outbox> outbox = lazy("outbox", () -> new Outbox(hlc(), clock(), json()));
    private final Lazy<RandomGenerator> random = lazy("random", SecureRandom::new);
    private final Lazy<MemberRepository> memberRepository = lazy("memberRepository",
            () -> new MemberRepository(new Phones(config().phoneKey()), new PhoneSeal(DataKey.of(config()))));
    private final Lazy<PurchaseRepository> purchaseRepository = lazy("purchaseRepository", PurchaseRepository::new);
    private final Lazy<ProductRepository> productRepository = lazy("productRepository", ProductRepository::new);
    private final Lazy<PointsLedger> pointsLedger = lazy("pointsLedger", PointsLedger::new);
    private final Lazy<StoredValueLedger> storedValueLedger = lazy("storedValueLedger", StoredValueLedger::new);
    private final Lazy<CouponRepository> couponRepository = lazy("couponRepository", CouponRepository::new);
    private final Lazy<RuleSetRepository> ruleSetRepository = lazy("ruleSetRepository",
            () -> new RuleSetRepository(json()));
    private final Lazy<TierLedger> tierLedger = lazy("tierLedger", () -> new TierLedger(pointsLedger()));
    private final Lazy<AuditLog> auditLog = lazy("auditLog",
            () -> new AuditLog(outbox(), json(), clock(), config().storeId(), config().terminalId()));
    private final Lazy<RuleSetService> ruleSetService = lazy("ruleSetService",
            () -> new RuleSetService(jdbi(), ruleSetRepository(), outbox(), clock(), dataDir(), auditLog()));
    private final Lazy<CouponService> couponService = lazy("couponService",
            () -> new CouponService(jdbi(), couponRepository(), outbox(), clock(), random(), auditLog()));
    private final Lazy<StaffAccounts> staffAccounts = lazy("staffAccounts",
            () -> new StaffAccounts(jdbi(), outbox(), auditLog(), hlc(), clock(), config().storeId()));
    /** What the member panel and upkeep read about a member: one reader for both. */
    private final Lazy<MemberFactsReader> factsReader = lazy("factsReader", () -> new MemberFactsReader(
            memberRepository(), ruleSetRepository(), purchaseRepository(), pointsLedger(), couponRepository(), clock()));
    private final Lazy<ChainHistory> chainHistory = lazy("chainHistory",
            () -> new ChainHistory(config().storeId(), SyncSettings.exists(dataDir())));
    private final Lazy<MemberUpkeep> memberUpkeep = lazy("memberUpkeep", () -> new MemberUpkeep(jdbi(),
            memberRepository(), pointsLedger(), tierLedger(), couponService(), ruleSetRepository(),
            factsReader(), outbox(), hlc(), clock(), SyncSettings.exists(dataDir())));
    private final Lazy<MemberService> memberService = lazy("memberService", () -> new MemberService(jdbi(),
            memberRepository(), outbox(), hlc(), clock(), random(), config().storeId(), config().terminalId(),
            new MemberErasure(json()), auditLog(), new CardRange(config().cardRange())));
    private final Lazy<MemberTags> memberTags = lazy("memberTags", () -> new MemberTags(jdbi(), memberRepository(), outbox(),
            auditLog(), hlc(), clock(), config().storeId()));
    private final Lazy<MemberSummaryService> memberSummaryService = lazy("memberSummaryService",
            () -> new MemberSummaryService(jdbi(), tierLedger(), new SuggestionEngine(), factsReader(), memberUpkeep(),
                    clock(), chainHistory()));
    private final Lazy<ScanCheck> scanCheck = lazy("scanCheck", () -> new ScanCheck(
            new MemberQrVerifier(new MemberQrKeys().reading(jdbi(), clock()), clock())));
    /** Present once the terminal is registered with head office. */
    private final Lazy<Optional<SyncEngine>> syncEngine = lazy("syncEngine", () -> SyncSettings.load(dataDir())
            .map(s -> new SyncEngine(jdbi(), new OfficeClient(s.officeUrl(), s.credential(), json(),
                    Duration.ofSeconds(20)), json(), hlc(), clock(), memberRepository(), config().storeId(),
                    config().terminalId())));
    private final Lazy<CheckoutService> checkoutService = lazy("checkoutService", () -> new CheckoutService(jdbi(),
            memberRepository(), purchaseRepository(), pointsLedger(), storedValueLedger(), couponRepository(),
            ruleSetRepository(), tierLedger(), outbox(), hlc(), clock(), config().storeId(), config().terminalId(),
            this::offline, chainHistory()));
    private final Lazy<Checkouts> checkouts = lazy("checkouts", () -> new Checkouts(jdbi(), memberRepository(),
            purchaseRepository(), pointsLedger(), storedValueLedger(), couponRepository(), couponService(),
            ruleSetRepository(),
            tierLedger(), outbox(), hlc(), clock(), config().storeId(), config().terminalId(), this::offline,
            chainHistory(), json()));
    private final Lazy<Refunds> refunds = lazy("refunds", () -> new Refunds(jdbi(), memberRepository(),
            purchaseRepository(), pointsLedger(), storedValueLedger(), couponRepository(), ruleSetRepository(),
            tierLedger(), outbox(), auditLog(), hlc(), clock(), config().storeId(), config().terminalId(), chainHistory(),
            json(), receiptSource(syncEngine(), json()), productRepository()));
    private final Lazy<Adjustments> adjustments = lazy("adjustments", () -> new Adjustments(jdbi(), memberRepository(),
            pointsLedger(), storedValueLedger(), ruleSetRepository(), memberUpkeep(), outbox(), auditLog(), hlc(),
            clock(), chainHistory()));
    private final Lazy<MemberImporter> memberImporter = lazy("memberImporter", () -> new MemberImporter(jdbi(),
            memberRepository(), pointsLedger(), storedValueLedger(), ruleSetRepository(), outbox(), hlc(), clock(),
            config().storeId(), config().terminalId()));
    private final Lazy<ProductImporter> productImporter = lazy("productImporter",
            () -> new ProductImporter(jdbi(), productRepository(), clock()));
    private final Lazy<PurchaseImporter> purchaseImporter = lazy("purchaseImporter", () -> new PurchaseImporter(jdbi(),
            memberRepository(), purchaseRepository(), outbox(), clock(), config().storeId(), config().terminalId()));
    private final Lazy<SyncScheduler> syncScheduler = lazy("syncScheduler", () -> new SyncScheduler(syncEngine(),
            () -> jdbi().withHandle(outbox()::pendingCount), clock(), Duration.ofMinutes(1)));
    private final Lazy<CloseDay> closeDay = lazy("closeDay", () -> new CloseDay(jdbi(),
            new ZReportService(clock().getZone(), config().storeId(), config().terminalId()), syncEngine(), json(),
            clock(), auditLog(), dataDir()));
    private final Lazy<Backups> backups = lazy("backups", () -> new Backups(dataDir(), database(), config(), clock()));
    private final Lazy<DemoStoreGenerator> demoStoreGenerator = lazy("demoStoreGenerator",
            () -> new DemoStoreGenerator(jdbi(), memberRepository(), purchaseRepository(), pointsLedger(),
                    storedValueLedger(), couponRepository(), couponService(), tierLedger(), ruleSetRepository(),
                    outbox(), hlc(), clock(), config().storeId(), config().terminalId(), productRepository()));
    private final Lazy<ReceiptDesk> receiptDesk = lazy("receiptDesk", () -> new ReceiptDesk(new Receipts(jdbi(), json(),
            config(), clock(), locale(), memberSummaryService(), memberRepository(), couponRepository(),
            purchaseRepository(), productRepository(), ruleSetRepository(), pointsLedger()), locale(),
            config().storeName(), PrinterSettings.load(dataDir()), ReceiptDesk::printerFor));

    private TerminalWiring(Path dataDir, Locale locale, Clock clock, TerminalConfig config, Database database) {
        this.dataDir = dataDir;
        this.locale = locale;
        this.clock = Clocks.toDatabasePrecision(clock);
        this.config = config;
        this.database = database;
        upgradeFromEarlierVersions();
    }

    /** What earlier versions left in the data dir, put right at once, whatever is asked for afterwards. */
    private void upgradeFromEarlierVersions() {
        // The single manager PIN of earlier versions becomes the manager account "manager" (and its file goes).
        if (Files.exists(dataDir.resolve(StaffAccounts.LEGACY_PIN_FILE))) {
            staffAccounts().convertLegacyPin(dataDir);
        }
        MemberQrKeys.removeOldFiles(dataDir);
    }

    /**
     * Opens the terminal's data dir: settings (created on first start), then the migrated database; then reads the
     * rules file (a newer valid set in it is put in force).
     */
    public static TerminalWiring open(Path dataDir, Locale locale, Clock clock) {
        TerminalWiring wiring = openRulesFileLater(dataDir, locale, clock);
        wiring.rulesFileProblems();
        return wiring;
    }

    /**
     * As {@link #open}, but the rules file is read at the first call of {@link #rulesFileProblems()}: the counter
     * does that first thing on its database thread, once the window is shown, ahead of any lookup.
     */
    public static TerminalWiring openRulesFileLater(Path dataDir, Locale locale, Clock clock) {
        // the install id names the data key that opens the database; registration never changes it
        Database database = Database.open(dataDir, DataKey.of(TerminalConfig.loadOrCreate(dataDir)));
        return new TerminalWiring(dataDir, locale, clock, settingsAfterRegistration(dataDir, database), database);
    }

    /**
     * The settings, read once a registration stopped after head office's reply is finished (its store and terminal
     * ids and the chain's phone key are written then, with the phones re-keyed to it: decision 0038).
     */
    private static TerminalConfig settingsAfterRegistration(Path dataDir, Database database) {
        try {
            Registration.completePending(dataDir, database.jdbi(), ProtocolJson.newMapper());
            return TerminalConfig.loadOrCreate(dataDir);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * For benchmarks and tests: the same wiring over a database opened otherwise (a plain copy of a store, to measure
     * what encryption costs; an earlier version's unencrypted file). The rules file is read now, as in {@link #open}.
     */
    public static TerminalWiring over(Path dataDir, Locale locale, Clock clock, Database database) {
        TerminalWiring wiring = new TerminalWiring(dataDir, locale, clock, settingsAfterRegistration(dataDir, database),
                database);
        wiring.rulesFileProblems();
        return wiring;
    }

    /** For tests: the same wiring over a private in-memory database. */
    public static TerminalWiring inMemory(Path dataDir, Locale locale, Clock clock) {
        Database database = Database.inMemory("ctx-" + System.nanoTime());
        TerminalConfig config = settingsAfterRegistration(dataDir, database);
        TerminalWiring wiring = new TerminalWiring(dataDir, locale, clock, config, database);
        wiring.rulesFileProblems = List.of(); // no rules file: the set in force is the migrations' default
        return wiring;
    }

    /**
     * What was wrong with the data dir's rules file (empty when it was fine; the rules in force stayed), reading it
     * first if that was left for later ({@link #openRulesFileLater}). Reads the database: not on the FX thread.
     */
    public synchronized List<UserMessage> rulesFileProblems() {
        if (rulesFileProblems == null) {
            rulesFileProblems = ruleSetService().loadFile();
        }
        return rulesFileProblems;
    }

    /**
     * What the counter window works with. Built on the calling thread (the one opening the store while the toolkit
     * starts), so the window, wired on the FX thread, finds its services made.
     */
    public CounterServices counter() {
        return new CounterServices(dataDir, locale, clock, config, memberService(), memberTags(), memberSummaryService(),
                checkoutService(), checkouts(), refunds(), staffAccounts(), ruleSetService(), scanCheck(),
                receiptDesk(), closeDay(), backups(), syncScheduler(), () -> jdbi().withHandle(outbox()::pendingCount),
                this::rulesFileProblems, ScannerSettings.load(dataDir));
    }

    public Path dataDir() { return dataDir; }
    public Locale locale() { return locale; }
    public Clock clock() { return clock; }
    public TerminalConfig config() { return config; }
    public Database database() { return database; }
    public ObjectMapper json() { return json.get(); }
    public Hlc hlc() { return hlc.get(); }
    public Outbox outbox() { return outbox.get(); }
    public MemberRepository memberRepository() { return memberRepository.get(); }
    public PurchaseRepository purchaseRepository() { return purchaseRepository.get(); }
    public PointsLedger pointsLedger() { return pointsLedger.get(); }
    public StoredValueLedger storedValueLedger() { return storedValueLedger.get(); }
    public CouponRepository couponRepository() { return couponRepository.get(); }
    public RuleSetRepository ruleSetRepository() { return ruleSetRepository.get(); }
    public RuleSetService ruleSetService() { return ruleSetService.get(); }
    public TierLedger tierLedger() { return tierLedger.get(); }
    public CouponService couponService() { return couponService.get(); }
    public MemberUpkeep memberUpkeep() { return memberUpkeep.get(); }
    public AuditLog auditLog() { return auditLog.get(); }
    public StaffAccounts staffAccounts() { return staffAccounts.get(); }
    public Checkouts checkouts() { return checkouts.get(); }
    public Refunds refunds() { return refunds.get(); }
    public Adjustments adjustments() { return adjustments.get(); }
    public MemberService memberService() { return memberService.get(); }
    public MemberTags memberTags() { return memberTags.get(); }
    public MemberSummaryService memberSummaryService() { return memberSummaryService.get(); }
    public CheckoutService checkoutService() { return checkoutService.get(); }
    public MemberImporter memberImporter() { return memberImporter.get(); }
    public PurchaseImporter purchaseImporter() { return purchaseImporter.get(); }
    public ProductImporter productImporter() { return productImporter.get(); }
    public ProductRepository productRepository() { return productRepository.get(); }
    /** Present once the terminal is registered with head office. */
    public Optional<SyncEngine> syncEngine() { return syncEngine.get(); }
    public SyncScheduler syncScheduler() { return syncScheduler.get(); }
    public CloseDay closeDay() { return closeDay.get(); }
    public Backups backups() { return backups.get(); }
    public DemoStoreGenerator demoStoreGenerator() { return demoStoreGenerator.get(); }
    public ScanCheck scanCheck() { return scanCheck.get(); }
    /** Receipts: laid out, printed on the printer set up in {@code printer.properties}, printed again. */
    public ReceiptDesk receiptDesk() { return receiptDesk.get(); }

    private Jdbi jdbi() {
        return database.jdbi();
    }

    private MemberFactsReader factsReader() {
        return factsReader.get();
    }

    private ChainHistory chainHistory() {
        return chainHistory.get();
    }

    private RandomGenerator random() {
        return random.get();
    }

    /** Registered and head office not reached at the last attempt: spending may use the rules' offline allowance. */
    private boolean offline() {
        return syncEngine().map(e -> !e.reachable()).orElse(false);
    }

    /**
     * Head office's copy of a receipt, for a refund: asked whenever the terminal is registered; when head office cannot
     * be reached, a receipt of this terminal's own is refunded as it knows it, and others are refused.
     */
    private static Refunds.ReceiptSource receiptSource(Optional<SyncEngine> engine, ObjectMapper json) {
        if (engine.isEmpty()) {
            return Refunds.ReceiptSource.NONE;
        }
        SyncEngine e = engine.get();
        return new Refunds.ReceiptSource() {
            @Override
            public boolean online() {
                return true;
            }

            @Override
            public Optional<Refunds.HeadOfficeReceipt> fetch(String receiptNo) {
                try {
                    return e.checkoutReceipt(receiptNo).map(reply -> Refunds.HeadOfficeReceipt.fromJson(json, reply));
                } catch (SyncException unreachable) {
                    throw new BusinessRuleException("refund.error.officeUnreachable", unreachable.getMessage());
                }
            }
        };
    }

    private <T> Lazy<T> lazy(String name, Supplier<? extends T> build) {
        Lazy<T> service = new Lazy<>(build);
        services.put(name, service);
        return service;
    }

    /** The services built so far, by name. */
    Set<String> built() {
        Set<String> names = new TreeSet<>();
        services.forEach((name, service) -> {
            if (service.built()) {
                names.add(name);
            }
        });
        return names;
    }

    /** Background work first (the sync scheduler, if it was started), then the database. */
    @Override
    public void close() {
        syncScheduler.ifBuilt(SyncScheduler::close);
        database.close();
    }
}
