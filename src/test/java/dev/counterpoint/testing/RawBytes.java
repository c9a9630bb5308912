package dev.counterpoint.testing;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Searches files byte by byte for text, as someone holding a copy of them would: UTF-8 and both UTF-16 orders. */
public final class RawBytes {
    private static final List<Charset> ENCODINGS = List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16BE,
            StandardCharsets.UTF_16LE);

    private RawBytes() {}

    /** Every regular file under the folder (none when it does not exist). */
    public static List<Path> files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    /** Each text found in the file, as "text (encoding)". */
    public static List<String> find(Path file, String... texts) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<String> found = new ArrayList<>();
        for (String text : texts) {
            for (Charset cs : ENCODINGS) {
                if (indexOf(bytes, text.getBytes(cs)) >= 0) {
                    found.add(text + " (" + cs.name() + ")");
                }
            }
        }
        return found;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
