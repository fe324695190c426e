/**
 * The Spark engine of {@code pagelab sweep}: a sweep as an Apache Spark job, one task per point.
 *
 * <h2>The model</h2>
 * {@link org.pagelab.sweep.spark.SparkEngine} turns the points still to run into an RDD with one
 * partition per point and runs it with SparkContext.runJob; each task runs its point with
 * {@link org.pagelab.sweep.PointRunner}, the code the local engine runs, so a point's result is the
 * same on either engine. The task's closure carries the spec (the scenario as text); trace files
 * travel with SparkContext.addFile and are found on the executor with SparkFiles. Each task hands
 * back a {@link org.pagelab.sweep.PointOutcome}, a result or the internal error that kept the point
 * from one, so one point that throws does not fail the job. The driver's result handler passes each
 * outcome on as its task ends: the results directory grows while the job runs, as with the local
 * engine. {@link org.pagelab.sweep.spark.ParquetResults} then writes every result as one Parquet file
 * next to the CSV and JSON lines.
 *
 * <p>Spark stays in this module, built only with the Maven profile {@code spark}: core, sweep and the
 * command line neither need nor carry it. The engine is found by name through
 * {@link org.pagelab.sweep.spark.SparkEngineFactory} (META-INF/services) when ./pagelab puts this
 * module and Spark on the class path, which it does for {@code sweep --engine spark}.
 *
 * <h2>Invariants</h2>
 * <pre>
 *   one task per point: partitions == points to run, one point each
 *   results(spark) == results(local), point for point (SparkSweepTest)
 *   results.parquet rows == results.csv rows, column for column
 * </pre>
 *
 * <h2>Order of calls</h2>
 * <pre>
 * SparkEngine.run
 *   SparkSession (first use)          master, 127.0.0.1 when local, spark.jars otherwise
 *   SparkContext.addFile              (trace files)
 *   SparkContext.runJob
 *     on executors: Task.apply -> PointOutcome.attempt -> PointRunner.run
 *     on the driver, per task:  result handler -> Listener (ResultStore.append)
 * SparkEngine.writeResults -> ParquetResults.write
 * </pre>
 */
package org.pagelab.sweep.spark;
