package dev.counterpoint.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminalConfigTest {
    @TempDir
    Path dir;

    @Test
    void firstStartWritesDefaultsAndAStableKey() {
        TerminalConfig first = TerminalConfig.loadOrCreate(dir);
        TerminalConfig again = TerminalConfig.loadOrCreate(dir);

        assertThat(first.storeId()).isEqualTo("S001");
        assertThat(first.terminalId()).isEqualTo("T1");
        assertThat(first.wedgeMaxGapMillis()).isEqualTo(80);
        assertThat(first.wedgeMinLength()).isEqualTo(4);
        assertThat(first.phoneKey()).hasSize(32).isEqualTo(again.phoneKey());
        assertThat(first.installId()).matches("[0-9a-f-]{36}").isEqualTo(again.installId());
        assertThat(first.cardRange()).as("the whole in-store range, where new numbers are drawn").isEqualTo("29");
    }

    @Test
    void aCardRangeOutsideTheInStoreRangeOrOfNoDigitsIsRefused() throws Exception {
        TerminalConfig.loadOrCreate(dir);
        Path file = dir.resolve(TerminalConfig.FILE_NAME);
        String settings = Files.readString(file);
        Files.writeString(file, settings.replaceAll("card.range=\\d+", "card.range=2912"));
        assertThat(TerminalConfig.loadOrCreate(dir).cardRange()).isEqualTo("2912");

        for (String bad : new String[] {"6901", "29AB", "2912345678901", "2"}) {
            Files.writeString(file, settings.replaceAll("card.range=\\d+", "card.range=" + bad));
            assertThatThrownBy(() -> TerminalConfig.loadOrCreate(dir))
                    .isInstanceOf(TerminalConfig.InvalidConfigException.class)
                    .hasMessage(file + ": card.range must be the first 2 to 12 digits of the store's card numbers, "
                            + "starting with 29 (the in-store range), not \"" + bad + "\"");
        }
    }

    @Test
    void anInstallIdThatCouldLeadOutOfTheKeyFolderIsRefused() throws Exception {
        TerminalConfig.loadOrCreate(dir);
        Path file = dir.resolve(TerminalConfig.FILE_NAME);
        Files.writeString(file, Files.readString(file).replaceAll("install.id=[\\w-]+", "install.id=../../etc/x"));

        assertThatThrownBy(() -> TerminalConfig.loadOrCreate(dir))
                .isInstanceOf(TerminalConfig.InvalidConfigException.class)
                .hasMessageContaining("install.id must be 8-64 letters, digits or '-'");
    }

    @Test
    void aBadValueNamesTheFileAndTheKey() throws Exception {
        TerminalConfig.loadOrCreate(dir);
        Path file = dir.resolve(TerminalConfig.FILE_NAME);
        Files.writeString(file, Files.readString(file).replaceAll("wedge.maxGapMillis=\\d+", "wedge.maxGapMillis=fast"));

        assertThatThrownBy(() -> TerminalConfig.loadOrCreate(dir))
                .isInstanceOf(TerminalConfig.InvalidConfigException.class)
                .hasMessage(file + ": wedge.maxGapMillis must be a whole number above 0, not \"fast\"");
    }

    @Test
    void aDamagedPhoneKeyIsRefusedRatherThanReplaced() throws Exception {
        TerminalConfig.loadOrCreate(dir);
        Path file = dir.resolve(TerminalConfig.FILE_NAME);
        Files.writeString(file, Files.readString(file).replaceAll("phone.key=\\w+", "phone.key=zz"));

        assertThatThrownBy(() -> TerminalConfig.loadOrCreate(dir))
                .isInstanceOf(TerminalConfig.InvalidConfigException.class)
                .hasMessageContaining("phone.key must be at least 32 hexadecimal digits");
    }

    @Test
    void thePhoneKeyIsSealedOnceTheDataKeyExistsAndOpensWithItOnly() throws Exception {
        TerminalConfig first = TerminalConfig.loadOrCreate(dir);
        byte[] phoneKey = first.phoneKey();
        String hex = java.util.HexFormat.of().formatHex(phoneKey);
        Path file = dir.resolve(TerminalConfig.FILE_NAME);
        // before the first start makes the data key, the key is in the clear; no key is made by reading settings
        assertThat(Files.readString(file)).contains("phone.key=" + hex);
        DataKey dataKey = DataKey.of(first);
        assertThat(dataKey.file()).doesNotExist();

        dataKey.getOrCreate();
        TerminalConfig sealed = TerminalConfig.loadOrCreate(dir);

        assertThat(Files.readString(file)).doesNotContain(hex).contains("phone.key.sealed=sealed1\\:")
                .doesNotContain("phone.key=");
        assertThat(sealed.phoneKey()).isEqualTo(phoneKey);
        assertThat(TerminalConfig.loadOrCreate(dir).phoneKey()).isEqualTo(phoneKey);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        // altered: refused, never replaced by a new key
        String text = Files.readString(file);
        int at = text.indexOf("sealed1\\:") + 12;
        Files.writeString(file, text.substring(0, at) + (text.charAt(at) == 'A' ? 'B' : 'A') + text.substring(at + 1));
        assertThatThrownBy(() -> TerminalConfig.loadOrCreate(dir).phoneKey())
                .isInstanceOf(TerminalConfig.InvalidConfigException.class)
                .hasMessageContaining("phone.key.sealed was sealed under another data key than this data dir's, or altered");
        Files.writeString(file, text);

        // without the data key (a copy of the data dir on another account): the same refusal as the database's
        Files.delete(dataKey.file());
        assertThatThrownBy(() -> TerminalConfig.loadOrCreate(dir).phoneKey()).isInstanceOf(EncryptedH2.KeyMissingException.class);
        assertThat(Files.readString(file)).isEqualTo(text);
    }

    @Test
    void aPhoneKeyWrittenByRegistrationIsSealedAtOnce() throws Exception {
        TerminalConfig config = TerminalConfig.loadOrCreate(dir);
        DataKey.of(config).getOrCreate();
        String chainKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

        TerminalConfig.update(dir, java.util.Map.of("store.id", "S005", "phone.key", chainKey));

        assertThat(Files.readString(dir.resolve(TerminalConfig.FILE_NAME))).doesNotContain(chainKey);
        TerminalConfig after = TerminalConfig.loadOrCreate(dir);
        assertThat(after.storeId()).isEqualTo("S005");
        assertThat(java.util.HexFormat.of().formatHex(after.phoneKey())).isEqualTo(chainKey);
    }
}
