package dev.counterpoint.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.member.PhoneBoxKeys;
import dev.counterpoint.member.PhoneSeal;
import dev.counterpoint.member.Phones;
import dev.counterpoint.protocol.PhoneBox;
import dev.counterpoint.protocol.ProtocolException;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.store.DataKey;
import dev.counterpoint.store.TerminalConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers this terminal with head office: the one-time code is exchanged for the terminal's credential,
 * its store and terminal ids, and the chain's phone key (so one phone hashes alike at every store).
 *
 * <p>A store that ran alone first (decision 0038) joins: its phones, kept sealed, are hashed again with the chain's
 * key, and what it made under the ids it ran alone with is stamped with the registered ones. The reply comes only
 * once, so it is saved ({@link PendingRegistration}) before anything is changed by it; the re-key is one transaction,
 * applied once; then the settings are written and the saved reply deleted. A terminal stopped anywhere in between
 * finishes at its next start ({@link #completePending}), before anything reads its settings.
 */
public final class Registration {
    private static final Logger LOG = LoggerFactory.getLogger(Registration.class);
    private Registration() {}

    /**
     * @param phonesRekeyed members whose phone now carries the chain's hash
     * @param phonesCleared members whose phone could not be unsealed, now without a hash (mask and last 4 kept)
     * @param eventsRewritten unsent events that took the new hashes or ids
     */
    public record Registered(String storeId, String terminalId, URI office, long phonesRekeyed, long phonesCleared,
                             long eventsRewritten) {
    }

    /**
     * Some members' phones cannot be hashed with the chain's key: they were stored before phones were kept sealed, or the
     * data key that sealed them is missing or another one. Thrown before the code is spent.
     */
    public static final class UnkeyedPhonesException extends RuntimeException {
        private final long members;
        private final Path keyFile;

        UnkeyedPhonesException(long members, Path keyFile) {
            super(members + " members' phones cannot be re-keyed (data key " + keyFile + ")");
            this.members = members;
            this.keyFile = keyFile;
        }

        public long members() {
            return members;
        }

        public UserMessage userMessage() {
            return new UserMessage("register.error.unkeyedPhones", members, keyFile.toString());
        }
    }

    /** Points where a test stops the process as if it were killed there. */
    enum Step { REPLY_SAVED, REKEYED }

    @FunctionalInterface
    interface Checkpoint {
        Checkpoint NONE = step -> { };

        void reached(Step step);
    }

    /**
     * @param jdbi the terminal's database: its phones are re-keyed with the chain's key when it registers for the first
     *             time; a terminal registered before keeps them and must be given the same key
     * @param dropUnkeyedPhones go ahead when some phones cannot be re-keyed, clearing their hashes
     * @throws UnkeyedPhonesException before the code is spent, when phones cannot be re-keyed and that was not allowed
     */
    public static Registered register(Path dataDir, Jdbi jdbi, TerminalConfig config, URI office, String code, ObjectMapper json,
                                      boolean dropUnkeyedPhones) {
        return register(dataDir, jdbi, config, office, code, json, dropUnkeyedPhones, Checkpoint.NONE);
    }

    static Registered register(Path dataDir, Jdbi jdbi, TerminalConfig config, URI office, String code, ObjectMapper json,
                               boolean dropUnkeyedPhones, Checkpoint checkpoint) {
        boolean registeredBefore = SyncSettings.exists(dataDir);
        PhoneSeal seal = new PhoneSeal(DataKey.of(config));
        JoinRewrite.Survey survey = jdbi.withHandle(h -> JoinRewrite.survey(h, seal));
        if (!registeredBefore && survey.unkeyed() > 0 && !dropUnkeyedPhones) {
            throw new UnkeyedPhonesException(survey.unkeyed(), seal.keyFile());
        }
        JsonNode reply = new OfficeClient(office, null, json, Duration.ofSeconds(15)).register(code);
        String phoneKey = reply.path("phone_key").asText();
        if (registeredBefore && survey.hashed() > 0 && !phoneKey.equalsIgnoreCase(HexFormat.of().formatHex(config.phoneKey()))) {
            // Its events already at the other head office name members this one has never seen.
            throw new SyncException(SyncException.Kind.REFUSED, "head office uses another phone key than the members here; "
                    + "this data dir belongs to another head office", 0, null);
        }
        PendingRegistration pending = new PendingRegistration(UUID.randomUUID(), office, reply.path("credential").asText(),
                reply.path("store_id").asText(), reply.path("terminal_id").asText(), phoneKey, config.storeId(),
                config.terminalId(), !registeredBefore, phoneBoxKey(reply));
        pending.save(dataDir);
        checkpoint.reached(Step.REPLY_SAVED);
        return complete(dataDir, jdbi, config, pending, json, checkpoint);
    }

    /**
     * Head office's phone-box key from its reply, if it is one: the code is spent by now, so a key that is not one is
     * left out (the change feed brings it again) rather than refused.
     */
    private static String phoneBoxKey(JsonNode reply) {
        String key = reply.path("phone_box_key").asText(null);
        if (key == null) {
            return null;
        }
        try {
            PhoneBox.publicKey(key);
            return key;
        } catch (ProtocolException e) {
            LOG.warn("head office's registration reply carries a phone-box key that is not one: {}", e.getMessage());
            return null;
        }
    }

    /**
     * Finishes a registration that was stopped after head office replied; called at every start before the settings
     * are read. Empty when there was none.
     */
    public static Optional<Registered> completePending(Path dataDir, Jdbi jdbi, ObjectMapper json) {
        return PendingRegistration.load(dataDir)
                .map(p -> complete(dataDir, jdbi, TerminalConfig.loadOrCreate(dataDir), p, json, Checkpoint.NONE));
    }

    private static Registered complete(Path dataDir, Jdbi jdbi, TerminalConfig config, PendingRegistration p, ObjectMapper json,
                                       Checkpoint checkpoint) {
        JoinRewrite.Result result = JoinRewrite.Result.NOTHING;
        PhoneBoxKeys boxKeys = new PhoneBoxKeys();
        if (p.phoneBoxKey() != null) {
            jdbi.useTransaction(h -> boxKeys.insert(h, p.phoneBoxKey(), OffsetDateTime.now(ZoneOffset.UTC)));
        }
        if (p.joining()) {
            PhoneSeal seal = new PhoneSeal(DataKey.of(config));
            Phones chain = new Phones(HexFormat.of().parseHex(p.phoneKeyHex()));
            result = jdbi.inTransaction(h -> JoinRewrite.applyOnce(h, p.id(), seal, chain, boxKeys.latest(h),
                    new JoinRewrite.Identity(p.previousStore(), p.previousTerminal()),
                    new JoinRewrite.Identity(p.storeId(), p.terminalId()), json));
        }
        checkpoint.reached(Step.REKEYED);
        TerminalConfig.update(dataDir, Map.of("store.id", p.storeId(), "terminal.id", p.terminalId(), "phone.key", p.phoneKeyHex()));
        new SyncSettings(p.officeUrl(), p.credential()).save(dataDir);
        PendingRegistration.delete(dataDir);
        return new Registered(p.storeId(), p.terminalId(), p.officeUrl(), result.rekeyed(), result.cleared(), result.events());
    }
}
