package dev.counterpoint.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a data key is kept: the system key store when there is one, else the key folder (decision 0041). */
class DataKeyTest {
    @TempDir
    Path tmp;

    /** A system key store in memory, as the Credential Manager or the Keychain behaves for these calls. */
    static final class MemoryStore implements SystemKeyStore {
        final Map<String, String> entries = new HashMap<>();
        boolean refuses;

        @Override
        public String describe() {
            return "the test key store";
        }

        @Override
        public Optional<String> read(String name) {
            return Optional.ofNullable(entries.get(name));
        }

        @Override
        public void write(String name, String secret) throws KeyStoreException {
            if (refuses) {
                throw new KeyStoreException("the test key store is locked", null);
            }
            entries.put(name, secret);
        }
    }

    @Test
    void aNewKeyGoesToTheSystemStoreWithANoteInTheKeyFolderAndNoKeyFile() {
        MemoryStore store = new MemoryStore();
        Path file = tmp.resolve("keys/install-1.key");
        byte[] made = new DataKey(file, () -> Optional.of(store)).getOrCreate();

        assertThat(store.entries).containsEntry("install-1", HexFormat.of().formatHex(made));
        assertThat(file).doesNotExist();
        DataKey again = new DataKey(file, () -> Optional.of(store));
        assertThat(again.note()).exists();
        assertThat(again.existing()).hasValueSatisfying(k -> assertThat(k).isEqualTo(made));
        assertThat(again.where()).isEqualTo("the test key store (Counterpoint/install-1)");
    }

    @Test
    void aStoreThatRefusesLeavesTheKeyInTheKeyFolderOwnerOnly() throws Exception {
        MemoryStore store = new MemoryStore();
        store.refuses = true;
        Path file = tmp.resolve("keys/install-2.key");
        byte[] made = new DataKey(file, () -> Optional.of(store)).getOrCreate();

        assertThat(store.entries).isEmpty();
        assertThat(Files.readString(file).strip()).isEqualTo(HexFormat.of().formatHex(made));
        assertThat(new DataKey(file).note()).doesNotExist();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aKeyFileAlreadyThereIsUsedEvenWhereThereIsASystemStore() {
        Path file = tmp.resolve("keys/install-3.key");
        byte[] earlier = new DataKey(file).getOrCreate();
        MemoryStore store = new MemoryStore();

        assertThat(new DataKey(file, () -> Optional.of(store)).getOrCreate()).isEqualTo(earlier);
        assertThat(store.entries).isEmpty();
    }

    @Test
    void aKeyNotedInAStoreThisProcessCannotReachIsSaidSoNotTakenForMissing() throws Exception {
        MemoryStore store = new MemoryStore();
        Path dir = tmp.resolve("store");
        DataKey withStore = new DataKey(tmp.resolve("keys/install-4.key"), () -> Optional.of(store));
        Database.open(dir, withStore).close();
        DataKey headless = new DataKey(tmp.resolve("keys/install-4.key"), Optional::empty);

        assertThatThrownBy(headless::existing).isInstanceOf(DataKey.UnreachableException.class);
        assertThatThrownBy(() -> Database.open(dir, headless))
                .isInstanceOf(EncryptedH2.KeyMissingException.class)
                .hasMessageStartingWith("the database is encrypted and its key is kept in the system key store (Counterpoint/install-4")
                .hasMessageContaining("data-key --export").hasMessageContaining(tmp.resolve("keys/install-4.key").toString());
        store.entries.clear(); // the entry deleted from the store
        assertThatThrownBy(() -> Database.open(dir, new DataKey(tmp.resolve("keys/install-4.key"), () -> Optional.of(store))))
                .isInstanceOf(EncryptedH2.KeyMissingException.class).hasMessageContaining("no entry Counterpoint/install-4");
    }

    @Test
    void aHeadlessLinuxTillHasNoSystemStoreAndAnExplicitKeyFolderIsFilesOnly() {
        assertThat(SystemKeyStore.forSystem("Linux", Map.of())).isEmpty();
        assertThat(SystemKeyStore.forSystem("Linux", Map.of("DBUS_SESSION_BUS_ADDRESS", " "))).isEmpty();
        assertThat(DataDir.keyDirChosen()).isTrue(); // the build sets counterpoint.keyDir
        DataKey named = DataKey.named("install-" + System.nanoTime());
        named.getOrCreate();
        assertThat(named.file()).exists();
        assertThat(named.note()).doesNotExist();
        assertThat(named.where().toLowerCase(Locale.ROOT)).doesNotContain("store");
    }
}
