package org.pagelab.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package dependencies of core, read from its compiled classes by the JDK's jdeps: the
 * package cycles among them, and the edges that go up the floors of the machine package essay.
 *
 * <p>The goal (issue 14) is no cycle at all and no edge that goes up a floor. Both hold now: the two
 * lists below are empty. They stay as the way to record an exception with its reason, should one
 * ever be needed: {@link #ALLOWED_CYCLE_EDGES} lists every
 * edge that lies on a cycle and {@link #ALLOWED_UPWARD_EDGES} every edge that goes up a floor,
 * each with the classes that make it and why it is still there, and the test fails when
 * <ul>
 *   <li>an edge not in the list lies on a cycle or goes up (a new cycle, a new edge inside the old
 *       one, a new upward edge), or</li>
 *   <li>an edge in the list no longer does (the list must shrink with the code; the failure
 *       prints the list to put in its place).</li>
 * </ul>
 * When both lists are empty, the test is the rule "no package cycles, no edge up a floor".
 */
class PackageCycleTest {
    private static final String PREFIX = "org.pagelab.";

    /**
     * Edges "from -> to" (package names without {@value #PREFIX}) allowed on a cycle for now, each
     * with the classes that make it and why. Empty: core has no package cycle, and this test
     * keeps it so.
     */
    static final Map<String, String> ALLOWED_CYCLE_EDGES = Map.of();

    /**
     * Edges that go up the floors of the machine package essay, allowed for now, each with the
     * classes that make it and why. Empty: time costs reach phys, filemap and swap through
     * interfaces of their own floors (AllocClock, IoClock, SwapIo), which the machine implements
     * over the simulator, and this test keeps every edge going down.
     */
    static final Map<String, String> ALLOWED_UPWARD_EDGES = Map.of();

    /** The essay whose Floors table the test checks, relative to core's directory. */
    private static final String FLOORS_ESSAY = "src/main/java/org/pagelab/machine/package-info.java";

    private static Map<String, Set<String>> graph;
    private static Map<String, Integer> floors;
    private static Path coreDir;

    @BeforeAll
    static void readDependencies() throws URISyntaxException, IOException {
        Path classes = Path.of(org.pagelab.machine.Machine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(Files.isDirectory(classes)).as("core's classes are a directory: %s", classes).isTrue();
        graph = packageGraph(jdeps("-verbose:package", "-e", "org\\.pagelab\\..*", classes.toString()));
        coreDir = classes.getParent().getParent();
        Path essay = coreDir.resolve(FLOORS_ESSAY);
        floors = floors(Files.readString(essay), essay.toString());
    }

    @Test
    void packageEdgesAreReadAndPrinted() {
        List<String> edges = edges(graph);
        System.out.println("core package edges (" + edges.size() + "):");
        edges.forEach(e -> System.out.println("  " + e));
        // a sanity check of the reading: edges that exist as long as these packages do
        assertThat(edges).contains("memory -> pgtable", "rmap -> vma", "reclaim -> rmap");
        assertThat(edges).doesNotContain("rmap -> memory", "desc -> memory", "pgtable -> memory");
    }

    @Test
    void onlyTheAllowedEdgesLieOnPackageCycles() {
        List<Set<String>> cycles = stronglyConnected(graph).stream().filter(c -> c.size() > 1).toList();
        Set<String> onCycle = new TreeSet<>();
        for (Set<String> c : cycles) {
            System.out.println("package cycle set (" + c.size() + "): " + c);
            for (String from : c) {
                for (String to : graph.getOrDefault(from, Set.of())) {
                    if (c.contains(to)) {
                        onCycle.add(from + " -> " + to);
                    }
                }
            }
        }
        assertOnlyAllowed("on a package cycle", onCycle, ALLOWED_CYCLE_EDGES, "ALLOWED_CYCLE_EDGES");
    }

    @Test
    void everyPackageOfCoreHasOneFloor() throws IOException {
        Set<String> packages = new TreeSet<>();
        try (var dirs = Files.list(coreDir.resolve("src/main/java/org/pagelab"))) {
            dirs.filter(Files::isDirectory).forEach(d -> packages.add(d.getFileName().toString()));
        }
        assertThat(packages).as("packages of core").containsAll(graph.keySet());
        assertThat(floors.keySet()).as("packages on the floors of %s", FLOORS_ESSAY).isEqualTo(packages);
    }

    @Test
    void onlyTheAllowedEdgesGoUpAFloor() {
        Set<String> upward = new TreeSet<>();
        graph.forEach((from, tos) -> tos.forEach(to -> {
            if (floors.containsKey(from) && floors.containsKey(to) && floors.get(to) > floors.get(from)) {
                upward.add(from + " -> " + to);
            }
        }));
        upward.forEach(e -> System.out.println("edge up a floor: " + e));
        assertOnlyAllowed("going up a floor", upward, ALLOWED_UPWARD_EDGES, "ALLOWED_UPWARD_EDGES");
    }

    /** Fails unless {@code found} is exactly the key set of {@code allowed}, printing what differs. */
    private static void assertOnlyAllowed(String what, Set<String> found, Map<String, String> allowed, String listName) {
        Set<String> added = new TreeSet<>(found);
        added.removeAll(allowed.keySet());
        Set<String> gone = new TreeSet<>(allowed.keySet());
        gone.removeAll(found);
        assertThat(added.isEmpty() && gone.isEmpty())
                .as("edges newly %s: %s%nallowed edges no longer %s: %s%n"
                        + "the edges %s for the code as it is now (%s must name exactly these, each with its reason):%n%s",
                        what, added, what, gone, what, listName,
                        found.stream().map(e -> "            " + e).collect(Collectors.joining("\n")))
                .isTrue();
    }

    /**
     * The floor of each package in the Floors table of an essay: the {@code <pre>} block after the
     * "Floors" heading, one line per floor, "number  package, package  description". Bad lines
     * and a package on two floors are errors naming {@code source} and the line.
     */
    static Map<String, Integer> floors(String essay, String source) {
        int heading = essay.indexOf("<h2>Floors</h2>");
        assertThat(heading).as("%s has a <h2>Floors</h2> section", source).isNotNegative();
        int pre = essay.indexOf("<pre>", heading);
        int endPre = essay.indexOf("</pre>", pre);
        assertThat(pre >= 0 && endPre > pre).as("%s: the Floors section has a <pre> table", source).isTrue();
        Map<String, Integer> out = new TreeMap<>();
        int lineNo = (int) essay.substring(0, pre).lines().count();
        for (String line : essay.substring(pre + "<pre>".length(), endPre).split("\n")) {
            String row = line.replaceFirst("^\\s*\\*", "").strip();
            if (row.isEmpty()) {
                lineNo++;
                continue;
            }
            java.util.regex.Matcher m = FLOOR_ROW.matcher(row);
            assertThat(m.matches()).as("%s line %d: not a floor row (number, packages, description): %s",
                    source, lineNo, row).isTrue();
            int floor = Integer.parseInt(m.group(1));
            for (String p : m.group(2).split(",")) {
                Integer before = out.put(p.strip(), floor);
                assertThat(before).as("%s line %d: package %s is on floors %s and %d", source, lineNo, p.strip(), before,
                        floor).isNull();
            }
            lineNo++;
        }
        return out;
    }

    private static final java.util.regex.Pattern FLOOR_ROW =
            java.util.regex.Pattern.compile("(\\d+)\\s+([a-z]+(?:,\\s*[a-z]+)*)(?:\\s{2,}.*)?");

    /** Runs jdeps with {@code args}; its output. */
    private static String jdeps(String... args) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new AssertionError("no jdeps in this Java runtime: run the tests with a full JDK 25"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(rc).as("jdeps %s failed: %s", List.of(args), err).isZero();
        return out.toString();
    }

    /** The edges between pagelab packages in jdeps' package-level output, by short package name. */
    static Map<String, Set<String>> packageGraph(String jdepsOutput) {
        Map<String, Set<String>> g = new TreeMap<>();
        for (String line : jdepsOutput.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[1].equals("->") && f[0].startsWith(PREFIX) && f[2].startsWith(PREFIX)) {
                String from = f[0].substring(PREFIX.length());
                String to = f[2].substring(PREFIX.length());
                if (!from.equals(to)) {
                    g.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                    g.computeIfAbsent(to, k -> new TreeSet<>());
                }
            }
        }
        return g;
    }

    private static List<String> edges(Map<String, Set<String>> g) {
        List<String> out = new ArrayList<>();
        g.forEach((from, tos) -> tos.forEach(to -> out.add(from + " -> " + to)));
        return out;
    }

    /** Tarjan's strongly connected components of {@code g}, iteratively. */
    static List<Set<String>> stronglyConnected(Map<String, Set<String>> g) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] next = {0};
        for (String root : g.keySet()) {
            if (index.containsKey(root)) {
                continue;
            }
            Deque<Map.Entry<String, Iterator<String>>> work = new ArrayDeque<>();
            index.put(root, next[0]);
            low.put(root, next[0]++);
            stack.push(root);
            onStack.add(root);
            work.push(Map.entry(root, g.get(root).iterator()));
            while (!work.isEmpty()) {
                String v = work.peek().getKey();
                Iterator<String> it = work.peek().getValue();
                if (it.hasNext()) {
                    String w = it.next();
                    if (!index.containsKey(w)) {
                        index.put(w, next[0]);
                        low.put(w, next[0]++);
                        stack.push(w);
                        onStack.add(w);
                        work.push(Map.entry(w, g.get(w).iterator()));
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    String parent = work.peek().getKey();
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    Set<String> component = new TreeSet<>();
                    String w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        component.add(w);
                    } while (!w.equals(v));
                    out.add(component);
                }
            }
        }
        return out;
    }

    @Test
    void theCycleFinderFindsACycleAndNoneInAChain() {
        Map<String, Set<String>> chain = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of()));
        assertThat(stronglyConnected(chain)).allMatch(c -> c.size() == 1);
        Map<String, Set<String>> loop = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"),
                "d", Set.of()));
        assertThat(stronglyConnected(loop)).contains(Set.of("a", "b", "c"), Set.of("d"));
        assertThat(packageGraph("   org.pagelab.a -> org.pagelab.b   classes\n   org.pagelab.a -> java.util   java.base\n"))
                .isEqualTo(Map.of("a", Set.of("b"), "b", Set.of()));
    }

    @Test
    void theFloorsTableIsReadAndBadRowsAreNamed() {
        String essay = """
                 * <h2>Floors</h2>
                 * text
                 * <pre>
                 *   1  b, c      the upper floor
                 *   0  a
                 * </pre>
                """;
        assertThat(floors(essay, "x.java")).isEqualTo(Map.of("a", 0, "b", 1, "c", 1));
        assertThatThrownBy(() -> floors(essay.replace("0  a", "0  a, b"), "x.java"))
                .hasMessageContaining("x.java line 5: package b is on floors 1 and 0");
        assertThatThrownBy(() -> floors(essay.replace("0  a", "zero  a"), "x.java"))
                .hasMessageContaining("x.java line 5: not a floor row");
    }
}
