package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pagelab.cli.RunCommandTest.pagelab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pagelab generate-completion} prints a completion script for bash and zsh generated from
 * the command definitions: every subcommand and option is in it, and bash can load it and complete
 * with it.
 */
class CompletionTest {
    @Test
    void theScriptNamesEverySubcommandAndTheirOptions() {
        RunCommandTest.Result r = pagelab("generate-completion");
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("complete -F _complete_pagelab", "bashcompinit");
        for (String sub : Main.commandLine().getSubcommands().keySet()) {
            assertThat(r.out()).as("subcommand %s", sub).contains(sub);
        }
        assertThat(r.out()).contains("--memory", "--swap", "--json", "--policy-only", "--engine");
        assertThat(pagelab("--help").out()).contains("generate-completion");
    }

    @Test
    void bashLoadsTheScriptAndCompletesASubcommandAndAnOption(@TempDir Path tmp) throws IOException, InterruptedException {
        Path script = Files.writeString(tmp.resolve("pagelab_completion"), pagelab("generate-completion").out());
        String probe = "source " + script + "\n"
                + "COMP_WORDS=(pagelab re); COMP_CWORD=1; COMP_LINE='pagelab re'; COMP_POINT=${#COMP_LINE}\n"
                + "_complete_pagelab; echo \"${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(pagelab run --mem); COMP_CWORD=2; COMP_LINE='pagelab run --mem'; COMP_POINT=${#COMP_LINE}\n"
                + "_complete_pagelab; echo \"${COMPREPLY[*]}\"\n";
        // stderr dropped: compopt complains when called outside a real completion, which changes nothing here
        Process p = new ProcessBuilder("bash", "-c", probe).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.lines().toList()).as(out).containsExactly("replay", "--memory");
    }
}
