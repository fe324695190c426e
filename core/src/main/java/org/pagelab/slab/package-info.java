/**
 * The slab allocator: the model's own kernel objects carved from slab pages.
 *
 * <h2>The model</h2>
 * The kernel allocates its small objects (inodes, xarray nodes, VMAs, anon_vmas) from caches of
 * equal-sized objects laid out in slab pages, and reports the pages as Slab, split into
 * SReclaimable (caches whose objects the shrinkers can free: inodes, dentries, radix_tree_node)
 * and SUnreclaim. pagelab's objects live on the Java heap, but every one that stands for a kernel
 * object takes a {@link org.pagelab.slab.SlabObject} from its {@link org.pagelab.slab.KmemCache}
 * for its lifetime, so the Slab figures are counted pages, not estimates.
 *
 * <p>Each cache keeps SLUB's shape on a single CPU: a partial list of slabs with free objects and a
 * full list; a slab that becomes empty is freed to the page allocator at once. Slab order is the
 * smallest order (up to 3) that holds at least eight objects, close to what SLUB picks on a
 * two-CPU machine.
 *
 * <h2>Invariants</h2>
 * <pre>
 *   slab.inuse == slab.objects - popcount(slab.freeMap)
 *   cache.objectsInUse == sum over its slabs of inuse
 *   cache.pages == sum over its slabs of 2^order
 *   allocator.reclaimablePages + allocator.unreclaimablePages == sum over caches of pages
 *   a slab on the partial list has 0 &lt; inuse &lt; objects; on the full list inuse == objects
 * </pre>
 *
 * <h2>Order of calls</h2>
 * <pre>
 * KmemCache.alloc
 *   SlabPageSource.allocSlab        (the page allocator, phys)
 * KmemCache.allocAtomic             (GFP_ATOMIC: a block driver's request descriptors)
 *   SlabPageSource.allocSlabAtomic  (no reclaim; the atomic reserves, the high-atomic pageblocks)
 * KmemCache.free
 *   SlabPageSource.freeSlab         (when the slab empties)
 * </pre>
 *
 * <h2>References</h2>
 * <ol>
 *   <li>mm/slub.c: calculate_order, the partial lists.</li>
 *   <li>Documentation/filesystems/proc.rst: Slab, SReclaimable, SUnreclaim.</li>
 * </ol>
 */
package org.pagelab.slab;
