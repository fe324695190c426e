package org.pagelab.filemap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pagelab.desc.CacheEntry;
import org.pagelab.desc.FileFolio;
import org.pagelab.desc.PageCacheFolio;
import org.pagelab.desc.Folio;
import org.pagelab.desc.Shadow;
import org.pagelab.filemap.CacheIndex.Mark;
import org.pagelab.slab.KmemCache;
import org.pagelab.slab.SlabAllocator;
import org.pagelab.testing.SeedSource;
import org.pagelab.testing.Seeds;

/**
 * The contract of {@link CacheIndex}, run once for each user of the index (page cache, swap cache,
 * shmem): a subclass says how that user builds its index from the radix_tree_node cache this suite
 * sets up, and may say which kind of folio it stores. Every test ends with the index's invariant
 * check, the slab allocator's check, and a count of node objects against the slab cache.
 */
@ExtendWith(Seeds.class)
public abstract class CacheIndexContract {
    /** Source of the slab pages behind {@link #nodeCache}; tests make it run out of memory. */
    protected TestSlabPages slabPages;
    /** The slab allocator {@link #nodeCache} lives in. */
    protected SlabAllocator slab;
    /** The radix_tree_node cache the index under test takes its nodes from. */
    protected KmemCache nodeCache;
    /** The index under test. */
    protected CacheIndex index;

    private final List<CacheIndex> built = new ArrayList<>();
    private int nextFolioPfn;
    private long nextShadowWord = 1;

    /** Builds an empty index from {@link #nodeCache} the way this user does. */
    protected abstract CacheIndex newIndex();

    /** Name of the user, for messages. */
    protected abstract String user();

    /** A folio of this user's kind over {@code [pfn, pfn + 2^order)}; file folios unless overridden. */
    protected Folio newFolio(int pfn, int order) {
        return new PageCacheFolio(pfn, order);
    }

    @BeforeEach
    final void setUpIndex() {
        slabPages = new TestSlabPages();
        slab = new SlabAllocator(slabPages);
        nodeCache = slab.createCache("radix_tree_node", 576, true);
        index = anotherIndex();
    }

    @AfterEach
    final void checkInvariants() {
        long nodes = 0;
        for (CacheIndex i : built) {
            i.check();
            nodes += i.nodes();
        }
        slab.check();
        assertThat(nodeCache.objectsInUse()).as("%s: node objects in use", user()).isEqualTo(nodes);
    }

    /** A further empty index of this user's kind, sharing {@link #nodeCache}. */
    protected final CacheIndex anotherIndex() {
        CacheIndex i = newIndex();
        built.add(i);
        return i;
    }

    /** A new folio of {@code 2^order} pages at a naturally aligned pfn no other test folio uses. */
    protected final Folio folio(int order) {
        int n = 1 << order;
        int pfn = (nextFolioPfn + n - 1) & -n;
        nextFolioPfn = pfn + n;
        return newFolio(pfn, order);
    }

    /** A value entry (what the index's user leaves in a slot with no folio) no other test value equals. */
    protected final CacheEntry shadow() {
        return newValue(nextShadowWord++);
    }

    /**
     * The value entry number {@code n} of this index's user: a workingset shadow by default; a
     * shmem index holds swap entries instead.
     */
    protected CacheEntry newValue(long n) {
        return Shadow.of(n);
    }

    private static void store(CacheIndex idx, long i, CacheEntry e) {
        assertThat(idx.tryStore(i, e)).as("store at %d", i).isTrue();
    }

    /** Every (index, entry) pair of {@code idx} in walk order. */
    private static List<Map.Entry<Long, CacheEntry>> contents(CacheIndex idx, long first, long last) {
        List<Map.Entry<Long, CacheEntry>> out = new ArrayList<>();
        idx.forEach(first, last, (i, e) -> out.add(Map.entry(i, e)));
        return out;
    }

    private static List<Long> marked(CacheIndex idx, long first, long last, Mark m) {
        List<Long> out = new ArrayList<>();
        idx.forEachMarked(first, last, m, (i, e) -> {
            assertThat(idx.getMark(i, m)).as("walk for %s visits %d, which is not marked", m, i).isTrue();
            out.add(i);
            return true;
        });
        return out;
    }

    /** The node count and shadow-only leaf count a canonical tree holding {@code keys} has. */
    static long[] expectedShape(NavigableMap<Long, CacheEntry> ref) {
        if (ref.isEmpty() || ref.lastKey() == 0) {
            return new long[] {0, 0};
        }
        long last = ref.lastKey();
        int bits = 64 - Long.numberOfLeadingZeros(last);
        int top = bits <= 6 ? 0 : (bits - 1) / 6 * 6;
        long nodes = 0;
        for (int s = 0; s <= top; s += 6) {
            long prev = -1;
            for (long k : ref.keySet()) {
                long no = s + 6 >= 64 ? 0 : k >>> (s + 6);
                if (no != prev) {
                    nodes++;
                    prev = no;
                }
            }
        }
        long shadowOnly = 0;
        long leaf = -1;
        boolean allShadows = false;
        for (Map.Entry<Long, CacheEntry> e : ref.entrySet()) {
            long no = e.getKey() >>> 6;
            if (no != leaf) {
                if (allShadows) {
                    shadowOnly++;
                }
                leaf = no;
                allShadows = true;
            }
            allShadows &= !(e.getValue() instanceof Folio);
        }
        if (allShadows) {
            shadowOnly++;
        }
        return new long[] {nodes, shadowOnly};
    }

