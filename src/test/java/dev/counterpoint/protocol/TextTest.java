package dev.counterpoint.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextTest {
    @ParameterizedTest
    @ValueSource(ints = {0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069})
    void everyEmbeddingOverrideAndIsolateControlIsRefused(int c) {
        assertThat(Text.problem("王" + (char) c + "芳", 40)).contains(Text.Problem.BIDI);
        assertThat(Text.multilineProblem("{\n" + (char) c + "}", 40)).contains(Text.Problem.BIDI);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x07, 0x09, 0x0A, 0x0D, 0x1B, 0x7F, 0x85, 0x9F})
    void controlCharactersAreRefusedOnOneLine(int c) {
        assertThat(Text.problem("a" + (char) c + "b", 40)).contains(Text.Problem.CONTROL);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x2028, 0x2029})
    void lineAndParagraphSeparatorsAreRefusedEvenWhereLineBreaksAreTaken(int c) {
        assertThat(Text.problem("a" + (char) c + "b", 40)).contains(Text.Problem.CONTROL);
        assertThat(Text.multilineProblem("{\n" + (char) c + "}", 40)).contains(Text.Problem.CONTROL);
    }

    @Test
    void aMultilineValueTakesTabsAndLineBreaksButNoOtherControl() {
        assertThat(Text.multilineProblem("{\n\t\"a\": 1\r\n}", 40)).isEmpty();
        assertThat(Text.multilineProblem("{\u0000}", 40)).contains(Text.Problem.CONTROL);
    }

    @Test
    void lengthIsCheckedAndOrdinaryTextPasses() {
        assertThat(Text.problem("王芳 Wang-Fang (‘VIP’) \u200D·", 40)).isEmpty();
        assertThat(Text.problem("x".repeat(41), 40)).contains(Text.Problem.TOO_LONG);
        assertThat(Text.problem(null, 1)).isEmpty();
    }

    @Test
    void theProtocolRecordsRefuseSuchTextWhereverItIs() {
        assertThatThrownBy(() -> new Event.ProfileFields("陈\u202E远思", null))
                .hasMessage("fields.name holds a bidirectional text control (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069)");
        assertThatThrownBy(() -> new Event.ProfileFields("陈\u200F远思", null)).hasMessageContaining("bidirectional");
        assertThatThrownBy(() -> new Event.ProfileFields("陈\u2028远思", null)).hasMessage("fields.name holds a control character");
        assertThatThrownBy(() -> new Event.Line("BEAN\n01", null, 1, 100)).hasMessage("sku holds a control character");
        assertThatThrownBy(() -> new Change.MemberProfile(UUID.randomUUID(), Change.Field.NAME, "a\u2066b", 1))
                .hasMessageContaining("bidirectional");
        assertThatThrownBy(() -> new Event.MemberConsent(UUID.randomUUID(), null, null, true, OffsetDateTime.now(), "x\ty"))
                .hasMessage("staff_id holds a control character");
    }
}
