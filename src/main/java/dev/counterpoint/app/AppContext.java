package dev.counterpoint.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.audit.AuditLog;
import dev.counterpoint.catalog.ProductRepository;
import dev.counterpoint.checkout.Adjustments;
import dev.counterpoint.checkout.CheckoutService;
import dev.counterpoint.checkout.Checkouts;
import dev.counterpoint.checkout.Refunds;
import dev.counterpoint.staff.StaffAccounts;
import dev.counterpoint.checkout.MemberFactsReader;
import dev.counterpoint.checkout.MemberSummaryService;
import dev.counterpoint.checkout.MemberUpkeep;
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
import dev.counterpoint.shared.UserMessage;
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
import dev.counterpoint.sync.SyncScheduler;
import dev.counterpoint.sync.SyncSettings;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/** The composition root: every service is built here, once, by constructor. */
public final class AppContext implements AutoCloseable {
    private final Path dataDir;
    private final Locale locale;
    private final Clock clock;
    private final TerminalConfig config;
    private final Database database;
    private final ObjectMapper json;
    private final Hlc hlc;
    private final Outbox outbox;
    private final MemberRepository memberRepository;
    private final PurchaseRepository purchaseRepository;
    private final PointsLedger pointsLedger;
    private final StoredValueLedger storedValueLedger;
    private final CouponRepository couponRepository;
    private final RuleSetRepository ruleSetRepository;
    private final RuleSetService ruleSetService;
    private final TierLedger tierLedger;
    private final CouponService couponService;
    private final MemberUpkeep memberUpkeep;
    private final AuditLog auditLog;
    private final StaffAccounts staffAccounts;
    private final Checkouts checkouts;
    private final Refunds refunds;
    private final Adjustments adjustments;
    private final MemberService memberService;
    private final MemberTags memberTags;
    private final MemberSummaryService memberSummaryService;
    private final CheckoutService checkoutService;
    private final MemberImporter memberImporter;
    private final PurchaseImporter purchaseImporter;
    private final ProductRepository productRepository;
    private final ProductImporter productImporter;
    private final Optional<SyncEngine> syncEngine;
    private final SyncScheduler syncScheduler;
    private final CloseDay closeDay;
    private final Backups backups;
    private final DemoStoreGenerator demoStoreGenerator;
    /** Null until the data dir's rules file has been read (see {@link #rulesFileProblems()}). */
    private List<UserMessage> rulesFileProblems;
    private final ScanCheck scanCheck;
    /** Saved scanner settings, or what the command line or the settings screen put in their place. */
    private volatile ScannerSettings scannerSettings;
    private final ReceiptDesk receiptDesk;

