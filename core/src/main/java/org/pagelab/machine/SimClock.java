package org.pagelab.machine;

import org.pagelab.filemap.IoClock;
import org.pagelab.phys.AllocClock;
import org.pagelab.sim.CpuEvent;
import org.pagelab.sim.DeviceModel;
import org.pagelab.sim.IoFaults;
import org.pagelab.sim.Sim;
import org.pagelab.sim.SimDevice;
import org.pagelab.sim.StallKind;
import org.pagelab.swap.SwapIo;

/**
 * The machine's simulator as the lower floors see it: the allocator's {@link AllocClock}, the page
 * cache's {@link IoClock} and swap's {@link SwapIo}. Each of their calls becomes one call of the
 * simulator (the cost model's events, device requests, stalls, timers) or of the injected I/O
 * errors, so a run's times are what they would be if the subsystems called the simulator
 * themselves.
 */
final class SimClock implements AllocClock, IoClock, SwapIo {
    /** A device of the simulator, as the page cache and swap hold it. */
    record Dev(SimDevice device) implements IoClock.Device {
    }

    private final Sim sim;
    private final IoFaults faults;
    private final DeviceModel swapModel;

    SimClock(Sim sim, IoFaults faults, DeviceModel swapModel) {
        this.sim = sim;
        this.faults = faults;
        this.swapModel = swapModel;
    }

    /** A device of the simulator named {@code name} of {@code model}. */
    Dev device(String name, DeviceModel model) {
        return new Dev(sim.device(name, model));
    }

    private static SimDevice of(IoClock.Device d) {
        if (d instanceof Dev(SimDevice device)) {
            return device;
        }
        throw new IllegalArgumentException("not a device of this machine's simulator: " + d);
    }

    @Override
    public void pageAllocated() {
        sim.cpu(CpuEvent.PAGE_ALLOC);
    }

    @Override
    public void pagesZeroed(long pages) {
        sim.cpu(CpuEvent.ZERO_PAGE, pages);
    }

    @Override
    public boolean inStep() {
        return sim.current() != null;
    }

    @Override
    public long now() {
        return sim.now();
    }

    @Override
    public void syscall() {
        sim.cpu(CpuEvent.SYSCALL);
    }

    @Override
    public void cacheLookups(long n) {
        sim.cpu(CpuEvent.CACHE_LOOKUP, n);
    }

    @Override
    public void copy(long bytes) {
        sim.cpuNs(sim.costs().ns(CpuEvent.COPY_PAGE) * bytes / org.pagelab.phys.MemSize.PAGE_SIZE);
    }

    @Override
    public void beginRefault() {
        sim.beginStall(StallKind.REFAULT);
    }

    @Override
    public void endRefault() {
        sim.endStall();
    }

    @Override
    public void io(IoClock.Device device, long bytes, boolean write) {
        sim.io(of(device), bytes, write);
    }

    @Override
    public long submitIo(IoClock.Device device, long bytes, boolean write) {
        return sim.submitIo(of(device), bytes, write);
    }

    @Override
    public void at(long timeNs, Runnable action) {
        sim.at(timeNs, action);
    }

    @Override
    public void waitUntil(long timeNs) {
        sim.waitUntil(timeNs);
    }

    @Override
    public void sleepFor(long ns) {
        sim.sleepFor(ns);
    }

    @Override
    public void runTimersDue() {
        sim.runTimersDue();
    }

    @Override
    public void drainTimers() {
        sim.drainTimers();
    }

    @Override
    public boolean ioFails(String device, boolean write, long page) {
        return faults.fail(device, write ? IoFaults.Op.WRITE : IoFaults.Op.READ, page);
    }

    @Override
    public IoClock clock() {
        return this;
    }

    @Override
    public IoClock.Device device(int type, String name) {
        return device("swap:" + name, swapModel);
    }

    @Override
    public boolean fails(int type, boolean write, long offset) {
        return ioFails(IoFaults.swapDevice(type), write, offset);
    }
}
