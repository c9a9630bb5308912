package dev.counterpoint.office;

import io.javalin.http.Context;
import java.nio.charset.Charset;
import java.util.Locale;

/**
 * Head office reads request bodies as JSON only, so it takes them only when they say so: {@code application/json},
 * with at most a charset the JVM knows. A form or text body is refused before it is read, and a web page cannot make
 * a browser send {@code application/json} to another site without a CORS preflight, which head office never answers.
 */
final class JsonContentType {
    static final String REFUSAL = "send the body as application/json";

    private JsonContentType() {}

    /** Route guard: a POST, PUT or PATCH that carries a body must carry JSON. */
    static void require(Context ctx) {
        String method = ctx.req().getMethod();
        boolean sendsBody = ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
        if (sendsBody && (method.equals("POST") || method.equals("PUT") || method.equals("PATCH"))
                && !isJson(ctx.header("Content-Type"))) {
            throw new OfficeException(415, REFUSAL);
        }
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].strip().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            int eq = parameter.indexOf('=');
            if (eq < 0 || !parameter.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("charset")
                    || !knownCharset(parameter.substring(eq + 1).strip())) {
                return false;
            }
        }
        return true;
    }

    /** A charset the JVM can decode. A quoted name is refused: Javalin, which decodes the body, does not unquote it. */
    private static boolean knownCharset(String name) {
        try {
            return Charset.isSupported(name);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
