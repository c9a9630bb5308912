package dev.counterpoint.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Talks to head office's /v1 API over java.net.http. Every failure becomes a {@link SyncException} of the right kind. */
public final class OfficeClient {
    private final URI base;
    private final String credential;
    private final ObjectMapper json;
    private final HttpClient http;
    private final Duration timeout;

    public OfficeClient(URI base, String credential, ObjectMapper json, Duration timeout) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.credential = credential;
        this.json = json;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Exchanges a one-time code for the terminal's credential (the only call without one). */
    public JsonNode register(String code) {
        return send(post("v1/terminals/register", Map.of("code", code), false));
    }

    public JsonNode push(Object body) {
        return send(post("v1/sync/push", body, true));
    }

    /** A push whose body is already serialised, to be sent with {@link #pushAsync}. */
    public static final class PreparedPush {
        private final HttpRequest request;

        private PreparedPush(HttpRequest request) {
            this.request = request;
        }
    }

    /** Serialises a push body now, to send it later. */
    public PreparedPush preparePush(Object body) {
        return new PreparedPush(post("v1/sync/push", body, true));
    }

    /** As {@link #push}, without waiting: the reply (or the {@link SyncException} it comes to) when it is there. */
    public CompletableFuture<JsonNode> pushAsync(PreparedPush push) {
        return http.sendAsync(push.request, HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
                        if (cause instanceof IOException io) {
                            throw new SyncException(SyncException.Kind.UNREACHABLE, base + ": " + describe(io), 0, io);
                        }
                        throw new SyncException(SyncException.Kind.UNREACHABLE, base + ": " + cause, 0, cause);
                    }
                    return read(response);
                });
    }

    /** The reply of {@link #pushAsync}, waited for; its failure thrown as the {@link SyncException} it is. */
    public static JsonNode await(CompletableFuture<JsonNode> reply) {
        try {
            return reply.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncException(SyncException.Kind.UNREACHABLE, "interrupted", 0, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
            if (cause instanceof SyncException s) {
                throw s;
            }
            throw new SyncException(SyncException.Kind.UNREACHABLE, String.valueOf(cause), 0, cause);
        }
    }

    public JsonNode pull(long cursor, int limit) {
        return pull(cursor, limit, 0);
    }

    /** @param ownThrough this terminal's own changes numbered up to this come too (after a restore); 0 for none */
    public JsonNode pull(long cursor, int limit, long ownThrough) {
        return pull(cursor, limit, ownThrough, -1);
    }

    /** @param pending the events this terminal still has to send, for head office's console; negative: not said */
    public JsonNode pull(long cursor, int limit, long ownThrough, long pending) {
        return send(get("v1/sync/pull?cursor=" + cursor + "&limit=" + limit + (ownThrough > 0 ? "&own_through=" + ownThrough : "")
                + (pending >= 0 ? "&pending=" + pending : "")));
    }

    /** Asks head office to send this store the members' purchase history (on the change feed) from now on. */
    public JsonNode history(List<UUID> memberIds) {
        return send(post("v1/sync/history", Map.of("member_ids", memberIds.stream().map(UUID::toString).toList()), true));
    }

    /** The events head office holds from this terminal numbered after {@code afterSeq}. */
    public JsonNode held(long afterSeq, int limit) {
        return send(get("v1/sync/events?after_seq=" + afterSeq + "&limit=" + limit));
    }

    public JsonNode receipt(long throughSeq) {
        return send(get("v1/sync/receipt?through_seq=" + throughSeq));
    }

    /** Head office's copy of a checkout and the refunds made of it anywhere; empty when it holds no such receipt. */
    public java.util.Optional<JsonNode> checkout(String receiptNo) {
        try {
            return java.util.Optional.of(send(get("v1/sync/checkouts/"
                    + java.net.URLEncoder.encode(receiptNo, StandardCharsets.UTF_8).replace("+", "%20"))));
        } catch (SyncException e) {
            if (e.kind() == SyncException.Kind.FAILED && String.valueOf(e.getMessage()).endsWith("(HTTP 404)")) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    private HttpRequest post(String path, Object body, boolean authenticated) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("request is not serialisable", e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (authenticated) {
            b.header("Authorization", "Bearer " + credential);
        }
        return b.build();
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Authorization", "Bearer " + credential).GET().build();
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new SyncException(SyncException.Kind.UNREACHABLE, base + ": " + describe(e), 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncException(SyncException.Kind.UNREACHABLE, "interrupted", 0, e);
        }
        return read(response);
    }

    private JsonNode read(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (status == 429) {
            long wait = response.headers().firstValueAsLong("Retry-After").orElse(5);
            // Head office says why: busy with other stores' syncs, or too many wrong codes or keys from this address.
            throw new SyncException(SyncException.Kind.BUSY, errorOf(text, status).startsWith("HTTP ")
                    ? "head office is busy" : errorOf(text, status), wait, null);
        }
        if (status == 401 || status == 403) {
            throw new SyncException(SyncException.Kind.REFUSED, errorOf(text, status), 0, null);
        }
        if (status != 200 && status != 201) {
            throw new SyncException(SyncException.Kind.FAILED, errorOf(text, status), 0, null);
        }
        try {
            return json.readTree(text);
        } catch (IOException e) {
            // A reply cut off mid-way: as good as no reply.
            throw new SyncException(SyncException.Kind.UNREACHABLE, "incomplete reply from head office", 0, e);
        }
    }

    private String errorOf(String body, int status) {
        try {
            JsonNode n = json.readTree(body);
            if (n != null && n.hasNonNull("error")) {
                return n.get("error").asText() + " (HTTP " + status + ")";
            }
        } catch (IOException e) {
            // not JSON: the status says enough
        }
        return "HTTP " + status;
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
