package org.pagelab.memcg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pagelab.psi.Psi;
import org.pagelab.psi.PsiGroup;
import org.pagelab.sim.SimTask;
import org.pagelab.workingset.ShadowWord;

/**
 * The cgroup hierarchy of the memory controller (mem_cgroup_css_alloc/offline/free and the
 * mem_cgroup idr): the cgroups by path and by id, mkdir and rmdir, offline cgroups that linger
 * while something is charged to them, which process is in which cgroup, and each cgroup's
 * pressure group.
 */
final class MemcgHierarchy {
    private final Psi psi;
    private final MemcgTasks tasks;
    private final MemCgroup root;
    /**
     * The cgroups that still exist, indexed by id (ids are small and never reused): an array,
     * since every LRU operation and every counted event looks a cgroup up by id.
     */
    private MemCgroup[] ids = new MemCgroup[16];
    private int liveIds;
    private final Map<String, MemCgroup> byPath = new LinkedHashMap<>();
    private int nextId = 1;
    /** Each cgroup's pressure accounting but the root's, which is the system's. */
    private final Map<MemCgroup, PsiGroup> psiGroups = new HashMap<>();

    MemcgHierarchy(Psi psi, MemcgTasks tasks) {
        this.psi = psi;
        this.tasks = tasks;
        this.root = newGroup("", null);
        byPath.put("/", root);
        psi.setGroupsOf(this::psiGroupsOf);
    }

    private MemCgroup newGroup(String name, MemCgroup parent) {
        if (nextId > ShadowWord.MEMCG_ID_MASK) {
            throw new IllegalStateException("out of memory cgroup ids");
        }
        MemCgroup c = new MemCgroup(nextId++, name, parent);
        putId(c);
        if (parent != null) {
            psiGroups.put(c, psi.createGroup(c.path()));
        }
        return c;
    }

    /**
     * The pressure group of {@code c} (its memory.pressure and io.pressure): the system's for the
     * root; null for a cgroup already released.
     */
    PsiGroup psiGroup(MemCgroup c) {
        return c.isRoot() ? psi.system() : psiGroups.get(c);
    }

    /** The pressure groups a task counts in besides the system's: its cgroup's and every ancestor's but the root's. */
    private List<PsiGroup> psiGroupsOf(SimTask t) {
        if (t.kthread()) {
            return List.of();
        }
        MemcgTask p = tasks.byPid(t.pid());
        if (p == null) {
            return List.of();
        }
        List<PsiGroup> out = new ArrayList<>();
        for (MemCgroup c = memcgOf(p); c != null && !c.isRoot(); c = c.parent) {
            PsiGroup g = psiGroups.get(c);
            if (g != null) {
                out.add(g);
            }
        }
        return out;
    }

    /** The cgroup with id {@code id} while it exists, else null. */
    MemCgroup lookup(int id) {
        return id >= 0 && id < ids.length ? ids[id] : null;
    }

    private void putId(MemCgroup c) {
        if (c.id >= ids.length) {
            ids = Arrays.copyOf(ids, Math.max(ids.length * 2, c.id + 1));
        }
        ids[c.id] = c;
        liveIds++;
    }

    private void removeId(MemCgroup c) {
        ids[c.id] = null;
        liveIds--;
    }

    /** How many cgroups are registered by id (the checker compares it with the hierarchy). */
    int liveIds() {
        return liveIds;
    }

    /** The cgroup charged by id {@code id}; throws, naming {@code what}, when that cgroup is gone. */
    MemCgroup requireId(int id, Object what) {
        MemCgroup c = lookup(id);
        if (c == null) {
            throw new IllegalStateException("charged to memory cgroup " + id + ", which no longer exists: " + what);
        }
        return c;
    }

    MemCgroup root() {
        return root;
    }

    /** The online cgroup at {@code path} ("/" or "/a/b"), or null. */
    MemCgroup byPath(String path) {
        return byPath.get(normalize(path));
    }

    /** The cgroup with id {@code id}, online or offline, or null once it is gone. */
    MemCgroup byId(int id) {
        return lookup(id == 0 ? root.id : id);
    }

    /** Every cgroup that still exists, online or not, parents first. */
    List<MemCgroup> all() {
        return root.subtree();
    }

    /** The online cgroups by path, in creation order. */
    Map<String, MemCgroup> online() {
        return Collections.unmodifiableMap(byPath);
    }

    private static String normalize(String path) {
        if (path == null) {
            return null;
        }
        String p = path.trim();
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** mkdir; see {@link MemoryCgroups#create}. */
    MemCgroup create(String path) {
        String p = normalize(path);
        if (p == null || !p.startsWith("/") || p.equals("/") || p.contains("//")) {
            throw new IllegalArgumentException("cgroup path '" + path + "' must look like /name or /a/b");
        }
        if (byPath.containsKey(p)) {
            throw new IllegalArgumentException("cgroup " + p + " already exists");
        }
        int slash = p.lastIndexOf('/');
        String name = p.substring(slash + 1);
        if (!name.matches("[A-Za-z0-9_.:-]+") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("cgroup name '" + name + "' in " + p + " is not a valid directory name");
        }
        MemCgroup parent = byPath.get(slash == 0 ? "/" : p.substring(0, slash));
        if (parent == null) {
            throw new IllegalArgumentException("cgroup " + p + ": parent " + (slash == 0 ? "/" : p.substring(0, slash))
                    + " does not exist");
        }
        MemCgroup c = newGroup(name, parent);
        byPath.put(p, c);
        return c;
    }

    /**
     * The first half of rmdir: refuses (IllegalArgumentException) while the cgroup at
     * {@code path} has live processes or online children, as the kernel refuses with EBUSY;
     * otherwise takes it out of the paths and marks it offline. Returns it.
     */
    MemCgroup offline(String path) {
        String p = normalize(path);
        MemCgroup c = byPath.get(p);
        if (c == null || c.isRoot()) {
            throw new IllegalArgumentException("cannot remove cgroup '" + path + "': " + (c == null ? "no such cgroup" : "it is the root"));
        }
        for (MemCgroup k : c.children) {
            if (k.online) {
                throw new IllegalArgumentException("cannot remove cgroup " + p + ": it has child " + k.path() + " (EBUSY)");
            }
        }
        for (MemcgTask q : tasks.all()) {
            if (q.alive() && memcgOf(q) == c) {
                throw new IllegalArgumentException("cannot remove cgroup " + p + ": process " + q.pid() + " ("
                        + q.name() + ") is in it (EBUSY)");
            }
        }
        byPath.remove(p);
        c.online = false;
        return c;
    }

    /** An offline cgroup with nothing charged and no children left is released; its id becomes invalid. */
    void releaseIfEmpty(MemCgroup c) {
        while (c != null && !c.online && c.memory.usage == 0 && c.swap.usage == 0 && c.children.isEmpty()) {
            c.parent.children.remove(c);
            removeId(c);
            psiGroups.remove(c);
            c = c.parent;
        }
    }

    /** The cgroup process {@code p} belongs to. */
    MemCgroup memcgOf(MemcgTask p) {
        MemCgroup c = lookup(p.memcgId());
        return c == null ? root : c;
    }

    /** Moves process {@code p} into the online cgroup at {@code path}; its charges stay where they are. */
    void attach(MemcgTask p, String path) {
        MemCgroup c = byPath(path);
        if (c == null) {
            throw new IllegalArgumentException("no cgroup " + path + " to move process " + p.pid() + " into");
        }
        if (p.memcgId() != c.id) {
            p.setMemcgId(c.id);
            tasks.moved(p);
        }
    }
}
