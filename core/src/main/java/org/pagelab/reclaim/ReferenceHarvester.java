package org.pagelab.reclaim;

import org.pagelab.desc.Folio;

/**
 * Harvests the accessed bits of every page table entry that maps a folio, the kernel's
 * folio_referenced. Implemented by rmap; reclaim calls it on isolated folios.
 */
@FunctionalInterface
public interface ReferenceHarvester {
    /** A harvester for unmapped memory: never finds a reference. */
    ReferenceHarvester NONE = folio -> RmapReferences.NONE;

    /** Tests and clears the accessed bits of {@code folio}'s mappings and summarizes them. */
    RmapReferences harvest(Folio folio);
}