    /** What the index holds, in a form two states can be compared by. */
    private static List<String> snapshot(CacheIndex idx) {
        List<String> out = new ArrayList<>();
        out.add("size=" + idx.size() + " shadows=" + idx.nrShadows() + " nodes=" + idx.nodes()
                + " shadowOnly=" + idx.shadowOnlyNodes());
        for (Mark m : Mark.values()) {
            out.add(m + " any=" + idx.anyMarked(m));
        }
        idx.forEach(0, Long.MAX_VALUE, (i, e) -> {
            StringBuilder sb = new StringBuilder().append(i).append('=').append(System.identityHashCode(e));
            for (Mark m : Mark.values()) {
                if (idx.getMark(i, m)) {
                    sb.append(' ').append(m);
                }
            }
            out.add(sb.toString());
            return true;
        });
        return out;
    }

    // ---- store, load, erase ----

    @Test
    void emptyIndexHoldsNothing() {
        for (long i : new long[] {0, 1, 63, 64, 1L << 40, Long.MAX_VALUE}) {
            assertThat(index.load(i)).as("load(%d)", i).isNull();
            assertThat(index.erase(i)).as("erase(%d)", i).isNull();
        }
        assertThat(index.size()).isZero();
        assertThat(index.nodes()).isZero();
        assertThat(contents(index, 0, Long.MAX_VALUE)).isEmpty();
        for (Mark m : Mark.values()) {
            assertThat(index.anyMarked(m)).isFalse();
        }
    }

