package dev.counterpoint.office;

import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;

/** The owner API against head office on in-memory H2 (one franchise's default). */
class OwnerApiTest extends OwnerApiContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    OfficeDatabase newDatabase() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:owner-api-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("office");
        ds.setPassword("");
        return OfficeDatabase.of(ds);
    }
}
