package org.pagelab.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pagelab.phys.MemSize;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The step definitions of a scenario file: every step kind with the keys it takes
 * ({@code STEP_KEYS}, which docs/scenario.schema.json must match), the scalar steps, and the
 * checks of each step against what the file has declared before it (regions, files, processes,
 * cgroups). The values are read by the {@link ScenarioParser} that owns this, whose declarations
 * a step extends (mmap and mremap name regions, fork names a process).
 */
final class StepParser {
    /** Every step kind and the keys its mapping may have, in the order errors list them. */
    private static final Map<String, Set<String>> STEP_KEYS = new LinkedHashMap<>();

    static {
        STEP_KEYS.put("mmap", Set.of("name", "size", "prot", "file", "offset", "shared", "addr", "fixed", "align"));
        STEP_KEYS.put("write", Set.of("region", "offset", "length", "fill", "via"));
        STEP_KEYS.put("read", Set.of("region", "offset", "length"));
        STEP_KEYS.put("touch", Set.of("region", "offset", "length", "pattern", "count", "write", "alpha"));
        STEP_KEYS.put("expect", Set.of("region", "offset", "length", "equals", "via"));
        STEP_KEYS.put("expect_kill", Set.of());
        STEP_KEYS.put("mprotect", Set.of("region", "prot", "offset", "length"));
        STEP_KEYS.put("madvise", Set.of("region", "advice", "offset", "length"));
        STEP_KEYS.put("munmap", Set.of("region", "offset", "length"));
        STEP_KEYS.put("mremap", Set.of("region", "offset", "length", "size", "move", "addr", "name"));
        STEP_KEYS.put("clear_refs", Set.of());
        STEP_KEYS.put("fork", Set.of("name", "steps"));
        STEP_KEYS.put("file_write", Set.of("file", "offset", "length", "fill", "errno"));
        STEP_KEYS.put("file_read", Set.of("file", "offset", "length", "errno"));
        STEP_KEYS.put("fsync", Set.of("file", "errno"));
        STEP_KEYS.put("exit", Set.of());
        STEP_KEYS.put("sleep", Set.of("time"));
        STEP_KEYS.put("inject_error", Set.of("file", "device", "op", "offset", "length", "after", "count"));
        STEP_KEYS.put("poison", Set.of("region", "offset"));
        STEP_KEYS.put("pin", Set.of("region", "offset", "length", "write", "longterm", "errno"));
        STEP_KEYS.put("unpin", Set.of("region"));
        STEP_KEYS.put("get", Set.of("region", "offset", "length", "write", "errno"));
        STEP_KEYS.put("put", Set.of("region"));
        STEP_KEYS.put("cgroup_set", ScenarioParser.CGROUP_KEYS);
        STEP_KEYS.put("cgroup_move", Set.of("path"));
        STEP_KEYS.put("cgroup_remove", Set.of("path"));
        STEP_KEYS.put("unlink", Set.of("file"));
        STEP_KEYS.put("close", Set.of("file"));
        STEP_KEYS.put("sync", Set.of());
        STEP_KEYS.put("drop_caches", Set.of());
        STEP_KEYS.put("compact_memory", Set.of());
        STEP_KEYS.put("mark", Set.of());
        STEP_KEYS.put("repeat", Set.of("count", "steps"));
    }

    /** Steps whose body is one value rather than a mapping: {@code drop_caches: 3}, {@code mark: NAME}. */
    private static final Set<String> SCALAR_STEPS = Set.of("drop_caches", "compact_memory", "mark", "clear_refs",
            "expect_kill");

    /** The advices of a madvise step. */
    static final List<String> ADVICES = List.of("dontneed", "cold", "pageout", "hugepage", "nohugepage", "dontfork",
            "dofork", "wipeonfork", "keeponfork", "populate_read", "populate_write", "collapse");

    /** The signals an expect_kill step may name. */
    static final List<String> SIGNALS = List.of("SIGBUS", "SIGSEGV", "SIGKILL", "any");

    private final ScenarioParser p;

    StepParser(ScenarioParser p) {
        this.p = p;
    }

