/**
 * The multi-generational LRU (placeholder essay, replaced below).
 */
package org.pagelab.mglru;
