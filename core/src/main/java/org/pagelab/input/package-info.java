/**
 * What pagelab accepts as input, and how it talks about input it refuses: the limits on scenario
 * files, trace lines and event counts, and the helpers that put a user's bytes and a host's
 * failures into one-line messages.
 *
 * <h2>The model</h2>
 * Every input a user hands pagelab (a scenario file, a trace, a command-line value, a file name
 * inside the working directory) is checked against a finite set of rules before any work starts,
 * and a refusal is one line naming the file, the line or byte offset, and the offending value,
 * with exit status 2. The rules that are limits live in {@link org.pagelab.input.Limits}, one
 * constant each, so that docs/scenarios.md can list them all and a test can probe each one from
 * both sides. They exist so that no input makes pagelab read without end, allocate without bound
 * or run for longer than anyone would wait: a scenario is a regular file of at most
 * {@link org.pagelab.input.Limits#MAX_SCENARIO_BYTES} bytes in lines of at most
 * {@link org.pagelab.input.Limits#MAX_SCENARIO_LINE} characters; a trace line is at most
 * {@link org.pagelab.input.Limits#MAX_TRACE_LINE_BYTES} bytes (a file with no newline is refused at
 * that offset, not read into memory); a scenario step or a trace record stands for at most
 * {@link org.pagelab.input.Limits#MAX_EVENTS} page touches.
 *
 * <p>Messages quote what the user wrote through {@link org.pagelab.input.Escape}: printable ASCII
 * as it is, every other byte or character escaped ({@code \n}, {@code \x00}), and the whole cut to
 * {@link org.pagelab.input.Escape#MAX_QUOTED} characters, so that a binary trace or a name with a
 * newline never puts raw bytes on a terminal or splits an error over two lines.
 * {@link org.pagelab.input.IoReason} turns a host {@link java.io.IOException} into the reason the
 * host gave ("permission denied", "no such file or directory") instead of the bare path that
 * {@code getMessage()} often is. {@link org.pagelab.input.Utf8} decodes text and, when a byte is
 * not UTF-8, says at which line and byte.
 *
 * <h2>Invariants</h2>
 * <pre>
 *   Escape.quote(s) contains only printable ASCII, and length(Escape.quote(s)) &lt;= MAX_QUOTED + 3
 *   Utf8.decode(b) == new String(b, UTF_8)  whenever b is well-formed UTF-8
 * </pre>
 *
 * <h2>Order of calls</h2>
 * <pre>
 * Scenario.load -&gt; ScenarioSource.read (Limits, IoReason) -&gt; Utf8.decode -&gt; ScenarioYaml.compose
 * LineTraceReader.next (Limits.MAX_TRACE_LINE_BYTES) -&gt; parseLine -&gt; Escape.quote in messages
 * </pre>
 * This package depends on nothing else in pagelab.
 */
package org.pagelab.input;
