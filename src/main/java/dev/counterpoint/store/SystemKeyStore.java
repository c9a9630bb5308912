package dev.counterpoint.store;

import com.github.javakeyring.BackendNotSupportedException;
import com.github.javakeyring.Keyring;
import com.github.javakeyring.PasswordAccessException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operating system's store for a user's secrets, through java-keyring (decision 0041): the Windows Credential
 * Manager (protected by DPAPI under the user's logon), the macOS Keychain, or the Secret Service of a Linux desktop
 * session (GNOME Keyring, KWallet). A data key is kept there as hexadecimal text, service {@value #SERVICE}, account
 * the key's name.
 */
public interface SystemKeyStore {
    String SERVICE = "Counterpoint";

    /** What the store is, for messages: "Windows Credential Manager". */
    String describe();

    /** The secret under this name, empty when there is none. */
    Optional<String> read(String name) throws KeyStoreException;

    void write(String name, String secret) throws KeyStoreException;

    /** The store could not be reached or refused the operation. */
    final class KeyStoreException extends Exception {
        public KeyStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * This user's store, when there is one to use: on Windows and macOS always; on Linux only inside a desktop session
     * (a session bus), since a till started headless or as a service has none, and then keys stay in the key folder.
     * A store that does not answer within a few seconds (a locked keyring waiting on a prompt nobody sees) is not used.
     */
    static Optional<SystemKeyStore> forThisUser() {
        return forSystem(System.getProperty("os.name"), System.getenv());
    }

    static Optional<SystemKeyStore> forSystem(String osName, Map<String, String> env) {
        String os = osName.toLowerCase(Locale.ROOT);
        boolean sessionBus = !env.getOrDefault("DBUS_SESSION_BUS_ADDRESS", "").isBlank();
        if (!os.contains("win") && !os.contains("mac") && !sessionBus) {
            return Optional.empty();
        }
        CompletableFuture<Keyring> opening = CompletableFuture.supplyAsync(() -> {
            try {
                return Keyring.create();
            } catch (BackendNotSupportedException e) {
                return null;
            }
        });
        try {
            Keyring keyring = opening.get(5, TimeUnit.SECONDS);
            return Optional.ofNullable(keyring).map(JavaKeyring::new);
        } catch (TimeoutException | ExecutionException e) {
            LoggerFactory.getLogger(SystemKeyStore.class).warn("the system key store did not answer; keys stay in the key folder", e);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** java-keyring's store. */
    final class JavaKeyring implements SystemKeyStore {
        private static final Logger LOG = LoggerFactory.getLogger(JavaKeyring.class);
        private final Keyring keyring;

        JavaKeyring(Keyring keyring) {
            this.keyring = keyring;
        }

        @Override
        public String describe() {
            return switch (keyring.getKeyringStorageType()) {
                case WINDOWS_CREDENTIAL_STORE -> "the Windows Credential Manager";
                case OSX_KEYCHAIN, LEGACY_OSX_KEYCHAIN -> "the macOS Keychain";
                case GNOME_KEYRING -> "the Secret Service (GNOME Keyring)";
                case KWALLET -> "KWallet";
            };
        }

        @Override
        public Optional<String> read(String name) throws KeyStoreException {
            try {
                return Optional.ofNullable(keyring.getPassword(SERVICE, name)).filter(s -> !s.isBlank());
            } catch (PasswordAccessException e) {
                // java-keyring says "not found" and "not reachable" alike; the caller knows whether a key should be there
                LOG.info("{} has no readable key {}/{}: {}", describe(), SERVICE, name, e.getMessage());
                return Optional.empty();
            } catch (RuntimeException e) {
                throw new KeyStoreException(describe() + " cannot be read: " + e.getMessage(), e);
            }
        }

        @Override
        public void write(String name, String secret) throws KeyStoreException {
            try {
                keyring.setPassword(SERVICE, name, secret);
            } catch (PasswordAccessException | RuntimeException e) {
                throw new KeyStoreException(describe() + " refused the key " + SERVICE + "/" + name + ": " + e.getMessage(), e);
            }
        }
    }
}
