package org.pagelab.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * docs/scenario.schema.json, the JSON Schema editors use for scenario files, agrees with the
 * parser: the keys and step kinds it allows are the ones {@link Scenario} allows (asked of the
 * parser itself, through the lists its errors name, so a step added to the parser and not to the
 * schema fails here naming the step), every scenario in examples/ validates, and input the parser
 * refuses for a reason a schema can express fails the schema too.
 *
 * <p>The YAML is read as an editor's YAML 1.2 plugin reads it (core schema: {@code on} is a
 * string, {@code 0x5a} a number) before it is validated.
 */
class ScenarioSchemaTest {
    static final Path ROOT = Path.of("..");
    static final Path SCHEMA = ROOT.resolve("docs/scenario.schema.json");
    private static Schema schema;

    @BeforeAll
    static void load() throws IOException {
        System.setProperty("slf4j.internal.verbosity", "ERROR"); // the validator logs through SLF4J, which has no provider here
        String text = Files.readString(SCHEMA);
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(text, InputFormat.JSON);
        parsedSchema = (Map<?, ?>) new Yaml().load(text); // JSON is YAML: read the schema as plain maps
    }

    private static Map<?, ?> parsedSchema;

    // ---- the parser's definitions, asked of the parser ----

    private static final Pattern EXPECTED = Pattern.compile("\\(expected one of ([^)]*)\\)");

    /** The list an "expected one of A, B" error of the parser names when it reads {@code yaml}. */
    static List<String> expectedOneOf(String yaml) {
        try {
            Scenario.parse("probe.yaml", yaml);
        } catch (ScenarioException e) {
            Matcher m = EXPECTED.matcher(e.getMessage());
            if (m.find()) {
                return Stream.of(m.group(1).split(",\\s*")).filter(k -> !k.isEmpty()).toList();
            }
            return List.of();
        }
        throw new AssertionError("the parser took the probe:\n" + yaml);
    }

    static final String PROCESS = "processes:\n  - name: p\n    steps:\n";

    /** The step kinds the parser knows. */
    static List<String> parserStepKinds() {
        List<String> kinds = expectedOneOf(PROCESS + "      - zz_probe: {}\n");
        assertThat(kinds).as("the parser names its step kinds").isNotEmpty();
        return kinds;
    }

    /** The keys a step of {@code kind} may have, as the parser says; empty for a scalar step. */
    static List<String> parserStepKeys(String kind) {
        return expectedOneOf(PROCESS + "      - " + kind + ": {zz_probe: 1}\n");
    }

