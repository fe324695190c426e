package org.pagelab.cli;

import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How {@code pagelab} reports failures: bad usage and bad input as one line naming the command,
 * the option and the value (exit status {@value Main#EXIT_USAGE}); anything else as one line
 * "pagelab: internal error: ..." (exit status {@value Main#EXIT_INTERNAL}), with the stack trace
 * when {@code --debug} is given or PAGELAB_DEBUG=1 is set.
 */
final class ErrorHandlers {
    /** The environment variable that turns on stack traces for internal errors. */
    static final String DEBUG_ENV = "PAGELAB_DEBUG";

    private ErrorHandlers() {
    }

    /** Reports a usage error or a bad option value on one line and returns exit status 2. */
    static int handleParameterException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        String line = cl.getCommandSpec().qualifiedName() + ": " + describe(ex);
        if (ex instanceof UnmatchedArgumentException u && isUnknownCommand(u)) {
            line = cl.getCommandSpec().qualifiedName() + ": unknown command '" + u.getUnmatched().getFirst()
                    + "'; see '" + cl.getCommandSpec().qualifiedName() + " --help'";
        } else if (ex instanceof UnmatchedArgumentException) {
            line += "; see '" + cl.getCommandSpec().qualifiedName() + " --help'";
        }
        err.println(line);
        err.flush();
        return Main.EXIT_USAGE;
    }

    /** Reports an exception from a command's work on one line and returns exit status 3. */
    static int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        String what = ex instanceof CheckFailedException ? ex.getMessage() : ex.toString();
        err.println("pagelab: internal error: " + oneLine(what));
        if (debug(parseResult)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return Main.EXIT_INTERNAL;
    }

    /** Whether {@code u} is a word where a command with subcommands and no parameters wants one. */
    private static boolean isUnknownCommand(UnmatchedArgumentException u) {
        CommandLine cl = u.getCommandLine();
        return !cl.getSubcommands().isEmpty() && cl.getCommandSpec().positionalParameters().isEmpty()
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().getFirst().startsWith("-");
    }

    /**
     * The message of {@code ex} as one line. A bad option value whose message quotes the value
     * ("invalid size '1x': expected ...") gets the option's name after the quoted value
     * ("invalid size '1x' for --memory: expected ...").
     */
    static String describe(ParameterException ex) {
        ArgSpec arg = ex.getArgSpec();
        String value = ex.getValue();
        Throwable cause = ex.getCause();
        if (arg instanceof OptionSpec option && value != null && cause instanceof IllegalArgumentException
                && cause.getMessage() != null) {
            return oneLine(naming(cause.getMessage(), value, option.longestName()));
        }
        return oneLine(lowerFirst(ex.getMessage()));
    }

    /** {@code message} with "for {@code option}" after the first quoted {@code value}. */
    static String naming(String message, String value, String option) {
        String quoted = "'" + value + "'";
        int at = message.indexOf(quoted);
        if (at < 0) {
            return "invalid value " + quoted + " for " + option + ": " + message;
        }
        int end = at + quoted.length();
        return message.substring(0, end) + " for " + option + message.substring(end);
    }

    private static boolean debug(ParseResult parseResult) {
        if ("1".equals(System.getenv(DEBUG_ENV))) {
            return true;
        }
        for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    private static String lowerFirst(String s) {
        if (s == null || s.isEmpty()) {
            return "invalid usage";
        }
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))) {
            return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
        }
        return s;
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
