package dev.counterpoint.office.reminder;

import dev.counterpoint.office.reminder.ReminderChannel.Delivery;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message over HTTP with a bounded number of tries: a 5xx or 429 answer, a timeout or a refused connection is tried
 * again after a pause that doubles (or the Retry-After asked for, up to {@link #MAX_PAUSE}); any other answer is final.
 * Every try carries the same idempotency key. Redirects are not followed: the body holds a phone number, and a
 * redirect would send it where the owner did not say.
 */
final class HttpDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(HttpDelivery.class);
    static final int TRIES = 3;
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration MAX_PAUSE = Duration.ofSeconds(30);
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Waits between tries; tests record the pauses instead of taking them. */
    interface Pause {
        void sleep(Duration d) throws InterruptedException;
    }

    private final HttpClient client;
    private final Pause pause;
    private final Duration timeout;

    HttpDelivery(HttpClient client, Pause pause) {
        this(client, pause, TIMEOUT);
    }

    /** @param timeout how long one try waits for its answer */
    HttpDelivery(HttpClient client, Pause pause, Duration timeout) {
        this.client = client;
        this.pause = pause;
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Sends {@code request} until an answer is final or the tries run out. {@code judge} reads a 2xx answer (a gateway
     * may refuse in its body); other answers are judged here.
     */
    Delivery send(HttpRequest request, String what, Function<HttpResponse<String>, Delivery> judge) {
        String last = null;
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            Duration wait = FIRST_PAUSE.multipliedBy(1L << (attempt - 1));
            try {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                int status = r.statusCode();
                if (status >= 200 && status < 300) {
                    return judge.apply(r);
                }
                if (status != 429 && status < 500) {
                    return new Delivery.Failed(what + " answered HTTP " + status + excerpt(r.body()));
                }
                last = what + " answered HTTP " + status;
                wait = retryAfter(r).orElse(wait);
            } catch (HttpTimeoutException e) {
                last = what + " did not answer within " + timeout.toMillis() + " ms";
            } catch (ConnectException e) {
                last = "cannot connect to " + what;
            } catch (IOException e) {
                last = what + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Delivery.Failed(what + ": interrupted");
            }
            if (attempt < TRIES) {
                LOG.info("{}; trying again in {} s", last, wait.toSeconds());
                try {
                    pause.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Delivery.Failed(last + "; interrupted before trying again");
                }
            }
        }
        return new Delivery.Failed(last + " (" + TRIES + " tries)");
    }

    private static java.util.Optional<Duration> retryAfter(HttpResponse<String> r) {
        return r.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                long s = Long.parseLong(v.strip());
                return java.util.Optional.of(Duration.ofSeconds(Math.max(0, Math.min(s, MAX_PAUSE.toSeconds()))));
            } catch (NumberFormatException e) {
                return java.util.Optional.empty(); // an HTTP date: the doubling pause instead
            }
        });
    }

    /** A little of an error body, for the reason kept: control characters out, any long digit run masked. */
    static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String s = body.strip().replaceAll("\\p{Cntrl}", " ");
        s = s.length() > 120 ? s.substring(0, 120) + "…" : s;
        return ": " + Reminders.scrub(s);
    }
}
