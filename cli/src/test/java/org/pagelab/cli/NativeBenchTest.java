package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeBenchTest {
    @Test
    void resultLineOfTheProgramIsParsedAndAnotherProgramsIsNot() throws IOException {
        NativeBench.Result r = NativeBench.parse("pread", "noise\nnative pread events=10 minflt=3 wall_ns=400 cpu_ns=300\n");
        assertThat(r).isEqualTo(new NativeBench.Result(10, 3, 400, 300));
        assertThatThrownBy(() -> NativeBench.parse("pread", "native anon_fault events=1 minflt=1 wall_ns=1 cpu_ns=1"))
                .isInstanceOf(IOException.class).hasMessageContaining("pread");
    }

    @Test
    void aMissingCompilerMakesTheProgramsUnavailableNotAnError(@TempDir Path dir) throws IOException {
        NativeBench nb = NativeBench.build(dir, "no-such-cc-pagelab");
        assertThat(nb.unavailable()).startsWith("no-such-cc-pagelab not found");
        assertThat(dir.resolve("anon_fault.c")).exists();
        assertThatThrownBy(() -> nb.run("anon_fault", 1024)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailingCompilerMakesTheProgramsUnavailable(@TempDir Path dir) throws IOException {
        NativeBench nb = NativeBench.build(dir, "false");
        assertThat(nb.unavailable()).startsWith("false failed on anon_fault.c: exit status 1");
    }
}