    /** {@code regions}: region name -&gt; whether it is a file mapping, as declared so far. */
    List<Step> steps(Node n, Map<String, Boolean> regions) {
        List<Step> out = new ArrayList<>();
        for (Node sn : p.sequence(n, "steps")) {
            if (!out.isEmpty() && out.getLast().kind().equals("expect_kill")) {
                throw p.err(sn, "a step after expect_kill (line " + out.getLast().line()
                        + ") could never run: a killed process runs nothing more");
            }
            out.add(step(sn, regions));
        }
        return List.copyOf(out);
    }

    private Step step(Node sn, Map<String, Boolean> regions) {
        if (!(sn instanceof MappingNode m) || m.getValue().size() != 1) {
            throw p.err(sn, "a step must be a mapping with exactly one key, one of "
                    + String.join(", ", STEP_KEYS.keySet()));
        }
        NodeTuple t = m.getValue().getFirst();
        String kind = p.scalar(t.getKeyNode(), "step");
        Set<String> allowed = STEP_KEYS.get(kind);
        if (allowed == null) {
            throw p.err(t.getKeyNode(), "unknown step '" + kind + "' (expected one of "
                    + String.join(", ", STEP_KEYS.keySet()) + ")");
        }
        Node body = t.getValueNode();
        int line = sn.getStartMark().getLine() + 1;
        if (SCALAR_STEPS.contains(kind)) {
            return scalarStep(kind, body, line);
        }
        if (kind.equals("repeat")) {
            return repeatStep(body, line, regions);
        }
        Map<String, Node> a;
        if (body instanceof ScalarNode s && s.getValue().isEmpty()) {
            a = Map.of();
        } else {
            a = p.mapping(body, kind + " step", allowed);
        }
        String what = kind + " step";
        String name = null;
        String region = null;
        String file = null;
        Long offset = a.containsKey("offset") ? p.size(a.get("offset"), "offset") : null;
        Long length = a.containsKey("length") ? p.size(a.get("length"), "length") : null;
        Long size = null;
        Integer prot = a.containsKey("prot") ? p.prot(a.get("prot")) : null;
        Boolean shared = a.containsKey("shared") ? p.bool(a.get("shared"), "shared") : null;
        Integer fill = a.containsKey("fill") ? p.fillByte(a.get("fill"), "fill") : null;
        String pattern = null;
        Long count = a.containsKey("count") ? p.number(a.get("count"), "count") : null;
        StepLimits.check(kind, a, p::err);
        Boolean write = a.containsKey("write") ? p.bool(a.get("write"), "write") : null;
        Boolean longterm = a.containsKey("longterm") ? p.bool(a.get("longterm"), "longterm") : null;
        Double alpha = null;
        java.util.Map<String, Long> limits = null;
        Integer equals = a.containsKey("equals") ? p.fillByte(a.get("equals"), "equals") : null;
        Long timeNs = null;
        String advice = null;
        List<Step> children = null;
        if (allowed.contains("region") && !kind.equals("mmap")) {
            Node rn = p.required(a, body, "region", what);
            region = p.scalar(rn, "region");
            if (!regions.containsKey(region)) {
                throw p.err(rn, "unknown region '" + region + "'" + (regions.isEmpty() ? ""
                        : " (known: " + String.join(", ", regions.keySet().stream().sorted().toList()) + ")"));
            }
        }
        if (allowed.contains("file") && !kind.equals("mmap") && !kind.equals("inject_error")) {
            file = p.knownFile(p.required(a, body, "file", what));
        }
        if (Set.of("mprotect", "madvise", "munmap", "mremap").contains(kind)) {
            pageRange(a, offset, length);
        }
        switch (kind) {
            case "mmap" -> {
                name = p.scalar(p.required(a, body, "name", what), "name");
                size = p.size(p.required(a, body, "size", what), "size");
                if (size <= 0) {
                    throw p.err(a.get("size"), "bad size '" + p.scalar(a.get("size"), "size") + "': must be positive");
                }
                if (prot == null) {
                    throw p.err(body, what + " is missing 'prot'");
                }
                if (a.containsKey("file")) {
                    file = p.knownFile(a.get("file"));
                } else if (a.containsKey("offset")) {
                    throw p.err(body, "'offset' needs 'file' (an anonymous mapping has no file to offset into)");
                }
                if (a.containsKey("fixed") && p.bool(a.get("fixed"), "fixed") && !a.containsKey("addr")) {
                    throw p.err(a.get("fixed"), "'fixed' needs 'addr' (MAP_FIXED maps at a given address)");
                }
                if (a.containsKey("align") && a.containsKey("addr")) {
                    throw p.err(a.get("align"), "'align' and 'addr' exclude each other: the address is chosen aligned");
                }
                regions.put(name, file != null);
            }
            case "write", "file_write" -> {
                p.required(a, body, "length", what);
                if (fill == null) {
                    throw p.err(body, what + " is missing 'fill'");
                }
            }
            case "read", "file_read" -> p.required(a, body, "length", what);
            case "expect" -> {
                p.required(a, body, "length", what);
                if (equals == null) {
                    throw p.err(body, what + " is missing 'equals'");
                }
                if (Boolean.FALSE.equals(p.dataMode())) {
                    throw p.err(sn, "expect needs data mode (machine mode is metadata)");
                }
            }
            case "touch" -> {
                pattern = a.containsKey("pattern") ? p.scalar(a.get("pattern"), "pattern") : "sequential";
                if (!Set.of("sequential", "random", "zipf").contains(pattern)) {
                    throw p.err(a.get("pattern"), "bad pattern '" + pattern + "': expected sequential, random or zipf");
                }
                if (a.containsKey("alpha")) {
                    String v = p.scalar(a.get("alpha"), "alpha");
                    try {
                        alpha = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw p.err(a.get("alpha"), "bad alpha '" + v + "': expected a number");
                    }
                    if (!(alpha > 0) || !pattern.equals("zipf")) {
                        throw p.err(a.get("alpha"), "bad alpha '" + v + "': needs pattern zipf and a value above 0");
                    }
                }
            }
            case "mprotect" -> {
                if (prot == null) {
                    throw p.err(body, what + " is missing 'prot'");
                }
            }
            case "madvise" -> {
                advice = p.scalar(p.required(a, body, "advice", what), "advice");
                if (!ADVICES.contains(advice)) {
                    throw p.err(a.get("advice"), "bad advice '" + advice + "': expected one of " + String.join(", ", ADVICES));
                }
            }
            case "sleep" -> {
                String v = p.scalar(p.required(a, body, "time", what), "time");
                try {
                    timeNs = org.pagelab.sim.Units.durationNs("sleep", "time", v.trim());
                } catch (IllegalArgumentException e) {
                    throw p.err(a.get("time"), "bad time '" + v + "': expected a duration such as 500us, 2ms or 1s");
                }
            }
            case "cgroup_set" -> {
                Node pathNode = p.required(a, body, "path", what);
                name = p.cgroupPath(pathNode);
                if (!p.cgroupDeclared(name)) {
                    throw p.err(pathNode, "unknown cgroup '" + name + "' (declare it under 'cgroups')");
                }
                limits = p.limits(a);
                if (limits.isEmpty()) {
                    throw p.err(body, what + " sets nothing: give max, high, low, min, swap_max or oom_group");
                }
            }
            case "cgroup_move", "cgroup_remove" -> {
                Node pathNode = p.required(a, body, "path", what);
                name = p.scalar(pathNode, "path").trim();
                if (!p.cgroupDeclared(name)) {
                    throw p.err(pathNode, "unknown cgroup '" + name + "' (declare it under 'cgroups')");
                }
                if (kind.equals("cgroup_remove") && name.equals("/")) {
                    throw p.err(pathNode, "the root cgroup cannot be removed");
                }
            }
            case "mremap" -> {
                size = a.containsKey("size") ? p.size(a.get("size"), "size") : null;
                if (size != null && size <= 0) {
                    throw p.err(a.get("size"), "bad size '" + p.scalar(a.get("size"), "size") + "': must be positive");
                }
                if (a.containsKey("addr") && !(a.containsKey("move") && p.bool(a.get("move"), "move"))) {
                    throw p.err(a.get("addr"), "'addr' (MREMAP_FIXED) needs 'move: true' (MREMAP_MAYMOVE), as the kernel does");
                }
                if (a.containsKey("name")) {
                    name = p.scalar(a.get("name"), "name");
                    if (regions.containsKey(name)) {
                        throw p.err(a.get("name"), "region '" + name + "' exists already");
                    }
                    regions.put(name, regions.get(region));
                }
            }
            case "inject_error" -> {
                if (a.containsKey("file") == a.containsKey("device")) {
                    throw p.err(body, what + " needs one of 'file' (a declared file) and 'device' (swap0, swap1, ...)");
                }
                if (a.containsKey("file")) {
                    file = p.knownFile(a.get("file"));
                }
                p.required(a, body, "op", what);
                if (a.containsKey("after")) {
                    String v = p.scalar(a.get("after"), "after");
                    try {
                        timeNs = org.pagelab.sim.Units.durationNs("inject_error", "after", v.trim());
                    } catch (IllegalArgumentException e) {
                        throw p.err(a.get("after"), "bad after '" + v + "': expected a duration such as 500us, 2ms or 1s");
                    }
                }
                if (count != null && count == 0) {
                    throw p.err(a.get("count"), "bad count '0': an error rule gives at least one error");
                }
            }
            case "fork" -> {
                name = p.scalar(p.required(a, body, "name", what), "name");
                if (!p.declareProcess(name)) {
                    throw p.err(a.get("name"), "duplicate process name '" + name + "'");
                }
                children = a.containsKey("steps") ? steps(a.get("steps"), new HashMap<>(regions)) : List.of();
            }
            default -> {
            }
        }
        return new Step(kind, line, name, region, file, offset, length, size, prot, shared, fill, pattern, count,
                write, alpha, equals, advice, children, timeNs, longterm, limits, options(a));
    }

