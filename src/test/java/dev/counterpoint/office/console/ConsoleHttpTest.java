package dev.counterpoint.office.console;

import static dev.counterpoint.office.console.ConsoleFixture.CARD_ALIAS;
import static dev.counterpoint.office.console.ConsoleFixture.CARD_BOTH;
import static dev.counterpoint.office.console.ConsoleFixture.CARD_FORMULA;
import static dev.counterpoint.office.console.ConsoleFixture.CARD_S001;
import static dev.counterpoint.office.console.ConsoleFixture.MANAGER_S001;
import static dev.counterpoint.office.console.ConsoleFixture.MANAGER_S002;
import static dev.counterpoint.office.console.ConsoleFixture.OWNER;
import static dev.counterpoint.office.console.ConsoleFixture.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every console page and export over HTTP, as the owner and as each store's manager: who is sent to sign in, who is
 * refused what, forms without their CSRF token, the lock after wrong passwords, and what each action leaves behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleHttpTest {
    private ConsoleFixture office;

    @BeforeAll
    void start() {
        office = new ConsoleFixture();
    }

    @AfterAll
    void stop() {
        office.close();
    }

    private ConsoleClient client() {
        return new ConsoleClient(office.base());
    }

    private ConsoleClient as(String user) throws IOException, InterruptedException {
        return client().signedIn(user);
    }

    @Test
    void aVisitorIsSentToSignInFromEveryPageAndExport() throws Exception {
        ConsoleClient visitor = client();
        for (String path : List.of("/", "/terminals", "/rules", "/exceptions", "/members?q=1234", "/members/" + CARD_S001,
                "/campaigns", "/export/terminals.csv", "/today/tables", "/no-such-page")) {
            ConsoleClient.Reply r = visitor.get(path);
            assertThat(r.status()).as(path).isEqualTo(303);
            assertThat(r.header("Location")).as(path).startsWith("/login");
        }
        assertThat(visitor.get("/members/" + CARD_S001).header("Location"))
                .isEqualTo("/login?next=%2Fmembers%2F" + CARD_S001);
        ConsoleClient.Reply htmx = visitor.get("/today/tables", "HX-Request", "true");
        assertThat(htmx.status()).isEqualTo(401);
        assertThat(htmx.header("HX-Redirect")).isEqualTo("/login?next=%2Ftoday%2Ftables");
        assertThat(visitor.post("/terminals/add", Map.of("store", "S001", "terminal", "T7")).status()).isEqualTo(303);
        assertThat(terminalExists("S001", "T7")).isFalse();
        assertThat(visitor.post("/campaigns/create", Map.of("name", "x", "title", "x", "amount", "5", "valid_days", "7"))
                .status()).isEqualTo(303);
        long campaigns = office.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM campaign").mapTo(Long.class).one());
        assertThat(campaigns).isZero();
        // The API keeps answering 401 without a key.
        assertThat(visitor.get("/v1/terminals").status()).isEqualTo(401);
    }

    @Test
    void signingInSetsAStrictHttpOnlySessionCookieAndBringsTheVisitorBack() throws Exception {
        ConsoleClient browser = client();
        ConsoleClient.Reply form = browser.get("/login?next=%2Frules");
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.body()).contains("name=\"username\"").contains("name=\"password\"").contains("value=\"/rules\"");
        ConsoleClient.Reply in = browser.post("/login", Map.of("_csrf", form.csrf(), "username", OWNER, "password", PASSWORD,
                "next", "/rules"));
        assertThat(in.status()).isEqualTo(303);
        assertThat(in.header("Location")).isEqualTo("/rules");
        String cookie = in.headers("Set-Cookie").stream().filter(c -> c.startsWith("cp_session=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/")
                .as("plain HTTP: a Secure cookie would not come back").doesNotContain("Secure");
        assertThat(browser.get("/rules").status()).isEqualTo(200);

        // Another site's address is never where sign-in sends a browser.
        ConsoleClient other = client();
        ConsoleClient.Reply page = other.get("/login");
        ConsoleClient.Reply away = other.post("/login", Map.of("_csrf", page.csrf(), "username", OWNER, "password", PASSWORD,
                "next", "//evil.example/"));
        assertThat(away.header("Location")).isEqualTo("/");
    }

    @Test
    void aWrongPasswordIsRefusedAndASignInFormWithoutItsTokenToo() throws Exception {
        ConsoleClient browser = client();
        ConsoleClient.Reply wrong = browser.signIn(OWNER, "not the password");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong user name or password.");
        assertThat(browser.cookies).doesNotContainKey("cp_session");

        ConsoleClient forged = client();
        forged.get("/login");
        ConsoleClient.Reply noToken = forged.post("/login", Map.of("username", OWNER, "password", PASSWORD));
        assertThat(noToken.status()).isEqualTo(403);
        assertThat(forged.cookies).doesNotContainKey("cp_session");
    }

    @Test
    void fiveWrongPasswordsLockTheAccountForFifteenMinutesAndTheLockIsRecorded() throws Exception {
        office.server.console().users().add("temp", Viewer.Role.MANAGER, "S002", PASSWORD);
        ConsoleClient browser = client();
        for (int i = 0; i < 4; i++) {
            assertThat(browser.signIn("temp", "wrong password " + i).status()).isEqualTo(401);
        }
        ConsoleClient.Reply fifth = browser.signIn("temp", "wrong password 4");
        assertThat(fifth.status()).isEqualTo(403);
        assertThat(fifth.body()).contains("locked until");
        ConsoleClient.Reply right = browser.signIn("temp", PASSWORD);
        assertThat(right.status()).as("the right password is refused while locked").isEqualTo(403);
        assertThat(auditCount("ACCOUNT_LOCKED", "temp")).isEqualTo(1);

        office.clock.advance(Duration.ofMinutes(16));
        assertThat(client().signIn("temp", PASSWORD).status()).isEqualTo(303);
    }

    @Test
    void ownerSeesEveryPageInEitherLanguage() throws Exception {
        ConsoleClient en = as(OWNER);
        ConsoleClient zh = as(OWNER);
        zh.language = "zh-CN,zh;q=0.9,en;q=0.5";
        Map<String, List<String>> pages = Map.of(
                "/", List.of("S001", "S002", "closed and confirmed", "closed, digest differs", "Sales today", "¥45.00",
                        "¥55.00", "¥100.00"),
                "/reports?from=2026-03-01&to=2026-03-10", List.of("Sales and members", "S001", "S002", "Chain", "¥218.00",
                        "¥355.00", "¥573.00", "Coupons by template", "data-chart"),
                "/terminals", List.of("S001", "T2", "S002", "Add a terminal"),
                "/exceptions", List.of("Coupon used twice", "Audit chain broken", "HQ0000000001"),
                "/exceptions/" + office.mergeS002, List.of("Members merged by phone", CARD_ALIAS, "Same person: keep the merge",
                        "Different people: undo the merge"),
                "/members?q=" + ConsoleClient.enc("建国"), List.of(CARD_BOTH, "王建国"),
                "/members/" + CARD_BOTH, List.of("S002-T1-000009", "S001-T2-000004", CARD_ALIAS, "Stored value ledger"),
                "/rules", List.of("built into every terminal", "earnPermille.GOLD", "Check and show changes"),
                "/campaigns", List.of("New campaign", "Who receives it", "Count members"));
        for (Map.Entry<String, List<String>> p : pages.entrySet()) {
            ConsoleClient.Reply r = en.get(p.getKey());
            assertThat(r.status()).as(p.getKey() + "\n" + r.body()).isEqualTo(200);
            assertThat(r.header("Content-Security-Policy")).contains("script-src 'self'");
            assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(r.body()).as(p.getKey()).contains(p.getValue()).contains("<html lang=\"en\"");
            ConsoleClient.Reply chinese = zh.get(p.getKey());
            assertThat(chinese.status()).as(p.getKey()).isEqualTo(200);
            assertThat(chinese.body()).as(p.getKey()).contains("<html lang=\"zh-CN\"").contains("退出").doesNotContain("Sign out");
        }
        assertThat(zh.get("/").body()).contains("已日结并确认").contains("已日结，摘要不符");
        ConsoleClient.Reply missing = en.get("/no-such-page");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("There is no such page.").contains("Sign out");
        assertThat(en.get("/members/2999999999999").body()).contains("No member with card 2999999999999");
        // The switch overrides the browser's language, for this browser.
        ConsoleClient.Reply switched = zh.get("/lang?to=en&back=%2Fterminals");
        assertThat(switched.header("Location")).isEqualTo("/terminals");
        assertThat(zh.get("/terminals").body()).contains("Sign out");
    }

    @Test
    void aManagerSeesOnlyTheirStoreAndIsRefusedTheOthersPagesExportsMembersAndApi() throws Exception {
        ConsoleClient li = as(MANAGER_S002);
        assertThat(li.get("/terminals?store=S001").status()).isEqualTo(403);
        assertThat(li.get("/export/terminals.csv?store=S001").status()).isEqualTo(403);
        assertThat(li.get("/export/today-stores.xlsx?store=S001").status()).isEqualTo(403);
        assertThat(li.get("/members/" + CARD_S001).status()).isEqualTo(403);
        assertThat(li.get("/export/member-purchases.csv?card=" + CARD_S001).status()).isEqualTo(403);
        assertThat(li.get("/exceptions/" + office.couponConflictS001).status()).isEqualTo(403);
        assertThat(li.get("/v1/members/" + CARD_S001).status()).isEqualTo(403);

        String terminals = li.get("/terminals").body();
        assertThat(terminals).contains("S002").doesNotContain(">S001<");
        String csv = li.get("/export/terminals.csv").body();
        assertThat(csv).contains("S002").doesNotContain("S001");
        assertThat(li.get("/").body()).doesNotContain(">S001<").contains("¥55.00").doesNotContain("¥45.00");
        String report = li.get("/reports?from=2026-03-01&to=2026-03-10").body();
        assertThat(report).contains(">S002<").doesNotContain(">S001<").doesNotContain("Chain");
        assertThat(li.get("/export/report-stores.csv?from=2026-03-01&to=2026-03-10").body()).contains("S002").doesNotContain("S001");
        assertThat(li.get("/v1/reports/stores?from=2026-03-01&to=2026-03-10&store_id=S001").status()).isEqualTo(403);
        assertThat(li.get("/v1/reports/today").body()).contains("S002").doesNotContain("S001");
        assertThat(li.get("/reports?store=S001").status()).isEqualTo(403);
        assertThat(li.get("/exceptions?state=ALL").body()).contains("Audit chain broken").doesNotContain("HQ0000000001");
        assertThat(li.get("/members?q=" + CARD_S001).body()).doesNotContain("林雨桐").doesNotContain(link(CARD_S001));
        assertThat(li.get("/members?q=" + ConsoleClient.enc("建国")).body()).contains(link(CARD_BOTH));
        // A member served at both stores is the S002 manager's and the S001 manager's alike.
        assertThat(li.get("/members/" + CARD_BOTH).status()).isEqualTo(200);
        assertThat(as(MANAGER_S001).get("/members/" + CARD_BOTH).status()).isEqualTo(200);
        assertThat(li.get("/v1/terminals").body()).contains("S002").doesNotContain("S001");
        ConsoleClient boss = as(OWNER);
        assertThat(boss.get("/v1/members/" + CARD_S001).status()).isEqualTo(200);
        assertThat(boss.get("/v1/terminals").body()).contains("S001").contains("S002");
        // A key, when given, is what counts: a wrong one is refused even with a session.
        assertThat(boss.get("/v1/terminals", "Authorization", "Bearer cpo1.wrong").status()).isEqualTo(401);
        assertThat(li.get("/v1/exceptions").body()).contains("AUDIT_CHAIN_BROKEN").doesNotContain("COUPON_CONFLICT");

        ConsoleClient.Reply form = li.get("/terminals");
        assertThat(li.post("/terminals/revoke", Map.of("_csrf", form.csrf(), "store", "S001", "terminal", "T2")).status())
                .isEqualTo(403);
        assertThat(terminalStatus("S001", "T2")).isEqualTo("ACTIVE");
        ConsoleClient.Reply rules = li.get("/rules");
        assertThat(li.post("/rules/publish", Map.of("_csrf", rules.csrf(), "body", "{}")).status()).isEqualTo(403);
    }

    @Test
    void aFormWithoutItsCsrfTokenOrFromAnotherSiteIsRefusedAndChangesNothing() throws Exception {
        ConsoleClient boss = as(OWNER);
        String token = boss.get("/terminals").csrf();
        assertThat(boss.post("/terminals/add", Map.of("store", "S003", "terminal", "T1")).status()).isEqualTo(403);
        assertThat(boss.post("/terminals/add", Map.of("_csrf", "forged", "store", "S003", "terminal", "T1")).status())
                .isEqualTo(403);
        assertThat(boss.post("/terminals/add", Map.of("_csrf", token, "store", "S003", "terminal", "T1"),
                "Origin", "http://evil.example").status()).isEqualTo(403);
        ConsoleClient.Reply resolve = boss.post("/exceptions/" + office.auditS002 + "/resolve", Map.of("note", "x",
                "outcome", "REPORTED"));
        assertThat(resolve.status()).isEqualTo(403);
        assertThat(resolve.body()).contains("did not come from this console");
        assertThat(terminalExists("S003", "T1")).isFalse();
        assertThat(exceptionState(office.auditS002)).isEqualTo("OPEN");
        // htmx sends the token as a header.
        ConsoleClient.Reply viaHeader = boss.post("/terminals/add", Map.of("store", "S003", "terminal", "T1"),
                "X-CSRF-Token", token);
        assertThat(viaHeader.status()).isEqualTo(200);
        assertThat(terminalExists("S003", "T1")).isTrue();
    }

    @Test
    void aTerminalAddedInTheConsoleShowsItsCodeOnceAndTheCodeRegistersIt() throws Exception {
        ConsoleClient wang = as(MANAGER_S001);
        ConsoleClient.Reply page = wang.get("/terminals");
        assertThat(page.body()).contains("value=\"S001\" readonly");
        // A manager's terminal goes to their own store, whatever the form says.
        ConsoleClient.Reply added = wang.post("/terminals/add", Map.of("_csrf", page.csrf(), "store", "S002", "terminal", "T5"));
        assertThat(added.status()).isEqualTo(200);
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("id=\"registration-code\">([A-Z0-9-]+)<")
                .matcher(added.body());
        assertThat(code.find()).isTrue();
        assertThat(terminalExists("S002", "T5")).isFalse();
        assertThat(office.server.registrations().register(code.group(1)).storeId()).isEqualTo("S001");
        assertThat(wang.get("/terminals").body()).doesNotContain(code.group(1));

        ConsoleClient.Reply revoked = wang.post("/terminals/revoke", Map.of("_csrf", page.csrf(), "store", "S001", "terminal", "T5"));
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.body()).contains("revoked");
        assertThat(terminalStatus("S001", "T5")).isEqualTo("REVOKED");
        assertThat(auditCount("TERMINAL_ADDED", "S001/T5")).isEqualTo(1);
        assertThat(auditCount("TERMINAL_REVOKED", "S001/T5")).isEqualTo(1);
    }

    @Test
    void anExceptionIsResolvedWithANoteAndWhoResolvedItIsKept() throws Exception {
        ConsoleClient li = as(MANAGER_S002);
        ConsoleClient.Reply page = li.get("/exceptions/" + office.overdraftS002);
        assertThat(page.status()).isEqualTo(200);
        assertThat(li.post("/exceptions/" + office.overdraftS002 + "/resolve", Map.of("_csrf", page.csrf(), "note", " ",
                "outcome", "MEMBER_PAID_BACK")).status()).isEqualTo(400);
        assertThat(li.post("/exceptions/" + office.overdraftS002 + "/resolve", Map.of("_csrf", page.csrf(), "note", "x",
                "outcome", "SAME_PERSON")).status()).as("an outcome of another kind").isEqualTo(400);
        assertThat(exceptionState(office.overdraftS002)).isEqualTo("OPEN");
        ConsoleClient.Reply done = li.post("/exceptions/" + office.overdraftS002 + "/resolve",
                Map.of("_csrf", page.csrf(), "note", "member paid the 300 points back in cash", "outcome", "MEMBER_PAID_BACK"));
        assertThat(done.status()).isEqualTo(303);
        assertThat(exceptionState(office.overdraftS002)).isEqualTo("RESOLVED");
        Map<String, Object> row = office.jdbi().withHandle(h -> h.createQuery(
                "SELECT resolved_by, resolution, resolution_note FROM sync_exception WHERE id = :id")
                .bind("id", office.overdraftS002).mapToMap().one());
        assertThat(row).containsEntry("resolved_by", MANAGER_S002).containsEntry("resolution", "MEMBER_PAID_BACK")
                .containsEntry("resolution_note", "member paid the 300 points back in cash");
        assertThat(li.get("/exceptions?state=RESOLVED").body()).contains("li, 2026-03-10 ")
                .contains("Member paid it back").contains("member paid the 300 points back in cash");
        assertThat(li.get("/v1/exceptions?state=RESOLVED").body()).contains("\"resolved_by\":\"li\"");
        // Resolved once: a second resolution is refused.
        assertThat(li.post("/exceptions/" + office.overdraftS002 + "/resolve", Map.of("_csrf", page.csrf(), "note", "again",
                "outcome", "WRITTEN_OFF")).status()).isEqualTo(409);
    }

    @Test
    void membersAreFoundByCardPhoneLastFourDigitsAndNameAndAProfileEditGoesToEveryStore() throws Exception {
        ConsoleClient boss = as(OWNER);
        assertThat(boss.get("/members?q=" + CARD_S001).body()).contains("林雨桐").contains(link(CARD_S001));
        assertThat(boss.get("/members?q=" + ConsoleFixture.PHONE_S001).body()).contains(link(CARD_S001));
        assertThat(boss.get("/members?q=5678").body()).contains(link(CARD_S001)).doesNotContain(link(CARD_BOTH));
        assertThat(boss.get("/members?q=" + ConsoleClient.enc("雨桐")).body()).contains(link(CARD_S001));
        assertThat(boss.get("/members?q=" + ConsoleClient.enc("%")).body()).doesNotContain(link(CARD_S001));
        // The search form posts: a phone number stays out of addresses, and the export link names the card found.
        String csrf = boss.get("/members").csrf();
        ConsoleClient.Reply byPhone = boss.post("/members", Map.of("_csrf", csrf, "q", ConsoleFixture.PHONE_S001));
        assertThat(byPhone.status()).isEqualTo(200);
        assertThat(byPhone.body()).contains(link(CARD_S001)).contains("/export/members.csv?q=" + CARD_S001)
                .doesNotContain("q=" + ConsoleFixture.PHONE_S001).contains("method=\"post\" action=\"/members\"");
        assertThat(boss.post("/members", Map.of("q", ConsoleFixture.PHONE_S001)).status()).as("no CSRF token").isEqualTo(403);
        // A merged card opens the member it was merged into.
        assertThat(boss.get("/members/" + CARD_ALIAS).body()).contains(CARD_BOTH).contains("Cards merged into this one");

        ConsoleClient.Reply page = boss.get("/members/" + CARD_S001);
        long feedBefore = feedLength();
        ConsoleClient.Reply saved = boss.post("/members/" + CARD_S001 + "/profile",
                Map.of("_csrf", page.csrf(), "name", "林雨桐", "birthday", "1991-04-01"));
        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.body()).contains("every store receives it");
        String birthday = office.jdbi().withHandle(h -> h.createQuery("SELECT birthday FROM member WHERE id = :m")
                .bind("m", office.memberS001).mapTo(String.class).one());
        assertThat(birthday).isEqualTo("1991-04-01");
        List<Map<String, Object>> changes = office.jdbi().withHandle(h -> h.createQuery(
                "SELECT kind, payload, target_store FROM change_log WHERE seq > :s ORDER BY seq").bind("s", feedBefore)
                .mapToMap().list());
        assertThat(changes).singleElement().satisfies(c -> {
                    assertThat(c.get("kind")).isEqualTo("member.profile");
                    assertThat((String) c.get("payload")).contains("1991-04-01");
                    assertThat(c.get("target_store")).as("every store").isNull();
                });
        ConsoleClient.Reply bad = boss.post("/members/" + CARD_S001 + "/profile",
                Map.of("_csrf", page.csrf(), "name", "a\u202Eb", "birthday", "1991-04-01"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(feedLength()).isEqualTo(feedBefore + 1);
    }

    @Test
    void aLongListOfExceptionsIsShownAPageAtATime() throws Exception {
        // 250 parked changes of an S001 terminal, then 5 of S002's, after everything else.
        office.jdbi().useHandle(h -> {
            for (int i = 0; i < 255; i++) {
                String store = i < 250 ? "S001" : "S002";
                h.createUpdate("""
                        INSERT INTO sync_exception(id, kind, subject, detail, state, created_at, updated_at)
                        VALUES (:id, 'CHANGE_PARKED', :s, '{"kind": "x", "reason": "paged"}', 'OPEN', :at, :at)""")
                        .bind("id", UUID.randomUUID()).bind("s", store + "/T9/" + (i + 1))
                        .bind("at", java.time.OffsetDateTime.parse("2030-01-01T00:00:00Z").plusSeconds(i)).execute();
            }
        });
        try {
            ConsoleClient boss = as(OWNER);
            String first = boss.get("/exceptions?state=ALL").body();
            assertThat(first).contains("S001/T9/1<").doesNotContain("S001/T9/250<");
            String next = first.replaceAll("(?s).*<a href=\"(/exceptions\\?state=ALL&amp;after=[^\"]+)\" rel=\"next\">.*", "$1")
                    .replace("&amp;", "&");
            assertThat(next).startsWith("/exceptions?state=ALL&after=");
            String second = boss.get(next).body();
            assertThat(second).contains("S001/T9/250<").contains("S002/T9/255<").doesNotContain("S001/T9/1<")
                    .doesNotContain("rel=\"next\"");
            // A manager's page is filled with their store's alone, read past the other's rows.
            String mine = as(MANAGER_S002).get("/exceptions?state=ALL").body();
            assertThat(mine).contains("S002/T9/251<").contains("S002/T9/255<").doesNotContain("S001/T9/").doesNotContain("rel=\"next\"");
            assertThat(boss.get("/exceptions?after=nonsense").status()).isEqualTo(400);
            // The export is the whole queue, not the page shown.
            String csv = boss.get("/export/exceptions.csv?state=ALL").body();
            assertThat(csv).contains("S001/T9/1,").contains("S001/T9/250,").contains("S002/T9/255,");
        } finally {
            office.jdbi().useHandle(h -> h.execute("DELETE FROM sync_exception WHERE subject LIKE '%/T9/%'"));
        }
    }

    @Test
    void theRuleEditorChecksAsATerminalDoesShowsTheChangesAndOnlyAnOwnerPublishes() throws Exception {
        ConsoleClient boss = as(OWNER);
        ConsoleClient.Reply page = boss.get("/rules");
        String draft = page.body().replaceAll("(?s).*<textarea[^>]*>(.*?)</textarea>.*", "$1")
                .replace("&#34;", "\"").replace("&quot;", "\"");
        assertThat(draft).contains("\"version\" : 3");
        ConsoleClient.Reply broken = boss.post("/rules/check", Map.of("_csrf", page.csrf(),
                "body", draft.replace("\"GOLD\" : 1500", "\"GOLD\" : -5")));
        assertThat(broken.body()).contains("A terminal would refuse it").contains("earnPermille.GOLD")
                .doesNotContain("Publish to every store");
        ConsoleClient.Reply checked = boss.post("/rules/check", Map.of("_csrf", page.csrf(),
                "body", draft.replace("\"GOLD\" : 1500", "\"GOLD\" : 1600")));
        assertThat(checked.body()).contains("Changes against the rule set in force").contains("earnPermille.GOLD")
                .contains("1600").contains("Publish to every store");
        ConsoleClient.Reply published = boss.post("/rules/publish", Map.of("_csrf", page.csrf(),
                "body", draft.replace("\"GOLD\" : 1500", "\"GOLD\" : 1600")));
        assertThat(published.status()).isEqualTo(303);
        int version = office.jdbi().withHandle(h -> h.createQuery("SELECT MAX(version) FROM rule_set").mapTo(Integer.class).one());
        assertThat(version).isEqualTo(3);
        assertThat(boss.get("/rules?published=1").body()).contains("Rule set 3 published");
        int publishedChanges = office.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM change_log WHERE kind = 'rule_set.published'").mapTo(Integer.class).one());
        assertThat(publishedChanges).isEqualTo(1);
        // The same version again is refused, as POST /v1/rule-sets refuses it.
        ConsoleClient.Reply again = boss.post("/rules/publish", Map.of("_csrf", page.csrf(), "body", draft));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.body()).contains("is not above the latest");
    }

    @Test
    void everyTableExportsAsCsvAndExcelWithFormulasNeutralised() throws Exception {
        ConsoleClient boss = as(OWNER);
        for (String table : List.of("today-sales", "today-stores", "today-terminals", "terminals", "exceptions", "rules",
                "report-stores", "report-members", "report-balances", "report-tiers", "report-tier-moves",
                "report-coupon-reasons", "report-coupons", "campaigns")) {
            for (String format : List.of("csv", "xlsx")) {
                ConsoleClient.Reply r = boss.get("/export/" + table + "." + format);
                assertThat(r.status()).as(table + "." + format).isEqualTo(200);
                assertThat(r.header("Content-Disposition")).contains("attachment").contains(table + "-2026-03-10." + format);
            }
        }
        for (String table : List.of("member-purchases", "member-points", "member-stored-value", "member-coupons", "member-merges")) {
            assertThat(boss.get("/export/" + table + ".csv?card=" + CARD_BOTH).status()).as(table).isEqualTo(200);
        }
        ConsoleClient.Reply csv = boss.get("/export/members.csv?q=" + CARD_FORMULA);
        assertThat(csv.body()).startsWith("\uFEFF").contains("'=HYPERLINK").doesNotContain(",=HYPERLINK");
        ConsoleClient.Reply xlsx = boss.get("/export/members.xlsx?q=" + CARD_FORMULA);
        String sheet = sheetXml(xlsx.bytes());
        assertThat(sheet).contains("&apos;=HYPERLINK").doesNotContain("<f>");
        assertThat(boss.get("/export/purchases.csv").status()).isEqualTo(404);
        assertThat(auditCount("EXPORTED", "members.xlsx")).isEqualTo(1);
    }

    @Test
    void aReportCoversTheChosenPeriodAndRefusesOneThatIsNot() throws Exception {
        ConsoleClient boss = as(OWNER);
        String twoDays = boss.get("/reports?from=2026-03-09&to=2026-03-10").body();
        // S001 sold ¥128 yesterday and ¥26 + ¥19 today; S002 ¥55 today (its ¥300 was on the 7th).
        assertThat(twoDays).contains("¥173.00").contains("¥55.00").doesNotContain("¥300.00").contains("id=\"chart-daily\"");
        String csv = boss.get("/export/report-stores.csv?from=2026-03-09&to=2026-03-10").body();
        assertThat(csv.lines().filter(l -> l.startsWith("S001,")).findFirst().orElseThrow()).startsWith("S001,3,173.00,57.67,2,");
        ConsoleClient.Reply backwards = boss.get("/reports?from=2026-03-10&to=2026-03-01");
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(backwards.body()).contains("is before from");
        assertThat(boss.get("/export/report-stores.csv?from=2025-01-01&to=2026-03-10").status()).isEqualTo(400);
    }

    @Test
    void signingOutEndsTheSessionAndANewPasswordEndsEveryOther() throws Exception {
        office.server.console().users().add("tmp2", Viewer.Role.OWNER, null, PASSWORD);
        ConsoleClient a = as("tmp2");
        ConsoleClient b = as("tmp2");
        String session = a.cookies.get("cp_session");
        ConsoleClient.Reply out = a.post("/logout", Map.of("_csrf", a.get("/").csrf()));
        assertThat(out.header("Location")).isEqualTo("/login");
        ConsoleClient stolen = client();
        stolen.cookies.put("cp_session", session);
        assertThat(stolen.get("/").status()).isEqualTo(303);
        assertThat(b.get("/").status()).isEqualTo(200);
        office.server.console().users().changePassword("tmp2", "another long password");
        assertThat(b.get("/").status()).isEqualTo(303);
    }

    @Test
    void anIdleSessionEnds() throws Exception {
        ConsoleClient boss = as(OWNER);
        office.clock.advance(Duration.ofMinutes(20));
        assertThat(boss.get("/").status()).isEqualTo(200);
        office.clock.advance(Duration.ofMinutes(20));
        assertThat(boss.get("/").status()).as("20 minutes after the last request").isEqualTo(200);
        office.clock.advance(Duration.ofMinutes(31));
        assertThat(boss.get("/").status()).isEqualTo(303);
    }

    @Test
    void theStylesheetScriptsAndChartLibraryComeFromHeadOfficeItself() throws Exception {
        ConsoleClient visitor = client();
        for (String asset : List.of(Assets.CSS, Assets.JS, Assets.HTMX, Assets.ECHARTS)) {
            ConsoleClient.Reply r = visitor.get(asset);
            assertThat(r.status()).as(asset).isEqualTo(200);
            assertThat(r.bytes().length).as(asset).isGreaterThan(1000);
        }
        assertThat(as(OWNER).get("/").body()).doesNotContain("https://").contains(Assets.HTMX).contains(Assets.ECHARTS);
    }

    private static String link(String card) {
        return "href=\"/members/" + card + "\"";
    }

    private boolean terminalExists(String store, String terminal) {
        return terminalStatus(store, terminal) != null;
    }

    private String terminalStatus(String store, String terminal) {
        return office.jdbi().withHandle(h -> h.createQuery("SELECT status FROM terminal WHERE store_id = :s AND terminal_id = :t")
                .bind("s", store).bind("t", terminal).mapTo(String.class).findOne().orElse(null));
    }

    private String exceptionState(UUID id) {
        return office.jdbi().withHandle(h -> h.createQuery("SELECT state FROM sync_exception WHERE id = :id").bind("id", id)
                .mapTo(String.class).one());
    }

    private int auditCount(String action, String subject) {
        return office.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM console_audit WHERE action = :a AND subject = :s").bind("a", action).bind("s", subject)
                .mapTo(Integer.class).one());
    }

    private long feedLength() {
        return office.jdbi().withHandle(h -> h.createQuery("SELECT last_seq FROM feed_lock WHERE id = 1").mapTo(Long.class).one());
    }

    /** The first worksheet's XML of an .xlsx. */
    static String sheetXml(byte[] xlsx) throws IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("export", ".xlsx");
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(java.nio.file.Files.write(file, xlsx).toFile())) {
            StringBuilder all = new StringBuilder();
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (e.getName().startsWith("xl/worksheets/") || e.getName().equals("xl/sharedStrings.xml")) {
                    all.append(new String(zip.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            return all.toString();
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }
}
