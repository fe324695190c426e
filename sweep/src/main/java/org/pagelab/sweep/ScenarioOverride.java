package org.pagelab.sweep;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pagelab.scenario.YamlNodes;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A scenario file with a point's settings written into it: the keys of its {@code machine:}
 * section (entries of a mapping there, such as {@code transparent_hugepage_sizes}, merged into the
 * scenario's own), and the memory.* values of its cgroups, set as a user would set them by hand. The
 * scenario is then parsed and run as {@code pagelab run} runs it, so a point sees exactly the
 * scenario format's meaning of each setting, and keys the sweep does not set stay as the file has them.
 */
final class ScenarioOverride {
    private ScenarioOverride() {
    }

    /**
     * {@code text} (a valid scenario) with {@code machine} keys set in its machine section and, for
     * each cgroup path in {@code cgroups}, those keys set in that cgroup's entry.
     */
    static String apply(String source, String text, Map<String, String> machine, Map<String, Map<String, String>> cgroups) {
        return apply(source, text, machine, Map.of(), cgroups);
    }

    /**
     * As {@link #apply(String, String, Map, Map)}, and for each key of {@code machineMappings} (such
     * as transparent_hugepage_sizes) its entries set in that mapping of the machine section, the
     * mapping's other entries kept.
     */
    static String apply(String source, String text, Map<String, String> machine,
            Map<String, Map<String, String>> machineMappings, Map<String, Map<String, String>> cgroups) {
        if (machine.isEmpty() && machineMappings.isEmpty() && cgroups.isEmpty()) {
            return text;
        }
        MappingNode root = (MappingNode) YamlNodes.compose(source, text);
        if (!machine.isEmpty() || !machineMappings.isEmpty()) {
            Node m = value(root, "machine");
            if (m == null) {
                m = new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK);
                root.getValue().addFirst(new NodeTuple(scalar("machine"), m));
            }
            MappingNode section = (MappingNode) m;
            machine.forEach((k, v) -> set(section, k, v));
            machineMappings.forEach((k, entries) -> {
                MappingNode inner = value(section, k) instanceof MappingNode existing ? existing : null;
                if (inner == null) {
                    inner = new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.FLOW);
                    setNode(section, k, inner);
                }
                MappingNode target = inner;
                entries.forEach((ek, ev) -> set(target, ek, ev));
            });
        }
        if (!cgroups.isEmpty()) {
            for (Node c : ((SequenceNode) value(root, "cgroups")).getValue()) {
                MappingNode cg = (MappingNode) c;
                Map<String, String> keys = cgroups.get(((ScalarNode) value(cg, "path")).getValue().trim());
                if (keys != null) {
                    keys.forEach((k, v) -> set(cg, k, v));
                }
            }
        }
        StringWriter out = new StringWriter();
        new Yaml().serialize(root, out);
        return out.toString();
    }

    private static Node value(MappingNode m, String key) {
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return t.getValueNode();
            }
        }
        return null;
    }

    private static void set(MappingNode m, String key, String value) {
        setNode(m, key, scalar(value));
    }

    private static void setNode(MappingNode m, String key, Node value) {
        List<NodeTuple> tuples = m.getValue();
        for (int i = 0; i < tuples.size(); i++) {
            if (tuples.get(i).getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                tuples.set(i, new NodeTuple(k, value));
                return;
            }
        }
        tuples.add(new NodeTuple(scalar(key), value));
    }

    private static ScalarNode scalar(String s) {
        return new ScalarNode(Tag.STR, s, null, null, DumperOptions.ScalarStyle.PLAIN);
    }
}
