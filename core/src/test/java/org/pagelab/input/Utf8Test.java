package org.pagelab.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
    @Test
    void wellFormedTextDecodesAsTheJdkDoes() throws Exception {
        String s = "machine: { memory: 64M }  # données, 日本語, 🙂\n";
        assertThat(Utf8.decode(s.getBytes(StandardCharsets.UTF_8))).isEqualTo(s);
        assertThat(Utf8.decode(new byte[0])).isEmpty();
    }

    @Test
    void aStrayByteIsNamedWithItsLineColumnAndOffset() {
        byte[] b = "ab\ncd\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Utf8.decode(b)).isInstanceOfSatisfying(Utf8.NotUtf8Exception.class, e -> {
            assertThat(e.where()).isEqualTo(new Utf8.Malformed(5, 2, 3, 0xe9));
            assertThat(e.getMessage()).isEqualTo("byte 0xe9 at offset 5 (line 2, column 3) is not UTF-8 text");
        });
    }

    @Test
    void aSequenceCutShortAtTheEndIsNamed() {
        byte[] b = {'o', 'k', '\n', (byte) 0xe6, (byte) 0x97};
        assertThatThrownBy(() -> Utf8.decode(b)).isInstanceOfSatisfying(Utf8.NotUtf8Exception.class,
                e -> assertThat(e.where()).isEqualTo(new Utf8.Malformed(3, 2, 1, 0xe6)));
    }

    @Test
    void utf16IsNotUtf8() {
        byte[] b = "processes: []".getBytes(StandardCharsets.UTF_16LE);
        byte[] bom = new byte[b.length + 2];
        bom[0] = (byte) 0xff;
        bom[1] = (byte) 0xfe;
        System.arraycopy(b, 0, bom, 2, b.length);
        assertThatThrownBy(() -> Utf8.decode(bom)).isInstanceOfSatisfying(Utf8.NotUtf8Exception.class,
                e -> assertThat(e.where().offset()).isZero());
    }
}