    /** The {@link Step.Options} of a step's keys {@code a}, checked. */
    private Step.Options options(Map<String, Node> a) {
        String via = null;
        if (a.containsKey("via")) {
            via = p.scalar(a.get("via"), "via").trim();
            if (!via.equals("pin") && !via.equals("get")) {
                throw p.err(a.get("via"), "bad via '" + via + "': expected pin or get");
            }
        }
        Long addr = a.containsKey("addr") ? address(a.get("addr")) : null;
        Long align = null;
        if (a.containsKey("align")) {
            align = p.size(a.get("align"), "align");
            if (align < MemSize.PAGE_SIZE || Long.bitCount(align) != 1 || align > 1L << 30) {
                throw p.err(a.get("align"), "bad align '" + p.scalar(a.get("align"), "align")
                        + "': expected a power of two from 4K to 1G");
            }
        }
        Boolean fixed = a.containsKey("fixed") ? p.bool(a.get("fixed"), "fixed") : null;
        Boolean move = a.containsKey("move") ? p.bool(a.get("move"), "move") : null;
        String errno = null;
        if (a.containsKey("errno")) {
            errno = p.scalar(a.get("errno"), "errno").trim();
            if (!errno.equals("EFAULT") && !errno.equals("ENOMEM") && !errno.equals("EIO")) {
                throw p.err(a.get("errno"), "bad errno '" + errno + "': expected EFAULT, ENOMEM or EIO");
            }
        }
        String device = null;
        if (a.containsKey("device")) {
            device = p.scalar(a.get("device"), "device").trim();
            if (!device.matches("swap([0-9]|[12][0-9]|3[01])")) {
                throw p.err(a.get("device"), "bad device '" + device + "': expected a swap area, swap0 to swap31");
            }
        }
        String op = null;
        if (a.containsKey("op")) {
            op = p.scalar(a.get("op"), "op").trim();
            if (!op.equals("read") && !op.equals("write")) {
                throw p.err(a.get("op"), "bad op '" + op + "': expected read or write");
            }
        }
        if (via == null && addr == null && align == null && fixed == null && move == null && errno == null
                && device == null && op == null) {
            return Step.Options.NONE;
        }
        return new Step.Options(via, addr, align, fixed, move, null, errno, device, op);
    }

