/**
 * JMH microbenchmarks of pagelab's hot paths: the same events as {@code pagelab bench}, measured
 * by JMH with forks, warm-up and its statistics instead of the bench's medians.
 *
 * <ul>
 *   <li>{@link org.pagelab.bench.FaultBench}: anonymous write faults, touches of present PTEs and
 *       copy-on-write faults after fork, per page, in metadata and data mode;</li>
 *   <li>{@link org.pagelab.bench.ReplayBench}: the policy-only LRU replay and the whole-machine
 *       replay with the kernel's two-list policy, per record.</li>
 * </ul>
 *
 * <p>The module builds with the project (so the benchmarks keep compiling) but has no tests and
 * nothing in the build runs a benchmark. Run them with the JDK 25 {@code java}:
 * <pre>
 *   ./mvnw -B -q -pl core,bench -am install -DskipTests
 *   $JAVA_HOME/bin/java -jar bench/target/benchmarks.jar -foe true            # all
 *   $JAVA_HOME/bin/java -jar bench/target/benchmarks.jar -foe true FaultBench.anonWriteFault -p mode=metadata
 * </pre>
 * {@code -foe true} makes a failing benchmark fail the run instead of leaving an empty row.
 */
package org.pagelab.bench;
