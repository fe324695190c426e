package org.pagelab.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/** The content mode of a machine, as {@code --mode} names it. */
public enum Mode {
    /** Frames hold real bytes. */
    DATA,
    /** Frames hold no bytes; only the memory manager's state is modelled. */
    METADATA;

    /** The name on the command line and in JSON output. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether frames hold real bytes. */
    public boolean dataMode() {
        return this == DATA;
    }

    /** Converts "data" or "metadata"; anything else fails with a message quoting the value. */
    public static final class Converter implements ITypeConverter<Mode> {
        @Override
        public Mode convert(String value) {
            for (Mode m : values()) {
                if (m.cliName().equals(value)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("invalid mode '" + value + "': expected data or metadata");
        }
    }
}
