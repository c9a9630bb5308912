package dev.counterpoint.office;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Bounds every request body as it is read. Javalin's own limit ({@code config.http.maxRequestSize}) only compares the
 * declared Content-Length, so a chunked body, which declares none, was read whole into memory: anyone could send
 * 300 MB to the unauthenticated registration and exhaust the heap. Here a declared length over the limit is refused
 * before anything is read, and the stream the handlers read fails with {@link TooLarge} one byte past the limit.
 *
 * <p>Head office never reads the rest. Jetty discards what the client is still sending, without keeping it, until the
 * client stops or the connection idles; the client thus gets the 413 instead of a reset in the middle of its upload.
 *
 * <p>A multipart body is refused (415) before it is read: no route takes one (the console's forms are URL-encoded, the
 * API's bodies JSON), and Javalin reads multipart parts from Jetty's own stream, past this filter's wrapper, spooling
 * file parts to disk before any handler could ask who is calling.
 */
final class RequestBodyLimit implements Filter {
    /** What one request may send: a push of 500 events is far below it. */
    static final long MAX_BYTES = 16L * 1024 * 1024;
    /** What a registration may send, before anyone is known: a code in a small JSON object. */
    static final long MAX_REGISTRATION_BYTES = 64L * 1024;
    /** What a console form may send: a rule set's text is the largest. */
    static final long MAX_CONSOLE_BYTES = 256L * 1024;

    static final String MULTIPART_REFUSAL = "multipart bodies are not taken";
    private static final byte[] MULTIPART_REFUSAL_BODY = errorBody(MULTIPART_REFUSAL);
    /** The API's own refusal of a body that is not JSON, as {@link JsonContentType} gives it. */
    private static final byte[] NOT_JSON_BODY = errorBody(JsonContentType.REFUSAL);

    private final long maxBytes;
    private final byte[] refusal;
    /** Paths starting with this are left to the other limits (null: none). */
    private final String except;

    RequestBodyLimit(long maxBytes) {
        this(maxBytes, null);
    }

    RequestBodyLimit(long maxBytes, String except) {
        this.maxBytes = maxBytes;
        this.except = except;
        this.refusal = errorBody(message(maxBytes));
    }

    private static byte[] errorBody(String message) {
        return ("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    static String message(long maxBytes) {
        return "the request body is larger than " + (maxBytes % (1024 * 1024) == 0 ? maxBytes / (1024 * 1024) + " MB"
                : maxBytes % 1024 == 0 ? maxBytes / 1024 + " KB" : maxBytes + " bytes");
    }

    /** The body went past the limit while it was read: head office answers 413 and closes the connection. */
    static final class TooLarge extends IOException {
        TooLarge(long maxBytes) {
            super(message(maxBytes));
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        if (except != null && http.getRequestURI().startsWith(except)) {
            chain.doFilter(request, response);
            return;
        }
        if (isMultipart(http.getContentType())) {
            refuse((HttpServletResponse) response, 415,
                    http.getRequestURI().startsWith("/v1/") ? NOT_JSON_BODY : MULTIPART_REFUSAL_BODY);
            return;
        }
        // getContentLengthLong: Javalin's check reads the int getContentLength, which is -1 for 2 GB and more.
        if (http.getContentLengthLong() > maxBytes) {
            refuse((HttpServletResponse) response, 413, refusal);
            return;
        }
        chain.doFilter(new Bounded(http), response);
    }

    static boolean isMultipart(String contentType) {
        return contentType != null && contentType.strip().regionMatches(true, 0, "multipart/", 0, "multipart/".length());
    }

    /** Answers without reading the body; the connection is closed, so what the client still sends is discarded. */
    private static void refuse(HttpServletResponse r, int status, byte[] body) throws IOException {
        r.setStatus(status);
        r.setHeader("Connection", "close");
        r.setContentType("application/json");
        r.setContentLength(body.length);
        r.getOutputStream().write(body);
    }

    private final class Bounded extends HttpServletRequestWrapper {
        private ServletInputStream stream;
        private BufferedReader reader;

        Bounded(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream(), maxBytes);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            if (reader == null) {
                String encoding = getCharacterEncoding();
                Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
                reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
            }
            return reader;
        }
    }

    /** Counts what is read and fails one byte past the limit, having asked the stream below for no more than that. */
    static final class LimitedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long maxBytes;
        private long read;

        LimitedStream(ServletInputStream in, long maxBytes) {
            this.in = in;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, (int) Math.min(len, maxBytes - read + 1));
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, maxBytes - read + 1));
            count(skipped);
            return skipped;
        }

        private void count(long n) throws TooLarge {
            read += n;
            if (read > maxBytes) {
                throw new TooLarge(maxBytes);
            }
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
