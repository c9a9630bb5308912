package dev.counterpoint.store;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in XTS mode (IEEE 1619, the mode of disk encryption) over one sector at a time, with the JDK's AES (AES-NI where
 * the processor has it): the tweak is the sector's number encrypted under the second key, multiplied by α for each
 * 16-byte block; the data are encrypted under the first key with the tweak XORed in before and after. Sectors are
 * whole multiples of 16 bytes. Not thread-safe: one per thread.
 */
final class SectorCipher {
    private static final int BLOCK = 16;

    private final Cipher dataEncrypt;
    private final Cipher dataDecrypt;
    private final Cipher tweakEncrypt;
    private final byte[] tweaks;

    /** @param dataKey and {@code tweakKey}: AES keys (16 or 32 bytes), different from each other */
    SectorCipher(byte[] dataKey, byte[] tweakKey, int sectorBytes) {
        try {
            dataEncrypt = Cipher.getInstance("AES/ECB/NoPadding");
            dataEncrypt.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"));
            dataDecrypt = Cipher.getInstance("AES/ECB/NoPadding");
            dataDecrypt.init(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"));
            tweakEncrypt = Cipher.getInstance("AES/ECB/NoPadding");
            tweakEncrypt.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(tweakKey, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is part of every JDK", e);
        }
        tweaks = new byte[sectorBytes];
    }

    void encrypt(long sector, byte[] data, int offset, int length) {
        apply(dataEncrypt, sector, data, offset, length);
    }

    void decrypt(long sector, byte[] data, int offset, int length) {
        apply(dataDecrypt, sector, data, offset, length);
    }

    /** All the sector's tweaks first, then one AES call over the whole sector between two XORs. */
    private void apply(Cipher cipher, long sector, byte[] data, int offset, int length) {
        if (length % BLOCK != 0 || length > tweaks.length) {
            throw new IllegalArgumentException("a sector is a multiple of 16 bytes, at most " + tweaks.length);
        }
        try {
            for (int i = 0; i < 8; i++) {
                tweaks[i] = (byte) (sector >>> (8 * i)); // little-endian, as IEEE 1619 numbers data units
            }
            java.util.Arrays.fill(tweaks, 8, BLOCK, (byte) 0);
            tweakEncrypt.doFinal(tweaks, 0, BLOCK, tweaks, 0);
            for (int at = BLOCK; at < length; at += BLOCK) {
                timesAlpha(tweaks, at - BLOCK, at);
            }
            xor(data, offset, length);
            cipher.doFinal(data, offset, length, data, offset);
            xor(data, offset, length);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("the output is the input", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB without padding takes whole blocks", e);
        }
    }

    private void xor(byte[] data, int offset, int length) {
        for (int i = 0; i < length; i++) {
            data[offset + i] ^= tweaks[i];
        }
    }

    /** {@code t[to..]} = {@code t[from..]} × α in GF(2^128), little-endian, as IEEE 1619 has it. */
    private static void timesAlpha(byte[] t, int from, int to) {
        int carry = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = t[from + i] & 0xff;
            t[to + i] = (byte) ((b << 1) | carry);
            carry = b >>> 7;
        }
        if (carry != 0) {
            t[to] ^= (byte) 0x87;
        }
    }
}
