package org.pagelab.desc;

/**
 * The reverse-mapping root of an anonymous folio: the anon_vma under which it was first mapped
 * (the kernel keeps it in {@code folio->mapping} with a tag bit). Implemented by
 * {@code org.pagelab.vma.AnonVma}; this package only holds the reference.
 */
public interface AnonMapping {
}
