/**
 * Trace readers: memory-access and block traces in public formats, read lazily as page accesses
 * for replay.
 *
 * <h2>What a trace becomes</h2>
 * Every reader turns its file into a sequence of {@link org.pagelab.trace.Access} values of two
 * kinds. A <b>memory</b> access is a byte address in the virtual address space of a process;
 * replay faults in virtual page {@code address >>> 12} of that process, a load or a store. A
 * <b>block</b> access is a block number of one file; replay reads (or writes) page
 * {@code block} of that file through the page cache, one block per page. A reader is a cursor
 * ({@link org.pagelab.trace.TraceReader#next()} and primitive getters, nothing allocated per
 * record), with {@code drainTo(AccessSink)} and a lazy {@code stream()} on top. A trace is named
 * {@code FORMAT[,KEY=VALUE...]:PATH} and opened by {@link org.pagelab.trace.TraceSource#open};
 * the file may be plain, gzip, zstd or xz, told apart by its first bytes ({@code 1f 8b} gzip,
 * {@code 28 b5 2f fd} zstd, {@code fd 37 7a 58 5a 00} xz), never by its name.
 *
 * <h2>The formats</h2>
 * <pre>
 * format        sample line                         becomes
 * ------------  ----------------------------------  ------------------------------------------
 * lackey        " L 04222cac,4"  " M 0421d7f0,4"    memory; S store, L load, M load then store;
 *                                                   I skipped (instructions=true: a load);
 *                                                   an access over a page boundary touches
 *                                                   every page it covers; pid from ==PID==
 * plain         "W 0x7fffffffe000 17  # stack"      memory; R|W ADDRESS [PID], 0x hex or decimal;
 *                                                   a decimal address must be page-aligned
 *                                                   (digits alone may be page numbers: refused)
 * pages         "R 7f12a"  "X 400"                  memory page PAGE: R|W|X PAGE-HEX [PID];
 *                                                   X skipped (instructions=true: a read)
 * spec          "l 0x1fffff50 1"                    memory; l load, s store (UCSD SPEC traces:
 *                                                   op, hex address, instructions since the
 *                                                   last access, which is not read)
 * lirs          "17"                                block 17, read; "*" and blank lines skipped
 * arc           "100 3 0 1"                         blocks 100, 101, 102, read
 * cachesim-csv  "1,42,4096"                         block 42 (libCacheSim csv: time,obj_id,
 *                                                   obj_size; header line detected; columns,
 *                                                   op-col, delimiter, has-header as options)
 * oracle        24-byte LE records                  block obj_id, read; obj_size 0 skipped
 *               uint32 time | uint64 obj_id | uint32 obj_size | int64 next_access_vtime
 * pagelab       varint records, below               whatever was written
 * </pre>
 * Memory accesses of traces that do not name a process carry pid 0, and block accesses always
 * do: the replay gives them its one process or its one file.
 *
 * <h2>pagelab's binary format</h2>
 * Version 1. Integers in varints are LEB128 (7 bits a byte, low first, high bit = more); keys are
 * stored as the zigzag of their difference from the previous key <em>of the same kind</em>
 * (both start at 0), so a sequential scan costs one or two bytes a record.
 * <pre>
 *  header (8 bytes)
 *  +----+----+----+----+----+----+---------+----------+
 *  | 'P'  'G'  'L'  'T'  'R'  'C' | version | reserved |     version = 1, reserved = 0
 *  +----+----+----+----+----+----+---------+----------+
 *
 *  record (2..16 bytes), one per access
 *  +-----+----------------+---------------------------------------+
 *  | tag | [pid varint]   | zigzag(key - previous key of kind)    |
 *  +-----+----------------+---------------------------------------+
 *   tag: 7 6 5 4 3 2 1 0
 *        0 0 0 0 0 P B W     W write, B block (else memory), P a pid follows
 *                            (else the pid is the previous record's; it starts at 0)
 *
 *  end record, exactly once, last
 *  +------+------------------------+
 *  | 0x80 | record count (varint)  |
 *  +------+------------------------+
 * </pre>
 * {@link org.pagelab.trace.PagelabWriter} writes it and {@link org.pagelab.trace.TraceSource#convert}
 * copies any trace into it. The end record makes truncation visible: a file cut anywhere, even
 * between records, lacks it or holds a count that disagrees.
 *
 * <h2>Errors</h2>
 * Every problem is a {@link org.pagelab.trace.TraceException}; a command reports its message on
 * one line and exits with status 2.
 * <ul>
 *   <li>Text: {@code FILE:LINE: bad WHAT 'VALUE' (expected FORM)} for a field that does not
 *       parse, FORM being what the reader takes there ({@code trace.txt:17: bad address '0xZZ'
 *       (expected 0x and 1 to 16 hexadecimal digits, or a decimal integer below 2^64)}), and
 *       {@code FILE:LINE: bad record '...' (expected LAYOUT)} for a line of the wrong shape. Every
 *       number parser of {@code LineTraceReader} names its form (hexadecimal, decimal, address,
 *       pid), and every other field check names its choices (operations, ranges).</li>
 *   <li>Binary: {@code FILE:byte N: ...} with N the offset in the decompressed stream, for a
 *       record cut short, a bad magic, version or tag, a varint over 64 bits, a missing or
 *       disagreeing end record, or bytes after it; a bad value is followed by
 *       {@code (expected ...)} as in text.</li>
 *   <li>Compression: a gzip, zstd or xz stream that ends early or does not decode is
 *       {@code truncated or corrupt gzip|zstd|xz stream}, at the line or offset reached; it never
 *       ends the trace quietly.</li>
 *   <li>Spec: {@code SPEC: unknown trace format 'X' (one of ...)}, {@code SPEC: unknown option},
 *       {@code SPEC: bad has-header 'maybe'}, {@code SPEC: no such file}.</li>
 *   <li>Limits: a text line over {@link org.pagelab.input.Limits#MAX_TRACE_LINE_BYTES} bytes is
 *       an error at its line, naming the byte it starts at ({@code plain:/dev/zero} is refused at
 *       once, where it used to fill the heap); an ARC record of more than
 *       {@link org.pagelab.input.Limits#MAX_EVENTS} blocks is refused with that limit.</li>
 *   <li>Replay: a record the machine cannot take (an address outside user space, a block past
 *       the block file) is {@link org.pagelab.trace.TraceReader#errorAtRecord} of the reader, so
 *       it too names the line or byte of that record.</li>
 * </ul>
 * Quoted values go through {@link org.pagelab.input.Escape#quote}: bytes outside printable ASCII
 * are {@code \xNN}, and a value is cut at 80 characters, so a binary file read as text never
 * writes raw bytes to the terminal.
 *
 * <h2>References</h2>
 * valgrind lackey ({@code lackey/lk_main.c}, {@code --trace-mem=yes}); UCSD CSE 240A cache
 * project traces of SPEC programs; S. Jiang and X. Zhang, "LIRS", SIGMETRICS 2002 (traces);
 * N. Megiddo and D. Modha, "ARC", FAST 2003 (traces); libCacheSim
 * ({@code traceReader/customizedReader/oracle/oracleGeneralBin.h}, csv reader parameters);
 * Caffeine's simulator ({@code simulator/parser/}), which reads most of these formats.
 */
package org.pagelab.trace;
