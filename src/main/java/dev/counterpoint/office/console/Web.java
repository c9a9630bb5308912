package dev.counterpoint.office.console;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What every console handler does with a request: who asks, in which language, and how a page or export answers. */
final class Web {
    static final String VIEWER = "console.viewer";
    static final String TEXTS = "console.texts";
    static final String CSRF = "console.csrf";
    static final String TOKEN_HASH = "console.tokenHash";

    private Web() {}

    /** The signed-in viewer; the console's guard has let only signed-in requests this far. */
    static Viewer viewer(Context ctx) {
        Viewer v = ctx.attribute(VIEWER);
        if (v == null) {
            throw new IllegalStateException("no viewer on a console route");
        }
        return v;
    }

    static Texts texts(Context ctx) {
        return ctx.attribute(TEXTS);
    }

    /** The layout's model for this request; {@code path} is where the language switch comes back to. */
    static Page page(Context ctx, String nav, String path) {
        return new Page(texts(ctx), ctx.attribute(VIEWER), ctx.attribute(CSRF), nav, path);
    }

    /** The layout's model, coming back to this very address after a language switch. */
    static Page page(Context ctx, String nav) {
        String query = ctx.queryString();
        return page(ctx, nav, ctx.path() + (query == null || query.isEmpty() ? "" : "?" + query));
    }

    static void render(Context ctx, String template, Object... namesAndValues) {
        Map<String, Object> model = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            model.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        ctx.render(template, model);
    }

    /** A table as {@code csv} or {@code xlsx}, named after it and the day. */
    static void export(Context ctx, Table table, String format, String fileStem) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String type;
        if ("csv".equals(format)) {
            TableExport.csv(table, texts(ctx), out);
            type = "text/csv; charset=utf-8";
        } else if ("xlsx".equals(format)) {
            TableExport.xlsx(table, texts(ctx), out);
            type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        } else {
            throw new ConsoleException(404, "console.error.notFound");
        }
        String name = fileStem + "." + format;
        ctx.header("Content-Disposition", "attachment; filename=\"" + name.replaceAll("[^A-Za-z0-9._-]", "_")
                + "\"; filename*=UTF-8''" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
        ctx.contentType(type).result(out.toByteArray());
    }

    /**
     * The one check of a store against the viewer, made for every {@code store} a request names (the guard checks
     * the query's, handlers a form's): a manager may name only their own store.
     */
    static void requireStore(Viewer viewer, String store) {
        if (store != null && !viewer.maySee(store)) {
            throw new ConsoleException(403, "console.error.otherStore", store);
        }
    }

    /** A form field, stripped; null when absent or blank. */
    static String form(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    static String query(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** A path within the console to come back to: "/" and "/x…", never "//host" or an absolute address. */
    static String localPath(String path) {
        if (path == null || path.isEmpty() || path.length() > 500 || !path.startsWith("/") || path.startsWith("//")
                || path.startsWith("/\\") || path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "/";
        }
        return path;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