    /** A user-space address: a page-aligned whole number, decimal or 0x hexadecimal, inside the user range. */
    private long address(Node n) {
        String v = p.scalar(n, "addr").trim();
        long x;
        try {
            x = Long.decode(v);
        } catch (NumberFormatException e) {
            throw p.err(n, "bad addr '" + v + "': expected a whole number such as 0x7f0000000000");
        }
        if (x < org.pagelab.vma.Mm.MMAP_MIN_ADDR || x > org.pagelab.vma.Mm.TASK_SIZE || x % MemSize.PAGE_SIZE != 0) {
            throw p.err(n, "bad addr '" + v + "': expected a multiple of 4K from 0x"
                    + Long.toHexString(org.pagelab.vma.Mm.MMAP_MIN_ADDR) + " to 0x"
                    + Long.toHexString(org.pagelab.vma.Mm.TASK_SIZE));
        }
        return x;
    }

    /**
     * Checks the optional part of a region that mprotect, madvise and munmap act on: as in the
     * kernel, the start must be page-aligned (else EINVAL) and the length is rounded up to
     * whole pages; a length of 0 would be a no-op and is refused as a likely mistake.
     */
    private void pageRange(Map<String, Node> a, Long offset, Long length) {
        if (offset != null && offset % MemSize.PAGE_SIZE != 0) {
            throw p.err(a.get("offset"), "bad offset '" + p.scalar(a.get("offset"), "offset")
                    + "': must be a multiple of the page size (4K)");
        }
        if (length != null && length <= 0) {
            throw p.err(a.get("length"), "bad length '" + p.scalar(a.get("length"), "length") + "': must be positive");
        }
    }

