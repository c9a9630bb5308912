package dev.counterpoint.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** XTS-AES as IEEE 1619 specifies it: its own test vectors, and a sector that comes back whole. */
class SectorCipherTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void ieee1619VectorOneAllZeroKeysSectorZero() {
        SectorCipher c = new SectorCipher(new byte[16], new byte[16], 32);
        byte[] data = new byte[32];
        c.encrypt(0, data, 0, 1);
        assertThat(HEX.formatHex(data)).isEqualTo("917cf69ebd68b2ec9b9fe9a3eadda692cd43d2f59598ed858c02c2652fbf922e");
    }

    @Test
    void ieee1619VectorTwo() {
        byte[] k1 = new byte[16];
        byte[] k2 = new byte[16];
        Arrays.fill(k1, (byte) 0x11);
        Arrays.fill(k2, (byte) 0x22);
        SectorCipher c = new SectorCipher(k1, k2, 32);
        byte[] data = new byte[32];
        Arrays.fill(data, (byte) 0x44);
        c.encrypt(0x3333333333L, data, 0, 1);
        assertThat(HEX.formatHex(data)).isEqualTo("c454185e6a16936e39334038acef838bfb186fff7480adc4289382ecd6d394f0");
    }

    @Test
    void aSectorDecryptsToWhatWasEncryptedAndDiffersFromTheSameDataInAnotherSector() {
        Random r = new Random(5);
        byte[] k1 = new byte[32];
        byte[] k2 = new byte[32];
        r.nextBytes(k1);
        r.nextBytes(k2);
        SectorCipher c = new SectorCipher(k1, k2, 512);
        byte[] plain = new byte[512];
        r.nextBytes(plain);
        byte[] seven = plain.clone();
        byte[] eight = plain.clone();
        c.encrypt(7, seven, 0, 1);
        c.encrypt(8, eight, 0, 1);

        assertThat(seven).isNotEqualTo(plain).isNotEqualTo(eight);
        c.decrypt(7, seven, 0, 1);
        assertThat(seven).isEqualTo(plain);
    }

    @Test
    void aRunOfSectorsIsEncryptedAsEachSectorAlone() {
        Random r = new Random(9);
        byte[] k1 = new byte[32];
        byte[] k2 = new byte[32];
        r.nextBytes(k1);
        r.nextBytes(k2);
        SectorCipher c = new SectorCipher(k1, k2, 512);
        byte[] run = new byte[3 * 512];
        r.nextBytes(run);
        byte[] one = Arrays.copyOfRange(run, 512, 1024);
        c.encrypt(41, run, 0, 3);
        c.encrypt(42, one, 0, 1);

        assertThat(Arrays.copyOfRange(run, 512, 1024)).isEqualTo(one);
    }
}
