package org.pagelab.scenario;

import java.util.List;

/**
 * One step of a scenario process. {@code kind} is the step's key (mmap, write, ...); the fields a
 * kind does not use are null. Sizes, offsets and lengths are in bytes. {@code name} is the region
 * of mmap, the child of fork, the cgroup of the cgroup steps and the name of a mark;
 * {@code count} is the touches of touch, the rounds of repeat and the value written by
 * drop_caches; {@code children} are the steps of a forked child or of a repeat.
 */
public record Step(String kind, int line, String name, String region, String file, Long offset, Long length,
                   Long size, Integer prot, Boolean shared, Integer fill, String pattern, Long count, Boolean write,
                   Double alpha, Integer equals, String advice, List<Step> children, Long timeNs,
                   Boolean longterm, java.util.Map<String, Long> limits) {
}
