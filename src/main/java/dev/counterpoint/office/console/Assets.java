package dev.counterpoint.office.console;

/**
 * Where the console's own stylesheet and script, and the webjars' htmx and ECharts, are served: by head office itself,
 * never a CDN (decision 0050). The versions are the webjars' in pom.xml; a test fetches each.
 */
public final class Assets {
    public static final String HTMX = "/webjars/htmx.org/2.0.4/dist/htmx.min.js";
    public static final String ECHARTS = "/webjars/echarts/5.3.1/dist/echarts.min.js";
    public static final String CSS = "/static/console.css";
    public static final String JS = "/static/console.js";
    /** The classpath folder served under /static. */
    static final String STATIC_DIR = "/dev/counterpoint/office/console/static";

    private Assets() {}
}
