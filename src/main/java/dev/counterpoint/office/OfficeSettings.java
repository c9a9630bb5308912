package dev.counterpoint.office;

import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Head office's named settings (table {@code office_setting}); secret ones are sealed by their owners ({@link SettingSeal}). */
final class OfficeSettings {
    private OfficeSettings() {}

    static Optional<String> find(Handle h, String name) {
        return h.createQuery("SELECT setting_value FROM office_setting WHERE name = :n").bind("n", name)
                .mapTo(String.class).findOne();
    }

    static void insert(Handle h, String name, String value) {
        h.createUpdate("INSERT INTO office_setting(name, setting_value) VALUES (:n, :v)").bind("n", name).bind("v", value)
                .execute();
    }

    static void delete(Handle h, String name) {
        h.createUpdate("DELETE FROM office_setting WHERE name = :n").bind("n", name).execute();
    }
}
