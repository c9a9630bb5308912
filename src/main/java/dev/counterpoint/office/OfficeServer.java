package dev.counterpoint.office;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.counterpoint.office.report.Backfill;
import dev.counterpoint.office.report.ReportJson;
import dev.counterpoint.office.report.Reports;
import dev.counterpoint.protocol.ParkedReport;
import dev.counterpoint.protocol.ProtocolException;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.office.console.Console;
import dev.counterpoint.office.console.ConsoleContext;
import dev.counterpoint.office.console.Viewer;
import dev.counterpoint.shared.Clocks;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.json.JavalinJackson;
import jakarta.servlet.DispatcherType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Head office's HTTP API (/v1/...). Stateless: everything lives in the database, so several nodes can serve
 * one PostgreSQL. Sync requests are bounded; beyond the bound the answer is 429 with Retry-After.
 */
public final class OfficeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OfficeServer.class);
    /** How long an overloaded office asks terminals to wait, in seconds. */
    static final int RETRY_AFTER_SECONDS = 2;
    /** Wrong or spent registration codes one address may send in a minute before it is turned away. */
    static final int REGISTRATION_FAILURES_PER_MINUTE = 10;
    /** Wrong terminal credentials and owner keys an address may send in a minute (a real one has 256 random bits). */
    static final int CREDENTIAL_FAILURES_PER_MINUTE = 10;
    private static final String OWNER_CALLER = "counterpoint.ownerCaller";

    private final Registrations registrations;
    private final OwnerKeys ownerKeys;
    private final MemberQrMint memberQr;
    private final PhoneBoxes phoneBoxes;
    /** Wrong terminal credentials and owner keys, per address. */
    private final FailureLimiter credentialFailures;
    private final SyncOffice sync;
    private final OwnerApi owner;
    private final ObjectMapper json;
    private final Semaphore syncSlots;
    private final FailureLimiter registrationFailures;
    private final Clock clock;
    private final Javalin app;
    private final TierReviews tierReviews;
    private final Console console;
    private final boolean tls;
    private final Reports reports;
    private final Campaigns campaigns;
    private final java.util.concurrent.ScheduledExecutorService reviewer = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tier-review");
                t.setDaemon(true);
                return t;
            });
    private String bindHost;
    private int bindPort;

    /** A keystore (PKCS12 or JKS) holding the office's certificate and key: the API is then served over HTTPS only. */
    public record Tls(Path keystore, String password) {
    }

    /** @param maxConcurrentSync how many push/pull requests run at once before the office answers 429 */
    public OfficeServer(OfficeDatabase db, Clock clock, ObjectMapper json, int maxConcurrentSync) {
        this(db, clock, json, maxConcurrentSync, null);
    }

    /** @param tls null for plain HTTP (e.g. behind a TLS-terminating proxy) */
    public OfficeServer(OfficeDatabase db, Clock clock, ObjectMapper json, int maxConcurrentSync, Tls tls) {
        this.json = json;
        this.clock = Clocks.toDatabasePrecision(clock);
        this.registrations = new Registrations(db, clock);
        this.ownerKeys = new OwnerKeys(db.jdbi(), clock);
        this.memberQr = new MemberQrMint(db.jdbi(), clock, json, db.settingSeal());
        this.phoneBoxes = new PhoneBoxes(db.jdbi(), clock, json, db.settingSeal());
        this.credentialFailures = new FailureLimiter(clock, CREDENTIAL_FAILURES_PER_MINUTE, Duration.ofMinutes(1), 10_000);
        this.sync = new SyncOffice(db.jdbi(), clock, json, phoneBoxes);
        this.owner = new OwnerApi(db.jdbi(), clock, json, phoneBoxes);
        this.tierReviews = new TierReviews(db.jdbi(), clock, json);
        // Roll-ups for events projected before they existed: built once, before the first push is taken.
        Backfill.ensure(db.jdbi(), json, ChainLocks::exclusive);
        this.reports = new Reports(db.jdbi(), clock);
        this.campaigns = new Campaigns(db.jdbi(), clock, json, reports.zone());
        this.syncSlots = new Semaphore(maxConcurrentSync);
        this.registrationFailures = new FailureLimiter(clock, REGISTRATION_FAILURES_PER_MINUTE, Duration.ofMinutes(1), 10_000);
        this.tls = tls != null;
        // The console's "today" is the chain's business day, as the roll-ups' (report.BusinessZone).
        this.console = new Console(new ConsoleContext(db.jdbi(), clock, reports.zone(), json, registrations, owner, reports),
                tls != null);
        this.app = Javalin.create(config -> {
            Console.configure(config);
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, false));
            // Javalin checks only a declared Content-Length; the filter bounds every body as it streams (chunked too).
            config.http.maxRequestSize = RequestBodyLimit.MAX_BYTES;
            config.jetty.modifyServletContextHandler(handler -> {
                handler.addFilter(new FilterHolder(new RequestBodyLimit(RequestBodyLimit.MAX_BYTES)), "/*",
                        EnumSet.of(DispatcherType.REQUEST));
                // The one route anyone may call gets far less.
                handler.addFilter(new FilterHolder(new RequestBodyLimit(RequestBodyLimit.MAX_REGISTRATION_BYTES)),
                        "/v1/terminals/register", EnumSet.of(DispatcherType.REQUEST));
                // The console's forms are small; its sign-in is open to anyone.
                handler.addFilter(new FilterHolder(new RequestBodyLimit(RequestBodyLimit.MAX_CONSOLE_BYTES, "/v1/")), "/*",
                        EnumSet.of(DispatcherType.REQUEST));
            });
            if (tls != null) {
                // With a connector of ours, Javalin adds no plain-HTTP one.
                config.jetty.addConnector((server, httpConfig) -> {
                    SslContextFactory.Server ssl = new SslContextFactory.Server();
                    ssl.setKeyStorePath(tls.keystore().toAbsolutePath().toString());
                    ssl.setKeyStorePassword(tls.password());
                    HttpConfiguration https = new HttpConfiguration(httpConfig);
                    https.addCustomizer(new SecureRequestCustomizer(false));
                    ServerConnector connector = new ServerConnector(server,
                            new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
                    connector.setHost(bindHost);
                    connector.setPort(bindPort);
                    return connector;
                });
            }
        });
        routes();
    }

    public Registrations registrations() {
        return registrations;
    }

    public OwnerKeys ownerKeys() {
        return ownerKeys;
    }

    /** The web console served beside the API (its accounts: {@code office add-user}). */
    public Console console() {
        return console;
    }

    public MemberQrMint memberQr() {
        return memberQr;
    }

    public PhoneBoxes phoneBoxes() {
        return phoneBoxes;
    }

    /** The yearly tier review; the server runs it every hour once started (it does work only after a review date). */
    public TierReviews tierReviews() {
        return tierReviews;
    }

    /** The chain's KPIs from the daily roll-ups (the console's Today and report pages read them here). */
    public Reports reports() {
        return reports;
    }

    /** Starts listening; port 0 picks a free one. Returns the port. */
    public int start(String host, int port) {
        bindHost = host;
        bindPort = port;
        // Terminals get the member-QR public key with their next pull, before any member shows a token.
        memberQr.publishKey();
        phoneBoxes.publishKey();
        app.start(host, port);
        LOG.info("head office listening on {}:{}", host, app.port());
        if (!tls && !isLoopback(host)) {
            LOG.warn("the web console's passwords and sessions cross the network in the clear on {}: serve head office with "
                    + "--tls-keystore, or only behind a TLS proxy (docs/security.md, The web console)", host);
        }
        reviewer.scheduleWithFixedDelay(this::reviewTiers, 1, 60, java.util.concurrent.TimeUnit.MINUTES);
        return app.port();
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
    }

    public int port() {
        return app.port();
    }

    private void reviewTiers() {
        try {
            TierReviews.Pass pass = tierReviews.run();
            if (pass.reviewed() > 0) {
                LOG.info("tier review of {}: {} members reviewed, {} lowered, {} raised", pass.reviewDate(), pass.reviewed(),
                        pass.lowered(), pass.raised());
            }
        } catch (RuntimeException e) {
            LOG.warn("tier review failed; it is tried again within the hour", e);
        }
    }

    @Override
    public void close() {
        reviewer.shutdownNow();
        app.stop();
    }

    private void routes() {
        app.exception(OfficeException.class, (e, ctx) -> {
            if (Console.isConsolePath(ctx.path())) {
                console.failed(ctx, e.status());
            } else {
                ctx.status(e.status()).json(Map.of("error", e.getMessage()));
            }
        });
        console.routes(app);
        app.exception(RequestBodyLimit.TooLarge.class, (e, ctx) -> ctx.status(413).header("Connection", "close")
                .json(Map.of("error", e.getMessage())));
        app.exception(IllegalArgumentException.class, (e, ctx) -> {
            if (Console.isConsolePath(ctx.path())) {
                console.failed(ctx, 400);
            } else {
                ctx.status(400).json(Map.of("error", String.valueOf(e.getMessage())));
            }
        });
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
            if (Console.isConsolePath(ctx.path())) {
                console.failed(ctx, 500);
            } else {
                ctx.status(500).json(Map.of("error", "internal error; see the office log"));
            }
        });

        app.beforeMatched(ctx -> {
            // The API takes JSON only; the console's forms are guarded by their CSRF tokens instead.
            if (!Console.isConsolePath(ctx.path())) {
                JsonContentType.require(ctx);
            }
        });
        // Every request made with an owner key is recorded with the answer it got, refusals included.
        app.after(ctx -> {
            OwnerKeys.Caller caller = ctx.attribute(OWNER_CALLER);
            if (caller != null) {
                ownerKeys.recordUse(caller, ctx.ip(), ctx.method().name(), ctx.path(), ctx.statusCode());
            }
        });

        app.get("/v1/health", ctx -> ctx.json(owner.health()));
        app.post("/v1/terminals/register", guessLimited(ctx -> {
            JsonNode body = body(ctx);
            Registrations.Credential c = registrations.register(body.path("code").asText(""));
            ctx.json(Map.of("store_id", c.storeId(), "terminal_id", c.terminalId(), "credential", c.credential(),
                    "phone_key", c.phoneKeyHex(), "phone_box_key", phoneBoxes.publicKey(), "office_time_ms", clock.millis()));
        }));
        app.post("/v1/sync/push", limited(ctx -> {
            TerminalIdentity who = terminal(ctx);
            JsonNode body = body(ctx);
            List<IncomingEvent> events = new ArrayList<>();
            if (!body.path("events").isArray()) {
                throw new OfficeException(400, "the body needs an \"events\" array");
            }
            for (JsonNode e : body.path("events")) {
                try {
                    events.add(IncomingEvent.read(json, e));
                } catch (ProtocolException ex) {
                    throw new OfficeException(400, "event " + events.size() + ": " + ex.getMessage());
                }
            }
            List<ParkedReport> parked = new ArrayList<>();
            for (JsonNode p : body.path("parked")) {
                try {
                    parked.add(ProtocolJson.readRecord(json, ParkedReport.class, p));
                } catch (ProtocolException ex) {
                    throw new OfficeException(400, "parked " + parked.size() + ": " + ex.getMessage());
                }
            }
            SyncOffice.PushResult r = sync.push(who, events, parked);
            ctx.json(Map.of("verdicts", r.verdicts().stream().map(v -> {
                        Map<String, Object> m = new java.util.LinkedHashMap<>();
                        m.put("event_id", v.eventId().toString());
                        m.put("verdict", v.verdict());
                        m.put("detail", v.detail());
                        return m;
                    }).toList(),
                    "office_time_ms", r.officeTimeMillis(), "office_hlc", r.officeHlc()));
        }));
        app.get("/v1/sync/pull", limited(ctx -> {
            TerminalIdentity who = terminal(ctx);
            long cursor = longParam(ctx, "cursor", 0);
            int limit = (int) longParam(ctx, "limit", 500);
            long pending = longParam(ctx, "pending", -1);
            SyncOffice.Page page = sync.pull(who, cursor, limit, longParam(ctx, "own_through", 0), pending < 0 ? null : pending);
            // Payloads go out as stored (FeedWriter wrote them as JSON): parsing and re-serialising each one took
            // most of a pull's time, and every store pulls every other store's changes at close of day.
            ctx.json(Map.of("changes", page.changes().stream().map(c -> Map.of("seq", c.seq(), "kind", c.kind(),
                            "payload", new RawValue(c.payload()))).toList(),
                    "cursor", page.cursor(), "more", page.more(),
                    "office_time_ms", page.officeTimeMillis(), "office_hlc", page.officeHlc()));
        }));
        app.post("/v1/sync/history", limited(ctx -> {
            TerminalIdentity who = terminal(ctx);
            JsonNode ids = body(ctx).path("member_ids");
            if (!ids.isArray()) {
                throw new OfficeException(400, "the body needs a \"member_ids\" array");
            }
            List<java.util.UUID> members = new ArrayList<>();
            for (JsonNode id : ids) {
                try {
                    members.add(java.util.UUID.fromString(id.asText()));
                } catch (IllegalArgumentException e) {
                    throw new OfficeException(400, "member_ids[" + members.size() + "] is not a member id");
                }
            }
            ctx.json(Map.of("joined", sync.join(who, members)));
        }));
        app.get("/v1/sync/events", limited(ctx -> {
            TerminalIdentity who = terminal(ctx);
            SyncOffice.Held held = sync.held(who, longParam(ctx, "after_seq", 0), (int) longParam(ctx, "limit", 500));
            Map<String, Object> reply = new java.util.LinkedHashMap<>();
            reply.put("events", held.events().stream().map(e -> {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("event_id", e.eventId().toString());
                m.put("terminal_seq", e.terminalSeq());
                m.put("hlc", e.hlc());
                m.put("type", e.type());
                m.put("payload", new RawValue(e.payload()));
                m.put("verdict", e.verdict());
                m.put("detail", e.detail());
                return m;
            }).toList());
            reply.put("terminal_seq", held.terminalSeq());
            reply.put("feed_seq", held.feedSeq());
            reply.put("more", held.more());
            reply.put("office_time_ms", held.officeTimeMillis());
            reply.put("office_hlc", held.officeHlc());
            ctx.json(reply);
        }));
        app.get("/v1/sync/receipt", ctx -> {
            TerminalIdentity who = terminal(ctx);
            SyncOffice.Receipt r = sync.receipt(who, longParam(ctx, "through_seq", 0));
            ctx.json(Map.of("through_seq", r.throughSeq(), "events", r.events(), "digest", r.digest()));
        });

        app.get("/v1/sync/checkouts/{receipt}", ctx -> {
            terminal(ctx);
            SyncOffice.CheckoutCopy c = sync.checkout(ctx.pathParam("receipt"))
                    .orElseThrow(() -> new OfficeException(404, "no checkout with receipt " + ctx.pathParam("receipt")));
            Map<String, Object> reply = new java.util.LinkedHashMap<>();
            reply.put("store_id", c.storeId());
            reply.put("terminal_id", c.terminalId());
            reply.put("checkout", new RawValue(c.checkout()));
            reply.put("refunds", c.refunds().stream().map(RawValue::new).toList());
            ctx.json(reply);
        });
        app.post("/v1/staff", ctx -> {
            requireOwner(ctx, OwnerKeys.Scope.STAFF);
            ctx.status(201).json(owner.saveStaff(body(ctx)));
        });

        app.get("/v1/members/{card}", ctx -> {
            Optional<Viewer> viewer = reader(ctx);
            Map<String, Object> member = owner.memberByCard(ctx.pathParam("card"))
                    .orElseThrow(() -> new OfficeException(404, "no member with card " + ctx.pathParam("card")));
            if (viewer.isPresent() && !console.mayRead(viewer.get(), java.util.UUID.fromString((String) member.get("member_id")))) {
                throw new OfficeException(403, "this member is not held by store " + viewer.get().storeId());
            }
            ctx.json(member);
        });
        app.get("/v1/members/{card}/export", ctx -> {
            requireOwner(ctx, OwnerKeys.Scope.READ);
            ctx.json(owner.export(ctx.pathParam("card"))
                    .orElseThrow(() -> new OfficeException(404, "no member with card " + ctx.pathParam("card"))));
        });
        app.post("/v1/members/{card}/erase", ctx -> {
            requireOwner(ctx, OwnerKeys.Scope.ERASE);
            ctx.json(owner.erase(ctx.pathParam("card")));
        });
        app.post("/v1/members/{card}/tags", ctx -> {
            String by = ownerWriter(ctx, OwnerKeys.Scope.TAGS);
            JsonNode request = body(ctx);
            if (!request.isObject() || !request.path("tag").isTextual() || !request.path("on").isBoolean()
                    || request.size() != 2) {
                throw new OfficeException(400, "the body is {\"tag\": TEXT, \"on\": true|false}");
            }
            OwnerApi.TagSet set = owner.setTag(ctx.pathParam("card"), request.path("tag").asText(),
                    request.path("on").asBoolean(), by.length() > 64 ? by.substring(0, 64) : by);
            ctx.json(Map.of("member_id", set.memberId().toString(), "tag", set.tag(), "changed", set.changed(),
                    "custom_tags", set.tags()));
        });
        app.get("/v1/members/{card}/qr", ctx -> {
            requireOwner(ctx, OwnerKeys.Scope.READ);
            MemberQrMint.Minted m = memberQr.mint(ctx.pathParam("card"))
                    .orElseThrow(() -> new OfficeException(404, "no member with card " + ctx.pathParam("card")));
            Map<String, Object> reply = new java.util.LinkedHashMap<>();
            reply.put("card_code", m.cardCode());
            reply.put("token", m.token());
            reply.put("expires_at", m.expiresAt().toString());
            ctx.json(reply);
        });
        app.get("/v1/exceptions", ctx -> {
            Optional<Viewer> viewer = reader(ctx);
            String state = ctx.queryParam("state");
            String limitText = ctx.queryParam("limit");
            int limit;
            try {
                limit = limitText == null ? OwnerApi.EXCEPTIONS_PAGE : Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = 0;
            }
            if (limit < 1 || limit > OwnerApi.EXCEPTIONS_PAGE) {
                throw new OfficeException(400, "limit must be between 1 and " + OwnerApi.EXCEPTIONS_PAGE);
            }
            String after = ctx.queryParam("after");
            if (viewer.isEmpty() || viewer.get().isOwner()) {
                ctx.json(owner.exceptions(state, after, limit));
                return;
            }
            // A manager's page holds their store's alone: pages are read until it is full or there are no more.
            List<Map<String, Object>> mine = new java.util.ArrayList<>();
            while (mine.size() < limit) {
                List<Map<String, Object>> page = owner.exceptions(state, after, OwnerApi.EXCEPTIONS_PAGE);
                for (Map<String, Object> e : console.exceptionsFor(viewer.get(), page)) {
                    if (mine.size() < limit) {
                        mine.add(e);
                    }
                }
                if (page.size() < OwnerApi.EXCEPTIONS_PAGE) {
                    break;
                }
                after = (String) page.get(page.size() - 1).get("id");
            }
            ctx.json(mine);
        });
        app.get("/v1/terminals", ctx -> {
            Optional<Viewer> viewer = reader(ctx);
            ctx.json(owner.terminals().stream().filter(t -> viewer.isEmpty() || viewer.get().maySee((String) t.get("store_id")))
                    .toList());
        });
        app.post("/v1/coupons", ctx -> {
            requireOwner(ctx, OwnerKeys.Scope.COUPONS);
            ctx.status(201).json(owner.issueCoupon(body(ctx)));
        });
        app.post("/v1/coupons/{code}/void", ctx -> {
            requireOwner(ctx, OwnerKeys.Scope.COUPONS);
            if (!owner.voidCoupon(ctx.pathParam("code"))) {
                throw new OfficeException(404, "no issued coupon " + ctx.pathParam("code"));
            }
            ctx.json(Map.of("code", ctx.pathParam("code"), "status", "VOID"));
        });
        app.get("/v1/reports/stores", ctx -> {
            Optional<String> store = reportStore(ctx, reader(ctx));
            LocalDate[] period = Reports.period(ctx.queryParam("from"), ctx.queryParam("to"));
            ctx.json(ReportJson.of(reports.stores(period[0], period[1], store)));
        });
        app.get("/v1/reports/today", ctx -> {
            Optional<String> store = reportStore(ctx, reader(ctx));
            ctx.json(ReportJson.of(reports.today(store)));
        });
        campaignRoutes();
        app.post("/v1/rule-sets", ctx -> {
            requireOwner(ctx, OwnerKeys.Scope.RULES);
            ctx.status(201).json(Map.of("version", owner.publishRuleSet(body(ctx))));
        });
    }

    /** Coupon templates, segments and campaigns (docs/api.md): an owner's key or an owner's console session. */
    private void campaignRoutes() {
        app.get("/v1/coupon-templates", ctx -> {
            reader(ctx);
            ctx.json(campaigns.templates());
        });
        app.post("/v1/coupon-templates", ctx -> {
            ownerWriter(ctx, OwnerKeys.Scope.COUPONS);
            ctx.status(201).json(campaigns.publishTemplate(body(ctx)));
        });
        app.post("/v1/segments/preview", ctx -> {
            ownerWriter(ctx, OwnerKeys.Scope.READ);
            Campaigns.Preview preview = campaigns.preview(body(ctx));
            ctx.json(Map.of("members", preview.members(), "tags_held_by_none", preview.tagsHeldByNone()));
        });
        app.post("/v1/campaigns", ctx -> {
            String by = ownerWriter(ctx, OwnerKeys.Scope.COUPONS);
            Campaigns.Created c = campaigns.create(body(ctx), ctx.header("Idempotency-Key"), by);
            ctx.status(201).json(Map.of("campaign_id", c.campaignId().toString(), "members", c.members()));
        });
        app.get("/v1/campaigns", ctx -> {
            ownerReader(ctx);
            ctx.json(campaigns.list());
        });
        app.get("/v1/campaigns/{id}", ctx -> {
            ownerReader(ctx);
            java.util.UUID id;
            try {
                id = java.util.UUID.fromString(ctx.pathParam("id"));
            } catch (IllegalArgumentException e) {
                throw new OfficeException(404, "no campaign " + ctx.pathParam("id"));
            }
            ctx.json(campaigns.figures(id).orElseThrow(() -> new OfficeException(404, "no campaign " + ctx.pathParam("id"))));
        });
    }

    /**
     * Who makes a chain-wide change: an owner key with {@code scope}, or an owner's console session whose request carries
     * its CSRF token; a store manager's session is refused (403). Returns who it was, as campaigns record it.
     */
    private String ownerWriter(Context ctx, OwnerKeys.Scope scope) {
        if (ctx.header("Authorization") == null) {
            Optional<Viewer> viewer = console.sessionWriter(ctx);
            if (viewer.isPresent()) {
                if (!viewer.get().isOwner()) {
                    throw new OfficeException(403, "a store manager may not do this for the chain");
                }
                return "console:" + viewer.get().username();
            }
        }
        return "owner-key:" + requireOwner(ctx, scope).name();
    }

    /** A chain-wide read: an owner key with {@code read}, or an owner's session; a store manager's is refused (403). */
    private void ownerReader(Context ctx) {
        Optional<Viewer> viewer = reader(ctx);
        if (viewer.isPresent() && !viewer.get().isOwner()) {
            throw new OfficeException(403, "campaigns are the chain's: an owner reads them");
        }
    }

    /** Sync work is bounded: a request that finds no free slot is told to come back later. */
    private Handler limited(Handler inner) {
        return ctx -> {
            if (!syncSlots.tryAcquire()) {
                ctx.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
                ctx.status(429).json(Map.of("error", "head office is busy; retry later"));
                return;
            }
            try {
                inner.handle(ctx);
            } finally {
                syncSlots.release();
            }
        };
    }

    /**
     * Registration codes are not guessed from one address: each wrong or spent code (403) counts against the caller's
     * address, and past the limit the address is turned away before its code is looked at. The code is never logged.
     */
    private Handler guessLimited(Handler inner) {
        return ctx -> {
            String address = ctx.ip();
            FailureLimiter.Admission admission = registrationFailures.begin(address);
            if (admission instanceof FailureLimiter.Refusal refusal) {
                if (refusal.first() && refusal.full()) {
                    LOG.warn("turning new addresses away from registration for {} s: too many addresses sent wrong or spent "
                            + "codes in the last minute (now {})", refusal.retryAfterSeconds(), address);
                } else if (refusal.first()) {
                    LOG.warn("turning {} away from registration for {} s: {} wrong or spent codes within a minute",
                            address, refusal.retryAfterSeconds(), REGISTRATION_FAILURES_PER_MINUTE);
                }
                ctx.header("Retry-After", String.valueOf(refusal.retryAfterSeconds()));
                ctx.status(429).json(Map.of("error", "too many wrong or spent registration codes; try again in "
                        + refusal.retryAfterSeconds() + " s"));
                return;
            }
            boolean failed = false;
            try {
                inner.handle(ctx);
            } catch (OfficeException e) {
                failed = e.status() == 403;
                throw e;
            } finally {
                if (!failed) {
                    ((FailureLimiter.Attempt) admission).succeeded();
                }
            }
        };
    }

    private TerminalIdentity terminal(Context ctx) {
        return authenticated(ctx, "terminal credential", () -> registrations.authenticate(bearer(ctx)))
                .orElseThrow(() -> new OfficeException(401, "unknown or revoked terminal credential"));
    }

    /**
     * Who reads a {@code GET} route open to the console's sessions as well as to owner keys with the {@code read}
     * scope: empty for an owner key (the whole chain), else the signed-in console viewer (a manager: their store only).
     * A request with an Authorization header is judged by its key alone.
     */
    public Optional<Viewer> reader(Context ctx) {
        if (ctx.header("Authorization") == null) {
            Optional<Viewer> viewer = console.sessionViewer(ctx);
            if (viewer.isPresent()) {
                return viewer;
            }
        }
        requireOwner(ctx, OwnerKeys.Scope.READ);
        return Optional.empty();
    }

    /** The owner key's holder, if the key may do {@code scope}; the request is then recorded with its answer. */
    private OwnerKeys.Caller requireOwner(Context ctx, OwnerKeys.Scope scope) {
        OwnerKeys.Caller caller = authenticated(ctx, "owner key", () -> ownerKeys.authenticate(bearer(ctx)))
                .orElseThrow(() -> new OfficeException(401, "a valid owner key is required (office owner-key)"));
        ctx.attribute(OWNER_CALLER, caller);
        if (!caller.may(scope)) {
            throw new OfficeException(403, "owner key '" + caller.name() + "' may not " + scope.wire()
                    + " (its scopes: " + OwnerKeys.Scope.format(caller.scopes()) + ")");
        }
        return caller;
    }

    /**
     * A credential or key is not guessed from one address: each wrong one counts against the caller's address, and
     * past the limit the address is turned away before its key is looked at. Keys are never logged.
     */
    private <T> Optional<T> authenticated(Context ctx, String what, java.util.function.Supplier<Optional<T>> check) {
        String address = ctx.ip();
        FailureLimiter.Admission admission = credentialFailures.begin(address);
        if (admission instanceof FailureLimiter.Refusal refusal) {
            if (refusal.first()) {
                LOG.warn("turning {} away for {} s: {} wrong credentials or owner keys within a minute", address,
                        refusal.retryAfterSeconds(), CREDENTIAL_FAILURES_PER_MINUTE);
            }
            ctx.header("Retry-After", String.valueOf(refusal.retryAfterSeconds()));
            throw new OfficeException(429, "too many wrong credentials or keys; try again in "
                    + refusal.retryAfterSeconds() + " s");
        }
        Optional<T> who = check.get();
        if (who.isPresent()) {
            ((FailureLimiter.Attempt) admission).succeeded();
        } else {
            LOG.warn("refused a wrong, revoked or expired {} from {} ({} {})", what, address, ctx.method(), ctx.path());
        }
        return who;
    }

    private static String bearer(Context ctx) {
        String h = ctx.header("Authorization");
        return h != null && h.startsWith("Bearer ") ? h.substring(7) : null;
    }

    private JsonNode body(Context ctx) {
        // Read outside the try: a body over the size limit fails the read, and is answered 413, not "not JSON".
        byte[] bytes = ctx.bodyAsBytes(); // bytes, not a String: a push body is ~300 KB
        try {
            return json.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new OfficeException(400, "the request body is not JSON");
        }
    }

    /** A report for one store ({@code store_id}), checked as store ids are checked at registration. */
    /** The store a report is asked for: a manager's session reads their own store's, and no other's (403). */
    private static Optional<String> reportStore(Context ctx, Optional<Viewer> viewer) {
        Optional<String> asked = storeParam(ctx);
        if (viewer.isEmpty() || viewer.get().isOwner()) {
            return asked;
        }
        if (asked.isPresent() && !viewer.get().maySee(asked.get())) {
            throw new OfficeException(403, "a manager of " + viewer.get().storeId() + " reads that store's reports only");
        }
        return Optional.of(viewer.get().storeId());
    }

    private static Optional<String> storeParam(Context ctx) {
        String store = ctx.queryParam("store_id");
        if (store == null || store.isEmpty()) {
            return Optional.empty();
        }
        if (!store.matches("[A-Za-z0-9_.-]{1,32}")) {
            throw new OfficeException(400, "store_id is not a store id");
        }
        return Optional.of(store);
    }

    private static long longParam(Context ctx, String name, long fallback) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new OfficeException(400, name + " must be a number");
        }
    }
}
