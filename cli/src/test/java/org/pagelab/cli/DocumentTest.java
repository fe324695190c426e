package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The documents cannot drift: every command shown with its output in README.md and docs/*.md is
 * run, and what it prints now must be what the document shows.
 *
 * <h2>Which blocks, and how they are compared</h2>
 * A fenced block with lines starting {@code $ } is a shell session: each {@code $ } line (with its
 * {@code \} continuation lines) is a command, and the lines up to the next command are its output.
 * Every such block is run unless the line before its fence is
 * {@code <!-- doc-test: not run: REASON -->}: a command that measures the host (bench, JMH), needs
 * a real kernel or a long run (validate --live, Spark), or records a host-dependent trace. The
 * blocks of one document run in order in one fresh directory holding a copy of examples/, so a
 * file one block makes (a trace unzipped, a spec written) is there for the next; {@code ./pagelab}
 * runs the command line built by this module (the classes under test, not a jar).
 *
 * <p>In the shown output, a line that is {@code ...} or {@code …}, or starts with one of them and a
 * space (an explanation may follow), stands for any number of lines; a {@code …} inside a line
 * stands for any text on that line (a timing field, a date). Everything else must match exactly.
 *
 * <p>A block marked {@code <!-- file: PATH -->} must be the file PATH of the repository, byte for
 * byte.
 *
 * <p>On a mismatch the test names the document and the line of the shown output that went stale,
 * and writes what the command prints now to {@code target/doc-test/}. With
 * {@code -Dpagelab.docs.update=true} it rewrites the stale output blocks that have no elisions
 * with what the commands print (never by hand).
 */
class DocumentTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path OUT = Path.of("target/doc-test").toAbsolutePath();
    static final boolean UPDATE = Boolean.getBoolean("pagelab.docs.update");
    private static final String NOT_RUN = "doc-test: not run:";
    /** Longest a command may run: the slow blocks are marked not run, so this only catches a hang. */
    private static final long COMMAND_TIMEOUT_S = 300;

    /** A command of a session block and the output the document shows for it, with the document's line numbers. */
    record Command(String text, int line, List<String> shown, int outputLine) {
    }

    /** A fenced block: the line of its first body line (1-based), the marker before it (or null), its lines. */
    record Block(Path doc, int line, String marker, List<String> body) {
        boolean session() {
            return body.stream().anyMatch(l -> l.startsWith("$ "));
        }

        String notRunReason() {
            return marker != null && marker.startsWith(NOT_RUN) ? marker.substring(NOT_RUN.length()).strip() : null;
        }

        List<Command> commands() {
            List<Command> out = new ArrayList<>();
            for (int i = 0; i < body.size(); ) {
                String l = body.get(i);
                if (!l.startsWith("$ ")) {
                    throw new AssertionError(where(doc, line + i) + ": a session block must start with a '$ ' command: " + l);
                }
                int start = i;
                StringBuilder cmd = new StringBuilder(l.substring(2));
                while ((cmd.toString().endsWith("\\") || quoteOpen(cmd)) && i + 1 < body.size()) {
                    cmd.append('\n').append(body.get(++i)); // the shell takes backslash-newline as a continuation
                }
                i++;
                int outStart = i;
                while (i < body.size() && !body.get(i).startsWith("$ ")) {
                    i++;
                }
                out.add(new Command(cmd.toString(), line + start, body.subList(outStart, i), line + outStart));
            }
            return out;
        }
    }

    /** Whether {@code cmd} ends inside a quoted string of the shell, so that its next line continues it. */
    static boolean quoteOpen(CharSequence cmd) {
        char quote = 0;
        for (int i = 0; i < cmd.length(); i++) {
            char c = cmd.charAt(i);
            if (quote == '\'') {
                quote = c == '\'' ? 0 : quote;
            } else if (c == '\\') {
                i++;
            } else if (quote == '"') {
                quote = c == '"' ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            }
        }
        return quote != 0;
    }

    static String where(Path doc, int line) {
        return ROOT.relativize(doc.toAbsolutePath().normalize()) + ":" + line;
    }

    /** The documents: README.md and every docs/*.md. */
    static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    /** The fenced blocks of {@code doc}, each with the HTML comment on the line before its fence, if any. */
    static List<Block> blocks(Path doc, String text) {
        List<String> lines = text.lines().toList();
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("```")) {
                continue;
            }
            String prev = i > 0 ? lines.get(i - 1).strip() : "";
            String marker = prev.startsWith("<!--") && prev.endsWith("-->") ? prev.substring(4, prev.length() - 3).strip()
                    : null;
            int j = i + 1;
            while (j < lines.size() && !lines.get(j).startsWith("```")) {
                j++;
            }
            out.add(new Block(doc, i + 2, marker, lines.subList(i + 1, Math.min(j, lines.size()))));
            i = j;
        }
        return out;
    }

    /** Whether a shown output line stands for any number of lines. */
    static boolean elidesLines(String shown) {
        String s = shown.strip();
        return s.equals("...") || s.equals("…") || s.startsWith("... ") || s.startsWith("… ");
    }

    /** {@code shown} as a pattern over the whole output: elided lines, … for any text within a line. */
    static Pattern pattern(List<String> shown) {
        StringBuilder re = new StringBuilder();
        for (String l : shown) {
            if (elidesLines(l)) {
                re.append("(?:[^\\n]*\\n)*?");
                continue;
            }
            String[] parts = l.split("…", -1);
            for (int k = 0; k < parts.length; k++) {
                if (k > 0) {
                    re.append("[^\\n]*?");
                }
                re.append(Pattern.quote(parts[k]));
            }
            re.append("\\n");
        }
        return Pattern.compile(re.toString());
    }

    /** Whether {@code actual} is what {@code shown} shows. */
    static boolean matches(List<String> shown, String actual) {
        String a = actual.isEmpty() || actual.endsWith("\n") ? actual : actual + "\n";
        return pattern(shown).matcher(a).matches();
    }

    /**
     * The first shown line (0-based) that the output does not have where it should, walking both
     * in order: after an elided stretch, the next shown line is looked for further on; the size
     * of {@code shown} when the output has more lines than it shows, or matches.
     */
    static int firstDifference(List<String> shown, String actual) {
        List<String> got = actual.lines().toList();
        int pos = 0;
        boolean skipping = false;
        for (int i = 0; i < shown.size(); i++) {
            if (elidesLines(shown.get(i))) {
                skipping = true;
                continue;
            }
            Pattern line = pattern(List.of(shown.get(i)));
            int at = pos;
            while (at < got.size() && !line.matcher(got.get(at) + "\n").matches() && skipping) {
                at++;
            }
            if (at >= got.size() || !line.matcher(got.get(at) + "\n").matches()) {
                return i;
            }
            pos = at + 1;
            skipping = false;
        }
        return shown.size();
    }

    record Ran(int status, String out) {
    }

    /** Runs {@code command} with bash in {@code dir}, ./pagelab being the command line under test. */
    static Ran run(String command, Path dir) throws IOException, InterruptedException {
        String javaHome = System.getProperty("java.home");
        String prelude = "set -o pipefail\npagelab() { \"$PAGELAB_JAVA\" --enable-native-access=ALL-UNNAMED -Xss8m"
                + " -XX:+UseCompactObjectHeaders -cp \"$PAGELAB_CP\" org.pagelab.cli.Main \"$@\"; }\n";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", prelude + command.replace("./pagelab", "pagelab"))
                .directory(dir.toFile());
        pb.environment().put("PAGELAB_JAVA", javaHome + "/bin/java");
        pb.environment().put("PAGELAB_CP", System.getProperty("java.class.path"));
        pb.environment().put("JAVA_HOME", javaHome);
        pb.environment().put("PATH", javaHome + "/bin:" + System.getenv("PATH"));
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectErrorStream(true); // a document shows what the terminal shows: both streams, in order
        Path out = Files.createTempFile(OUT, "output", ".txt");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("command ran longer than " + COMMAND_TIMEOUT_S + " s: " + command);
        }
        String text = Files.readString(out);
        Files.delete(out);
        return new Ran(p.exitValue(), text);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private static int checkedBlocks;
    private static final List<String> notRun = new ArrayList<>();
    private static final List<String> stale = new ArrayList<>();

    @TestFactory
    Stream<DynamicNode> everyCommandShownPrintsWhatTheDocumentShows() throws IOException {
        Files.createDirectories(OUT);
        List<DynamicNode> docs = new ArrayList<>();
        for (Path doc : documents()) {
            List<Block> blocks = blocks(doc, Files.readString(doc));
            List<DynamicNode> tests = new ArrayList<>();
            Path[] dir = new Path[1];
            for (Block b : blocks) {
                if (b.marker() != null && b.marker().startsWith("file:")) {
                    Path file = ROOT.resolve(b.marker().substring(5).strip());
                    tests.add(DynamicTest.dynamicTest(where(doc, b.line()) + " is " + file.getFileName(), () ->
                            assertThat(String.join("\n", b.body()) + "\n").as("%s shows %s; the file differs",
                                    where(doc, b.line()), ROOT.relativize(file)).isEqualTo(Files.readString(file))));
                    continue;
                }
                if (!b.session()) {
                    continue;
                }
                if (b.notRunReason() != null) {
                    assertThat(b.notRunReason()).as("%s: a block not run says why", where(doc, b.line())).isNotBlank();
                    notRun.add(where(doc, b.line()) + ": " + b.notRunReason());
                    continue;
                }
                checkedBlocks++;
                for (Command c : b.commands()) {
                    tests.add(DynamicTest.dynamicTest(where(doc, c.line()) + " $ " + c.text().lines().findFirst().orElse(""),
                            () -> {
                                if (dir[0] == null) {
                                    dir[0] = Files.createTempDirectory(OUT, "session-");
                                    copyTree(ROOT.resolve("examples"), dir[0].resolve("examples"));
                                }
                                check(doc, c, dir[0]);
                            }));
                }
            }
            if (!tests.isEmpty()) {
                tests.add(DynamicTest.dynamicTest("clean up", () -> {
                    if (dir[0] != null) {
                        org.pagelab.machine.Machine.deleteTree(dir[0]);
                    }
                }));
                docs.add(DynamicContainer.dynamicContainer(ROOT.relativize(doc).toString(), tests));
            }
        }
        return docs.stream();
    }

    /** The tools besides pagelab and the shell that commands of the documents use. */
    static final List<String> TOOLS = List.of("jq", "unzip", "python3", "awk", "grep", "sed");

    /** Whether {@code tool} is on the PATH. */
    static boolean installed(String tool) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    private static void check(Path doc, Command c, Path dir) throws IOException, InterruptedException {
        for (String tool : TOOLS) {
            if (Pattern.compile("(^|[|;&(]\\s*)" + tool + "\\b").matcher(c.text()).find() && !installed(tool)) {
                String why = where(doc, c.line()) + " needs " + tool + ", which is not installed (apt-get install " + tool
                        + "; .ci/run installs it)";
                if (System.getenv("CI") != null) {
                    throw new AssertionError(why);
                }
                org.junit.jupiter.api.Assumptions.abort(why);
            }
        }
        Ran r = run(c.text(), dir);
        if (matches(c.shown(), r.out())) {
            return;
        }
        int k = firstDifference(c.shown(), r.out());
        String name = ROOT.relativize(doc).toString().replace('/', '-') + "-" + c.line() + ".out";
        Files.writeString(OUT.resolve(name), r.out());
        int staleLine = c.outputLine() + Math.min(k, Math.max(0, c.shown().size() - 1));
        stale.add(where(doc, staleLine));
        if (UPDATE && c.shown().stream().noneMatch(l -> elidesLines(l) || l.contains("…")) && r.status() == 0) {
            replaceOutput(doc, c, r.out());
        }
        throw new AssertionError(where(doc, staleLine) + " went stale: the document shows\n  "
                + (k < c.shown().size() ? c.shown().get(k) : "(nothing more)") + "\nbut `" + c.text()
                + "` now prints (exit " + r.status() + ", all of it in " + OUT.resolve(name) + ")\n"
                + r.out().lines().limit(40).reduce("", (a, l) -> a + "  " + l + "\n"));
    }

    /** Rewrites the output lines of {@code c} in {@code doc} with {@code out}. */
    private static synchronized void replaceOutput(Path doc, Command c, String out) throws IOException {
        List<String> lines = new ArrayList<>(Files.readString(doc).lines().toList());
        int from = c.outputLine() - 1;
        if (!lines.subList(from, from + c.shown().size()).equals(c.shown())) {
            return; // an earlier rewrite moved the lines: the next run updates this one
        }
        List<String> now = out.lines().toList();
        for (int i = 0; i < c.shown().size(); i++) {
            lines.remove(from);
        }
        lines.addAll(from, now);
        Files.writeString(doc, String.join("\n", lines) + "\n");
    }

    @AfterAll
    static void summary() {
        System.out.println("DocumentTest: " + checkedBlocks + " command blocks checked, " + notRun.size() + " not run"
                + (stale.isEmpty() ? "" : ", stale output at " + String.join(", ", stale)));
        notRun.forEach(n -> System.out.println("  not run: " + n));
    }

    /**
     * The commands listed without output (the README's "Running" list, usage lines in docs/) are
     * not run, but each must still parse: an option renamed or removed fails here, naming the line.
     */
    @Test
    void everyCommandListedWithoutOutputParses() throws IOException {
        int parsed = 0;
        List<String> bad = new ArrayList<>();
        for (Path doc : documents()) {
            for (Block b : blocks(doc, Files.readString(doc))) {
                if (b.session()) {
                    continue;
                }
                for (int i = 0; i < b.body().size(); i++) {
                    int first = i;
                    String l = b.body().get(i).strip();
                    while (l.endsWith("\\") && i + 1 < b.body().size()) {
                        l = l.substring(0, l.length() - 1) + " " + b.body().get(++i).strip();
                    }
                    if (!l.startsWith("./pagelab ") || l.contains("|") || l.contains("$(")) {
                        continue;
                    }
                    int comment = l.indexOf(" #");
                    String[] words = (comment < 0 ? l : l.substring(0, comment)).strip().split("\\s+");
                    String[] args = java.util.Arrays.copyOfRange(words, 1, words.length);
                    if (args.length > 0 && args[0].equals("test") || args.length > 0 && args[0].equals("build")) {
                        continue; // the launcher's own commands, not the command line's
                    }
                    try {
                        Main.commandLine().parseArgs(args);
                        parsed++;
                    } catch (picocli.CommandLine.ParameterException e) {
                        bad.add(where(doc, b.line() + first) + ": " + l + " -> " + e.getMessage());
                    }
                }
            }
        }
        System.out.println("DocumentTest: " + parsed + " listed commands parse");
        assertThat(bad).as("listed commands that no longer parse").isEmpty();
        assertThat(parsed).isGreaterThanOrEqualTo(10);
    }

    @Test
    void sessionBlocksSplitIntoCommandsAndOutputWithContinuations() {
        Block b = new Block(Path.of("x.md"), 10, null, List.of("$ a \\", "  b", "out 1", "$ c", "$ d", "x"));
        assertThat(b.commands()).containsExactly(new Command("a \\\n  b", 10, List.of("out 1"), 12),
                new Command("c", 13, List.of(), 14), new Command("d", 14, List.of("x"), 15));
        Block q = new Block(Path.of("x.md"), 1, null, List.of("$ a | jq '{x:", "  y}'", "{}"));
        assertThat(q.commands()).containsExactly(new Command("a | jq '{x:\n  y}'", 1, List.of("{}"), 3));
        assertThat(blocks(Path.of("x.md"), "t\n<!-- doc-test: not run: slow -->\n```\n$ a\n```\n")).singleElement()
                .satisfies(x -> assertThat(x.notRunReason()).isEqualTo("slow"));
    }

    @Test
    void elisionsStandForLinesOrTextAndNothingElseIsLoose() {
        assertThat(matches(List.of("a", "...", "z"), "a\nb\nc\nz\n")).isTrue();
        assertThat(matches(List.of("a", "... (left out)", "z"), "a\nz\n")).isTrue();
        assertThat(matches(List.of("elapsed … ms"), "elapsed 12.5 ms\n")).isTrue();
        assertThat(matches(List.of("elapsed … ms"), "elapsed 12.5 ms\nmore\n")).isFalse();
        assertThat(matches(List.of("pgpgin 171552"), "pgpgin 174756\n")).isFalse();
        assertThat(matches(List.of("a.b"), "axb\n")).isFalse();
        assertThat(firstDifference(List.of("a", "b", "c"), "a\nB\nc\n")).isEqualTo(1);
        assertThat(firstDifference(List.of("a", "...", "y", "z"), "a\nb\ny\nZ\n")).isEqualTo(3);
        assertThat(firstDifference(List.of("a", "... left out", "z"), "a\nb\nz\n")).isEqualTo(3);
    }

    @Test
    void theDocumentsHaveSessionBlocksToCheck() throws IOException {
        int sessions = 0;
        for (Path doc : documents()) {
            sessions += (int) blocks(doc, Files.readString(doc)).stream().filter(Block::session).count();
        }
        assertThat(sessions).isGreaterThanOrEqualTo(10);
    }
}
