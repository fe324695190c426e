package org.pagelab.trace;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The trace formats pagelab reads, by the name used in a {@code FORMAT:PATH} spec, each with
 * the options it accepts ({@code FORMAT,KEY=VALUE,...:PATH}).
 */
public enum TraceFormat {
    /** valgrind lackey output; option {@code instructions=true} replays I records as reads. */
    LACKEY("lackey", Set.of("instructions")),
    /** One {@code R|W ADDRESS [PID]} per line, {@code #} comments. */
    PLAIN("plain", Set.of()),
    /** Page-number traces, {@code R|W|X PAGE-HEX [PID]}; option {@code instructions=true} keeps X lines. */
    PAGES("pages", Set.of("instructions")),
    /** UCSD SPEC address traces, {@code l|s 0xADDRESS ...}. */
    SPEC("spec", Set.of()),
    /** LIRS block traces, one block number per line. */
    LIRS("lirs", Set.of()),
    /** ARC block traces, {@code START COUNT ...}. */
    ARC("arc", Set.of()),
    /** libCacheSim csv, columns as libCacheSim's {@code -t} names them. */
    CACHESIM_CSV("cachesim-csv", Set.of("time-col", "obj-id-col", "obj-size-col", "op-col",
            "delimiter", "has-header", "obj-id-is-num", "pages")),
    /** libCacheSim oracleGeneral binary records; {@code pages=true} splits objects into pages. */
    ORACLE("oracle", Set.of("pages")),
    /** libCacheSim lcs binary traces, versions 1 to 8; {@code pages=true} splits objects into pages. */
    LCS("lcs", Set.of("pages")),
    /** VMware vscsi binary block traces (libCacheSim's vscsi); {@code pages=true} splits requests into pages. */
    VSCSI("vscsi", Set.of("pages")),
    /** MSR Cambridge block traces (csv), split into pages. */
    MSR("msr", Set.of()),
    /** SNIA SYSTOR '17 block traces (csv), split into pages. */
    SYSTOR("systor", Set.of()),
    /** Twitter's cache traces (csv); {@code pages=true} splits objects into pages. */
    TWITTER("twitter", Set.of("pages")),
    /** pagelab's compact binary format. */
    PAGELAB("pagelab", Set.of());

    private final String label;
    private final Set<String> options;

    TraceFormat(String label, Set<String> options) {
        this.label = label;
        this.options = options;
    }

    /** The name of this format in a spec. */
    public String label() {
        return label;
    }

    /** The format named {@code name}, or null when no format has that name. */
    static TraceFormat byLabel(String name) {
        for (TraceFormat f : values()) {
            if (f.label.equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        return null;
    }

    /** The option keys this format accepts. */
    Set<String> options() {
        return options;
    }

    /** Makes a reader of one format over an opened input. */
    @FunctionalInterface
    interface Opener {
        TraceReader open(TraceInput input, String file);
    }

    /**
     * Checks {@code opts} (keys already checked against {@link #options()}) and returns what
     * opens a reader of this format with them, so bad options are reported before the file is
     * opened.
     */
    Opener opener(Map<String, String> opts, String spec) {
        return switch (this) {
            case LACKEY -> {
                boolean instructions =
                        bool(opts.getOrDefault("instructions", "false"), "instructions", spec);
                yield (in, file) -> new LackeyReader(in, file, instructions);
            }
            case PLAIN -> PlainReader::new;
            case PAGES -> {
                boolean instructions = bool(opts.getOrDefault("instructions", "false"), "instructions", spec);
                yield (in, file) -> new PagesReader(in, file, instructions);
            }
            case SPEC -> SpecReader::new;
            case LIRS -> LirsReader::new;
            case ARC -> ArcReader::new;
            case CACHESIM_CSV -> {
                CacheSimCsvReader.Columns columns = columns(opts, spec);
                yield split(opts, spec, PageSplitReader.Mode.OBJECT, (in, file) -> new CacheSimCsvReader(in, file, columns));
            }
            case ORACLE -> split(opts, spec, PageSplitReader.Mode.OBJECT, OracleReader::new);
            case LCS -> split(opts, spec, PageSplitReader.Mode.OBJECT, LcsReader::new);
            case VSCSI -> split(opts, spec, PageSplitReader.Mode.SECTORS, VscsiReader::new);
            case MSR -> MsrReader::new;
            case SYSTOR -> SystorReader::new;
            case TWITTER -> split(opts, spec, PageSplitReader.Mode.OBJECT, TwitterReader::new);
            case PAGELAB -> PagelabReader::new;
        };
    }

    /** {@code opener}, or with {@code pages=true} its requests split into 4 KiB pages ({@link PageSplitReader}). */
    private static Opener split(Map<String, String> opts, String spec, PageSplitReader.Mode mode, Opener opener) {
        if (!bool(opts.getOrDefault("pages", "false"), "pages", spec)) {
            return opener;
        }
        return (in, file) -> new PageSplitReader(opener.open(in, file), mode);
    }

    private static CacheSimCsvReader.Columns columns(Map<String, String> opts, String spec) {
        CacheSimCsvReader.Columns d = CacheSimCsvReader.Columns.defaults();
        int id = column(opts, "obj-id-col", d.objIdCol(), spec);
        if (id == 0) {
            throw TraceException.of(spec, "bad obj-id-col '0' (expected a column 1..16: the object id column is required)");
        }
        String header = opts.getOrDefault("has-header", "auto");
        CacheSimCsvReader.Header h = switch (header.toLowerCase(Locale.ROOT)) {
            case "auto" -> CacheSimCsvReader.Header.AUTO;
            case "true", "1" -> CacheSimCsvReader.Header.YES;
            case "false", "0" -> CacheSimCsvReader.Header.NO;
            default -> throw TraceException.of(spec,
                    "bad has-header '" + header + "' (expected true, false or auto)");
        };
        String delim = opts.getOrDefault("delimiter", "comma");
        char c = switch (delim) {
            case "comma" -> ',';
            case "tab" -> '\t';
            case "space" -> ' ';
            case "semicolon" -> ';';
            case "pipe" -> '|';
            default -> throw TraceException.of(spec, "bad delimiter '" + delim
                    + "' (expected comma, tab, space, semicolon or pipe)");
        };
        return new CacheSimCsvReader.Columns(column(opts, "time-col", d.timeCol(), spec), id,
                column(opts, "obj-size-col", d.objSizeCol(), spec),
                column(opts, "op-col", d.opCol(), spec), c, h,
                bool(opts.getOrDefault("obj-id-is-num", "true"), "obj-id-is-num", spec));
    }

    private static int column(Map<String, String> opts, String key, int dflt, String spec) {
        String v = opts.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            int c = Integer.parseInt(v);
            if (c >= 0 && c <= 16) {
                return c;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw TraceException.of(spec, "bad " + key + " '" + v + "' (expected a column 1..16, or 0 for none)");
    }

    private static boolean bool(String v, String key, String spec) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw TraceException.of(spec, "bad " + key + " '" + v + "' (expected true or false)");
        };
    }
}
