package org.pagelab.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pagelab.testing.Seeds;

@ExtendWith(Seeds.class)
class EscapeTest {
    @Test
    void printableAsciiStaysAsItIs() {
        assertThat(Escape.quote("R 0x7fff0000 17")).isEqualTo("R 0x7fff0000 17");
        assertThat(Escape.plain("data.bin")).isTrue();
    }

    @Test
    void controlBytesAndBackslashesAreEscaped() {
        assertThat(Escape.quote("a\nb\tc\rd\0e\u001b[31m\\")).isEqualTo("a\\nb\\tc\\rd\\x00e\\x1b[31m\\\\");
        assertThat(Escape.quote("\u00ff\u00fe")).isEqualTo("\\xff\\xfe");
        assertThat(Escape.quote("\u202e")).isEqualTo("\\x{202e}");
        assertThat(Escape.plain("a\\b")).isFalse();
    }

    @Test
    void longTextIsCutToTheLimitWithAnEllipsis() {
        String q = Escape.quote("x".repeat(1000));
        assertThat(q).isEqualTo("x".repeat(Escape.MAX_QUOTED) + "...");
        // an escape is never split by the cut
        String e = Escape.quote("\0".repeat(100));
        assertThat(e).endsWith("\\x00...").hasSizeLessThanOrEqualTo(Escape.MAX_QUOTED + 3);
    }

    @Test
    void quotedTextIsAlwaysShortPrintableAscii() {
        long seed = Seeds.derive(42);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 2000; i++) {
            char[] cs = new char[rnd.nextInt(200)];
            for (int k = 0; k < cs.length; k++) {
                cs[k] = (char) rnd.nextInt(rnd.nextBoolean() ? 0x100 : 0x10000);
            }
            String q = Escape.quote(new String(cs));
            assertThat(q.length()).as("seed %d", seed).isLessThanOrEqualTo(Escape.MAX_QUOTED + 3);
            assertThat(q.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).as("seed %d: %s", seed, q).isTrue();
        }
    }

    @Test
    void lineEscapesOnlyWhatCouldBreakALine() {
        assertThat(Escape.line("données.txt: bad")).isEqualTo("données.txt: bad");
        assertThat(Escape.line("a\nb\u2028c\u202ed")).isEqualTo("a\\nb\\x{2028}c\\x{202e}d");
        String plain = "no change here";
        assertThat(Escape.line(plain)).isSameAs(plain);
    }
}
