package org.pagelab.phys;

import org.pagelab.desc.MemDesc;

/** Makes the typed descriptor that will own a freshly allocated block: {@code AnonFolio::new}. */
@FunctionalInterface
public interface DescFactory<T extends MemDesc> {
    T create(int pfn, int order);
}