    private AppContext(Path dataDir, Locale locale, Clock clock, TerminalConfig config, Database database) {
        this.dataDir = dataDir;
        this.locale = locale;
        this.clock = clock;
        this.config = config;
        this.database = database;
        this.json = ProtocolJson.newMapper();
        long lastHlc = database.queryLong("SELECT COALESCE(MAX(hlc), 0) FROM outbox_event");
        this.hlc = new Hlc(clock, lastHlc);
        this.outbox = new Outbox(hlc, clock, json);
        RandomGenerator random = new SecureRandom();
        this.memberRepository = new MemberRepository(new Phones(config.phoneKey()), new PhoneSeal(DataKey.of(config)));
        this.purchaseRepository = new PurchaseRepository();
        this.productRepository = new ProductRepository();
        this.pointsLedger = new PointsLedger();
        this.storedValueLedger = new StoredValueLedger();
        this.couponRepository = new CouponRepository();
        this.ruleSetRepository = new RuleSetRepository(json);
        this.auditLog = new AuditLog(outbox, json, clock, config.storeId(), config.terminalId());
        this.ruleSetService = new RuleSetService(database.jdbi(), ruleSetRepository, outbox, clock, dataDir, auditLog);
        this.tierLedger = new TierLedger(pointsLedger);
        this.couponService = new CouponService(database.jdbi(), couponRepository, outbox, clock, random, auditLog);
        this.staffAccounts = new StaffAccounts(database.jdbi(), outbox, auditLog, hlc, clock, config.storeId());
        // The single manager PIN of earlier versions becomes the manager account "manager" (and its file goes).
        staffAccounts.convertLegacyPin(dataDir);
        SuggestionEngine engine = new SuggestionEngine();
        MemberFactsReader factsReader = new MemberFactsReader(purchaseRepository, pointsLedger, couponRepository,
                tierLedger, clock);
        this.memberUpkeep = new MemberUpkeep(database.jdbi(), memberRepository, pointsLedger, tierLedger, couponRepository,
                couponService, ruleSetRepository, factsReader, outbox, hlc, clock, SyncSettings.exists(dataDir));
        this.memberService = new MemberService(database.jdbi(), memberRepository, outbox, hlc, clock, random, config.storeId(),
                config.terminalId(), new MemberErasure(json), auditLog, new CardRange(config.cardRange()));
        this.memberTags = new MemberTags(database.jdbi(), memberRepository, outbox, auditLog, hlc, clock, config.storeId());
        ChainHistory chainHistory = new ChainHistory(config.storeId(), SyncSettings.exists(dataDir));
        this.memberSummaryService = new MemberSummaryService(database.jdbi(), memberRepository, storedValueLedger,
                ruleSetRepository, tierLedger, engine, factsReader, memberUpkeep, clock, chainHistory, productRepository);
        this.syncEngine = SyncSettings.load(dataDir).map(s -> new SyncEngine(database.jdbi(),
                new OfficeClient(s.officeUrl(), s.credential(), json, Duration.ofSeconds(20)), json, hlc, clock,
                memberRepository, config.storeId(), config.terminalId()));
        // Registered and head office not reached at the last attempt: spending may use the rules' offline allowance.
        BooleanSupplier offline = () -> syncEngine.map(e -> !e.reachable()).orElse(false);
        this.checkoutService = new CheckoutService(database.jdbi(), memberRepository, purchaseRepository, pointsLedger,
                storedValueLedger, couponRepository, ruleSetRepository, tierLedger, outbox, hlc, clock,
                config.storeId(), config.terminalId(), offline, chainHistory);
        this.checkouts = new Checkouts(database.jdbi(), memberRepository, purchaseRepository, pointsLedger,
                storedValueLedger, couponRepository, ruleSetRepository, tierLedger, outbox, hlc, clock, config.storeId(),
                config.terminalId(), offline, chainHistory, json);
        this.refunds = new Refunds(database.jdbi(), memberRepository, purchaseRepository, pointsLedger, storedValueLedger,
                couponRepository, ruleSetRepository, outbox, auditLog, hlc, clock, config.storeId(), config.terminalId(),
                chainHistory, json, receiptSource(syncEngine, json), productRepository);
        this.adjustments = new Adjustments(database.jdbi(), memberRepository, pointsLedger, storedValueLedger,
                ruleSetRepository, memberUpkeep, outbox, auditLog, hlc, clock, chainHistory);
        this.memberImporter = new MemberImporter(database.jdbi(), memberRepository, pointsLedger, storedValueLedger,
                ruleSetRepository, outbox, hlc, clock, config.storeId(), config.terminalId());
        this.productImporter = new ProductImporter(database.jdbi(), productRepository, clock);
        this.purchaseImporter = new PurchaseImporter(database.jdbi(), memberRepository, purchaseRepository, outbox, clock,
                config.storeId(), config.terminalId());
        this.syncScheduler = new SyncScheduler(syncEngine,
                () -> database.jdbi().withHandle(outbox::pendingCount), clock, Duration.ofMinutes(1));
        this.closeDay = new CloseDay(database.jdbi(), new ZReportService(clock.getZone(), config.storeId(), config.terminalId()),
                syncEngine, json, clock, auditLog, dataDir);
        this.backups = new Backups(dataDir, database, config, clock);
        this.demoStoreGenerator = new DemoStoreGenerator(database.jdbi(), memberRepository, purchaseRepository, pointsLedger,
                storedValueLedger, couponRepository, couponService, tierLedger, ruleSetRepository, outbox, hlc, clock,
                config.storeId(), config.terminalId(), productRepository);
        MemberQrKeys.removeOldFiles(dataDir);
        this.scanCheck = new ScanCheck(new MemberQrVerifier(new MemberQrKeys().reading(database.jdbi(), clock), clock));
        this.scannerSettings = ScannerSettings.load(dataDir);
        this.receiptDesk = new ReceiptDesk(new Receipts(database.jdbi(), json, config, clock, locale, memberSummaryService,
                memberRepository, couponRepository, purchaseRepository, productRepository, ruleSetRepository, pointsLedger,
                memberUpkeep), locale, config.storeName(),
                PrinterSettings.load(dataDir), ReceiptDesk::printerFor);
    }

    /**
     * Opens the terminal's data dir: settings (created on first start), then the migrated database; then reads the
     * rules file (a newer valid set in it is put in force).
     */
    public static AppContext open(Path dataDir, Locale locale, Clock clock) {
        AppContext ctx = openRulesFileLater(dataDir, locale, clock);
        ctx.rulesFileProblems();
        return ctx;
    }

