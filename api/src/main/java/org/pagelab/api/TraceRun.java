package org.pagelab.api;

/**
 * What {@link Lab#replay} did.
 *
 * @param records   the trace's records replayed
 * @param processes the processes the trace named (one for a trace without process ids)
 * @param killed    the processes the OOM killer ended before their last record
 */
public record TraceRun(long records, int processes, long killed) {
}
