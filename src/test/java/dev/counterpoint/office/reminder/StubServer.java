package dev.counterpoint.office.reminder;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A receiver on loopback (the JDK's HTTP server) that keeps every request and answers from a queue of scripted answers,
 * the last one repeated: a webhook receiver or an SMS gateway, as the test says.
 */
final class StubServer implements AutoCloseable {
    record Request(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    record Answer(int status, String body, Map<String, String> headers, long delayMillis) {
        Answer(int status, String body, Map<String, String> headers) {
            this(status, body, headers, 0);
        }

        static Answer of(int status, String body) {
            return new Answer(status, body, Map.of());
        }

        /** An answer that comes after the caller has stopped waiting for it. */
        static Answer late(int status, long delayMillis) {
            return new Answer(status, "", Map.of(), delayMillis);
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Answer> answers = new ArrayDeque<>();
    private final HttpServer server;

    StubServer(Answer... script) {
        answers.addAll(List.of(script));
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> { // a late answer holds up no other
                Thread t = new Thread(r, "stub-receiver");
                t.setDaemon(true);
                return t;
            }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            Answer a;
            synchronized (answers) {
                a = answers.size() > 1 ? answers.poll() : answers.peek();
            }
            if (a.delayMillis() > 0) {
                try {
                    Thread.sleep(a.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
            a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
            exchange.close();
        });
        server.start();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
