package org.pagelab.sweep.spark;

import java.io.IOException;
import java.io.Serializable;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.pagelab.machine.Machine;
import org.pagelab.sweep.Point;
import org.pagelab.sweep.PointOutcome;
import org.pagelab.sweep.PointResult;
import org.pagelab.sweep.SweepEngine;
import org.pagelab.sweep.SweepException;
import org.pagelab.sweep.SweepSpec;
import org.pagelab.sweep.Workload;
import scala.Function2;
import scala.collection.Iterator;
import scala.reflect.ClassTag;
import scala.runtime.BoxedUnit;

/**
 * Runs a sweep as an Apache Spark job: the points to run become an RDD of one partition each, so
 * each point is one task, and each task runs its point with {@link org.pagelab.sweep.PointRunner}
 * exactly as the local engine does. The driver hands each task's outcome to the listener as the
 * task finishes (SparkContext.runJob's result handler), so the results directory grows as the job
 * runs and a job that stops resumes like a local sweep.
 *
 * <p>The master is {@code local[*]} unless the options name another; a local master binds the
 * driver to 127.0.0.1. Any other master gets pagelab's jars shipped to its executors (spark.jars),
 * and trace files are shipped with SparkContext.addFile, so the executors need neither pagelab
 * installed nor the traces on a shared file system. The spec (with the scenario's text) travels in
 * each task's closure. At the end {@link #writeResults} writes the results as Parquet too.
 */
public final class SparkEngine implements SweepEngine {
    /** The engine's name. */
    public static final String NAME = "spark";
    /** The master when none is given: every core of this machine. */
    public static final String DEFAULT_MASTER = "local[*]";

    /** The master URLs Spark 4 takes: local ones, standalone, YARN, Kubernetes. */
    private static final java.util.regex.Pattern MASTER = java.util.regex.Pattern.compile(
            "local|local\\[(\\d+|\\*)(,\\d+)?]|local-cluster\\[\\d+, *\\d+, *\\d+]|spark://\\S+|yarn|k8s://\\S+");

    private final String master;
    private final Map<String, String> conf;
    private SparkSession session;

    /**
     * An engine with option "master" (default {@value #DEFAULT_MASTER}) and Spark settings by their
     * names (spark.*). Throws {@link IllegalArgumentException} naming an option that is neither.
     */
    public SparkEngine(Map<String, String> options) {
        Map<String, String> c = new LinkedHashMap<>(options);
        String m = c.remove("master");
        this.master = m == null ? DEFAULT_MASTER : m;
        if (!MASTER.matcher(master).matches()) {
            throw new IllegalArgumentException("bad master '" + master + "': expected local, local[N], local[*],"
                    + " spark://HOST:PORT, yarn or k8s://URL");
        }
        for (String key : c.keySet()) {
            if (!key.startsWith("spark.")) {
                throw new IllegalArgumentException("unknown option '" + key + "': the spark engine takes master and"
                        + " Spark settings (spark.*)");
            }
        }
        this.conf = c;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The master URL. */
    public String master() {
        return master;
    }

    private static boolean local(String master) {
        return master.equals("local") || master.startsWith("local[");
    }

    /** The session, started on first use. */
    synchronized SparkSession session() {
        if (session == null) {
            SparkConf c = new SparkConf().setAppName("pagelab sweep").setMaster(master)
                    .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false");
            if (local(master)) {
                c.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
            } else {
                c.setJars(pagelabJars().toArray(new String[0]));
            }
            conf.forEach(c::set);
            try {
                session = SparkSession.builder().config(c).getOrCreate();
            } catch (RuntimeException e) {
                throw new SweepException("cannot start Spark with master '" + master + "': " + firstLine(e)
                        + " (Spark's log above says why; is the master reachable?)");
            }
        }
        return session;
    }

    /** The jars that hold pagelab's classes, for executors elsewhere. */
    private static List<String> pagelabJars() {
        Set<String> jars = new LinkedHashSet<>();
        for (Class<?> k : List.of(Machine.class, SweepSpec.class, SparkEngine.class)) {
            Path p;
            try {
                p = Path.of(k.getProtectionDomain().getCodeSource().getLocation().toURI());
            } catch (URISyntaxException | NullPointerException e) {
                throw new IllegalStateException("cannot tell which jar holds " + k.getName(), e);
            }
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException(k.getName() + " comes from " + p + ", not a jar, so executors elsewhere"
                        + " cannot load it: run through ./pagelab, which builds the jars");
            }
            jars.add(p.toString());
        }
        return new ArrayList<>(jars);
    }

    @Override
    public void run(SweepSpec spec, List<Point> todo, Listener listener) {
        if (todo.isEmpty()) {
            return;
        }
        SparkSession s = session();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(s.sparkContext());
        Map<String, String> shipped = new HashMap<>();
        if (spec.workload() instanceof Workload.Traces t) {
            for (String path : t.paths()) {
                String name = Path.of(path).getFileName().toString();
                String other = shipped.putIfAbsent(name, path);
                if (other != null && !other.equals(path)) {
                    throw new IllegalArgumentException("traces " + other + " and " + path + " have the same file name,"
                            + " which executors cannot tell apart");
                }
                jsc.addFile(path);
            }
        }
        JavaRDD<Point> points = jsc.parallelize(todo, todo.size());
        Task task = new Task(spec, !shipped.isEmpty());
        Function2<Object, ArrayList<PointOutcome>, BoxedUnit> handler = (partition, outcomes) -> {
            outcomes.forEach(o -> o.deliver(listener));
            return BoxedUnit.UNIT;
        };
        @SuppressWarnings("unchecked")
        ClassTag<ArrayList<PointOutcome>> tag = (ClassTag<ArrayList<PointOutcome>>) (ClassTag<?>) ClassTag.apply(ArrayList.class);
        try {
            s.sparkContext().runJob(points.rdd(), task, handler, tag);
        } catch (RuntimeException e) {
            if (!s.sparkContext().isStopped()) {
                throw e;
            }
            throw new SweepException("the Spark application of master '" + master + "' stopped: " + firstLine(e)
                    + " (is the master reachable, and can its workers give what the application asks for?)");
        }
    }

    /** The first line of the innermost message of {@code e}. */
    private static String firstLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** What a task runs: the points of its partition (one), on the executor. */
    private record Task(SweepSpec spec, boolean tracesShipped)
            implements Function2<TaskContext, Iterator<Point>, ArrayList<PointOutcome>>, Serializable {
        @Override
        public ArrayList<PointOutcome> apply(TaskContext context, Iterator<Point> points) {
            SweepSpec here = spec;
            if (tracesShipped && spec.workload() instanceof Workload.Traces t) {
                here = spec.withWorkload(t.relocated(path -> SparkFiles.get(Path.of(path).getFileName().toString())));
            }
            ArrayList<PointOutcome> out = new ArrayList<>();
            while (points.hasNext()) {
                out.add(PointOutcome.attempt(here, points.next()));
            }
            return out;
        }
    }

    /** Writes {@code results} to {@code dir}/results.parquet as well. */
    @Override
    public void writeResults(SweepSpec spec, List<PointResult> results, Path dir) throws IOException {
        ParquetResults.write(spec, results, dir.resolve(ParquetResults.FILE));
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            session.stop();
            session = null;
        }
    }
}
