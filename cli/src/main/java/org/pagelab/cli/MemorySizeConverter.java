package org.pagelab.cli;

import org.pagelab.phys.MemSize;
import picocli.CommandLine.ITypeConverter;

/**
 * Converts an option value such as "256M" to bytes with {@link MemSize#parse}; a malformed value
 * fails with MemSize's message, which quotes it.
 */
public final class MemorySizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        return MemSize.parse(value);
    }
}
