package dev.counterpoint.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import org.h2.store.fs.FilePath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encrypted file as H2 sees it: what is written reads back, whatever the writes before it held. */
class XtsFilePathTest {
    @TempDir
    Path dir;

    private FileChannel open(String file) throws Exception {
        DataKey key = new DataKey(dir.resolve("test.key"));
        key.getOrCreate();
        String prefix = XtsFilePath.register(key);
        return FilePath.get(prefix + dir.resolve(file)).open("rw");
    }

    private static ByteBuffer filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return ByteBuffer.wrap(b);
    }

    private static byte[] read(FileChannel channel, long position, int length) throws Exception {
        ByteBuffer dst = ByteBuffer.allocate(length);
        while (dst.hasRemaining()) {
            int n = channel.read(dst, position + dst.position());
            assertThat(n).as("bytes read at %d", position + dst.position()).isPositive();
        }
        return dst.array();
    }

    @Test
    void aWriteInPartOfASectorPastTheEndLeavesZerosNotTheBytesOfAnEarlierWrite() throws Exception {
        try (FileChannel channel = open("a.db")) {
            // a large write first: the channel's kept buffer then holds 0x5A everywhere
            channel.write(filled(8 * XtsFilePath.SECTOR, 0x5A), 0);
            // past the end, starting and ending inside sectors
            long at = 10 * XtsFilePath.SECTOR + 100;
            channel.write(filled(700, 0x11), at);

            assertThat(channel.size()).isEqualTo(12 * XtsFilePath.SECTOR);
            assertThat(read(channel, 0, 8 * XtsFilePath.SECTOR)).containsOnly((byte) 0x5A);
            assertThat(read(channel, 10 * XtsFilePath.SECTOR, 100)).containsOnly((byte) 0);
            assertThat(read(channel, at, 700)).containsOnly((byte) 0x11);
            assertThat(read(channel, at + 700, (int) (12 * XtsFilePath.SECTOR - at - 700))).containsOnly((byte) 0);
        }
    }

    @Test
    void aWriteInPartOfASectorKeepsTheRestOfWhatItHeld() throws Exception {
        try (FileChannel channel = open("b.db")) {
            channel.write(filled(4 * XtsFilePath.SECTOR, 0x22), 0);
            channel.write(filled(2 * XtsFilePath.SECTOR, 0x77), 4 * XtsFilePath.SECTOR);
            // inside one sector, then across two, each leaving bytes of the sectors as they were
            channel.write(filled(10, 0x33), XtsFilePath.SECTOR + 5);
            channel.write(filled(XtsFilePath.SECTOR, 0x44), 2 * XtsFilePath.SECTOR + 256);

            byte[] all = read(channel, 0, 6 * XtsFilePath.SECTOR);
            byte[] expected = new byte[6 * XtsFilePath.SECTOR];
            Arrays.fill(expected, 0, 4 * XtsFilePath.SECTOR, (byte) 0x22);
            Arrays.fill(expected, 4 * XtsFilePath.SECTOR, 6 * XtsFilePath.SECTOR, (byte) 0x77);
            Arrays.fill(expected, XtsFilePath.SECTOR + 5, XtsFilePath.SECTOR + 15, (byte) 0x33);
            Arrays.fill(expected, 2 * XtsFilePath.SECTOR + 256, 3 * XtsFilePath.SECTOR + 256, (byte) 0x44);
            assertThat(all).isEqualTo(expected);
        }
    }
}
