package dev.counterpoint.scan;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the bytes a serial scanner sends into whole reads, whatever the chunking: a code split over
 * several reads is joined, several codes in one read are split, empty frames and idle NULs between
 * codes are dropped. Bytes are UTF-8; bytes that are not become U+FFFD so the parser refuses the read.
 * A run without a terminator longer than {@link #MAX_FRAME_BYTES} is cut off and reported as one
 * over-long read, and the rest up to the next terminator dropped. Single-threaded.
 */
public final class FrameAssembler {
    /** Room for the longest read the parser accepts in 4-byte UTF-8, plus one to say it was longer. */
    static final int MAX_FRAME_BYTES = CodeParser.MAX_LENGTH * 4;

    private final byte[] terminator;
    private final String prefix;
    private final byte[] frame = new byte[MAX_FRAME_BYTES + 1];
    private int size;
    private boolean discarding;

    public FrameAssembler(String terminator, String prefix) {
        if (terminator == null || terminator.isEmpty()) {
            throw new IllegalArgumentException("a serial scanner needs a terminator");
        }
        this.terminator = terminator.getBytes(StandardCharsets.UTF_8);
        this.prefix = prefix == null ? "" : prefix;
    }

    /** The reads completed by these bytes, in order. */
    public List<String> feed(byte[] data, int length) {
        List<String> reads = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            frame[size++] = data[i];
            if (endsWithTerminator()) {
                if (!discarding) {
                    String read = decode(Arrays.copyOf(frame, size - terminator.length));
                    if (!read.isEmpty()) {
                        reads.add(read);
                    }
                }
                discarding = false;
                size = 0;
            } else if (size == frame.length) {
                if (!discarding) {
                    reads.add(decode(Arrays.copyOf(frame, size)));
                    discarding = true;
                }
                // keep what may be the start of a terminator
                int keep = terminator.length - 1;
                System.arraycopy(frame, size - keep, frame, 0, keep);
                size = keep;
            }
        }
        return reads;
    }

    private boolean endsWithTerminator() {
        if (size < terminator.length) {
            return false;
        }
        for (int i = 0; i < terminator.length; i++) {
            if (frame[size - terminator.length + i] != terminator[i]) {
                return false;
            }
        }
        return true;
    }

    /** Drops idle NULs and surrounding whitespace (a stray LF of a CRLF scanner on CR framing), then the prefix. */
    private String decode(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            text = new String(bytes, StandardCharsets.UTF_8);
            if (!text.contains("\uFFFD")) {
                text = text + "\uFFFD";
            }
        }
        int start = 0;
        int end = text.length();
        while (start < end && (text.charAt(start) == 0 || Character.isWhitespace(text.charAt(start)))) {
            start++;
        }
        while (end > start && (text.charAt(end - 1) == 0 || Character.isWhitespace(text.charAt(end - 1)))) {
            end--;
        }
        String read = text.substring(start, end);
        return !prefix.isEmpty() && read.startsWith(prefix) ? read.substring(prefix.length()) : read;
    }
}
