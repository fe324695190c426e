package org.pagelab.cli;

import java.util.List;
import org.pagelab.memory.TransparentHugepage;
import org.pagelab.sweep.ThpSettings;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * --thp and --thp-size, shared by replay and compare: the machine's transparent huge page settings
 * in the kernel's words, the top-level /sys/kernel/mm/transparent_hugepage/enabled and the per-size
 * hugepages-&lt;N&gt;kB/enabled files (sizes written as the kernel's thp_anon= parameter writes them).
 * What neither names keeps the kernel's boot default.
 */
public final class ThpOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--thp", paramLabel = "MODE", converter = ModeConverter.class,
            description = "transparent_hugepage/enabled of the machine, which PMD-sized (2M) folios and the sizes set to"
                    + " inherit follow: always (the default, the kernel's Kconfig default), madvise or never.")
    private TransparentHugepage thp;

    @Option(names = "--thp-size", paramLabel = "SIZE=MODE", split = ",", converter = SizeConverter.class,
            description = "hugepages-<N>kB/enabled of one large folio size: SIZE 16K, 32K, 64K, 128K, 256K, 512K, 1M or 2M,"
                    + " MODE always, inherit, madvise or never (64K=always); repeat it or separate with commas."
                    + " By default 2M is inherit and the smaller sizes never, as the kernel boots.")
    private List<ThpSettings.Size> sizes;

    /** Whether either option was given. */
    boolean given() {
        return thp != null || sizes != null;
    }

    /** The option a command without a machine refuses: --thp, or --thp-size when only it was given. */
    String givenName() {
        return thp != null ? "--thp" : "--thp-size";
    }

    /** The settings the options give ({@link ThpSettings#NONE} when neither was); refuses a size given twice. */
    ThpSettings settings() {
        try {
            return ThpSettings.of(thp, sizes == null ? List.of() : sizes);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), "--thp-size: " + e.getMessage());
        }
    }

    /** Reads a --thp value: always, madvise or never, as /sys/kernel/mm/transparent_hugepage/enabled takes them. */
    static final class ModeConverter implements ITypeConverter<TransparentHugepage> {
        @Override
        public TransparentHugepage convert(String value) {
            try {
                return TransparentHugepage.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "': expected always, madvise or never");
            }
        }
    }

    /** Reads a --thp-size value SIZE=MODE. */
    static final class SizeConverter implements ITypeConverter<ThpSettings.Size> {
        @Override
        public ThpSettings.Size convert(String value) {
            try {
                return ThpSettings.parseSize(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
