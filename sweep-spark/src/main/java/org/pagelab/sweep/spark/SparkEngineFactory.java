package org.pagelab.sweep.spark;

import java.util.Map;
import org.pagelab.sweep.SweepEngine;

/** Makes {@link SparkEngine}s for {@code pagelab sweep --engine spark}; listed in META-INF/services. */
public final class SparkEngineFactory implements SweepEngine.Factory {
    @Override
    public String name() {
        return SparkEngine.NAME;
    }

    @Override
    public SweepEngine create(Map<String, String> options) {
        return new SparkEngine(options);
    }
}
