package dev.counterpoint.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.h2.store.fs.FileBaseDefault;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * H2's file system {@code cpxts:HANDLE:/path}: the files of an H2 database encrypted with AES-256 in XTS mode in
 * 512-byte sectors ({@link SectorCipher}, the JDK's AES), under keys registered for HANDLE in this process (decision
 * 0040). H2's own {@code CIPHER=AES} encrypts 4 KB blocks with a software AES, so each small page a scan reads cost a
 * 4 KB decryption at about 200 MB/s: a scan on the encrypted file took 2.5 times as long as on a plain one. Here a read
 * decrypts only the 512-byte sectors it covers.
 *
 * <p>The handle is a hash of the key, the same in every process holding it, so head office's AUTO_SERVER, which names
 * the database to the server process, reaches the same one. Each file starts with a 512-byte header (format, and a
 * check value derived from the key, so another key is told apart from damage); then the sectors, sector n encrypted
 * with tweak n. H2's lock file (the AUTO_SERVER's address) is left plain. The files are H2's MVStore files, written in
 * whole 4 KB blocks, so every file is a whole number of sectors.
 */
public final class XtsFilePath extends FilePathWrapper {
    static final String SCHEME = "cpxts";
    static final int SECTOR = 512;
    static final int HEADER = SECTOR;
    /**
     * The largest read buffer a thread keeps between reads: H2 reads a page at a time; a chunk's header or a large page
     * may be more.
     */
    static final int KEPT_SCRATCH = 256 * 1024;
    private static final byte[] MAGIC = "Counterpoint AES-256-XTS 512\n".getBytes(StandardCharsets.US_ASCII);
    private static final int CHECK = 16;
    private static final Map<String, Keys> KEYS = new ConcurrentHashMap<>();

    static {
        FilePath.register(new XtsFilePath());
    }

    record Keys(byte[] data, byte[] tweak, byte[] check) {
    }

    /**
     * Registers the keys derived from {@code key} for this process's H2 and returns the path prefix that uses them,
     * {@code cpxts:HANDLE:}.
     */
    static String register(DataKey key) {
        byte[] data = key.derive("counterpoint database xts data v1").orElseThrow();
        byte[] tweak = key.derive("counterpoint database xts tweak v1").orElseThrow();
        byte[] check = Arrays.copyOf(key.derive("counterpoint database xts check v1").orElseThrow(), CHECK);
        String handle = HexFormat.of().formatHex(key.derive("counterpoint database xts handle v1").orElseThrow(), 0, 8);
        KEYS.putIfAbsent(handle, new Keys(data, tweak, check));
        return SCHEME + ":" + handle + ":";
    }

    /** True when the file starts with this format's header. */
    static boolean isEncrypted(java.nio.file.Path file) throws IOException {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
        }
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    protected String getPrefix() {
        return SCHEME + ":" + parse(name)[0] + ":";
    }

    @Override
    public FilePath unwrap(String path) {
        return FilePath.get(parse(path)[1]);
    }

