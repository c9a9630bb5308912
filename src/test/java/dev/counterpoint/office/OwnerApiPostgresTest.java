package dev.counterpoint.office;

import dev.counterpoint.testing.OfficePostgres;

/** The owner API against head office on a real PostgreSQL; a fresh database per test. */
class OwnerApiPostgresTest extends OwnerApiContract {
    @Override
    OfficeDatabase newDatabase() {
        return OfficePostgres.freshDatabase();
    }
}
