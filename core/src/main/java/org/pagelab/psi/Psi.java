package org.pagelab.psi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.Function;
import org.pagelab.sim.Sim;
import org.pagelab.sim.SimTask;
import org.pagelab.sim.TaskStateSink;

/**
 * Pressure stall information of one machine: the system-wide {@link PsiGroup} and the groups of
 * the memory cgroups, fed with the tasks' state changes from {@link Sim}. See the package
 * documentation for the model.
 *
 * <p>The simulator reports each task's changes in the task's own time order, but a step books its
 * whole future before a step that started earlier than its end runs. So changes wait in a queue
 * ordered by (time, arrival) until the simulator's {@link #horizon} passes them; only then are
 * they applied to the groups, in time order. Reads see the groups as of the horizon.
 *
 * <p>A task belongs to the system group and to the groups {@link #setGroupsOf the resolver} names
 * (a cgroup and its ancestors), asked when the task is first seen and again at
 * {@link #moveTask}. What memory cgroups call:
 * <pre>
 *   PsiGroup g = machine.psi().createGroup("/job");         when a cgroup is made
 *   machine.psi().setGroupsOf(task -&gt; groups of its cgroup and the ancestors, root excluded)
 *   machine.psi().moveTask(task, machine.sim().now());      after a task changes cgroup
 *   new Pressure(g, PsiResource.MEMORY).render()   memory.pressure (io.pressure alike)
 * </pre>
 */
public final class Psi implements TaskStateSink {
    private static final Comparator<Pending> ORDER =
            Comparator.comparingLong(Pending::timeNs).thenComparingLong(Pending::seq);

    /** A change not yet applied: a state change, or a move to {@code groups} when that is non-null. */
    private record Pending(long timeNs, long seq, SimTask task, int cpu, int state, List<PsiGroup> groups) { }

    /** What the groups have been told about one task. */
    private static final class TaskPsi {
        int cpu;
        int state;
        List<PsiGroup> groups = List.of();

        TaskPsi copy() {
            TaskPsi t = new TaskPsi();
            t.cpu = cpu;
            t.state = state;
            t.groups = groups;
            return t;
        }
    }

    private final int nrCpus;
    private final boolean record;
    private final PsiGroup system;
    private final List<PsiGroup> groups = new ArrayList<>();
    private final PriorityQueue<Pending> pending = new PriorityQueue<>(ORDER);
    private final List<TaskPsi> taskPsi = new ArrayList<>();
    private Function<SimTask, List<PsiGroup>> groupsOf = t -> List.of();
    private long seq;
    private long horizon;
    /** When the simulator is quiescent, the elapsed time reads look up to; otherwise -1. */
    private long provisionalUntil = -1;
    /** Per group, its provisional copy up to provisionalUntil, made at the first read. */
    private final java.util.Map<PsiGroup, PsiGroup> views = new java.util.IdentityHashMap<>();
    /** Changes reported for a time before the horizon (applied at the horizon instead). */
    private long lateChanges;

    /**
     * PSI for a machine of {@code nrCpus} CPUs; with {@code record} every group keeps its applied
     * changes for {@link PsiChecker}.
     */
    public Psi(int nrCpus, boolean record) {
        this.nrCpus = nrCpus;
        this.record = record;
        this.system = new PsiGroup(this, "system", nrCpus, 0, record);
        groups.add(system);
    }

    /** PSI attached to {@code sim}, recording when the simulator records. Requires: no task spawned yet. */
    public static Psi attach(Sim sim) {
        Psi psi = new Psi(sim.nrCpus(), sim.recording());
        sim.setTaskStateSink(psi);
        return psi;
    }

    /** The system-wide group: /proc/pressure/. */
    public PsiGroup system() {
        return system;
    }

    /** A new group (of a cgroup named {@code name}) with no tasks, its periods starting at the horizon. */
    public PsiGroup createGroup(String name) {
        PsiGroup g = new PsiGroup(this, name, nrCpus, horizon, record);
        groups.add(g);
        return g;
    }

    /** Every group, the system's first, in creation order. */
    public List<PsiGroup> groups() {
        return Collections.unmodifiableList(groups);
    }

    /**
     * Sets which groups besides the system's a task counts in: a cgroup and all its ancestors, as
     * the kernel charges a task's state to every level of its hierarchy. Asked once per task, when
     * its first change is reported, and at each {@link #moveTask}. The default names none.
     */
    public void setGroupsOf(Function<SimTask, List<PsiGroup>> resolver) {
        this.groupsOf = Objects.requireNonNull(resolver);
    }

    /**
     * {@code task} has moved between cgroups (cgroup_move_task): from {@code timeNs} its state
     * counts in the groups the resolver names now instead of those it named before. Requires:
     * {@code timeNs} is the simulator's current time ({@link Sim#now()}).
     */
    public void moveTask(SimTask task, long timeNs) {
        List<PsiGroup> to = List.copyOf(groupsOf.apply(task));
        for (PsiGroup g : to) {
            if (g == system) {
                throw new IllegalArgumentException("the resolver named the system group for " + task + "; it is implied");
            }
        }
        if (taskPsiOf(task) == null) {
            taskPsi.set(task.id(), new TaskPsi());
        }
        pending.add(new Pending(clamp(timeNs), seq++, task, 0, 0, to));
        views.clear();
    }

