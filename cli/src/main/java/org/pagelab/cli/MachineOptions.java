package org.pagelab.cli;

import org.pagelab.phys.PhysConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options that shape the simulated machine, shared by every command that boots one. */
public final class MachineOptions {
    static final String DEFAULT_MEMORY = "256M";

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = DEFAULT_MEMORY, converter = MemorySizeConverter.class,
            description = "Memory of the machine: a number of bytes with an optional K, M, G or T suffix"
                    + " (default: ${DEFAULT-VALUE}).")
    private long memoryBytes;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "data", converter = Mode.Converter.class,
            description = "data: frames hold real bytes; metadata: frames hold no bytes (default: ${DEFAULT-VALUE}).")
    private Mode mode;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the run's pseudo-random choices; the same seed gives the same output"
                    + " (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--swap", paramLabel = "SIZE", defaultValue = "0", converter = MemorySizeConverter.class,
            description = "Size of a swap file for the machine, in its working directory (metadata mode: slot counts"
                    + " only); 0 for none (default). A scenario's machine.swap wins over it.")
    private long swapBytes;

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "2",
            description = "Simulated CPUs, 1..4096 (default: ${DEFAULT-VALUE}). A scenario's machine.cpus wins over it.")
    private int cpus;

    /** Simulated CPUs asked for. */
    public int cpus() {
        if (cpus < 1 || cpus > 4096) {
            OptionSpec option = mixee.findOption("--cpus");
            throw new ParameterException(mixee.commandLine(), "--cpus must be 1..4096", null, option,
                    option.originalStringValues().getLast());
        }
        return cpus;
    }

    /** Bytes of swap asked for; 0 for none. */
    public long swapBytes() {
        if (swapBytes != 0 && swapBytes < 8192) {
            OptionSpec option = mixee.findOption("--swap");
            throw new ParameterException(mixee.commandLine(), "a swap area needs at least 8K (a header page and one slot),"
                    + " or 0 for none", null, option, option.originalStringValues().getLast());
        }
        if (swapBytes / 4096 > org.pagelab.swap.SwapDevice.MAX_PAGES) {
            OptionSpec option = mixee.findOption("--swap");
            throw new ParameterException(mixee.commandLine(), "--swap " + option.originalStringValues().getLast()
                    + " is too large, at most " + org.pagelab.swap.SwapDevice.MAX_PAGES + " pages of 4K", null, option,
                    option.originalStringValues().getLast());
        }
        return swapBytes;
    }

    /** Turns on a swap file of {@code bytes} on {@code machine} (none for 0), as --swap asks. */
    void swapon(org.pagelab.machine.Machine machine, long bytes) {
        if (bytes == 0) {
            return;
        }
        if (machine.swap().swapon("swapfile", bytes / 4096, null) instanceof org.pagelab.swap.SwaponResult.Failed f) {
            throw new ParameterException(mixee.commandLine(), "cannot turn on " + org.pagelab.phys.MemSize.format(bytes)
                    + " of swap: " + f.reason());
        }
    }

    public long memoryBytes() {
        return memoryBytes;
    }

    public Mode mode() {
        return mode;
    }

    public long seed() {
        return seed;
    }

    /**
     * The machine's shape with the kernel's defaults for everything the options do not set. A
     * memory size the machine cannot have is a usage error of {@code --memory}.
     */
    public PhysConfig physConfig() {
        try {
            return new PhysConfig(memoryBytes, 0, mode.dataMode(), 0, 10);
        } catch (IllegalArgumentException e) {
            OptionSpec option = mixee.findOption("--memory");
            String typed = option.originalStringValues().isEmpty()
                    ? DEFAULT_MEMORY : option.originalStringValues().getLast();
            throw new ParameterException(mixee.commandLine(), e.getMessage(), e, option, typed);
        }
    }
}
