package org.pagelab.phys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MemSizeTest {
    @ParameterizedTest
    @CsvSource({"512M,536870912", "8G,8589934592", "64k,65536", "4096,4096", "1MiB,1048576", "2GB,2147483648", "1T,1099511627776"})
    void parsesHumanUnits(String text, long bytes) {
        assertThat(MemSize.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1x", "-5M", "1.5G", "M", "99999999999999999999G"})
    void rejectsGarbageNamingTheValue(String text) {
        assertThatThrownBy(() -> MemSize.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void formatsWithTheLargestExactUnit() {
        assertThat(MemSize.format(536870912)).isEqualTo("512M");
        assertThat(MemSize.format(4097)).isEqualTo("4097");
    }

    @Test
    void machinesOutsideTheSupportedRangeAreRefused() {
        assertThatThrownBy(() -> PhysConfig.of(MemSize.parse("8M"), false)).hasMessageContaining("8M");
        assertThatThrownBy(() -> PhysConfig.of(4097 * 4096L + 1, false)).hasMessageContaining("multiple of 4K");
    }
}