    /** What the groups know of {@code task}, or null before it is first seen. */
    private TaskPsi taskPsiOf(SimTask task) {
        while (taskPsi.size() <= task.id()) {
            taskPsi.add(null);
        }
        return taskPsi.get(task.id());
    }

    /** Changes reported for a time already settled, applied at the horizon instead. */
    public long lateChanges() {
        return lateChanges;
    }

    /** How far the groups are settled: every change before this time has been applied. */
    public long horizonNs() {
        return horizon;
    }

    /**
     * The time reads see the groups at: the horizon, or, when the simulator is quiescent (every
     * process gone), its elapsed time, with the changes still queued applied provisionally.
     */
    public long readTimeNs() {
        return Math.max(horizon, provisionalUntil);
    }

    // ---- TaskStateSink ----

    @Override
    public void change(SimTask task, long timeNs, int cpu, int state) {
        if (cpu < 0 || cpu >= nrCpus) {
            throw new IllegalArgumentException("task " + task + " on CPU " + cpu + " of " + nrCpus);
        }
        if (taskPsiOf(task) == null) {
            taskPsi.set(task.id(), new TaskPsi());
            pending.add(new Pending(clamp(timeNs), seq++, task, 0, 0, List.copyOf(groupsOf.apply(task))));
        }
        pending.add(new Pending(clamp(timeNs), seq++, task, cpu, state, null));
        views.clear();
    }

    @Override
    public void horizon(long timeNs) {
        if (timeNs < horizon) {
            throw new IllegalArgumentException("psi horizon goes back from " + horizon + " to " + timeNs);
        }
        horizon = timeNs;
        provisionalUntil = -1;
        views.clear();
        while (!pending.isEmpty() && pending.peek().timeNs() < timeNs) {
            apply(pending.poll());
        }
        system.advanceTo(timeNs);
    }

    @Override
    public void quiescent(long untilNs) {
        provisionalUntil = untilNs;
        views.clear();
    }

    private long clamp(long timeNs) {
        if (timeNs < horizon) {
            lateChanges++;
            return horizon;
        }
        return timeNs;
    }

    private void apply(Pending p) {
        apply(taskPsi.get(p.task().id()), p, null, null);
    }

    /**
     * Applies {@code p} to task {@code t}'s record and its groups; with {@code only} non-null, to
     * that group alone, fed into {@code into} (a provisional copy of it).
     */
    private void apply(TaskPsi t, Pending p, PsiGroup only, PsiGroup into) {
        if (p.groups() != null) {
            for (PsiGroup g : t.groups) {
                target(g, only, into).ifPresent(x -> x.taskChange(p.timeNs(), t.cpu, t.state, t.cpu, 0));
            }
            t.groups = p.groups();
            for (PsiGroup g : t.groups) {
                target(g, only, into).ifPresent(x -> x.taskChange(p.timeNs(), t.cpu, 0, t.cpu, t.state));
            }
            return;
        }
        target(system, only, into).ifPresent(x -> x.taskChange(p.timeNs(), t.cpu, t.state, p.cpu(), p.state()));
        for (PsiGroup g : t.groups) {
            target(g, only, into).ifPresent(x -> x.taskChange(p.timeNs(), t.cpu, t.state, p.cpu(), p.state()));
        }
        t.cpu = p.cpu();
        t.state = p.state();
    }

    private static java.util.Optional<PsiGroup> target(PsiGroup g, PsiGroup only, PsiGroup into) {
        if (only == null) {
            return java.util.Optional.of(g);
        }
        return g == only ? java.util.Optional.of(into) : java.util.Optional.empty();
    }

    /** Brings {@code g} up to the horizon. */
    void settle(PsiGroup g) {
        g.advanceTo(horizon);
    }

    /**
     * The group to read for {@code g}: {@code g} itself, settled to the horizon, or while the
     * simulator is quiescent a copy with the queued changes applied and advanced to the elapsed time.
     */
    PsiGroup view(PsiGroup g) {
        settle(g);
        if (provisionalUntil <= horizon) {
            return g;
        }
        PsiGroup v = views.get(g);
        if (v == null) {
            v = g.copy();
            java.util.Map<Integer, TaskPsi> scratch = new java.util.HashMap<>();
            List<Pending> queued = new ArrayList<>(pending);
            queued.sort(ORDER);
            for (Pending p : queued) {
                if (p.timeNs() >= provisionalUntil) {
                    break;
                }
                TaskPsi t = scratch.computeIfAbsent(p.task().id(), id -> taskPsi.get(id).copy());
                apply(t, p, g, v);
            }
            v.advanceTo(provisionalUntil);
            views.put(g, v);
        }
        return v;
    }
}
