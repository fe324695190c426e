package org.pagelab.sim;

/**
 * A block device of one run: its {@link DeviceModel} and the booking of its data channel. A request
 * submitted at {@code t} is in flight for the model's latency, which overlaps with other requests'
 * (no queue-depth limit), and then moves its bytes over the one channel the device has, at the
 * model's bandwidth, in a gap of the channel from {@code t + latency} on. So one request alone
 * completes at {@code t + latency + bytes / bandwidth}, and many requests together cannot move more
 * than the bandwidth allows.
 */
public final class SimDevice {
    private final String name;
    private final DeviceModel model;
    private final Timeline channel = new Timeline();
    private long requests;
    private long bytes;

    SimDevice(String name, DeviceModel model) {
        this.name = name;
        this.model = model;
    }

    public String name() {
        return name;
    }

    public DeviceModel model() {
        return model;
    }

    /** Requests submitted so far. */
    public long requests() {
        return requests;
    }

    /** Bytes moved so far. */
    public long bytes() {
        return bytes;
    }

    /** Books a request of {@code len} bytes submitted at {@code t}; returns its completion time. */
    long submit(long t, long len, boolean write) {
        requests++;
        bytes += len;
        long ready = Math.addExact(t, model.latencyNs(write));
        return channel.book(ready, model.transferNs(len, write), (s, e) -> { });
    }

    void prune(long horizon) {
        channel.prune(horizon);
    }

    void check() {
        channel.check("device " + name);
    }

    @Override
    public String toString() {
        return name + " " + model;
    }
}
