package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ErrorHandlersTest {

    @Test
    void optionNameGoesAfterTheQuotedValue() {
        assertThat(ErrorHandlers.naming("invalid size '1x': expected a number", "1x", "--memory"))
                .isEqualTo("invalid size '1x' for --memory: expected a number");
    }

    @Test
    void messageWithoutTheQuotedValueGetsAPrefix() {
        assertThat(ErrorHandlers.naming("memory size 8K out of range", "8k", "--memory"))
                .isEqualTo("invalid value '8k' for --memory: memory size 8K out of range");
    }

    @Test
    void internalErrorIsOneLineWithStatusThree() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int status = ErrorHandlers.handleExecutionException(
                new CheckFailedException("invariant check failed after the run: frame 7 has no owner",
                        new IllegalStateException("frame 7 has no owner")), cl, null);
        assertThat(status).isEqualTo(Main.EXIT_INTERNAL);
        if (!"1".equals(System.getenv(ErrorHandlers.DEBUG_ENV))) {
            assertThat(err.toString())
                    .isEqualTo("pagelab: internal error: invariant check failed after the run: frame 7 has no owner\n");
        }
    }

    @Test
    void debugOptionAddsTheStackTrace() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        CommandLine.ParseResult pr = cl.parseArgs("run", "--debug");
        int status = ErrorHandlers.handleExecutionException(new IllegalStateException("boom"), cl, pr);
        assertThat(status).isEqualTo(Main.EXIT_INTERNAL);
        assertThat(err.toString()).startsWith("pagelab: internal error: java.lang.IllegalStateException: boom\n")
                .contains("\tat org.pagelab.cli.ErrorHandlersTest");
    }

    @Test
    void unexpectedExceptionNamesItsClass() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int status = ErrorHandlers.handleExecutionException(new NullPointerException("boom"), cl, null);
        assertThat(status).isEqualTo(Main.EXIT_INTERNAL);
        assertThat(err.toString()).startsWith("pagelab: internal error: java.lang.NullPointerException: boom\n");
    }
}
