package org.pagelab.scenario;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A reader of composed YAML trees, whose nodes keep their lines, for files that report every error
 * as one line "FILE:LINE: message naming the value": scenario files, and the sweep specs of module
 * sweep. The errors are of the caller's exception type.
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
     * The tree of {@code text}: its root node, never null. Malformed YAML is an error at the line of
     * the problem; empty text is one at line 1 saying {@code empty}.
     */
    public Node compose(String text, String empty) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw errors.at(source, m == null ? 0 : m.getLine() + 1,
                    "invalid YAML: " + oneLine(e.getProblem() != null ? e.getProblem() : e.getMessage()));
        } catch (YAMLException e) {
            throw errors.at(source, 0, "invalid YAML: " + oneLine(e.getMessage()));
        }
        if (root == null) {
            throw errors.at(source, 1, empty);
        }
        return root;
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

    /** {@code s} with every run of white space one space. */
    public static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
