package org.pagelab.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.pagelab.desc.AnonFolio;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.FolioFlags.Flag;
import org.pagelab.desc.ShmemFolio;
import org.pagelab.lruvec.LruList;
import org.pagelab.lruvec.LruVec;
import org.pagelab.testing.SeedSource;

/**
 * Random LRU operations against a reference model kept in plain deques and per-folio records,
 * with {@link LruVec#check()} and a full comparison after every step.
 */
class LruRandomOpsTest {
    /** The reference model's view of one folio. */
    private static final class Ref {
        final boolean file;
        final int pages;
        LruList list;         // null while isolated
        boolean active;
        boolean referenced;
        boolean unevictable;
        boolean workingset;
        boolean mlocked;

        Ref(boolean file, int pages) {
            this.file = file;
            this.pages = pages;
        }
    }

    private final Map<LruList, Deque<Folio>> lists = new EnumMap<>(LruList.class);
    private final Map<Folio, Ref> refs = new IdentityHashMap<>();
    private final List<Folio> isolated = new ArrayList<>();
    private final LruEventCounts events = new LruEventCounts();
    private final TwoListPolicy policy = new TwoListPolicy(events);
    private final LruVec lruvec = new LruVec("node0");
    private long age;
    private long pgactivate;
    private long pgdeactivate;
    private long pgrefill;
    private int nextPfn;
    private int step;

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({1, 42, 4711, 20261126, 987654321})
    void policyMatchesTheReferenceModel(long seed) {
        for (LruList l : LruList.values()) {
            lists.put(l, new ArrayDeque<>());
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (step = 0; step < 4000; step++) {
            String op = doOne(rnd);
            String where = "seed " + seed + " step " + step + " op " + op;
            try {
                lruvec.check();
            } catch (IllegalStateException e) {
                throw new AssertionError(where + ": " + e.getMessage(), e);
            }
            compare(where);
        }
    }

    private String doOne(SplittableRandom rnd) {
        int op = rnd.nextInt(100);
        if (op < 25 || refs.isEmpty()) {
            return add(rnd);
        } else if (op < 50) {
            return access(pick(rnd, new ArrayList<>(refs.keySet())));
        } else if (op < 60) {
            return isolateForReclaim(rnd.nextBoolean(), 1 + rnd.nextInt(6));
        } else if (op < 70) {
            return putback(rnd);
        } else if (op < 76) {
            return shrinkActive(rnd.nextBoolean(), 1 + rnd.nextInt(6));
        } else if (op < 82) {
            return deactivate(pick(rnd, onLru()));
        } else if (op < 88) {
            return remove(pick(rnd, onLru()));
        } else if (op < 93) {
            return isolateOne(pick(rnd, onLru()));
        } else {
            return toggleMlock(pick(rnd, isolated));
        }
    }

    private static Folio pick(SplittableRandom rnd, List<Folio> from) {
        return from.isEmpty() ? null : from.get(rnd.nextInt(from.size()));
    }

    private List<Folio> onLru() {
        List<Folio> out = new ArrayList<>();
        for (Map.Entry<Folio, Ref> e : refs.entrySet()) {
            if (e.getValue().list != null) {
                out.add(e.getKey());
            }
        }
        out.sort((a, b) -> Integer.compare(a.pfn(), b.pfn()));
        return out;
    }

    // ---- operations, each applied to the policy and to the model ----

    private String add(SplittableRandom rnd) {
        int order = rnd.nextInt(3);
        int kind = rnd.nextInt(3);
        Folio f = switch (kind) {
            case 0 -> new AnonFolio(nextPfn, order);
            case 1 -> new PageCacheFolio(nextPfn, order);
            default -> new ShmemFolio(nextPfn, order);
        };
        nextPfn += 4;
        Ref r = new Ref(kind == 1, f.nrPages());
        if (rnd.nextInt(4) == 0) {
            f.set(Flag.ACTIVE);
            r.active = true;
        }
        if (rnd.nextInt(10) == 0) {
            f.set(Flag.MLOCKED);
            r.mlocked = true;
        }
        policy.onAdd(lruvec, f);
        refs.put(f, r);
        enterLru(f, r);
        return "add " + f;
    }

    /** The model's lru_add: decide evictability, then link at the head. */
    private void enterLru(Folio f, Ref r) {
        if (r.mlocked) {
            r.unevictable = true;
            r.active = false;
        } else {
            r.unevictable = false;
        }
        r.list = r.unevictable ? LruList.UNEVICTABLE : LruList.of(r.file, r.active);
        lists.get(r.list).addFirst(f);
    }

    private String access(Folio f) {
        Ref r = refs.get(f);
        policy.onAccess(lruvec, f);
        if (!r.referenced) {
            r.referenced = true;
        } else if (!r.unevictable && !r.active) {
            if (r.list != null) {
                lists.get(r.list).remove(f);
                r.active = true;
                r.list = LruList.of(r.file, true);
                lists.get(r.list).addFirst(f);
                pgactivate += r.pages;
            }
            r.referenced = false;
            age += r.pages;
        }
        return "access " + f;
    }

    private List<Folio> takeFromTail(LruList list, long nrToScan) {
        List<Folio> taken = new ArrayList<>();
        long scanned = 0;
        Deque<Folio> d = lists.get(list);
        while (scanned < nrToScan && !d.isEmpty()) {
            Folio f = d.pollLast();
            scanned += f.nrPages();
            refs.get(f).list = null;
            taken.add(f);
        }
        return taken;
    }

    private String isolateForReclaim(boolean file, int nr) {
        List<Folio> expect = takeFromTail(LruList.inactive(file), nr);
        IsolateResult got = policy.isolateForReclaim(lruvec, IsolateRequest.any(file, nr));
        assertThat(got.folios()).as("step %d isolated", step).containsExactlyElementsOf(expect);
        isolated.addAll(expect);
        return "isolate " + (file ? "file " : "anon ") + nr;
    }

    private String putback(SplittableRandom rnd) {
        if (isolated.isEmpty()) {
            return "putback nothing";
        }
        List<Folio> batch = new ArrayList<>();
        int n = 1 + rnd.nextInt(isolated.size());
        for (int i = 0; i < n; i++) {
            batch.add(isolated.remove(rnd.nextInt(isolated.size())));
        }
        for (Folio f : batch) {
            if (rnd.nextInt(3) == 0) {
                policy.activateIsolated(f);
                Ref r = refs.get(f);
                if (!r.mlocked) {
                    r.active = true;
                    pgactivate += r.pages;
                }
            }
        }
        assertThat(policy.putback(lruvec, batch)).as("step %d released", step).isEmpty();
        for (Folio f : batch) {
            modelPutback(f);
        }
        return "putback " + batch.size();
    }

    private void modelPutback(Folio f) {
        Ref r = refs.get(f);
        enterLru(f, r);
        if (r.active) {
            age += r.pages;
        }
    }

    /** A harvester that answers from the folio and the step, so the model can ask it too. */
    private RmapReferences harvest(Folio f) {
        int h = (f.pfn() / 4 * 31 + step) % 4;
        return switch (h) {
            case 0 -> new RmapReferences(1, true, false);
            case 1 -> RmapReferences.ptes(2);
            default -> RmapReferences.NONE;
        };
    }

    private String shrinkActive(boolean file, int nr) {
        List<Folio> taken = takeFromTail(LruList.active(file), nr);
        long scanned = 0;
        for (Folio f : taken) {
            scanned += f.nrPages();
        }
        List<Folio> keep = new ArrayList<>();
        List<Folio> down = new ArrayList<>();
        for (Folio f : taken) {
            Ref r = refs.get(f);
            if (r.mlocked) {
                modelPutback(f);
                continue;
            }
            RmapReferences h = harvest(f);
            if (h.referenced() && h.inExecVma() && r.file) {
                keep.add(f);
            } else {
                r.active = false;
                r.workingset = true;
                down.add(f);
            }
        }
        keep.forEach(this::modelPutback);
        down.forEach(this::modelPutback);
        long deactivated = 0;
        for (Folio f : down) {
            deactivated += f.nrPages();
        }
        pgrefill += scanned;
        pgdeactivate += deactivated;
        ShrinkActiveResult got = policy.shrinkActive(lruvec, IsolateRequest.any(file, nr), this::harvest);
        assertThat(got.nrScanned()).as("step %d scanned", step).isEqualTo(scanned);
        assertThat(got.nrDeactivate()).as("step %d deactivated", step).isEqualTo(deactivated);
        assertThat(got.released()).isEmpty();
        return "shrinkActive " + (file ? "file " : "anon ") + nr;
    }

    private String deactivate(Folio f) {
        if (f == null) {
            return "deactivate nothing";
        }
        Ref r = refs.get(f);
        policy.deactivate(lruvec, f);
        if (!r.unevictable && r.active) {
            lists.get(r.list).remove(f);
            r.active = false;
            r.referenced = false;
            r.list = LruList.inactive(r.file);
            lists.get(r.list).addFirst(f);
            pgdeactivate += r.pages;
        }
        return "deactivate " + f;
    }

    private String remove(Folio f) {
        if (f == null) {
            return "remove nothing";
        }
        Ref r = refs.remove(f);
        lists.get(r.list).remove(f);
        policy.remove(lruvec, f);
        assertThat(f.refSub(1)).isZero();
        f.markDead();
        return "remove " + f;
    }

    private String isolateOne(Folio f) {
        if (f == null) {
            return "isolate nothing";
        }
        Ref r = refs.get(f);
        lists.get(r.list).remove(f);
        r.list = null;
        lruvec.isolate(f);
        isolated.add(f);
        return "isolateOne " + f;
    }

    private String toggleMlock(Folio f) {
        if (f == null) {
            return "mlock nothing";
        }
        Ref r = refs.get(f);
        r.mlocked = !r.mlocked;
        if (r.mlocked) {
            f.set(Flag.MLOCKED);
        } else {
            f.clear(Flag.MLOCKED);
        }
        return (r.mlocked ? "mlock " : "munlock ") + f;
    }

    // ---- comparison ----

    private void compare(String where) {
        for (LruList l : LruList.values()) {
            List<Folio> got = new ArrayList<>();
            lruvec.folios(l).forEach(got::add);
            List<Folio> want = new ArrayList<>(lists.get(l));
            if (!got.equals(want)) {
                assertThat(got).as("%s: list %s", where, l).containsExactlyElementsOf(want);
            }
            long pages = 0;
            for (Folio f : want) {
                pages += f.nrPages();
            }
            if (lruvec.nrPages(l) != pages) {
                assertThat(lruvec.nrPages(l)).as("%s: pages on %s", where, l).isEqualTo(pages);
            }
        }
        for (Map.Entry<Folio, Ref> e : refs.entrySet()) {
            Folio f = e.getKey();
            Ref r = e.getValue();
            boolean agrees = f.test(Flag.LRU) == (r.list != null)
                    && f.test(Flag.ACTIVE) == r.active
                    && f.test(Flag.UNEVICTABLE) == r.unevictable
                    && f.test(Flag.REFERENCED) == r.referenced
                    && f.test(Flag.WORKINGSET) == r.workingset
                    && f.refcount() == (r.list == null ? 2 : 1);
            if (!agrees) {
                throw new AssertionError(where + ": folio " + f + " disagrees with the model: list=" + r.list
                        + " active=" + r.active + " unevictable=" + r.unevictable + " referenced=" + r.referenced
                        + " workingset=" + r.workingset);
            }
        }
        assertThat(lruvec.nonresidentAge()).as("%s: non-resident age", where).isEqualTo(age);
        assertThat(events.get(LruEvent.PGACTIVATE)).as("%s: pgactivate", where).isEqualTo(pgactivate);
        assertThat(events.get(LruEvent.PGDEACTIVATE)).as("%s: pgdeactivate", where).isEqualTo(pgdeactivate);
        assertThat(events.get(LruEvent.PGREFILL)).as("%s: pgrefill", where).isEqualTo(pgrefill);
    }
}
