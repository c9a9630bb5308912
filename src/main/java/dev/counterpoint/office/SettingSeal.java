package dev.counterpoint.office;

import dev.counterpoint.store.DataKey;
import dev.counterpoint.store.SealedText;

/**
 * A secret setting of head office (the chain's phone key) sealed under the office's key (decision 0040,
 * {@link SealedText}), so the database, its dumps and backups do not hold it in the clear. The setting's name is
 * authenticated with it: a sealed value moved to another setting does not open.
 */
public final class SettingSeal {
    private final SealedText sealed;

    public SettingSeal(DataKey dataKey) {
        this.sealed = new SealedText(dataKey, "counterpoint office setting seal v1");
    }

    static boolean isSealed(String stored) {
        return SealedText.isSealed(stored);
    }

    String seal(String name, String value) {
        return sealed.seal(where(name), value);
    }

    /** The value; an {@link IllegalStateException} naming the key when this office's key did not seal it. */
    String unseal(String name, String stored) {
        return sealed.unseal(where(name), stored).orElseThrow(() -> new IllegalStateException("head office's " + name
                + " was sealed under another office key than " + sealed.dataKey().where() + ": put back the key this office"
                + " made (every node of a chain needs the same one, and the same install.id in office.properties)"));
    }

    private static String where(String name) {
        return "office_setting:" + name;
    }
}
