package dev.counterpoint.importer;

/**
 * The line each card code of an import file was first seen on, to refuse a code met again and name its first line.
 * A million codes held as strings in a map took over 100 MB, half a till's heap; here a code is held as a 128-bit
 * fingerprint and its line, 20 bytes a slot in open addressing. Two different codes would have to agree in both of two
 * independent 64-bit hashes to be taken for one (about one chance in 10^26 for a million codes).
 */
final class FirstLines {
    private static final double MAX_LOAD = 0.75;
    private long[] prints = new long[2 * 1024];
    private int[] lines = new int[1024];
    private int size;

    /** The line {@code code} was first seen on; or 0, remembering {@code line} as its first, when it is new. */
    long putIfAbsent(String code, long line) {
        if (size + 1 > lines.length * MAX_LOAD) {
            grow();
        }
        long a = fnv(code);
        long b = polynomial(code);
        int mask = lines.length - 1;
        for (int i = (int) (a ^ (a >>> 32)) & mask; ; i = (i + 1) & mask) {
            if (lines[i] == 0) {
                prints[2 * i] = a;
                prints[2 * i + 1] = b;
                lines[i] = Math.toIntExact(line);
                size++;
                return 0;
            }
            if (prints[2 * i] == a && prints[2 * i + 1] == b) {
                return lines[i];
            }
        }
    }

    private void grow() {
        long[] oldPrints = prints;
        int[] oldLines = lines;
        prints = new long[oldPrints.length * 2];
        lines = new int[oldLines.length * 2];
        int mask = lines.length - 1;
        for (int j = 0; j < oldLines.length; j++) {
            if (oldLines[j] != 0) {
                long a = oldPrints[2 * j];
                int i = (int) (a ^ (a >>> 32)) & mask;
                while (lines[i] != 0) {
                    i = (i + 1) & mask;
                }
                prints[2 * i] = a;
                prints[2 * i + 1] = oldPrints[2 * j + 1];
                lines[i] = oldLines[j];
            }
        }
    }

    /** FNV-1a over the UTF-16 units, then MurmurHash3's finaliser. */
    static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return mix(h ^ s.length());
    }

    /** A polynomial hash modulo 2^64 with another odd multiplier and seed, then the same finaliser. */
    static long polynomial(String s) {
        long h = 0x9e3779b97f4a7c15L;
        for (int i = 0; i < s.length(); i++) {
            h = (h + s.charAt(i) + 1) * 0xc2b2ae3d27d4eb4fL;
        }
        return mix(h + s.length());
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
