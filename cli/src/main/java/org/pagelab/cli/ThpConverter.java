package org.pagelab.cli;

import org.pagelab.memory.TransparentHugepage;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a --thp value: always, madvise or never, as /sys/kernel/mm/transparent_hugepage/enabled takes them. */
final class ThpConverter implements ITypeConverter<TransparentHugepage> {
    @Override
    public TransparentHugepage convert(String value) {
        try {
            return TransparentHugepage.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "': expected always, madvise or never");
        }
    }
}