    /** {handle, the wrapped path}. */
    private static String[] parse(String path) {
        String rest = path.substring(SCHEME.length() + 1);
        int colon = rest.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not a " + SCHEME + ":HANDLE:path name");
        }
        return new String[] {rest.substring(0, colon), rest.substring(colon + 1)};
    }

    /** H2's lock file holds only the AUTO_SERVER's address and a random id; the other process reads it plain. */
    private boolean encrypted() {
        return !name.endsWith(".lock.db");
    }

    private Keys keys() throws IOException {
        Keys k = KEYS.get(parse(name)[0]);
        if (k == null) {
            throw new IOException("no key registered in this process for " + name);
        }
        return k;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        FileChannel base = getBase().open(mode);
        if (!encrypted()) {
            return base;
        }
        try {
            return new XtsChannel(base, keys(), name, !"r".equals(mode));
        } catch (IOException | RuntimeException e) {
            base.close();
            throw e;
        }
    }

    @Override
    public long size() {
        long size = getBase().size();
        return encrypted() ? Math.max(0, size - HEADER) : size;
    }

    @Override
    public InputStream newInputStream() throws IOException {
        return Channels.newInputStream(open("r"));
    }

    @Override
    public OutputStream newOutputStream(boolean append) throws IOException {
        FileChannel channel = open("rw");
        if (append) {
            channel.position(channel.size());
        } else {
            channel.truncate(0);
        }
        // H2 writes a backup's zip a few hundred bytes at a time: whole sectors are encrypted at once instead
        return new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    }

    /** The file seen through its sectors' encryption. */
    static final class XtsChannel extends FileBaseDefault {
        private final FileChannel base;
        private final String name;
        private final ThreadLocal<SectorCipher> cipher;
        private final ThreadLocal<byte[]> scratch = ThreadLocal.withInitial(() -> new byte[8 * SECTOR]);
        /**
         * The sectors of a write, encrypted in place before they go to the file; kept between writes (which are
         * serialized), as the read scratch is: every commit writes a chunk, and a checkout commits while the cashier
         * waits, so a new array per write was young garbage made inside the sale.
         */
        private byte[] writeBuffer = new byte[8 * SECTOR];

        XtsChannel(FileChannel base, Keys keys, String name, boolean writable) throws IOException {
            this.base = base;
            this.name = name;
            this.cipher = ThreadLocal.withInitial(() -> new SectorCipher(keys.data(), keys.tweak(), SECTOR));
            if (base.size() == 0 && writable) {
                ByteBuffer header = ByteBuffer.allocate(HEADER).put(MAGIC).put(keys.check());
                header.rewind();
                writeFully(header, 0);
            } else if (base.size() > 0) {
                ByteBuffer header = ByteBuffer.allocate(MAGIC.length + CHECK);
                readFully(header, 0);
                byte[] h = header.array();
                if (!Arrays.equals(h, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                    throw new WrongKeyException(name + " is not an encrypted database file");
                }
                if (!Arrays.equals(h, MAGIC.length, MAGIC.length + CHECK, keys.check(), 0, CHECK)) {
                    throw new WrongKeyException(name + " is encrypted under another key");
                }
            }
        }

        @Override
        public long size() throws IOException {
            return Math.max(0, base.size() - HEADER);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            long size = size();
            if (position >= size) {
                return -1;
            }
            int length = (int) Math.min(dst.remaining(), size - position);
            if (length == 0) {
                return 0;
            }
            long first = position / SECTOR;
            long last = (position + length - 1) / SECTOR;
            int count = (int) (last - first + 1);
            byte[] sectors = scratch(count * SECTOR);
            readSectors(sectors, first, count);
            dst.put(sectors, (int) (position - first * SECTOR), length);
            return length;
        }

        /**
         * A buffer of at least {@code bytes} for this thread's reads, kept between reads: every page H2 does not find
         * in its cache is a read, and each used to allocate its own copy of the ciphertext besides H2's buffer.
         * Larger reads than {@link #KEPT_SCRATCH} get a buffer of their own.
         */
        private byte[] scratch(int bytes) {
            if (bytes > KEPT_SCRATCH) {
                return new byte[bytes];
            }
            byte[] kept = scratch.get();
            if (kept.length < bytes) {
                kept = new byte[Math.max(bytes, Math.min(KEPT_SCRATCH, kept.length * 2))];
                scratch.set(kept);
            }
            return kept;
        }

        @Override
        public synchronized int write(ByteBuffer src, long position) throws IOException {
            int length = src.remaining();
            if (length == 0) {
                return 0;
            }
            long first = position / SECTOR;
            long last = (position + length - 1) / SECTOR;
            int count = (int) (last - first + 1);
            byte[] sectors = writeBuffer(count * SECTOR);
            int head = (int) (position - first * SECTOR);
            int end = head + length;
            long size = size();
            // a sector written in part keeps the rest of what it held, or zeros past the end (the kept buffer holds
            // an earlier write's bytes there)
            if (head != 0) {
                if (first * SECTOR < size) {
                    readSectors(sectors, first, 1);
                } else {
                    Arrays.fill(sectors, 0, head, (byte) 0);
                }
            }
            if (end % SECTOR != 0) {
                if (last * SECTOR < size && (last != first || head == 0)) {
                    System.arraycopy(readSectors(last, 1), 0, sectors, (count - 1) * SECTOR, SECTOR);
                } else if (last * SECTOR >= size) {
                    Arrays.fill(sectors, end, count * SECTOR, (byte) 0);
                }
            }
            src.get(sectors, head, length);
            cipher.get().encrypt(first, sectors, 0, count);
            writeFully(ByteBuffer.wrap(sectors, 0, count * SECTOR), HEADER + first * SECTOR);
            return length;
        }

        /** At least {@code bytes} for a write, kept up to {@link #KEPT_SCRATCH}; called under the channel's lock. */
        private byte[] writeBuffer(int bytes) {
            if (bytes > KEPT_SCRATCH) {
                return new byte[bytes];
            }
            if (writeBuffer.length < bytes) {
                writeBuffer = new byte[Math.max(bytes, Math.min(KEPT_SCRATCH, writeBuffer.length * 2))];
            }
            return writeBuffer;
        }

        private byte[] readSectors(long first, int count) throws IOException {
            byte[] sectors = new byte[count * SECTOR];
            readSectors(sectors, first, count);
            return sectors;
        }

        /** Reads and decrypts {@code count} sectors from {@code first} into the start of {@code sectors}. */
        private void readSectors(byte[] sectors, long first, int count) throws IOException {
            readFully(ByteBuffer.wrap(sectors, 0, count * SECTOR), HEADER + first * SECTOR);
            cipher.get().decrypt(first, sectors, 0, count);
        }

        private void readFully(ByteBuffer dst, long position) throws IOException {
            while (dst.hasRemaining()) {
                int n = base.read(dst, position);
                if (n < 0) {
                    throw new java.io.EOFException(name + ": a sector ends past the end of the file");
                }
                position += n;
            }
        }

        private void writeFully(ByteBuffer src, long position) throws IOException {
            while (src.hasRemaining()) {
                position += base.write(src, position);
            }
        }

        @Override
        protected void implTruncate(long newLength) throws IOException {
            long sectors = (newLength + SECTOR - 1) / SECTOR;
            base.truncate(HEADER + sectors * SECTOR);
        }

        @Override
        public void force(boolean metaData) throws IOException {
            base.force(metaData);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return base.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            base.close();
        }

        @Override
        public String toString() {
            return SCHEME + ":" + name;
        }
    }

    /** The file is not in this format, or was encrypted under another key. */
    public static final class WrongKeyException extends IOException {
        WrongKeyException(String message) {
            super(message);
        }
    }
}