    /**
     * As {@link #open}, but the rules file is read at the first call of {@link #rulesFileProblems()}: the counter
     * does that first thing on its database thread, once the window is shown, ahead of any lookup.
     */
    public static AppContext openRulesFileLater(Path dataDir, Locale locale, Clock clock) {
        // the install id names the data key that opens the database; registration never changes it
        Database database = Database.open(dataDir, DataKey.of(TerminalConfig.loadOrCreate(dataDir)));
        return new AppContext(dataDir, locale, clock, settingsAfterRegistration(dataDir, database), database);
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
    public static AppContext over(Path dataDir, Locale locale, Clock clock, Database database) {
        AppContext ctx = new AppContext(dataDir, locale, clock, settingsAfterRegistration(dataDir, database), database);
        ctx.rulesFileProblems();
        return ctx;
    }

    /** For tests: the same wiring over a private in-memory database. */
    public static AppContext inMemory(Path dataDir, Locale locale, Clock clock) {
        Database database = Database.inMemory("ctx-" + System.nanoTime());
        TerminalConfig config = settingsAfterRegistration(dataDir, database);
        AppContext ctx = new AppContext(dataDir, locale, clock, config, database);
        ctx.rulesFileProblems = List.of(); // no rules file: the set in force is the migrations' default
        return ctx;
    }

    /**
     * What was wrong with the data dir's rules file (empty when it was fine; the rules in force stayed), reading it
     * first if that was left for later ({@link #openRulesFileLater}). Reads the database: not on the FX thread.
     */
    public synchronized List<UserMessage> rulesFileProblems() {
        if (rulesFileProblems == null) {
            rulesFileProblems = ruleSetService.loadFile();
        }
        return rulesFileProblems;
    }
    public Path dataDir() { return dataDir; }
    public Locale locale() { return locale; }
    public Clock clock() { return clock; }
    public TerminalConfig config() { return config; }
    public Database database() { return database; }
    public ObjectMapper json() { return json; }
    public Hlc hlc() { return hlc; }
    public Outbox outbox() { return outbox; }
    public MemberRepository memberRepository() { return memberRepository; }
    public PurchaseRepository purchaseRepository() { return purchaseRepository; }
    public PointsLedger pointsLedger() { return pointsLedger; }
    public StoredValueLedger storedValueLedger() { return storedValueLedger; }
    public CouponRepository couponRepository() { return couponRepository; }
    public RuleSetRepository ruleSetRepository() { return ruleSetRepository; }
    public RuleSetService ruleSetService() { return ruleSetService; }
    public TierLedger tierLedger() { return tierLedger; }
    public CouponService couponService() { return couponService; }
    public MemberUpkeep memberUpkeep() { return memberUpkeep; }
    public AuditLog auditLog() { return auditLog; }
    public StaffAccounts staffAccounts() { return staffAccounts; }
    public Checkouts checkouts() { return checkouts; }
    public Refunds refunds() { return refunds; }
    public Adjustments adjustments() { return adjustments; }
    public MemberService memberService() { return memberService; }
    public MemberTags memberTags() { return memberTags; }
    public MemberSummaryService memberSummaryService() { return memberSummaryService; }
    public CheckoutService checkoutService() { return checkoutService; }
    public MemberImporter memberImporter() { return memberImporter; }
    public PurchaseImporter purchaseImporter() { return purchaseImporter; }
    public ProductImporter productImporter() { return productImporter; }
    public ProductRepository productRepository() { return productRepository; }
    /** Present once the terminal is registered with head office. */
    public Optional<SyncEngine> syncEngine() { return syncEngine; }
    public SyncScheduler syncScheduler() { return syncScheduler; }
    public CloseDay closeDay() { return closeDay; }
    public Backups backups() { return backups; }
    public DemoStoreGenerator demoStoreGenerator() { return demoStoreGenerator; }
    public ScanCheck scanCheck() { return scanCheck; }
    public ScannerSettings scannerSettings() { return scannerSettings; }
    /** Receipts: laid out, printed on the printer set up in {@code printer.properties}, printed again. */
    public ReceiptDesk receiptDesk() { return receiptDesk; }

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
                } catch (dev.counterpoint.sync.SyncException unreachable) {
                    throw new dev.counterpoint.shared.BusinessRuleException("refund.error.officeUnreachable",
                            unreachable.getMessage());
                }
            }
        };
    }

    /** Uses these scanner settings from now on (not saved: {@link ScannerSettings#save} does that). */
    public void useScannerSettings(ScannerSettings settings) {
        this.scannerSettings = settings;
    }

    @Override
    public void close() {
        syncScheduler.close();
        database.close();
    }
}