    /** The keys the parser allows at each level other than steps, by the schema's path to that object. */
    static Map<String, List<String>> parserLevels() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        out.put("", expectedOneOf("zz_probe: 1\nprocesses: []\n"));
        out.put("machine", expectedOneOf("machine: {zz_probe: 1}\nprocesses: []\n"));
        out.put("machine.swap[]", expectedOneOf("machine: {swap: [{size: 1M, zz_probe: 1}]}\nprocesses: []\n"));
        out.put("files[]", expectedOneOf("files: [{name: a, zz_probe: 1}]\nprocesses: []\n"));
        out.put("cgroups[]", expectedOneOf("cgroups: [{path: /a, zz_probe: 1}]\nprocesses: []\n"));
        out.put("processes[]", expectedOneOf("processes: [{name: p, zz_probe: 1}]\n"));
        return out;
    }

    // ---- the schema's definitions ----

    @SuppressWarnings("unchecked")
    static Map<String, Object> resolve(Object node) {
        Map<String, Object> m = (Map<String, Object>) node;
        if (m.containsKey("$ref")) {
            String ref = (String) m.get("$ref");
            return resolve(((Map<String, Object>) parsedSchema.get("$defs")).get(ref.substring("#/$defs/".length())));
        }
        return m;
    }

    /** The object schema inside {@code node}: itself, or the object branch of an anyOf. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> objectOf(Object node) {
        Map<String, Object> m = resolve(node);
        if ("object".equals(m.get("type"))) {
            return m;
        }
        for (String k : List.of("anyOf", "oneOf")) {
            if (m.containsKey(k)) {
                for (Object branch : (List<Object>) m.get(k)) {
                    Map<String, Object> b = resolve(branch);
                    if ("object".equals(b.get("type"))) {
                        return b;
                    }
                    if ("array".equals(b.get("type"))) {
                        return objectOf(b.get("items"));
                    }
                }
            }
        }
        if ("array".equals(m.get("type"))) {
            return objectOf(m.get("items"));
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static List<String> keysOf(Map<String, Object> object) {
        return object == null ? List.of() : List.copyOf(((Map<String, Object>) object.get("properties")).keySet());
    }

    /** The object schema at {@code path} ("", "machine", "machine.swap[]", "files[]", ...). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> schemaAt(String path) {
        Map<String, Object> at = (Map<String, Object>) parsedSchema;
        if (path.isEmpty()) {
            return at;
        }
        for (String part : path.split("\\.")) {
            String key = part.endsWith("[]") ? part.substring(0, part.length() - 2) : part;
            at = objectOf(((Map<String, Object>) at.get("properties")).get(key));
        }
        return at;
    }

    static List<String> schemaStepKinds() {
        return keysOf(objectOf(((Map<?, ?>) parsedSchema.get("$defs")).get("step")));
    }

    // ---- YAML as an editor reads it ----

    private static final Pattern INT = Pattern.compile("[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");

    /** {@code yaml} as JSON text, with scalars typed by the YAML 1.2 core schema. */
    static String toJson(String yaml) {
        Node root = new Yaml().compose(new StringReader(yaml));
        StringBuilder sb = new StringBuilder();
        json(root, sb);
        return sb.toString();
    }

    private static void json(Node n, StringBuilder sb) {
        switch (n) {
            case MappingNode m -> {
                sb.append('{');
                boolean first = true;
                for (NodeTuple t : m.getValue()) {
                    sb.append(first ? "" : ",");
                    first = false;
                    string(((ScalarNode) t.getKeyNode()).getValue(), sb);
                    sb.append(':');
                    json(t.getValueNode(), sb);
                }
                sb.append('}');
            }
            case SequenceNode s -> {
                sb.append('[');
                for (int i = 0; i < s.getValue().size(); i++) {
                    sb.append(i == 0 ? "" : ",");
                    json(s.getValue().get(i), sb);
                }
                sb.append(']');
            }
            case ScalarNode s -> scalar(s, sb);
            default -> throw new IllegalArgumentException("unexpected YAML node " + n);
        }
    }

    private static void scalar(ScalarNode s, StringBuilder sb) {
        String v = s.getValue();
        if (s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN) {
            string(v, sb);
        } else if (v.isEmpty() || v.equals("~") || v.equalsIgnoreCase("null")) {
            sb.append("null");
        } else if (v.equals("true") || v.equals("True") || v.equals("TRUE")) {
            sb.append("true");
        } else if (v.equals("false") || v.equals("False") || v.equals("FALSE")) {
            sb.append("false");
        } else if (INT.matcher(v).matches()) {
            sb.append(v.startsWith("0x") ? Long.parseLong(v.substring(2), 16)
                    : v.startsWith("0o") ? Long.parseLong(v.substring(2), 8) : new java.math.BigInteger(v.replace("+", "")));
        } else if (FLOAT.matcher(v).matches()) {
            sb.append(Double.parseDouble(v));
        } else {
            string(v, sb);
        }
    }

    private static void string(String v, StringBuilder sb) {
        sb.append('"');
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        sb.append('"');
    }

    static List<String> errors(String yaml) {
        return schema.validate(toJson(yaml), InputFormat.JSON).stream().map(e -> e.getInstanceLocation() + ": "
                + e.getMessage()).toList();
    }

    // ---- the tests ----

    @Test
    void everyStepKindOfTheParserIsInTheSchemaAndNoOther() {
        List<String> parser = parserStepKinds();
        List<String> schemaKinds = schemaStepKinds();
        List<String> missing = parser.stream().filter(k -> !schemaKinds.contains(k)).toList();
        List<String> extra = schemaKinds.stream().filter(k -> !parser.contains(k)).toList();
        assertThat(missing).as("steps the parser (Scenario.STEP_KEYS) knows but %s does not: add each to $defs.step"
                + " and a $defs.step_<kind>", SCHEMA).isEmpty();
        assertThat(extra).as("steps %s has that the parser refuses", SCHEMA).isEmpty();
    }

    @Test
    void everyStepTakesTheKeysTheParserTakes() {
        List<String> wrong = new ArrayList<>();
        for (String kind : parserStepKinds()) {
            TreeSet<String> parser = new TreeSet<>(parserStepKeys(kind));
            Map<String, Object> body = objectOf(((Map<?, ?>) parsedSchema.get("$defs")).get("step_" + kind));
            TreeSet<String> inSchema = new TreeSet<>(keysOf(body));
            if (!parser.equals(inSchema)) {
                wrong.add("step '" + kind + "': the parser takes " + parser + ", the schema " + inSchema);
            }
        }
        assertThat(wrong).as("step keys that differ between the parser and %s", SCHEMA).isEmpty();
    }

    @Test
    void everyOtherLevelTakesTheKeysTheParserTakes() {
        List<String> wrong = new ArrayList<>();
        parserLevels().forEach((path, keys) -> {
            assertThat(keys).as("the parser names the keys of '%s'", path).isNotEmpty();
            TreeSet<String> inSchema = new TreeSet<>(keysOf(schemaAt(path)));
            if (!new TreeSet<>(keys).equals(inSchema)) {
                wrong.add("'" + (path.isEmpty() ? "(top)" : path) + "': the parser takes " + new TreeSet<>(keys)
                        + ", the schema " + inSchema);
            }
        });
        assertThat(wrong).as("keys that differ between the parser and %s", SCHEMA).isEmpty();
    }

    /** Every scenario in examples/ (sweep specs, which have axes instead of processes, are not scenarios). */
    static Stream<Path> exampleScenarios() throws IOException {
        try (Stream<Path> s = Files.walk(ROOT.resolve("examples"))) {
            List<Path> all = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            List<Path> scenarios = new ArrayList<>();
            for (Path p : all) {
                if (Files.readString(p).lines().anyMatch(l -> l.startsWith("processes:"))) {
                    scenarios.add(p);
                }
            }
            assertThat(scenarios).hasSizeGreaterThanOrEqualTo(10);
            return scenarios.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("exampleScenarios")
    void everyExampleScenarioValidates(Path file) throws IOException {
        String yaml = Files.readString(file);
        Scenario.parse(file.toString(), yaml); // the parser takes it
        assertThat(errors(yaml)).as("%s against %s", file, SCHEMA).isEmpty();
    }

    /** Input the parser refuses, each for a reason the schema expresses too. */
    static Stream<String> refusedByBoth() {
        return Stream.of(
                "processes: [{name: p}]\nzz: 1\n",                                      // unknown top-level key
                "machine: {memroy: 64M}\nprocesses: [{name: p}]\n",                     // misspelt machine key
                "machine: {mode: fast}\nprocesses: [{name: p}]\n",                      // bad mode
                "machine: {swappiness: 300}\nprocesses: [{name: p}]\n",                 // out of range
                "machine: {transparent_hugepage: sometimes}\nprocesses: [{name: p}]\n", // bad THP mode
                "machine: {large_folios: maybe}\nprocesses: [{name: p}]\n",           // bad large_folios
                "machine: {memory: 64X}\nprocesses: [{name: p}]\n",                     // bad size
                "files: [{size: 1M}]\nprocesses: [{name: p}]\n",                        // file without name
                "machine: {memory: 64M}\n",                                             // no processes
                PROCESS + "      - frobnicate: {}\n",                                   // unknown step
                PROCESS + "      - {exit: {}, sync: {}}\n",                             // two keys in a step
                PROCESS + "      - mmap: {name: a, size: 4K, colour: red}\n",           // unknown step key
                PROCESS + "      - mmap: {name: a}\n",                                  // missing size
                PROCESS + "      - mmap: {name: a, size: 4K}\n      - madvise: {region: a, advice: forget}\n",
                PROCESS + "      - mmap: {name: a, size: 4K}\n      - touch: {region: a, pattern: spiral}\n",
                PROCESS + "      - drop_caches: 4\n",
                PROCESS + "      - mmap: {name: a, size: 4K}\n      - write: {region: a, length: 4K, fill: 300}\n",
                "cgroups: [{path: app}]\nprocesses: [{name: p}]\n",                     // path without '/'
                "processes: [{name: p, oom_score_adj: 2000}]\n");
    }

    @ParameterizedTest
    @MethodSource("refusedByBoth")
    void inputTheParserRefusesForASchemaReasonFailsTheSchema(String yaml) {
        assertThatThrownBy(() -> Scenario.parse("bad.yaml", yaml)).isInstanceOf(ScenarioException.class);
        assertThat(errors(yaml)).as("the schema refuses:\n%s", yaml).isNotEmpty();
    }

    @Test
    void yamlIsTypedAsAnEditorTypesIt() {
        assertThat(toJson("a: on\nb: 0x5a\nc: '12'\nd:\ne: [1.5, true, 64M]\n"))
                .isEqualTo("{\"a\":\"on\",\"b\":90,\"c\":\"12\",\"d\":null,\"e\":[1.5,true,\"64M\"]}");
    }

    @Test
    void scenariosMdGivesEditorsTheSchemaLine() throws IOException {
        assertThat(Files.readString(ROOT.resolve("docs/scenarios.md")))
                .contains("# yaml-language-server: $schema=");
    }
}
