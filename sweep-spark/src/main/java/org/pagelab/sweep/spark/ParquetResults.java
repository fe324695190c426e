package org.pagelab.sweep.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.pagelab.sweep.Axis;
import org.pagelab.sweep.Metric;
import org.pagelab.sweep.PointResult;
import org.pagelab.sweep.SweepSpec;

/**
 * A sweep's results as one Parquet file, written by the driver, with the columns of results.csv:
 * point (int32), seed (int64), one string column per axis, status (string), one int64 column per
 * {@link Metric}. One file on the driver's disk rather than Spark's directory of parts written by
 * the executors, so the file lands in the results directory whatever the cluster; Spark reads it
 * with {@code spark.read().parquet(path)}.
 */
final class ParquetResults {
    /** The file's name in the results directory. */
    static final String FILE = "results.parquet";

    private ParquetResults() {
    }

    /** The schema of {@code spec}'s results. */
    static MessageType schema(SweepSpec spec) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        b.required(PrimitiveTypeName.INT32).named("point");
        b.required(PrimitiveTypeName.INT64).named("seed");
        for (Axis a : spec.axes()) {
            b.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(a.name());
        }
        b.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("status");
        for (String c : Metric.columns()) {
            b.required(PrimitiveTypeName.INT64).named(c);
        }
        return b.named("pagelab_sweep");
    }

    /** Writes {@code results} (in point order) to {@code file}, replacing it. */
    static void write(SweepSpec spec, List<PointResult> results, Path file) throws IOException {
        MessageType schema = schema(spec);
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(tmp)).withType(schema)
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED).withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            List<String> metrics = Metric.columns();
            for (PointResult r : results) {
                Group g = groups.newGroup().append("point", r.point()).append("seed", r.seed());
                for (int i = 0; i < spec.axes().size(); i++) {
                    g.append(spec.axes().get(i).name(), r.values().get(i));
                }
                g.append("status", r.status());
                for (int i = 0; i < metrics.size(); i++) {
                    g.append(metrics.get(i), r.metrics().get(i));
                }
                w.write(g);
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
