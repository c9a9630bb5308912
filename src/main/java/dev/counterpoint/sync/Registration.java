package dev.counterpoint.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.store.FixtureMark;
import dev.counterpoint.store.TerminalConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Registers this terminal with head office: the one-time code is exchanged for the terminal's credential,
 * its store and terminal ids, and the chain's phone key (so one phone hashes alike at every store).
 */
public final class Registration {
    private Registration() {}

    public record Registered(String storeId, String terminalId) {
    }

    /**
     * @param jdbi the terminal's database, checked for phone hashes made with another key (those would become
     *             unsearchable, so such a terminal is refused before the code is spent)
     */
    public static Registered register(Path dataDir, Jdbi jdbi, TerminalConfig config, URI office, String code, ObjectMapper json) {
        if (FixtureMark.isScaleData(jdbi)) {
            throw new SyncException(SyncException.Kind.SCALE_FIXTURE, dataDir.toString(), 0, null);
        }
        long hashedPhones = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM member WHERE phone_hmac IS NOT NULL")
                .mapTo(Long.class).one());
        boolean registeredBefore = SyncSettings.load(dataDir).isPresent();
        if (hashedPhones > 0 && !registeredBefore) {
            throw new SyncException(SyncException.Kind.REFUSED, "this terminal already holds " + hashedPhones
                    + " members' phones hashed with its own key; register a terminal before enrolling or importing members", 0, null);
        }
        JsonNode reply = new OfficeClient(office, null, json, Duration.ofSeconds(15)).register(code);
        String phoneKey = reply.path("phone_key").asText();
        if (hashedPhones > 0 && !phoneKey.equalsIgnoreCase(HexFormat.of().formatHex(config.phoneKey()))) {
            throw new SyncException(SyncException.Kind.REFUSED, "head office uses another phone key than the members here; "
                    + "this data dir belongs to another head office", 0, null);
        }
        String store = reply.path("store_id").asText();
        String terminal = reply.path("terminal_id").asText();
        TerminalConfig.update(dataDir, Map.of("store.id", store, "terminal.id", terminal, "phone.key", phoneKey));
        new SyncSettings(office, reply.path("credential").asText()).save(dataDir);
        return new Registered(store, terminal);
    }
}
