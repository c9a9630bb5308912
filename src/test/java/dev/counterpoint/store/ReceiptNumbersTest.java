package dev.counterpoint.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class ReceiptNumbersTest {
    private static final String ALL = "classpath:" + Database.MIGRATIONS;

    @Test
    void aStoreThatNumberedReceiptsBySequenceGoesOnFromItsLastNumber() throws Exception {
        String url = "jdbc:h2:mem:receipt-numbers-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(url)) {
            Flyway.configure().dataSource(url, "", "").locations(ALL).target("33").load().migrate();
            try (var s = c.createStatement()) {
                for (int i = 0; i < 41; i++) {
                    s.execute("SELECT NEXT VALUE FOR receipt_seq");
                }
            }

            Flyway.configure().dataSource(url, "", "").locations(ALL).load().migrate();

            Jdbi jdbi = Jdbi.create(url);
            assertThat(jdbi.inTransaction(ReceiptNumbers::next)).isEqualTo(42);
            assertThat(jdbi.inTransaction(ReceiptNumbers::next)).isEqualTo(43);
        }
    }

    @Test
    void aNumberTakenByATransactionThatRollsBackIsTakenAgainAndARestoreMovesTheCounterOnlyForward() throws Exception {
        String url = "jdbc:h2:mem:receipt-numbers-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        try (Connection keep = DriverManager.getConnection(url)) {
            Flyway.configure().dataSource(url, "", "").locations(ALL).load().migrate();
            Jdbi jdbi = Jdbi.create(url);
            assertThat(jdbi.inTransaction(ReceiptNumbers::next)).as("a new store's first receipt").isEqualTo(1);

            assertThatThrownBy(() -> jdbi.useTransaction(h -> {
                assertThat(ReceiptNumbers.next(h)).isEqualTo(2);
                throw new IllegalStateException("the sale is refused");
            })).hasMessage("the sale is refused");
            assertThat(jdbi.inTransaction(ReceiptNumbers::next)).as("no gap after a refused sale").isEqualTo(2);

            jdbi.useTransaction(h -> ReceiptNumbers.atLeast(h, 40));
            assertThat(jdbi.inTransaction(ReceiptNumbers::next)).isEqualTo(41);
            jdbi.useTransaction(h -> ReceiptNumbers.atLeast(h, 7));
            assertThat(jdbi.inTransaction(ReceiptNumbers::next)).as("never back").isEqualTo(42);
        }
    }
}
