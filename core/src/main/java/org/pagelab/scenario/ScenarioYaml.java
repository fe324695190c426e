package org.pagelab.scenario;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.pagelab.input.Escape;
import org.pagelab.input.Limits;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A scenario's YAML composed into a node tree that keeps the line of every node, within the
 * limits of {@link Limits}: lines of at most {@link Limits#MAX_SCENARIO_LINE} characters, at most
 * {@link Limits#MAX_YAML_DEPTH} nested collections and
 * {@link Limits#MAX_YAML_ALIASES} aliases of collections, and no alias inside the collection it
 * names. A first pass over the parser's events enforces them, so that every refusal carries the
 * line where the limit was crossed; SnakeYAML's own limits are set beyond them and never fire.
 */
final class ScenarioYaml {
    private ScenarioYaml() {
    }

    /** The root node of {@code text} (null for an empty document); errors name {@code source} and a line. */
    static Node compose(String source, String text) {
        if (text.length() > Limits.MAX_SCENARIO_BYTES) {
            throw new ScenarioException(source, 1, "scenario too large: " + text.length() + " characters, at most "
                    + Limits.MAX_SCENARIO_BYTES);
        }
        checkLines(source, text);
        int[] lastLine = {1};
        try {
            checkLimits(source, text, lastLine);
            return new Yaml(options()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new ScenarioException(source, m == null ? lastLine[0] : m.getLine() + 1,
                    "invalid YAML: " + oneLine(e.getProblem() != null ? e.getProblem() : e.getMessage()));
        } catch (YAMLException e) {
            throw new ScenarioException(source, lastLine[0], "invalid YAML: " + oneLine(e.getMessage()));
        }
    }

    /** Refuses a line longer than {@link Limits#MAX_SCENARIO_LINE} characters, naming it. */
    private static void checkLines(String source, String text) {
        int line = 1;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                if (i - start > Limits.MAX_SCENARIO_LINE) {
                    throw new ScenarioException(source, line, "line of " + (i - start) + " characters is too long, at most "
                            + Limits.MAX_SCENARIO_LINE);
                }
                line++;
                start = i + 1;
            }
        }
    }

    private static LoaderOptions options() {
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit(Limits.MAX_SCENARIO_BYTES + 1);
        o.setNestingDepthLimit(4 * Limits.MAX_YAML_DEPTH);
        o.setMaxAliasesForCollections(4 * Limits.MAX_YAML_ALIASES);
        return o;
    }

    /** The first pass: nesting depth, aliases of collections, recursive aliases; {@code lastLine[0]} follows it. */
    private static void checkLimits(String source, String text, int[] lastLine) {
        Map<String, Boolean> collectionAnchors = new HashMap<>(); // anchor -> whether its collection is still open
        Deque<String> open = new ArrayDeque<>(); // the anchors of the open collections ("" for none)
        int aliases = 0;
        for (Event ev : new Yaml(options()).parse(new StringReader(text))) {
            int line = ev.getStartMark() == null ? lastLine[0] : ev.getStartMark().getLine() + 1;
            lastLine[0] = line;
            if (ev instanceof CollectionStartEvent c) {
                if (open.size() == Limits.MAX_YAML_DEPTH) {
                    throw new ScenarioException(source, line, "YAML nested too deeply: more than "
                            + Limits.MAX_YAML_DEPTH + " levels of lists and mappings");
                }
                String anchor = c.getAnchor() == null ? "" : c.getAnchor();
                open.push(anchor);
                if (!anchor.isEmpty()) {
                    collectionAnchors.put(anchor, true);
                }
            } else if (ev.is(Event.ID.SequenceEnd) || ev.is(Event.ID.MappingEnd)) {
                String anchor = open.pop();
                if (!anchor.isEmpty()) {
                    collectionAnchors.put(anchor, false);
                }
            } else if (ev instanceof AliasEvent a && collectionAnchors.containsKey(a.getAnchor())) {
                if (collectionAnchors.get(a.getAnchor())) {
                    throw new ScenarioException(source, line, "alias '*" + Escape.quote(a.getAnchor())
                            + "' lies inside the list or mapping it names (a recursive structure)");
                }
                if (++aliases > Limits.MAX_YAML_ALIASES) {
                    throw new ScenarioException(source, line, "too many YAML aliases of lists and mappings: at most "
                            + Limits.MAX_YAML_ALIASES);
                }
            } else if (ev instanceof NodeEvent n && n.getAnchor() != null) {
                collectionAnchors.remove(n.getAnchor());
            }
        }
    }

    /** {@code s} on one line, escaped. */
    static String oneLine(String s) {
        return s == null ? "" : Escape.quote(s.replaceAll("\\s+", " ").trim());
    }
}
