package dev.counterpoint.office.reminder;

import dev.counterpoint.office.OfficeDatabase;

/** Reminders on head office's default database, an H2 (here in memory). */
class RemindersH2Test extends RemindersContract {
    @Override
    OfficeDatabase newDatabase() {
        return ReminderFixture.h2();
    }
}