    @Test
    void storedEntryLoadsBackAndStoreReplacesIt() {
        Folio a = folio(0);
        Folio b = folio(0);
        store(index, 5, a);
        assertThat(index.load(5)).isSameAs(a);
        assertThat(index.load(4)).isNull();
        assertThat(index.load(6)).isNull();
        store(index, 5, b);
        assertThat(index.load(5)).isSameAs(b);
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.nodes()).isEqualTo(1);
    }

    @Test
    void loneEntryAtIndexZeroNeedsNoNode() {
        Folio a = folio(0);
        store(index, 0, a);
        assertThat(index.nodes()).as("xa_head holds index 0").isZero();
        assertThat(index.load(0)).isSameAs(a);
        Folio b = folio(0);
        store(index, 1, b);
        assertThat(index.nodes()).isEqualTo(1);
        assertThat(index.load(0)).isSameAs(a);
        assertThat(index.erase(1)).isSameAs(b);
        assertThat(index.nodes()).as("the leaf root shrinks back into the head").isZero();
        assertThat(index.load(0)).isSameAs(a);
        assertThat(index.erase(0)).isSameAs(a);
        assertThat(index.size()).isZero();
    }

    @Test
    void eraseReturnsTheOldEntryAndFreesEveryNode() {
        Folio[] f = new Folio[200];
        for (int i = 0; i < f.length; i++) {
            f[i] = folio(0);
            store(index, i, f[i]);
        }
        assertThat(index.size()).isEqualTo(200);
        assertThat(index.nodes()).as("root over four leaves").isEqualTo(5);
        for (int i = f.length - 1; i >= 0; i--) {
            assertThat(index.erase(i)).isSameAs(f[i]);
            assertThat(index.erase(i)).isNull();
            index.check();
        }
        assertThat(index.size()).isZero();
        assertThat(index.nodes()).isZero();
        assertThat(nodeCache.objectsInUse()).isZero();
        assertThat(slabPages.livePages()).isZero();
    }

    @Test
    void heightGrowsAndShrinksWithTheLargestIndex() {
        store(index, 5, folio(0));
        assertThat(index.nodes()).isEqualTo(1);
        store(index, 64, folio(0));
        assertThat(index.nodes()).as("root at shift 6 over two leaves").isEqualTo(3);
        store(index, 4096, folio(0));
        assertThat(index.nodes()).as("root at shift 12, two shift-6 nodes, three leaves").isEqualTo(6);
        index.erase(4096);
        assertThat(index.nodes()).isEqualTo(3);
        index.erase(5);
        assertThat(index.nodes()).as("root keeps slot 1, so it stays").isEqualTo(2);
        index.erase(64);
        assertThat(index.nodes()).isZero();
    }

    @Test
    void sparseIndicesLoadBackAndTheirNodesAreFreed() {
        long[] at = {0, 63, 64, 4095, 1L << 30, 1L << 40, Long.MAX_VALUE};
        TreeMap<Long, CacheEntry> ref = new TreeMap<>();
        for (long i : at) {
            Folio f = folio(0);
            store(index, i, f);
            ref.put(i, f);
            for (long j : ref.keySet()) {
                assertThat(index.load(j)).as("load(%d) after storing %d", j, i).isSameAs(ref.get(j));
            }
            assertThat(index.load(i + 1 < 0 ? i - 1 : i + 1)).isNull();
            assertThat(index.nodes()).as("nodes after storing %d", i).isEqualTo(expectedShape(ref)[0]);
            index.check();
        }
        assertThat(contents(index, 0, Long.MAX_VALUE)).extracting(Map.Entry::getKey)
                .containsExactly(0L, 63L, 64L, 4095L, 1L << 30, 1L << 40, Long.MAX_VALUE);
        for (long i : new long[] {1L << 30, Long.MAX_VALUE, 0, 64, 1L << 40, 63, 4095}) {
            assertThat(index.erase(i)).isSameAs(ref.remove(i));
            assertThat(index.load(i)).isNull();
            assertThat(index.nodes()).as("nodes after erasing %d", i).isEqualTo(expectedShape(ref)[0]);
            index.check();
        }
        assertThat(nodeCache.objectsInUse()).isZero();
    }

    @Test
    void badArgumentsAreRejectedNamingTheValue() {
        Folio f = folio(0);
        assertThatThrownBy(() -> index.tryStore(-5, f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-5");
        assertThatThrownBy(() -> index.load(-7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-7");
        assertThatThrownBy(() -> index.erase(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> index.tryStore(3, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3");
        assertThatThrownBy(() -> index.tryStoreRange(8, 0, f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 slots");
        assertThatThrownBy(() -> index.tryStoreRange(Long.MAX_VALUE - 2, 4, f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("largest index");
        assertThatThrownBy(() -> index.eraseRange(-64, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-64");
        assertThatThrownBy(() -> index.forEach(-2, 5, (i, e) -> true)).isInstanceOf(IllegalArgumentException.class);
        assertThat(index.size()).isZero();
    }

    // ---- large folios ----

    @ParameterizedTest(name = "order {0}")
    @ValueSource(ints = {2, 9})
    void largeFolioFillsEverySlotOfItsRange(int order) {
        int nr = 1 << order;
        long first = 3L * nr;
        Folio big = folio(order);
        Folio before = folio(0);
        store(index, first - 1, before);
        assertThat(index.tryStoreRange(first, big.nrPages(), big)).isTrue();
        for (long i = first; i < first + nr; i++) {
            assertThat(index.load(i)).as("slot %d of the folio", i).isSameAs(big);
        }
        assertThat(index.load(first + nr)).isNull();
        assertThat(index.load(first - 1)).isSameAs(before);
        assertThat(index.size()).isEqualTo(nr + 1);
        List<Map.Entry<Long, CacheEntry>> seen = contents(index, 0, Long.MAX_VALUE);
        assertThat(seen).as("visited once per slot").hasSize(nr + 1);
        index.setMark(first + 1, Mark.DIRTY);
        assertThat(marked(index, 0, Long.MAX_VALUE, Mark.DIRTY)).containsExactly(first + 1);
        index.eraseRange(first, nr);
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.anyMarked(Mark.DIRTY)).isFalse();
        assertThat(index.erase(first - 1)).isSameAs(before);
        assertThat(index.nodes()).isZero();
    }

    @Test
    void rangeStoreReplacesShadowsInItsRange() {
        for (long i = 0; i < 16; i++) {
            store(index, i, shadow());
        }
        assertThat(index.shadowOnlyNodes()).isEqualTo(1);
        Folio big = folio(2);
        assertThat(index.tryStoreRange(4, 4, big)).isTrue();
        assertThat(index.size()).isEqualTo(16);
        assertThat(index.nrShadows()).isEqualTo(12);
        assertThat(index.shadowOnlyNodes()).isZero();
        index.eraseRange(4, 4);
        assertThat(index.shadowOnlyNodes()).isEqualTo(1);
        assertThat(index.size()).isEqualTo(12);
    }

    @Test
    void rangeStoreAcrossLeavesGrowsTheTreeOnce() {
        Folio big = folio(9);
        assertThat(index.tryStoreRange(1L << 40, 512, big)).isTrue();
        assertThat(index.load((1L << 40) + 511)).isSameAs(big);
        assertThat(index.load((1L << 40) + 512)).isNull();
        assertThat(index.nodes()).as("eight leaves under a path of six interior nodes").isEqualTo(14);
        index.eraseRange(1L << 40, 512);
        assertThat(index.nodes()).isZero();
    }

    // ---- shadows ----

    @Test
    void shadowsAreCountedAndShadowOnlyLeavesTracked() {
        for (long i = 1; i <= 4; i++) {
            store(index, i, shadow());
        }
        assertThat(index.nrShadows()).isEqualTo(4);
        assertThat(index.shadowOnlyNodes()).isEqualTo(1);
        store(index, 64 + 3, shadow());
        assertThat(index.shadowOnlyNodes()).isEqualTo(2);
        Folio f = folio(0);
        store(index, 2, f);
        assertThat(index.nrShadows()).isEqualTo(4);
        assertThat(index.shadowOnlyNodes()).as("a folio among the shadows").isEqualTo(1);
        CacheEntry s = shadow();
        store(index, 2, s);
        assertThat(index.shadowOnlyNodes()).isEqualTo(2);
        assertThat(index.load(2)).isEqualTo(s);
        store(index, 70, folio(0));
        assertThat(index.shadowOnlyNodes()).isEqualTo(1);
        assertThat(index.erase(70)).isInstanceOf(Folio.class);
        assertThat(index.shadowOnlyNodes()).isEqualTo(2);
        for (long i : new long[] {1, 2, 3, 4, 67}) {
            index.erase(i);
        }
        assertThat(index.nrShadows()).isZero();
        assertThat(index.shadowOnlyNodes()).isZero();
        assertThat(index.nodes()).isZero();
    }

    @Test
    void loneShadowAtIndexZeroIsNoShadowNode() {
        store(index, 0, shadow());
        assertThat(index.nrShadows()).isEqualTo(1);
        assertThat(index.shadowOnlyNodes()).isZero();
        store(index, 1, shadow());
        assertThat(index.nodes()).isEqualTo(1);
        assertThat(index.shadowOnlyNodes()).isEqualTo(1);
        index.erase(1);
        assertThat(index.nodes()).isZero();
        assertThat(index.shadowOnlyNodes()).isZero();
        assertThat(index.load(0)).isInstanceOf(shadow().getClass());
        Folio f = folio(0);
        store(index, 0, f);
        assertThat(index.nrShadows()).isZero();
        assertThat(index.load(0)).isSameAs(f);
    }

    // ---- marks ----

    @Test
    void marksPropagateToTheRootAndClearBackDown() {
        long[] at = {3, 64, 5000, 1L << 33};
        for (long i : at) {
            store(index, i, folio(0));
        }
        assertThat(index.anyMarked(Mark.DIRTY)).isFalse();
        index.setMark(5000, Mark.DIRTY);
        assertThat(index.anyMarked(Mark.DIRTY)).isTrue();
        assertThat(index.getMark(5000, Mark.DIRTY)).isTrue();
        assertThat(index.getMark(64, Mark.DIRTY)).isFalse();
        index.setMark(1L << 33, Mark.DIRTY);
        index.setMark(5000, Mark.DIRTY);
        index.check();
        index.clearMark(5000, Mark.DIRTY);
        assertThat(index.anyMarked(Mark.DIRTY)).isTrue();
        assertThat(index.getMark(5000, Mark.DIRTY)).isFalse();
        index.clearMark(1L << 33, Mark.DIRTY);
        index.clearMark(1L << 33, Mark.DIRTY);
        index.clearMark(77, Mark.DIRTY);
        assertThat(index.anyMarked(Mark.DIRTY)).isFalse();
    }

    @Test
    void marksAreIndependentOfEachOther() {
        store(index, 10, folio(0));
        store(index, 11, folio(0));
        index.setMark(10, Mark.DIRTY);
        index.setMark(11, Mark.WRITEBACK);
        index.setMark(10, Mark.TOWRITE);
        assertThat(marked(index, 0, 100, Mark.DIRTY)).containsExactly(10L);
        assertThat(marked(index, 0, 100, Mark.WRITEBACK)).containsExactly(11L);
        assertThat(marked(index, 0, 100, Mark.TOWRITE)).containsExactly(10L);
        index.clearMark(10, Mark.DIRTY);
        assertThat(index.getMark(10, Mark.TOWRITE)).isTrue();
        assertThat(index.anyMarked(Mark.DIRTY)).isFalse();
        assertThat(index.anyMarked(Mark.WRITEBACK)).isTrue();
    }

    @Test
    void markOnIndexZeroAloneLivesInTheRoot() {
        Folio f = folio(0);
        store(index, 0, f);
        index.setMark(0, Mark.DIRTY);
        assertThat(index.anyMarked(Mark.DIRTY)).isTrue();
        store(index, 1L << 20, folio(0));
        assertThat(index.getMark(0, Mark.DIRTY)).as("mark moves into the leaf with the entry").isTrue();
        assertThat(index.getMark(1L << 20, Mark.DIRTY)).isFalse();
        index.erase(1L << 20);
        assertThat(index.nodes()).isZero();
        assertThat(index.getMark(0, Mark.DIRTY)).as("and back into the head").isTrue();
        assertThat(marked(index, 0, 0, Mark.DIRTY)).containsExactly(0L);
        index.clearMark(0, Mark.DIRTY);
        assertThat(index.anyMarked(Mark.DIRTY)).isFalse();
    }

    @Test
    void onlyAFolioCanBeMarked() {
        CacheEntry value = shadow();
        store(index, 9, value);
        assertThatThrownBy(() -> index.setMark(9, Mark.DIRTY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9").hasMessageContaining(value.toString());
        assertThatThrownBy(() -> index.setMark(12, Mark.DIRTY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("12").hasMessageContaining("nothing");
        assertThatThrownBy(() -> index.setMark(1L << 50, Mark.WRITEBACK)).isInstanceOf(IllegalArgumentException.class);
        assertThat(index.anyMarked(Mark.DIRTY)).isFalse();
    }

    @Test
    void eraseClearsTheSlotsMarks() {
        store(index, 100, folio(0));
        store(index, 101, folio(0));
        index.setMark(100, Mark.DIRTY);
        index.setMark(100, Mark.WRITEBACK);
        index.erase(100);
        assertThat(index.anyMarked(Mark.DIRTY)).isFalse();
        assertThat(index.anyMarked(Mark.WRITEBACK)).isFalse();
        store(index, 100, folio(0));
        assertThat(index.getMark(100, Mark.DIRTY)).as("a new folio starts clean").isFalse();
    }

    @Test
    void storingAShadowClearsTheSlotsMarks() {
        store(index, 100, folio(0));
        store(index, 300, folio(0));
        index.setMark(100, Mark.DIRTY);
        index.setMark(300, Mark.TOWRITE);
        store(index, 100, shadow());
        assertThat(index.getMark(100, Mark.DIRTY)).isFalse();
        assertThat(index.anyMarked(Mark.DIRTY)).isFalse();
        assertThat(index.tryStoreRange(296, 8, shadow())).isTrue();
        assertThat(index.anyMarked(Mark.TOWRITE)).isFalse();
    }

    @Test
    void storingAFolioOverAFolioKeepsItsMarks() {
        store(index, 100, folio(0));
        index.setMark(100, Mark.DIRTY);
        Folio g = folio(0);
        store(index, 100, g);
        assertThat(index.getMark(100, Mark.DIRTY)).isTrue();
        assertThat(index.load(100)).isSameAs(g);
    }

    // ---- walks ----

    @Test
    void forEachMarkedVisitsExactlyTheMarkedSlotsInOrder() {
        List<Long> dirty = new ArrayList<>();
        Random rnd = new Random(Seeds.derive(7));
        for (int k = 0; k < 400; k++) {
            long i = k < 300 ? rnd.nextInt(20_000) : rnd.nextLong() >>> 1;
            store(index, i, folio(0));
        }
        store(index, 5, shadow());
        index.forEach(0, Long.MAX_VALUE, (i, e) -> {
            if (e instanceof Folio && (i % 7 == 0 || i > 1_000_000)) {
                index.setMark(i, Mark.DIRTY);
                dirty.add(i);
            }
            return true;
        });
        assertThat(marked(index, 0, Long.MAX_VALUE, Mark.DIRTY)).isEqualTo(dirty);
        long lo = 1000;
        long hi = 9999;
        assertThat(marked(index, lo, hi, Mark.DIRTY))
                .isEqualTo(dirty.stream().filter(i -> i >= lo && i <= hi).toList());
        assertThat(marked(index, 0, Long.MAX_VALUE, Mark.WRITEBACK)).isEmpty();
    }

    @Test
    void forEachKeepsToItsBoundsAndStopsWhenTold() {
        for (long i = 0; i < 300; i += 3) {
            store(index, i, folio(0));
        }
        store(index, 1L << 45, folio(0));
        assertThat(contents(index, 10, 20)).extracting(Map.Entry::getKey).containsExactly(12L, 15L, 18L);
        assertThat(contents(index, 12, 12)).extracting(Map.Entry::getKey).containsExactly(12L);
        assertThat(contents(index, 13, 14)).isEmpty();
        assertThat(contents(index, 20, 10)).isEmpty();
        assertThat(contents(index, 298, Long.MAX_VALUE)).extracting(Map.Entry::getKey).containsExactly(1L << 45);
        assertThat(contents(index, (1L << 45) + 1, Long.MAX_VALUE)).isEmpty();
        List<Long> seen = new ArrayList<>();
        index.forEach(0, Long.MAX_VALUE, (i, e) -> {
            seen.add(i);
            return seen.size() < 4;
        });
        assertThat(seen).containsExactly(0L, 3L, 6L, 9L);
        seen.clear();
        index.setMark(30, Mark.DIRTY);
        index.setMark(60, Mark.DIRTY);
        index.forEachMarked(0, Long.MAX_VALUE, Mark.DIRTY, (i, e) -> {
            seen.add(i);
            return false;
        });
        assertThat(seen).containsExactly(30L);
    }

    @Test
    void visitorMayEraseWhatItVisits() {
        for (long i = 0; i < 1000; i += 5) {
            store(index, i, folio(0));
        }
        store(index, 1L << 36, folio(0));
        List<Long> seen = new ArrayList<>();
        index.forEach(0, Long.MAX_VALUE, (i, e) -> {
            seen.add(i);
            assertThat(index.erase(i)).isSameAs(e);
            return true;
        });
        assertThat(seen).hasSize(201).isSorted();
        assertThat(index.size()).isZero();
        assertThat(index.nodes()).isZero();
    }

    @Test
    void visitorMayStoreAheadOfTheWalk() {
        store(index, 1, folio(0));
        store(index, 2, folio(0));
        Folio far = folio(0);
        List<Long> seen = new ArrayList<>();
        index.forEach(0, Long.MAX_VALUE, (i, e) -> {
            seen.add(i);
            if (i == 1) {
                index.erase(1);
                index.erase(2);
                assertThat(index.tryStore(1L << 50, far)).isTrue();
            }
            return true;
        });
        assertThat(seen).as("the walk follows the tree as the visitor left it").containsExactly(1L, 1L << 50);
    }

    @Test
    void visitorMayMoveMarksAsWritebackDoes() {
        for (long i = 0; i < 500; i++) {
            store(index, i, folio(0));
            if (i % 3 == 0) {
                index.setMark(i, Mark.DIRTY);
            }
        }
        List<Long> written = new ArrayList<>();
        index.forEachMarked(0, Long.MAX_VALUE, Mark.DIRTY, (i, e) -> {
            index.clearMark(i, Mark.DIRTY);
            index.setMark(i, Mark.WRITEBACK);
            written.add(i);
            return true;
        });
        assertThat(written).hasSize(167);
        assertThat(index.anyMarked(Mark.DIRTY)).isFalse();
        assertThat(marked(index, 0, Long.MAX_VALUE, Mark.WRITEBACK)).isEqualTo(written);
    }

    // ---- memory ----

    @Test
    void storeNeedingANodeFailsCleanlyWhenMemoryIsGone() {
        slabPages.failAfter(0);
        Folio f = folio(0);
        store(index, 0, f);
        index.setMark(0, Mark.DIRTY);
        List<String> before = snapshot(index);
        assertThat(index.tryStore(1, folio(0))).isFalse();
        assertThat(index.tryStore(1L << 40, folio(0))).isFalse();
        assertThat(index.tryStoreRange(64, 64, folio(6))).isFalse();
        assertThat(snapshot(index)).isEqualTo(before);
        assertThat(index.load(0)).isSameAs(f);
        assertThat(index.getMark(0, Mark.DIRTY)).isTrue();
        assertThat(nodeCache.objectsInUse()).isZero();
        assertThat(slabPages.failures()).isPositive();
        assertThat(index.erase(0)).as("erase needs no memory").isSameAs(f);
    }

    @Test
    void failedRangeStoreGivesBackTheNodesItTook() {
        slabPages.failAfter(2);
        Folio big = folio(10);
        assertThat(index.tryStoreRange(1L << 40, 1024, big))
                .as("22 nodes do not fit in one 14-object slab").isFalse();
        assertThat(nodeCache.objectsInUse()).isZero();
        assertThat(slabPages.livePages()).as("the emptied slab went back").isZero();
        assertThat(index.size()).isZero();
        slabPages.neverFail();
        assertThat(index.tryStoreRange(1L << 40, 1024, big)).isTrue();
        assertThat(index.nodes()).isEqualTo(22);
    }

    @Test
    void everyStoreEitherCompletesOrChangesNothing() {
        Random rnd = new Random(Seeds.derive(11));
        for (int k = 0; k < 120; k++) {
            store(index, rnd.nextInt(5000), k % 4 == 0 ? shadow() : folio(0));
        }
        store(index, 0, folio(0));
        index.setMark(0, Mark.TOWRITE);
        long[] targets = {1L << 20, 1L << 50, 7000, 64 * 100, Long.MAX_VALUE - 1023};
        for (int budget = 0; budget <= 4; budget++) {
            for (long t : targets) {
                List<String> before = snapshot(index);
                long objects = nodeCache.objectsInUse();
                Folio big = folio(10);
                slabPages.failAfter(budget);
                boolean done = index.tryStoreRange(t, 1024, big);
                slabPages.neverFail();
                index.check();
                if (done) {
                    assertThat(index.load(t)).isSameAs(big);
                    assertThat(index.load(t + 1023)).isSameAs(big);
                    index.eraseRange(t, 1024);
                    assertThat(snapshot(index)).as("budget %d target %d: erase undoes the store", budget, t)
                            .isEqualTo(before);
                } else {
                    assertThat(snapshot(index)).as("budget %d target %d", budget, t).isEqualTo(before);
                    assertThat(nodeCache.objectsInUse()).isEqualTo(objects);
                }
            }
        }
        assertThat(slabPages.failures()).isPositive();
    }

    @Test
    void clearFreesEveryNode() {
        for (long i = 0; i < 3000; i += 7) {
            store(index, i, i % 2 == 0 ? folio(0) : shadow());
        }
        assertThat(index.tryStoreRange(1L << 30, 512, folio(9))).isTrue();
        index.setMark(1L << 30, Mark.DIRTY);
        index.clear();
        assertThat(index.size()).isZero();
        assertThat(index.nrShadows()).isZero();
        assertThat(index.nodes()).isZero();
        assertThat(index.shadowOnlyNodes()).isZero();
        assertThat(index.anyMarked(Mark.DIRTY)).isFalse();
        assertThat(nodeCache.objectsInUse()).isZero();
        assertThat(slabPages.livePages()).isZero();
        assertThat(slab.reclaimablePages()).isZero();
        store(index, 9, folio(0));
        assertThat(index.nodes()).as("usable after clear").isEqualTo(1);
    }

    @Test
    void indicesSharingTheNodeCacheAccountTheirOwnNodes() {
        CacheIndex other = anotherIndex();
        store(index, 1L << 20, folio(0));
        store(other, 70, folio(0));
        assertThat(nodeCache.objectsInUse()).isEqualTo(index.nodes() + other.nodes());
        assertThat(slab.reclaimablePages()).as("radix_tree_node pages count as SReclaimable").isPositive();
        other.clear();
        assertThat(nodeCache.objectsInUse()).isEqualTo(index.nodes());
        assertThat(index.load(1L << 20)).isNotNull();
    }

    // ---- against a reference ----

    @ParameterizedTest(name = "seed {0}")
    @SeedSource({1, 2, 3, 0x5eed, 20_250_601})
    void matchesAReferenceMapUnderRandomOperations(long seed) {
        new RandomRun(seed).run(3000);
    }

    /** Calls {@code action} on each index of {@code [first, first + nr)}, which may end at Long.MAX_VALUE. */
    private static void forRange(long first, int nr, LongConsumer action) {
        long last = first + nr - 1;
        for (long j = first; ; j++) {
            action.accept(j);
            if (j == last) {
                return;
            }
        }
    }

    /** {@code a + b} for {@code b >= 0}, saturating at Long.MAX_VALUE. */
    private static long plus(long a, long b) {
        long s = a + b;
        return s < a ? Long.MAX_VALUE : s;
    }

    /** One seeded run of random operations against a TreeMap and one TreeSet per mark. */
    private final class RandomRun {
        private final long seed;
        private final Random rnd;
        private final TreeMap<Long, CacheEntry> ref = new TreeMap<>();
        private final Map<Mark, TreeSet<Long>> refMarks = new EnumMap<>(Mark.class);
        private int step;

        RandomRun(long seed) {
            this.seed = seed;
            this.rnd = new Random(seed);
            for (Mark m : Mark.values()) {
                refMarks.put(m, new TreeSet<>());
            }
        }

        private String where() {
            return user() + " seed " + seed + " step " + step;
        }

        private long pick() {
            int r = rnd.nextInt(20);
            if (r < 9) {
                return rnd.nextInt(200);
            } else if (r < 14) {
                return rnd.nextInt(10_000);
            } else if (r < 16 && !ref.isEmpty()) {
                Long k = ref.ceilingKey(rnd.nextLong() >>> 1);
                return k != null ? k : ref.firstKey();
            } else if (r < 17) {
                return 0;
            } else if (r < 18) {
                return Long.MAX_VALUE - rnd.nextInt(200);
            }
            return rnd.nextLong() >>> (1 + rnd.nextInt(40));
        }

        private long pickPresent() {
            if (ref.isEmpty() || rnd.nextInt(8) == 0) {
                return pick();
            }
            Long k = ref.ceilingKey(pick());
            return k != null ? k : ref.lastKey();
        }

        private void refStore(long i, CacheEntry e) {
            CacheEntry old = ref.put(i, e);
            if (!(e instanceof Folio) || !(old instanceof Folio)) {
                refMarks.values().forEach(s -> s.remove(i));
            }
        }

        private void refErase(long i) {
            ref.remove(i);
            refMarks.values().forEach(s -> s.remove(i));
        }

        private void verify(long first, long last) {
            for (long i = first; i <= last && i >= 0; i++) {
                assertThat(index.load(i)).as("%s: load(%d)", where(), i).isSameAs(ref.get(i));
                for (Mark m : Mark.values()) {
                    assertThat(index.getMark(i, m)).as("%s: mark %s at %d", where(), m, i)
                            .isEqualTo(refMarks.get(m).contains(i));
                }
                if (i == Long.MAX_VALUE) {
                    break;
                }
            }
        }

        void run(int steps) {
            for (step = 0; step < steps; step++) {
                int op = rnd.nextInt(100);
                long touchedFirst;
                long touchedLast;
                if (op < 22) {
                    long i = pick();
                    touchedFirst = touchedLast = storeBoth(i, 1, folio(0));
                } else if (op < 34) {
                    touchedFirst = touchedLast = storeBoth(pick(), 1, shadow());
                } else if (op < 44) {
                    int order = rnd.nextInt(10) == 0 ? 9 : 1 + rnd.nextInt(4);
                    int nr = 1 << order;
                    touchedFirst = storeBoth(pick() & -nr, nr, rnd.nextInt(5) == 0 ? shadow() : folio(order));
                    touchedLast = touchedFirst + nr - 1;
                } else if (op < 64) {
                    long i = pickPresent();
                    assertThat(index.erase(i)).as("%s: erase(%d)", where(), i).isSameAs(ref.get(i));
                    refErase(i);
                    touchedFirst = touchedLast = i;
                } else if (op < 70) {
                    int nr = 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 600);
                    long i = Math.min(pickPresent(), Long.MAX_VALUE - nr + 1);
                    index.eraseRange(i, nr);
                    forRange(i, nr, this::refErase);
                    touchedFirst = i;
                    touchedLast = i + nr - 1;
                } else if (op < 82) {
                    long i = pickPresent();
                    Mark m = Mark.values()[rnd.nextInt(3)];
                    if (ref.get(i) instanceof Folio) {
                        index.setMark(i, m);
                        refMarks.get(m).add(i);
                    } else {
                        assertThatThrownBy(() -> index.setMark(i, m)).as(where())
                                .isInstanceOf(IllegalArgumentException.class);
                    }
                    touchedFirst = touchedLast = i;
                } else if (op < 90) {
                    long i = rnd.nextBoolean() ? pickPresent() : pickMarked();
                    Mark m = Mark.values()[rnd.nextInt(3)];
                    index.clearMark(i, m);
                    refMarks.get(m).remove(i);
                    touchedFirst = touchedLast = i;
                } else if (op < 95) {
                    long a = pick();
                    long b = rnd.nextBoolean() ? a + rnd.nextInt(5000) : Long.MAX_VALUE;
                    compareWalks(a, b < 0 ? Long.MAX_VALUE : b);
                    touchedFirst = touchedLast = a;
                } else if (op < 99) {
                    failingStore();
                    touchedFirst = touchedLast = 0;
                } else {
                    if (rnd.nextInt(4) == 0) {
                        index.clear();
                        ref.clear();
                        refMarks.values().forEach(TreeSet::clear);
                    }
                    touchedFirst = touchedLast = 0;
                }
                try {
                    index.check();
                } catch (IllegalStateException e) {
                    throw new AssertionError(where() + ": " + e.getMessage(), e);
                }
                verify(Math.max(0, touchedFirst - 1), Math.min(touchedLast, plus(touchedFirst, 70)));
                assertThat(index.size()).as("%s: size", where()).isEqualTo(ref.size());
                assertThat(index.nrShadows()).as("%s: nrShadows", where())
                        .isEqualTo(ref.values().stream().filter(e -> !(e instanceof Folio)).count());
                for (Mark m : Mark.values()) {
                    assertThat(index.anyMarked(m)).as("%s: anyMarked(%s)", where(), m)
                            .isEqualTo(!refMarks.get(m).isEmpty());
                }
                if (step % 10 == 0) {
                    long[] shape = expectedShape(ref);
                    assertThat(index.nodes()).as("%s: nodes of the canonical tree", where()).isEqualTo(shape[0]);
                    assertThat(index.shadowOnlyNodes()).as("%s: shadow-only leaves", where()).isEqualTo(shape[1]);
                }
            }
            compareWalks(0, Long.MAX_VALUE);
            long[] shape = expectedShape(ref);
            assertThat(index.nodes()).as("%s: nodes at the end", where()).isEqualTo(shape[0]);
            assertThat(index.shadowOnlyNodes()).as("%s: shadow-only leaves at the end", where()).isEqualTo(shape[1]);
        }

        private long pickMarked() {
            TreeSet<Long> s = refMarks.get(Mark.values()[rnd.nextInt(3)]);
            Long k = s.isEmpty() ? null : s.ceiling(pick());
            return k != null ? k : pick();
        }

        /** Stores in the index and the reference, moving a range that would pass the largest index; returns its first index. */
        private long storeBoth(long first, int nr, CacheEntry e) {
            long at = Math.min(first, (Long.MAX_VALUE - nr + 1) & -nr);
            boolean done = nr == 1 ? index.tryStore(at, e) : index.tryStoreRange(at, nr, e);
            assertThat(done).as("%s: store of %d at %d with memory to spare", where(), nr, at).isTrue();
            forRange(at, nr, j -> refStore(j, e));
            return at;
        }

        private void failingStore() {
            int nr = rnd.nextBoolean() ? 1 : 1 << (1 + rnd.nextInt(9));
            long at = rnd.nextBoolean() ? pick() : rnd.nextLong() >>> (1 + rnd.nextInt(20));
            long i = Math.min(at & -nr, (Long.MAX_VALUE - nr + 1) & -nr);
            List<String> before = snapshot(index);
            long objects = nodeCache.objectsInUse();
            CacheEntry e = rnd.nextBoolean() ? shadow() : folio(Integer.numberOfTrailingZeros(nr));
            slabPages.failAfter(rnd.nextInt(2));
            boolean done;
            try {
                done = nr == 1 ? index.tryStore(i, e) : index.tryStoreRange(i, nr, e);
            } finally {
                slabPages.neverFail();
            }
            if (done) {
                forRange(i, nr, j -> refStore(j, e));
            } else {
                assertThat(snapshot(index)).as("%s: failed store of %d at %d", where(), nr, i).isEqualTo(before);
                assertThat(nodeCache.objectsInUse()).as("%s: objects after failed store", where()).isEqualTo(objects);
            }
            verify(i, i + Math.min(nr, 70) - 1);
        }

        private void compareWalks(long first, long last) {
            List<Map.Entry<Long, CacheEntry>> want = new ArrayList<>(ref.subMap(first, true, last, true).entrySet());
            List<Map.Entry<Long, CacheEntry>> got = contents(index, first, last);
            assertThat(got).as("%s: forEach(%d, %d)", where(), first, last).hasSameSizeAs(want);
            for (int k = 0; k < want.size(); k++) {
                assertThat(got.get(k).getKey()).as("%s: forEach key %d", where(), k).isEqualTo(want.get(k).getKey());
                assertThat(got.get(k).getValue()).as("%s: forEach entry %d", where(), k).isSameAs(want.get(k).getValue());
            }
            for (Mark m : Mark.values()) {
                assertThat(marked(index, first, last, m)).as("%s: forEachMarked(%d, %d, %s)", where(), first, last, m)
                        .containsExactlyElementsOf(refMarks.get(m).subSet(first, true, last, true));
            }
        }
    }
}
