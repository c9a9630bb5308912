package dev.counterpoint.office.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: Debian's chromium driven headless by chromium-driver (decision 0053). Signs in, reads
 * Today, opens a report (its chart drawn), finds a member and exports a table, counts and issues a campaign, and takes
 * a screenshot of every page in both languages ({@code target/console-screenshots}) without a script error or a blocked
 * resource on any of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target", "console-screenshots");

    private ConsoleFixture office;
    private WebDriver browser;
    private Path downloads;

    @BeforeAll
    void start() throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (!installed && System.getenv("CI") != null) {
            throw new IllegalStateException("CI needs chromium and chromium-driver (.ci/run installs them)");
        }
        Assumptions.assumeTrue(installed, "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        office = new ConsoleFixture();
        downloads = Files.createTempDirectory("console-downloads");
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1366,768", "--lang=en", "--no-first-run", "--disable-extensions");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false, "intl.accept_languages", "en"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (office != null) {
            office.close();
        }
    }

    @Test
    void theOwnerSignsInReadsTodayOpensAReportAndExportsATable() throws IOException {
        browser.get(office.base() + "/login");
        browser.manage().deleteAllCookies();
        browser.get(office.base() + "/");
        assertThat(browser.getCurrentUrl()).endsWith("/login");
        browser.findElement(By.name("username")).sendKeys(ConsoleFixture.OWNER);
        browser.findElement(By.name("password")).sendKeys(ConsoleFixture.PASSWORD);
        browser.findElement(By.cssSelector("form.login button[type=submit]")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("table-today-stores")));
        String today = browser.findElement(By.tagName("main")).getText();
        assertThat(today).contains("S001").contains("S002").contains("closed and confirmed").contains("closed, digest differs")
                .contains("Sales today").contains("¥100.00");
        shoot("today-en");
        // The libraries came from head office and run under its Content-Security-Policy.
        org.openqa.selenium.JavascriptExecutor js = (org.openqa.selenium.JavascriptExecutor) browser;
        assertThat(js.executeScript("return typeof htmx + ' ' + typeof echarts;")).isEqualTo("object object");
        assertThat(browser.findElement(By.id("today")).getAttribute("hx-trigger")).isEqualTo("every 30s");

        browser.findElement(By.linkText("Reports")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText("Last 7 days"))).click();
        wait.until(ExpectedConditions.urlContains("from="));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chart-daily svg")));
        assertThat(browser.findElement(By.id("table-report-stores")).getText()).contains("S001").contains("Chain");
        // The stores compared by another KPI, and the chart of the tiers drawn.
        browser.findElement(By.linkText("Repurchase rate")).click();
        wait.until(ExpectedConditions.urlContains("kpi=repurchaseRate"));
        for (String chart : List.of("chart-compare", "chart-tiers")) {
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#" + chart + " svg")));
        }
        browser.findElement(By.cssSelector("#table-report-stores th a.sort[href*='sort=amount']")).click();
        wait.until(ExpectedConditions.urlContains("sort=amount"));
        assertThat(browser.findElement(By.cssSelector("#table-report-stores tbody tr td")).getText()).isEqualTo("S002");

        browser.findElement(By.linkText("Members")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.name("q"))).sendKeys("建国");
        browser.findElement(By.cssSelector("form.search button")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText(ConsoleFixture.CARD_BOTH))).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("table-member-purchases")));
        assertThat(browser.findElement(By.id("table-member-purchases")).getText()).contains("S002-T1-000009");

        browser.findElement(By.cssSelector("#table-member-purchases .exports a[href$='csv'], #table-member-purchases .exports a[href*='.csv']"))
                .click();
        Path csv = waitForDownload(".csv");
        assertThat(Files.readString(csv)).contains("S002-T1-000009").contains("S001-T2-000004");
        assertThat(severeBrowserLogs()).isEmpty();
    }

    @Test
    void theOwnerCountsACampaignsMembersIssuesItAndReadsItsResults() throws IOException {
        signIn();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        browser.findElement(By.linkText("Campaigns")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.name("name"))).sendKeys("Browser spring");
        browser.findElement(By.name("title")).sendKeys("春季券");
        browser.findElement(By.name("amount")).sendKeys("8");
        browser.findElement(By.name("home_stores")).sendKeys("S002");
        browser.findElement(By.cssSelector(".campaign-form button[type=submit]")).click();
        assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.id("preview-count"))).getText())
                .isEqualTo("2 members match.");
        shoot("campaigns-en");
        browser.findElement(By.cssSelector(".campaign-form button.primary")).click();
        // The button asks first.
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chart-campaign, #table-campaign")));
        assertThat(browser.findElement(By.id("table-campaign")).getText()).contains("Issued 2");
        // A store redeems one of its coupons: the results chart the stores' redemptions.
        office.jdbi().useTransaction(h -> {
            String code = h.createQuery("SELECT c.code FROM coupon c JOIN campaign k ON k.id = c.campaign_id "
                    + "WHERE k.name = 'Browser spring' AND c.member_id = :m").bind("m", office.memberBoth).mapTo(String.class).one();
            java.util.UUID redemption = java.util.UUID.randomUUID();
            h.execute("INSERT INTO coupon_redemption(id, coupon_code, member_id, store_id, terminal_id, discount_fen, hlc, "
                    + "event_id, basket_fen) VALUES (?, ?, ?, 'S001', 'T1', 800, 10, ?, 6400)", redemption, code,
                    office.memberBoth, java.util.UUID.randomUUID());
            h.execute("INSERT INTO coupon_claim(coupon_code, redemption_id, hlc, event_id) VALUES (?, ?, 10, ?)", code,
                    redemption, java.util.UUID.randomUUID());
        });
        browser.navigate().refresh();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chart-campaign svg")));
        assertThat(browser.findElement(By.id("table-campaign-stores")).getText()).contains("S001").contains("¥64.00");
        shoot("campaign-en");
        assertThat(severeBrowserLogs()).isEmpty();
    }

    @Test
    void aCampaignsOwnTagThatNoMemberHoldsIsACautionBesideTheCount() throws IOException {
        signIn();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        browser.get(office.base() + "/campaigns");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.name("name"))).sendKeys("Nobody's tags");
        browser.findElement(By.name("title")).sendKeys("无人券");
        browser.findElement(By.name("amount")).sendKeys("5");
        browser.findElement(By.name("custom_tags")).sendKeys("无人用，也无人");
        browser.findElement(By.cssSelector(".campaign-form button[type=submit]")).click();
        WebElement caution = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("tags-held-by-none")));
        assertThat(caution.getText()).isEqualTo("No member holds these tags (yet): 无人用, 也无人. They are valid and select no one.");
        assertThat(caution.getAttribute("class")).isEqualTo("caution");
        // Those tags alone select no one: the count is a caution as well, in the same warning colour, not the green
        // of a count of members to issue to.
        WebElement count = browser.findElement(By.id("preview-count"));
        assertThat(count.getText()).isEqualTo("0 members match.");
        assertThat(count.getAttribute("class")).isEqualTo("caution");
        assertThat(caution.getCssValue("color")).as("the warning colour").isEqualTo(count.getCssValue("color"))
                .isNotEqualTo(browser.findElement(By.cssSelector("header, nav, body")).getCssValue("color"));
        assertThat(browser.findElements(By.cssSelector("button[formaction='/campaigns/create']"))).as("nothing to issue").isEmpty();
        shoot("campaigns-caution-en");
    }

    @Test
    void everyPageLooksRightInBothLanguagesAtTheCounterScreenAndOnATablet() throws IOException {
        signIn();
        List<String[]> pages = List.of(new String[] {"today", "/"},
                new String[] {"reports", "/reports?from=2026-03-01&to=2026-03-10"},
                new String[] {"reports-by-rate", "/reports?from=2026-03-01&to=2026-03-10&kpi=redemptionRate&sort=members&dir=desc"},
                new String[] {"terminals", "/terminals"},
                new String[] {"exceptions", "/exceptions?state=ALL"}, new String[] {"exception", "/exceptions/" + office.mergeS002},
                new String[] {"members", "/members?q=" + ConsoleClient.enc("王")},
                new String[] {"member", "/members/" + ConsoleFixture.CARD_BOTH}, new String[] {"rules", "/rules"},
                new String[] {"campaigns", "/campaigns"});
        for (String lang : List.of("en", "zh-CN")) {
            browser.get(office.base() + "/lang?to=" + lang + "&back=%2F");
            for (String[] page : pages) {
                browser.get(office.base() + page[1]);
                assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo(lang);
                assertThat(browser.findElements(By.cssSelector("p.error"))).as(page[1]).isEmpty();
                shoot(page[0] + "-" + lang);
            }
        }
        browser.manage().window().setSize(new Dimension(820, 1180));
        for (String[] page : List.of(pages.get(0), pages.get(1), pages.get(7))) {
            browser.get(office.base() + page[1]);
            shoot(page[0] + "-tablet");
            // Nothing wider than the window but the tables, which scroll inside their own box.
            Number overflow = (Number) ((org.openqa.selenium.JavascriptExecutor) browser)
                    .executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
            assertThat(overflow.intValue()).as(page[1] + " on a tablet").isLessThanOrEqualTo(0);
        }
        browser.manage().window().setSize(new Dimension(1366, 768));
        browser.get(office.base() + "/lang?to=en&back=%2F");
        assertThat(severeBrowserLogs()).isEmpty();
    }

    private void signIn() {
        browser.get(office.base() + "/login");
        if (!browser.getCurrentUrl().endsWith("/login")) {
            return;
        }
        browser.findElement(By.name("username")).sendKeys(ConsoleFixture.OWNER);
        WebElement password = browser.findElement(By.name("password"));
        password.sendKeys(ConsoleFixture.PASSWORD);
        password.submit();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("today")));
    }

    /** The whole page: the window is made as tall as the page for the shot, then put back. */
    private void shoot(String name) throws IOException {
        Dimension size = browser.manage().window().getSize();
        Number height = (Number) ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollHeight;");
        browser.manage().window().setSize(new Dimension(size.getWidth(), Math.min(4000, Math.max(size.getHeight(),
                height.intValue() + 150))));
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        browser.manage().window().setSize(size);
    }

    /** Script errors and resources the page could not load (a CSP refusal included). */
    private List<String> severeBrowserLogs() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    private Path waitForDownload(String suffix) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(downloads)) {
                List<Path> done = files.filter(p -> p.toString().endsWith(suffix)).toList();
                if (!done.isEmpty()) {
                    return done.get(0);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no " + suffix + " file was downloaded into " + downloads);
    }
}
