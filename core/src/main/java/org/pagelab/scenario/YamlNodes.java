package org.pagelab.scenario;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A reader of composed YAML trees, whose nodes keep their lines, for files that report every error
 * as one line "FILE:LINE: message naming the value": scenario files, and the sweep specs of module
 * sweep, which are read and composed within the same limits. The errors of the tree walk are of
 * the caller's exception type.
 *
 * @param <E> the exception of bad input
 */
public final class YamlNodes<E extends RuntimeException> {
    /** Makes the exception for an error at a line of a file. */
    @FunctionalInterface
    public interface Errors<E extends RuntimeException> {
        E at(String source, int line, String message);
    }

    private final String source;
    private final Errors<E> errors;

    /** A reader whose errors name {@code source} and are made by {@code errors}. */
    public YamlNodes(String source, Errors<E> errors) {
        this.source = source;
        this.errors = errors;
    }

    /**
     * The text of the YAML file {@code path}, read within the scenario format's limits
     * ({@code ScenarioSource}: a regular file, its size, UTF-8); a refusal is a
     * {@link ScenarioException} calling the file {@code what} ("sweep spec"), {@code article}
     * ("a sweep spec") where it says what the file must be.
     */
    public static String read(Path path, String what, String article) {
        return ScenarioSource.read(path, what, article);
    }

    /**
     * The node tree of {@code text} (null for an empty document), composed within the scenario
     * format's limits ({@code ScenarioYaml}); malformed YAML is a {@link ScenarioException} naming
     * {@code source} and the line.
     */
    public static Node compose(String source, String text) {
        return ScenarioYaml.compose(source, text);
    }

    /** An error at the line of {@code n}. */
    public E err(Node n, String msg) {
        return errors.at(source, n.getStartMark().getLine() + 1, msg);
    }

    /** The keys and values of mapping {@code n}, in file order; keys must be in {@code allowed} and distinct. */
    public Map<String, Node> mapping(Node n, String what, Set<String> allowed) {
        if (!(n instanceof MappingNode m)) {
            throw err(n, what + " must be a mapping");
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = scalar(t.getKeyNode(), "key of " + what);
            if (!allowed.contains(key)) {
                throw err(t.getKeyNode(), "unknown key '" + key + "' in " + what + " (expected one of "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
            if (out.put(key, t.getValueNode()) != null) {
                throw err(t.getKeyNode(), "duplicate key '" + key + "' in " + what);
            }
        }
        return out;
    }

    /** The items of list {@code n}. */
    public List<Node> sequence(Node n, String what) {
        if (!(n instanceof SequenceNode s)) {
            throw err(n, what + " must be a list");
        }
        return s.getValue();
    }

    /** The text of single value {@code n}. */
    public String scalar(Node n, String what) {
        if (!(n instanceof ScalarNode s)) {
            throw err(n, what + " must be a single value");
        }
        return s.getValue();
    }

    /** The value of {@code key} in mapping {@code m} of node {@code owner}, which must be there. */
    public Node required(Map<String, Node> m, Node owner, String key, String what) {
        Node n = m.get(key);
        if (n == null) {
            throw err(owner, what + " is missing '" + key + "'");
        }
        return n;
    }
}
