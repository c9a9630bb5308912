package dev.counterpoint.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PhoneBoxTest {
    private static final KeyPair OFFICE = PhoneBox.newKeyPair();

    @Test
    void aBoxOpensWithHeadOfficesPrivateKeyOnly() {
        String box = PhoneBox.seal(PhoneBox.publicKey(PhoneBox.publicKeyText(OFFICE.getPublic())), "13800138000");

        assertThat(box).hasSize(PhoneBox.BOX_CHARS).doesNotContain("13800138000");
        assertThat(PhoneBox.check(box, "phone_box")).isEqualTo(box);
        assertThat(PhoneBox.open(OFFICE.getPrivate(), box)).contains("13800138000");
        assertThat(PhoneBox.open(PhoneBox.newKeyPair().getPrivate(), box)).as("another office's key").isEmpty();
        // randomised: the same number boxes differently each time, so boxes cannot be compared to find a number
        assertThat(PhoneBox.seal(OFFICE.getPublic(), "13800138000")).isNotEqualTo(box);
    }

    @Test
    void anAlteredBoxDoesNotOpen() {
        byte[] bytes = Base64.getDecoder().decode(PhoneBox.seal(OFFICE.getPublic(), "13800138000"));
        bytes[100] ^= 1;
        assertThat(PhoneBox.open(OFFICE.getPrivate(), Base64.getEncoder().encodeToString(bytes))).isEmpty();
    }

    @Test
    void onlyAnRsa3072PublicKeyIsTakenFromTheWire() throws Exception {
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(1024);
        String weak = PhoneBox.publicKeyText(small.generateKeyPair().getPublic());
        String ed = PhoneBox.publicKeyText(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic());

        for (String bad : new String[] {weak, ed, "not base64!", "A".repeat(PhoneBox.MAX_KEY_CHARS + 1)}) {
            assertThatThrownBy(() -> PhoneBox.publicKey(bad)).as(bad.substring(0, Math.min(20, bad.length())))
                    .isInstanceOf(ProtocolException.class);
        }
    }

    @Test
    void aBoxOfTheWrongShapeIsRefusedWhereItArrives() {
        assertThatThrownBy(() -> PhoneBox.check("AAAA", "phone_box")).hasMessage("phone_box: not a phone box (base64 of 384 bytes)");
        assertThatThrownBy(() -> PhoneBox.check("*".repeat(PhoneBox.BOX_CHARS), "phone_box")).isInstanceOf(ProtocolException.class);
        assertThat(PhoneBox.check(null, "phone_box")).isNull();
    }

    @Test
    void anEnrolmentAnEarlierVersionWroteWithoutABoxStillReadsAndOtherMissingFieldsDoNot() {
        com.fasterxml.jackson.databind.ObjectMapper json = ProtocolJson.newMapper();
        com.fasterxml.jackson.databind.node.ObjectNode before = json.createObjectNode()
                .put("member_id", "0190a0b0-0000-7000-8000-000000000001").put("card_code", "2900012345678").put("name", "王芳")
                .put("phone_hmac", "ab").put("phone_masked", "138****5678").putNull("birthday").put("tier", "NORMAL")
                .put("home_store", "S001").put("enrolled_at", "2026-03-10T10:00:00+08:00").put("source", "COUNTER");

        Event.MemberEnrolled read = (Event.MemberEnrolled) ProtocolJson.readEvent(json, "member.enrolled", before);

        assertThat(read.phoneBox()).isNull();
        assertThat(read.name()).isEqualTo("王芳");
        assertThat(before.has("phone_box")).as("the stored payload is left as it is").isFalse();
        before.remove("phone_masked");
        assertThatThrownBy(() -> ProtocolJson.readEvent(json, "member.enrolled", before)).hasMessage("missing phone_masked");
    }
}
