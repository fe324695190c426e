package org.pagelab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * docs/java-api.md cannot rot: each code block marked {@code <!-- file: PATH -->} is that file, byte
 * for byte; each output block marked {@code <!-- output-of: CLASS -->} is what that example's main
 * prints now; every example in this package is shown in the guide. The examples check their own
 * claims and throw when one is false.
 */
class JavaApiExamplesTest {
    static final Path ROOT = Path.of("..");
    static final Path GUIDE = ROOT.resolve("docs/java-api.md");
    static final Path EXAMPLES = ROOT.resolve("api/src/test/java/org/pagelab/examples");

    /** Arguments of examples that take one: paths from the repository's top, seen from this module. */
    static final Map<String, String[]> ARGS = Map.of("org.pagelab.examples.ScenarioPhases",
            new String[] {"../examples/file-phases.yaml"});

    /** A fenced block after a marker comment: the marker's kind and value, the block, its first line. */
    record Marked(String kind, String value, String body, int line) {
    }

    /** The fenced blocks of {@code text} preceded (on the line before the fence) by {@code <!-- KIND: VALUE -->}. */
    static List<Marked> marked(String text) {
        List<String> lines = text.lines().toList();
        List<Marked> out = new ArrayList<>();
        for (int i = 0; i + 1 < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (!l.startsWith("<!--") || !l.endsWith("-->") || !lines.get(i + 1).startsWith("```")) {
                continue;
            }
            String inner = l.substring(4, l.length() - 3).strip();
            int colon = inner.indexOf(':');
            if (colon < 0) {
                continue;
            }
            StringBuilder body = new StringBuilder();
            int j = i + 2;
            for (; j < lines.size() && !lines.get(j).startsWith("```"); j++) {
                body.append(lines.get(j)).append('\n');
            }
            out.add(new Marked(inner.substring(0, colon).strip(), inner.substring(colon + 1).strip(), body.toString(),
                    i + 3));
            i = j;
        }
        return out;
    }

    static String runMain(String className) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            Class.forName(className).getMethod("main", String[].class)
                    .invoke(null, (Object) ARGS.getOrDefault(className, new String[0]));
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @TestFactory
    Stream<DynamicTest> everyMarkedBlockOfTheGuideIsTheFileOrTheOutput() throws IOException {
        List<Marked> blocks = marked(Files.readString(GUIDE));
        assertThat(blocks).as("marked blocks in %s", GUIDE).isNotEmpty();
        return blocks.stream().map(b -> DynamicTest.dynamicTest("docs/java-api.md:" + b.line() + " " + b.kind() + " "
                + b.value(), () -> {
            switch (b.kind()) {
                case "file" -> assertThat(b.body()).as("docs/java-api.md line %d shows %s; the code differs from the"
                        + " file", b.line(), b.value()).isEqualTo(Files.readString(ROOT.resolve(b.value())));
                case "output-of" -> {
                    String now = runMain(b.value());
                    if (!now.equals(b.body())) {
                        Path actual = Path.of("target/java-api-output", b.value() + ".out");
                        Files.createDirectories(actual.getParent());
                        Files.writeString(actual, now);
                        assertThat(b.body()).as("docs/java-api.md line %d: the output of %s went stale; what it prints"
                                + " now is in %s", b.line(), b.value(), actual.toAbsolutePath()).isEqualTo(now);
                    }
                }
                default -> throw new AssertionError("docs/java-api.md line " + b.line() + ": unknown marker '"
                        + b.kind() + "'");
            }
        }));
    }

    @Test
    void theGuideShowsEveryExampleAndItsOutput() throws IOException {
        List<Marked> blocks = marked(Files.readString(GUIDE));
        List<String> examples;
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            examples = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java") && !n.endsWith("Test.java"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(5);
        for (String e : examples) {
            assertThat(blocks).as("docs/java-api.md shows example %s and its output", e)
                    .anyMatch(b -> b.kind().equals("file") && b.value().endsWith("/examples/" + e + ".java"))
                    .anyMatch(b -> b.kind().equals("output-of") && b.value().equals("org.pagelab.examples." + e));
        }
    }

    @Test
    void theMarkerParserFindsFileAndOutputBlocksAndTheirLines() {
        String text = "intro\n<!-- file: a/B.java -->\n```java\nclass B {}\n```\ntext\n<!-- output-of: x.Y -->\n```\n1\n2\n```\n"
                + "<!-- not a marker -->\n```\nz\n```\n";
        assertThat(marked(text)).containsExactly(new Marked("file", "a/B.java", "class B {}\n", 4),
                new Marked("output-of", "x.Y", "1\n2\n", 9));
    }
}
