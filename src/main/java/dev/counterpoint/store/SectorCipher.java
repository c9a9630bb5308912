package dev.counterpoint.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in XTS mode (IEEE 1619, the mode of disk encryption) over runs of consecutive sectors, with the JDK's AES (AES-NI
 * where the processor has it): each sector's tweak is its number encrypted under the second key, multiplied by α for
 * each 16-byte block; the data are encrypted under the first key with the tweak XORed in before and after. The tweaks of
 * a whole run are encrypted in one call and its data in another: a call costs far more than a block. Sectors are whole
 * multiples of 16 bytes. Not thread-safe: one per thread.
 */
final class SectorCipher {
    private static final int BLOCK = 16;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Cipher dataEncrypt;
    private final Cipher dataDecrypt;
    private final Cipher tweakEncrypt;
    private final int sectorBytes;
    private byte[] tweaks = new byte[0];
    private byte[] firsts = new byte[0];
    private byte[] work = new byte[0];

    /** @param dataKey and {@code tweakKey}: AES keys (16 or 32 bytes), different from each other */
    SectorCipher(byte[] dataKey, byte[] tweakKey, int sectorBytes) {
        if (sectorBytes % BLOCK != 0) {
            throw new IllegalArgumentException("a sector is a multiple of 16 bytes");
        }
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
        this.sectorBytes = sectorBytes;
    }

    /** Encrypts {@code count} sectors in place, the first numbered {@code sector}, starting at {@code offset}. */
    void encrypt(long sector, byte[] data, int offset, int count) {
        apply(dataEncrypt, sector, data, offset, count);
    }

    void decrypt(long sector, byte[] data, int offset, int count) {
        apply(dataDecrypt, sector, data, offset, count);
    }

    private void apply(Cipher cipher, long sector, byte[] data, int offset, int count) {
        int length = count * sectorBytes;
        if (tweaks.length < length) {
            tweaks = new byte[length];
        }
        try {
            // each sector's first tweak: its number, little-endian as IEEE 1619 numbers data units, all encrypted at once
            if (firsts.length < count * BLOCK) {
                firsts = new byte[count * BLOCK];
            }
            java.util.Arrays.fill(firsts, 0, count * BLOCK, (byte) 0);
            for (int i = 0; i < count; i++) {
                long n = sector + i;
                for (int b = 0; b < 8; b++) {
                    firsts[i * BLOCK + b] = (byte) (n >>> (8 * b));
                }
            }
            tweakEncrypt.update(firsts, 0, count * BLOCK, firsts, 0); // ECB keeps nothing between calls
            for (int i = 0; i < count; i++) {
                int at = i * sectorBytes;
                System.arraycopy(firsts, i * BLOCK, tweaks, at, BLOCK);
                for (int b = at + BLOCK; b < at + sectorBytes; b += BLOCK) {
                    timesAlpha(tweaks, b - BLOCK, b);
                }
            }
            // Through a second buffer: the JDK's cipher copies its input first when it is also the output.
            if (work.length < length) {
                work = new byte[length];
            }
            xor(data, offset, length);
            cipher.update(data, offset, length, work, 0);
            System.arraycopy(work, 0, data, offset, length);
            xor(data, offset, length);
        } catch (GeneralSecurityException e) {
            // whole blocks, into buffers sized to hold them: neither a short buffer nor a bad length can happen
            throw new IllegalStateException("AES/ECB without padding on whole blocks", e);
        }
    }

    private void xor(byte[] data, int offset, int length) {
        for (int i = 0; i < length; i += 8) {
            LONGS.set(data, offset + i, (long) LONGS.get(data, offset + i) ^ (long) LONGS.get(tweaks, i));
        }
    }

    /** {@code t[to..]} = {@code t[from..]} × α in GF(2^128), little-endian, as IEEE 1619 has it. */
    private static void timesAlpha(byte[] t, int from, int to) {
        long lo = (long) LONGS.get(t, from);
        long hi = (long) LONGS.get(t, from + 8);
        long carry = hi >>> 63;
        LONGS.set(t, to + 8, (hi << 1) | (lo >>> 63));
        LONGS.set(t, to, (lo << 1) ^ (carry * 0x87));
    }
}
