package org.pagelab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pagelab.trace.TraceKeys;

/**
 * docs/policies.md's tables of miss counts on the 13 LIRS traces cannot go stale: every pagelab
 * cell of them, a count and its ratio ({@code 12977 (0.8183)}), is what the policy gives now (the
 * ratio is the double rounded to 4 places from its exact binary value, half to even, as the
 * document's ratios were printed from {@code --json}: 45585 of 100000 is 0.4558). The
 * traces come from the Caffeine simulator's jar (a test dependency), as the document says; the
 * peers' columns are not checked (they are other programs' output). A cell that differs names the
 * trace, policy and size; rerun the command the document gives and rewrite the table.
 */
class PolicyDocTableTest {
    static final Path DOC = Path.of("..", "docs", "policies.md");
    private static final Pattern SECTION = Pattern.compile("^### (\\S+) \\((\\d+) accesses, footprint (\\d+) pages\\)$");
    private static final Pattern HEADER_SIZE = Pattern.compile("(\\d+) pages: pagelab");
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|(.*)\\|$");
    private static final Pattern CELL = Pattern.compile("(\\d+) \\((\\d\\.\\d{4})\\)");

    @TempDir
    Path dir;

    /** One trace's table: its name, accesses, sizes, and per policy the cells in size order. */
    record Table(String trace, long accesses, int[] sizes, List<String> policies, List<long[]> counts, List<String[]> ratios) {
        @Override
        public String toString() {
            return trace;
        }
    }

    static List<Table> tables() throws IOException {
        List<Table> out = new ArrayList<>();
        Table t = null;
        for (String line : Files.readAllLines(DOC)) {
            Matcher s = SECTION.matcher(line);
            if (s.matches()) {
                t = new Table(s.group(1), Long.parseLong(s.group(2)), null, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
                out.add(t);
                continue;
            }
            if (t == null) {
                continue;
            }
            if (t.sizes() == null && line.startsWith("| policy |")) {
                Matcher h = HEADER_SIZE.matcher(line);
                List<Integer> sizes = new ArrayList<>();
                while (h.find()) {
                    sizes.add(Integer.parseInt(h.group(1)));
                }
                t = new Table(t.trace(), t.accesses(), sizes.stream().mapToInt(Integer::intValue).toArray(), t.policies(),
                        t.counts(), t.ratios());
                out.set(out.size() - 1, t);
                continue;
            }
            Matcher r = ROW.matcher(line);
            if (r.matches()) {
                Matcher c = CELL.matcher(r.group(2));
                List<Long> counts = new ArrayList<>();
                List<String> ratios = new ArrayList<>();
                while (c.find()) {
                    counts.add(Long.parseLong(c.group(1)));
                    ratios.add(c.group(2));
                }
                t.policies().add(r.group(1));
                t.counts().add(counts.stream().mapToLong(Long::longValue).toArray());
                t.ratios().add(ratios.toArray(String[]::new));
            }
        }
        return out;
    }

    @Test
    void theDocumentHasAFullTableForEachOfTheThirteenTraces() throws IOException {
        List<Table> tables = tables();
        assertThat(tables).extracting(Table::trace).containsExactly("multi1", "2_pools", "sprite", "cs", "backf", "cpp",
                "gli", "loop", "multi2", "multi3", "ps", "scan", "zigzag");
        for (Table t : tables) {
            assertThat(t.sizes()).as(t.trace()).containsExactly(100, 500, 1000);
            assertThat(t.policies()).as(t.trace()).hasSize(Policies.NAMES.size());
            assertThat(t.counts()).as(t.trace()).allSatisfy(c -> assertThat(c).hasSize(3));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void everyPagelabCellIsWhatThePolicyGivesNow(Table t) throws IOException {
        long[] keys = TraceKeys.load(List.of("lirs:" + PolicyStreams.lirsTrace(dir, t.trace())));
        assertThat((long) keys.length).as(t.trace() + " accesses").isEqualTo(t.accesses());
        PolicyStats[][] now = PolicyRuns.run(t.policies(), t.sizes(), keys, PolicyDocTableTest.class.getClassLoader(),
                PolicyRuns.defaultThreads());
        List<String> stale = new ArrayList<>();
        for (int i = 0; i < t.policies().size(); i++) {
            for (int k = 0; k < t.sizes().length; k++) {
                long misses = now[i][k].misses();
                String ratio = new BigDecimal((double) misses / keys.length).setScale(4, RoundingMode.HALF_EVEN).toPlainString();
                if (misses != t.counts().get(i)[k] || !ratio.equals(t.ratios().get(i)[k])) {
                    stale.add(t.policies().get(i) + " at " + t.sizes()[k] + " pages: the document has "
                            + t.counts().get(i)[k] + " (" + t.ratios().get(i)[k] + "), now " + misses + " (" + ratio + ")");
                }
            }
        }
        assertThat(stale).as(DOC + ", " + t.trace()).isEmpty();
    }
}
