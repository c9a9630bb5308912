package dev.counterpoint.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameAssemblerTest {

    private static List<String> feed(FrameAssembler a, String... chunks) {
        List<String> out = new ArrayList<>();
        for (String c : chunks) {
            byte[] b = c.getBytes(StandardCharsets.ISO_8859_1);
            out.addAll(a.feed(b, b.length));
        }
        return out;
    }

    @Test
    void aCodeSplitAcrossReadsIsJoinedAndSeveralInOneReadAreSplit() {
        FrameAssembler a = new FrameAssembler("\r", "");
        assertThat(feed(a, "400", "6381333", "931\r96385", "074\rMEM-1\r")).containsExactly("4006381333931", "96385074", "MEM-1");
    }

    @Test
    void aMultiByteTerminatorSplitBetweenReadsStillEndsTheCode() {
        FrameAssembler a = new FrameAssembler("\r\n", "");
        assertThat(feed(a, "96385074\r", "\n4006381333931\r", "\n")).containsExactly("96385074", "4006381333931");
    }

    @Test
    void emptyFramesIdleNulsAndAStrayLineFeedAreDropped() {
        FrameAssembler a = new FrameAssembler("\r", "");
        assertThat(feed(a, "\r\r\u0000\u000096385074\r\n\r")).containsExactly("96385074");
    }

    @Test
    void theConfiguredPrefixIsStrippedAndACustomSuffixEndsCodes() {
        FrameAssembler a = new FrameAssembler("#END", "]C1");
        assertThat(feed(a, "]C1MEM-7#EN", "D", "MEM-8#END")).containsExactly("MEM-7", "MEM-8");
    }

    @Test
    void bytesThatAreNotUtf8AreMarkedSoTheParserRefusesThem() {
        FrameAssembler a = new FrameAssembler("\r", "");
        List<String> reads = feed(a, "40\u00FF\u00FE06\r");
        assertThat(reads).hasSize(1);
        assertThat(reads.get(0)).contains("\uFFFD");
        assertThat(CodeParser.parse(reads.get(0))).isInstanceOf(CodeParser.Rejected.class);
        assertThat(feed(a, "会员\r".replace("会员", new String("会员".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))))
                .containsExactly("会员");
    }

    @Test
    void anEndlessRunIsReportedOnceAsOverLongAndTheNextCodeIsClean() {
        FrameAssembler a = new FrameAssembler("\r\n", "");
        String flood = "7".repeat(FrameAssembler.MAX_FRAME_BYTES * 3);
        List<String> reads = feed(a, flood, "\r", "\n96385074\r\n");
        assertThat(reads).hasSize(2);
        assertThat(reads.get(0)).hasSize(FrameAssembler.MAX_FRAME_BYTES + 1);
        assertThat(((CodeParser.Rejected) CodeParser.parse(reads.get(0))).reason().key()).isEqualTo("scan.error.tooLong");
        assertThat(reads.get(1)).isEqualTo("96385074");
    }
}
