package dev.counterpoint.office.reminder;

import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.testing.OfficePostgres;

/** Reminders on a chain's head office: a real PostgreSQL, a fresh database per test. */
class RemindersPostgresTest extends RemindersContract {
    @Override
    OfficeDatabase newDatabase() {
        return OfficePostgres.freshDatabase();
    }
}
