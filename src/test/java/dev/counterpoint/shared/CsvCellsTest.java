package dev.counterpoint.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvCellsTest {
    @ParameterizedTest
    @ValueSource(strings = {"=1+2", "+86 138", "-2", "@SUM(A1)", "\tTAB", "\rCR", "=HYPERLINK(\"http://x\",\"y\")"})
    void aCellASpreadsheetWouldReadAsAFormulaGetsALeadingApostrophe(String cell) {
        assertThat(CsvCells.neutralise(cell)).isEqualTo("'" + cell);
    }

    @ParameterizedTest
    @ValueSource(strings = {"王芳", "138****5678", "2900000000017", "a=b", "'quoted", " =1"})
    void anyOtherCellIsLeftAsItIs(String cell) {
        assertThat(CsvCells.neutralise(cell)).isEqualTo(cell);
    }

    @ParameterizedTest
    @ValueSource(strings = {""})
    void anEmptyCellStaysEmpty(String cell) {
        assertThat(CsvCells.neutralise(cell)).isEmpty();
        assertThat(CsvCells.neutralise(null)).isNull();
    }
}
