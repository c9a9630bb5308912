package dev.counterpoint.office.reminder;

import dev.counterpoint.protocol.ConsentChannel;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where reminders go, as the owner writes it: {@code file:PATH} (JSON lines), {@code webhook:URL} (a JSON POST) or
 * {@code sms:URL} (an SMS gateway of the Yunpian {@code single_send} shape). Every part is checked here, before anything
 * is read or sent, and a refusal says what was expected.
 */
public record ChannelSpec(Kind kind, Path file, URI url) {
    /** The channels; each needs the consent of its medium unless the owner names another for file and webhook. */
    public enum Kind {
        FILE(ConsentChannel.MARKETING_SMS),
        WEBHOOK(ConsentChannel.MARKETING_SMS),
        SMS(ConsentChannel.MARKETING_SMS);

        private final ConsentChannel consent;

        Kind(ConsentChannel consent) {
            this.consent = consent;
        }

        public ConsentChannel defaultConsent() {
            return consent;
        }

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final int MAX_SPEC = 2000;

    public static ChannelSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("a channel is file:PATH, webhook:URL or sms:URL");
        }
        if (spec.length() > MAX_SPEC || spec.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the channel is too long or holds control characters");
        }
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : spec.substring(colon + 1);
        return switch (kind) {
            case "file" -> new ChannelSpec(Kind.FILE, file(rest), null);
            case "webhook" -> new ChannelSpec(Kind.WEBHOOK, null, url(rest, "webhook"));
            case "sms" -> new ChannelSpec(Kind.SMS, null, url(rest, "sms"));
            default -> throw new IllegalArgumentException("unknown channel \"" + (kind.length() > 40 ? kind.substring(0, 40) + "…" : kind)
                    + "\": a channel is file:PATH, webhook:URL or sms:URL");
        };
    }

    /** {@code sms} or {@code wechat}: the marketing consent a member must have given for the message. */
    public static ConsentChannel consent(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "sms" -> ConsentChannel.MARKETING_SMS;
            case "wechat" -> ConsentChannel.MARKETING_WECHAT;
            default -> throw new IllegalArgumentException("consent must be sms or wechat, not \"" + name + "\"");
        };
    }

    /** The consent's medium as messages name it: {@code sms} or {@code wechat}. */
    public static String medium(ConsentChannel consent) {
        return switch (consent) {
            case MARKETING_SMS -> "sms";
            case MARKETING_WECHAT -> "wechat";
            case PRIVACY_NOTICE -> throw new IllegalArgumentException("the privacy notice is not a marketing consent");
        };
    }

    private static Path file(String path) {
        if (path.isBlank()) {
            throw new IllegalArgumentException("file: needs a path, e.g. file:/var/lib/counterpoint/reminders.jsonl");
        }
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("file:" + path + " is not a path here (" + e.getReason() + ")");
        }
    }

    /**
     * An absolute http(s) URL with a host, no user name or password in it (it would be logged), and https unless the
     * receiver is on this machine: the message carries the member's full phone number.
     */
    private static URI url(String text, String kind) {
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(kind + ": \"" + text + "\" is not a URL (" + e.getReason() + ")");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException(kind + ": the URL must start with https:// (or http:// on this machine), not \""
                    + text + "\"");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new IllegalArgumentException(kind + ": the URL names no host: \"" + text + "\"");
        }
        if (u.getRawUserInfo() != null) {
            throw new IllegalArgumentException(kind + ": a user name or password in the URL would be written to logs; "
                    + "give the secret with --secret-file or COUNTERPOINT_REMINDER_SECRET");
        }
        if (u.getRawFragment() != null) {
            throw new IllegalArgumentException(kind + ": the URL may not have a #fragment");
        }
        if (scheme.equals("http") && !isLoopback(u.getHost())) {
            throw new IllegalArgumentException(kind + ": plain http:// to " + u.getHost() + " would carry members' phone "
                    + "numbers unencrypted; use https:// (http:// is accepted for localhost only)");
        }
        return u;
    }

    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        // An address, not a name that starts like one (127.example.com is anywhere).
        return h.equals("localhost") || h.equals("[::1]") || h.equals("::1") || h.matches("127(\\.\\d{1,3}){3}");
    }

    /** The spec as it may be shown and logged: the URL without its query, which may hold a key. */
    public String shown() {
        return switch (kind) {
            case FILE -> "file:" + file;
            case WEBHOOK, SMS -> kind.wire() + ":" + url.getScheme() + "://" + url.getRawAuthority()
                    + (url.getRawPath() == null ? "" : url.getRawPath()) + (url.getRawQuery() == null ? "" : "?…");
        };
    }
}