    /** {@code drop_caches: 1|2|3}, {@code compact_memory: 1}, {@code clear_refs: 1..4}, {@code expect_kill: SIGNAL} or {@code mark: NAME}. */
    private Step scalarStep(String kind, Node body, int line) {
        String v = p.scalar(body, kind).trim();
        if (kind.equals("clear_refs")) {
            if (!Set.of("1", "2", "3", "4").contains(v)) {
                throw p.err(body, "bad clear_refs '" + v + "': expected 1 (all referenced bits), 2 (anonymous),"
                        + " 3 (file) or 4 (soft-dirty)");
            }
            return new Step(kind, line, null, null, null, null, null, null, null, null, null, null,
                    Long.parseLong(v), null, null, null, null, null, null, null, null);
        }
        if (kind.equals("expect_kill")) {
            if (!SIGNALS.contains(v)) {
                throw p.err(body, "bad expect_kill '" + v + "': expected " + String.join(", ", SIGNALS));
            }
            return new Step(kind, line, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, new Step.Options(null, null, null, null, null, v, null, null, null));
        }
        if (kind.equals("compact_memory")) {
            if (!v.equals("1")) {
                throw p.err(body, "bad compact_memory '" + v + "': expected 1 (compact every zone)");
            }
            return new Step(kind, line, null, null, null, null, null, null, null, null, null, null,
                    1L, null, null, null, null, null, null, null, null);
        }
        if (kind.equals("drop_caches")) {
            if (!Set.of("1", "2", "3").contains(v)) {
                throw p.err(body, "bad drop_caches '" + v + "': expected 1 (page cache), 2 (dentries and inodes)"
                        + " or 3 (both)");
            }
            return new Step(kind, line, null, null, null, null, null, null, null, null, null, null,
                    Long.parseLong(v), null, null, null, null, null, null, null, null);
        }
        if (!v.matches("[A-Za-z0-9_.:-]+")) {
            throw p.err(body, "bad mark name '" + v + "': expected letters, digits, _ . : -");
        }
        return new Step(kind, line, v, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
    }

    /**
     * {@code repeat: { count: N, steps: [...] }}: the steps N times in a row. The body is
     * checked once, as if it ran once; a fork inside would make processes of the same name.
     */
    private Step repeatStep(Node body, int line, Map<String, Boolean> regions) {
        Map<String, Node> a = p.mapping(body, "repeat step", STEP_KEYS.get("repeat"));
        long count = p.number(p.required(a, body, "count", "repeat step"), "count");
        List<Step> children = steps(p.required(a, body, "steps", "repeat step"), regions);
        Step kill = firstOfKind(children, "expect_kill");
        if (kill != null) {
            throw new ScenarioException(p.source(), kill.line(), "expect_kill inside repeat: a killed process has no next round");
        }
        Step fork = firstOfKind(children, "fork");
        if (fork != null) {
            throw new ScenarioException(p.source(), fork.line(),
                    "fork inside repeat: every round would fork a process of the same name '" + fork.name() + "'");
        }
        return new Step("repeat", line, null, null, null, null, null, null, null, null, null, null, count, null,
                null, null, null, children, null, null, null);
    }

    private static Step firstOfKind(List<Step> steps, String kind) {
        for (Step st : steps) {
            if (st.kind().equals(kind)) {
                return st;
            }
            if (st.kind().equals("repeat")) {
                Step inner = firstOfKind(st.children(), kind);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }
}
