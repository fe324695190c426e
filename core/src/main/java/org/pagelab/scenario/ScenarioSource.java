package org.pagelab.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.pagelab.input.Escape;
import org.pagelab.input.IoReason;
import org.pagelab.input.Limits;
import org.pagelab.input.Utf8;
import org.pagelab.phys.MemSize;

/**
 * The text of a scenario file, read only when it is a regular file of at most
 * {@link Limits#MAX_SCENARIO_BYTES} bytes of UTF-8: a directory, a device, a pipe or a file too
 * large is refused before a byte is read, so no input makes {@code pagelab run} wait.
 */
final class ScenarioSource {
    private ScenarioSource() {
    }

    /** The text of {@code path}; {@link ScenarioException} saying why it cannot be a scenario. */
    static String read(Path path) {
        return read(path, "scenario file", "a scenario");
    }

    /**
     * The text of {@code path}, a YAML file of the scenario format's limits that messages call
     * {@code what} ("sweep spec"), {@code article} ("a sweep spec") where they say what it must be.
     */
    static String read(Path path, String what, String article) {
        String name = Escape.quote(path.toString());
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new ScenarioException("cannot read " + what + " '" + name + "': " + IoReason.of(e));
        }
        if (attrs.isDirectory()) {
            throw new ScenarioException("cannot read " + what + " '" + name + "': it is a directory");
        }
        if (!attrs.isRegularFile()) {
            throw new ScenarioException("cannot read " + what + " '" + name
                    + "': not a regular file (a device, a pipe or a socket)");
        }
        if (attrs.size() > Limits.MAX_SCENARIO_BYTES) {
            throw tooLarge(what, name, attrs.size());
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(Limits.MAX_SCENARIO_BYTES + 1);
        } catch (IOException e) {
            throw new ScenarioException("cannot read " + what + " '" + name + "': " + IoReason.of(e));
        }
        if (bytes.length > Limits.MAX_SCENARIO_BYTES) {
            throw tooLarge(what, name, bytes.length);
        }
        try {
            return Utf8.decode(bytes);
        } catch (Utf8.NotUtf8Exception e) {
            Utf8.Malformed m = e.where();
            throw new ScenarioException(path.toString(), m.line(), String.format("not UTF-8 text: byte 0x%02x at"
                    + " offset %d (column %d); %s is UTF-8 YAML", m.value(), m.offset(), m.column(), article));
        }
    }

    private static ScenarioException tooLarge(String what, String name, long size) {
        return new ScenarioException("cannot read " + what + " '" + name + "': " + size + " bytes is too large, at most "
                + Limits.MAX_SCENARIO_BYTES + " (" + MemSize.format(Limits.MAX_SCENARIO_BYTES) + ")");
    }
}
