package dev.counterpoint.office.console;

import dev.counterpoint.office.FailureLimiter;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.rendering.template.JavalinJte;
import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Head office's web console, served by the office process on its port: pages at {@code /}, the API under {@code /v1}
 * as before. Every request outside {@code /v1}, {@code /static} and {@code /webjars} passes {@link #guard}: a visitor
 * is sent to {@code /login}; a signed-in request that changes something must carry its session's CSRF token; a
 * {@code store} parameter a manager may not see is refused with 403. Pages are JTE templates compiled at build time
 * (decision 0049), in zh-CN or English.
 */
public final class Console {
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);
    static final String LOGIN_COOKIE = "cp_login";
    static final String LANG_COOKIE = "cp_lang";
    static final String CSRF_FIELD = "_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String ERROR_PAGE = "console.errorPage";
    /** Wrong sign-ins one address may make in a minute before it is turned away (accounts lock after five in a row). */
    static final int SIGN_IN_FAILURES_PER_MINUTE = 10;
    /**
     * Scripts, style sheets and requests from head office only; inline style attributes are allowed (ECharts lays its
     * charts out with them), inline style elements and scripts are not.
     */
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
            + "img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** What makes a table for export, from the request (its query parameters) and the viewer. */
    interface TableSource extends Function<Context, Table> {
    }

    private final ConsoleContext context;
    private final ConsoleUsers users;
    private final ConsoleSessions sessions;
    private final FailureLimiter signInFailures;
    private final boolean tls;
    private final String sessionCookie;
    private final Map<String, TableSource> exports = new HashMap<>();
    /**
     * Password checks running at once: each takes 19 MiB for Argon2id, so a burst of sign-ins from many addresses
     * waits here instead of exhausting the heap.
     */
    private final java.util.concurrent.Semaphore passwordChecks = new java.util.concurrent.Semaphore(PASSWORD_CHECKS);
    static final int PASSWORD_CHECKS = 4;

    /** @param tls whether head office serves HTTPS itself: the cookies are then Secure and named {@code __Host-…} */
    public Console(ConsoleContext context, boolean tls) {
        this.context = context;
        this.users = new ConsoleUsers(context.jdbi(), context.clock());
        this.sessions = new ConsoleSessions(context.jdbi(), context.clock());
        this.signInFailures = new FailureLimiter(context.clock(), SIGN_IN_FAILURES_PER_MINUTE, Duration.ofMinutes(1), 10_000);
        this.tls = tls;
        this.sessionCookie = tls ? "__Host-cp_session" : "cp_session";
    }

    /** Templates (precompiled classes), the console's own files and the webjars. */
    public static void configure(JavalinConfig config) {
        config.fileRenderer(new JavalinJte(TemplateEngine.createPrecompiled(ContentType.Html)));
        config.staticFiles.add(files -> {
            files.hostedPath = "/static";
            files.directory = Assets.STATIC_DIR;
            files.location = Location.CLASSPATH;
        });
        config.staticFiles.enableWebjars();
    }

    public ConsoleUsers users() {
        return users;
    }

    /** The console's routes, and the guard in front of them. */
    public void routes(Javalin app) {
        app.before(this::guard);
        app.after(ctx -> {
            if (isConsolePath(ctx.path())) {
                securityHeaders(ctx);
            }
        });
        app.exception(ConsoleException.class, (e, ctx) -> errorPage(ctx, e.status(), e.message(texts(ctx))));
        app.get("/login", ctx -> loginPage(ctx, null, 200));
        app.post("/login", this::signIn);
        app.post("/logout", this::signOut);
        app.get("/lang", this::switchLanguage);
        // Browsers ask for it on every page; there is none, and it must not send them to the sign-in page.
        app.get("/favicon.ico", ctx -> ctx.status(204));
        new TerminalsPage(context).routes(app, this);
        new RulesPage(context).routes(app, this);
        new ExceptionsPage(context).routes(app, this);
        new MembersPage(context).routes(app, this);
        new TodayPage(context).routes(app, this);
        new ReportsPage(context).routes(app, this);
        new CampaignsPage(context).routes(app, this);
        app.get("/export/{file}", this::export);
        // A console address that leads nowhere gets the console's page, not the API's plain answer.
        app.error(404, ctx -> {
            if (isConsolePath(ctx.path()) && ctx.attribute(Web.VIEWER) != null && ctx.attribute(ERROR_PAGE) == null) {
                errorPage(ctx, 404, texts(ctx).text("console.error.notFound"));
            }
        });
    }

    /** Makes a table exportable as {@code /export/ID.csv} and {@code /export/ID.xlsx}. */
    void exportable(String id, TableSource source) {
        exports.put(id, source);
    }

    /**
     * The viewer a console session cookie stands for, for the {@code /v1} read routes: a signed-in owner or manager
     * reads them as the pages do (a manager, their store only).
     */
    public Optional<Viewer> sessionViewer(Context ctx) {
        return sessions.find(ctx.cookie(sessionCookie)).map(ConsoleSessions.Live::viewer);
    }

    /**
     * The viewer a console session stands for on a {@code /v1} route that changes something: the request must carry
     * the session's CSRF token in {@code X-CSRF-Token} (403 otherwise). Empty without a session.
     */
    public Optional<Viewer> sessionWriter(Context ctx) {
        Optional<ConsoleSessions.Live> live = sessions.find(ctx.cookie(sessionCookie));
        if (live.isEmpty()) {
            return Optional.empty();
        }
        if (!ConsoleSessions.same(ctx.header(CSRF_HEADER), live.get().csrf())) {
            throw new dev.counterpoint.office.OfficeException(403, "a console session's request that changes something "
                    + "carries the session's X-CSRF-Token");
        }
        return Optional.of(live.get().viewer());
    }

    /** Whether the viewer may read this member (for the {@code /v1} routes a session reads): see {@link MemberScope}. */
    public boolean mayRead(Viewer viewer, java.util.UUID member) {
        return viewer.isOwner() || context.jdbi().withHandle(h -> MemberScope.stores(h, member)).contains(viewer.storeId());
    }

    /** The exceptions (as {@code GET /v1/exceptions} lists them) that touch the viewer's store. */
    public java.util.List<Map<String, Object>> exceptionsFor(Viewer viewer, java.util.List<Map<String, Object>> all) {
        if (viewer.isOwner()) {
            return all;
        }
        return context.jdbi().withHandle(h -> all.stream().filter(e -> ExceptionsPage.stores(h, (String) e.get("kind"),
                (String) e.get("subject"), (com.fasterxml.jackson.databind.JsonNode) e.get("detail")).contains(viewer.storeId()))
                .toList());
    }

    public static boolean isConsolePath(String path) {
        return !(path.startsWith("/v1/") || path.equals("/v1") || path.startsWith("/static/") || path.startsWith("/webjars/"));
    }

    private void guard(Context ctx) {
        String path = ctx.path();
        if (!isConsolePath(path)) {
            return;
        }
        ctx.attribute(Web.TEXTS, texts(ctx));
        if (path.equals("/login") || path.equals("/lang") || path.equals("/favicon.ico")) {
            return;
        }
        Optional<ConsoleSessions.Live> live = sessions.find(ctx.cookie(sessionCookie));
        if (live.isEmpty()) {
            sendToLogin(ctx);
            return;
        }
        ctx.attribute(Web.VIEWER, live.get().viewer());
        ctx.attribute(Web.CSRF, live.get().csrf());
        ctx.attribute(Web.TOKEN_HASH, live.get().tokenHash());
        String method = ctx.method().name();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            requireSameOrigin(ctx);
            String token = ctx.header(CSRF_HEADER);
            if (token == null) {
                token = ctx.formParam(CSRF_FIELD);
            }
            if (!ConsoleSessions.same(token, live.get().csrf())) {
                LOG.warn("refused a console {} {} without its CSRF token from {} ({})", method, path, ctx.ip(),
                        live.get().viewer().username());
                throw new ConsoleException(403, "console.error.csrf");
            }
        }
        String store = ctx.queryParam("store");
        Web.requireStore(live.get().viewer(), store == null || store.isEmpty() ? null : store);
    }

    /** A page asked for without a session goes to the sign-in page, which brings the visitor back afterwards. */
    private void sendToLogin(Context ctx) {
        String query = ctx.queryString();
        String back = ctx.method().name().equals("GET") ? ctx.path() + (query == null ? "" : "?" + query) : "/";
        String target = "/".equals(back) ? "/login" : "/login?next=" + Web.encode(Web.localPath(back));
        if (ctx.header("HX-Request") != null) {
            ctx.header("HX-Redirect", target).status(401);
        } else {
            ctx.redirect(target, HttpStatus.SEE_OTHER);
        }
        ctx.skipRemainingHandlers();
    }

    /** A browser says where a form came from; one from another site is refused even before its token is looked at. */
    private static void requireSameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return;
        }
        // The scheme is left out: behind a TLS proxy the browser's is https and ours http.
        String host = ctx.header("Host");
        int slashes = origin.indexOf("://");
        String authority = slashes < 0 ? origin : origin.substring(slashes + 3);
        if (host == null || !authority.equalsIgnoreCase(host)) {
            LOG.warn("refused a console {} {} from origin {} (this is {}) from {}", ctx.method(), ctx.path(), origin,
                    host, ctx.ip());
            throw new ConsoleException(403, "console.error.csrf");
        }
    }

    private Texts texts(Context ctx) {
        Texts t = ctx.attribute(Web.TEXTS);
        if (t != null) {
            return t;
        }
        Locale locale = Texts.choose(ctx.cookie(LANG_COOKIE), ctx.header("Accept-Language"));
        return new Texts(locale, context.zone());
    }

    private void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
        if (tls) {
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
    }

    /** A console request that failed in head office's code: an error page, its details in the log only. */
    public void failed(Context ctx, int status) {
        Texts t = texts(ctx);
        ctx.attribute(Web.TEXTS, t);
        errorPage(ctx, status, t.text(status == 404 ? "console.error.notFound" : status >= 500 ? "console.error.internal"
                : "console.error.refused"));
    }

    private void errorPage(Context ctx, int status, String message) {
        ctx.attribute(ERROR_PAGE, Boolean.TRUE);
        ctx.status(status);
        if (ctx.header("HX-Request") != null) {
            ctx.html("<p class=\"error\" role=\"alert\">" + escape(message) + "</p>");
            return;
        }
        Web.render(ctx, "console/error.jte", "page", Web.page(ctx, null, "/"), "status", status, "message", message);
    }

    // ---- sign-in, sign-out, language ----

    private void loginPage(Context ctx, String error, int status) {
        // The sign-in form is protected by a token of its own, in a cookie and in the form (there is no session yet).
        // A token the browser holds already is kept: two sign-in pages open at once both work.
        String held = ctx.cookie(LOGIN_COOKIE);
        String token = held != null && held.matches("[A-Za-z0-9_-]{43}") ? held : ConsoleSessions.random();
        setCookie(ctx, LOGIN_COOKIE, token, 600);
        String next = Web.localPath(ctx.queryParam("next") != null ? ctx.queryParam("next") : ctx.formParam("next"));
        ctx.status(status);
        Web.render(ctx, "console/login.jte", "page", new Page(texts(ctx), null, token, null,
                "/login" + ("/".equals(next) ? "" : "?next=" + Web.encode(next))), "next", next, "error", error);
    }

    private void signIn(Context ctx) throws InterruptedException {
        requireSameOrigin(ctx);
        if (!ConsoleSessions.same(ctx.formParam(CSRF_FIELD), ctx.cookie(LOGIN_COOKIE))) {
            loginPage(ctx, texts(ctx).text("console.login.expired"), 403);
            return;
        }
        String address = ctx.ip();
        FailureLimiter.Admission admission = signInFailures.begin(address);
        if (admission instanceof FailureLimiter.Refusal refusal) {
            if (refusal.first()) {
                LOG.warn("turning {} away from the console's sign-in for {} s: {} failed sign-ins within a minute", address,
                        refusal.retryAfterSeconds(), SIGN_IN_FAILURES_PER_MINUTE);
            }
            ctx.header("Retry-After", String.valueOf(refusal.retryAfterSeconds()));
            loginPage(ctx, texts(ctx).text("console.login.tooMany", refusal.retryAfterSeconds()), 429);
            return;
        }
        String username = Web.form(ctx, "username");
        String password = ctx.formParam("password");
        ConsoleUsers.SignIn result;
        if (!passwordChecks.tryAcquire(2, java.util.concurrent.TimeUnit.SECONDS)) {
            ((FailureLimiter.Attempt) admission).succeeded();
            ctx.header("Retry-After", "1");
            loginPage(ctx, texts(ctx).text("console.login.busy"), 429);
            return;
        }
        try {
            result = users.signIn(username, password, address);
        } finally {
            passwordChecks.release();
        }
        if (result instanceof ConsoleUsers.Accepted accepted) {
            ((FailureLimiter.Attempt) admission).succeeded();
            ConsoleSessions.Started started = sessions.start(accepted.viewer(), address);
            setCookie(ctx, sessionCookie, started.token(), -1);
            setCookie(ctx, LOGIN_COOKIE, "", 0);
            LOG.info("console: {} signed in from {}", accepted.viewer().username(), address);
            ctx.redirect(Web.localPath(ctx.formParam("next")), HttpStatus.SEE_OTHER);
        } else if (result instanceof ConsoleUsers.Locked locked) {
            loginPage(ctx, texts(ctx).text("console.login.locked", texts(ctx).time(locked.until())), 403);
        } else {
            LOG.info("console: a wrong name or password from {}", address);
            loginPage(ctx, texts(ctx).text("console.login.wrong"), 401);
        }
    }

    private void signOut(Context ctx) {
        sessions.end(ctx.attribute(Web.TOKEN_HASH));
        context.audit().record(Web.viewer(ctx).username(), ctx.ip(), "SIGNED_OUT", Web.viewer(ctx).username(), null);
        setCookie(ctx, sessionCookie, "", 0);
        ctx.redirect("/login", HttpStatus.SEE_OTHER);
    }

    private void switchLanguage(Context ctx) {
        String to = ctx.queryParam("to");
        if ("zh-CN".equals(to) || "en".equals(to)) {
            setCookie(ctx, LANG_COOKIE, to, 365 * 24 * 3600);
        }
        ctx.redirect(Web.localPath(ctx.queryParam("back")), HttpStatus.SEE_OTHER);
    }

    /**
     * Cookies are HttpOnly and SameSite=Strict, and Secure when head office serves HTTPS itself (over plain HTTP a
     * browser would not send a Secure cookie back, except to localhost).
     */
    private void setCookie(Context ctx, String name, String value, int maxAgeSeconds) {
        StringBuilder c = new StringBuilder(name).append('=').append(value).append("; Path=/; HttpOnly; SameSite=Strict");
        if (tls) {
            c.append("; Secure");
        }
        if (maxAgeSeconds >= 0) {
            c.append("; Max-Age=").append(maxAgeSeconds);
        }
        ctx.res().addHeader("Set-Cookie", c.toString());
    }

    // ---- exports ----

    private void export(Context ctx) throws IOException {
        String file = ctx.pathParam("file");
        int dot = file.lastIndexOf('.');
        TableSource source = dot < 0 ? null : exports.get(file.substring(0, dot));
        if (source == null) {
            throw new ConsoleException(404, "console.error.notFound");
        }
        Table table = source.apply(ctx);
        String format = file.substring(dot + 1);
        Viewer viewer = Web.viewer(ctx);
        // A search's words may be a phone number: the record says a search was exported, not what was searched for.
        String query = ctx.queryString() == null ? null : ctx.queryString().replaceAll("(^|&)q=[^&]*", "$1q=…");
        context.audit().record(viewer.username(), ctx.ip(), "EXPORTED", file, query);
        Web.export(ctx, table, format, table.id() + "-" + OffsetDateTime.now(context.clock()).atZoneSameInstant(context.zone())
                .toLocalDate());
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
