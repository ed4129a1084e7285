package org.phasemap.driver.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.phasemap.driver.spark.SweepRunner;
import org.phasemap.driver.spec.SweepPlanner;
import org.phasemap.driver.spec.SweepSpec;
import org.phasemap.driver.spec.SweepSpecParser;
import org.phasemap.jobs.SqlQuery;
import org.phasemap.worker.Provenance;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.bench.StepBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code phasemap bench}: the speed figures of docs/PERFORMANCE.md, measured on this machine.
 * Prints a Markdown report and writes it to {@code --out}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure training speed on this machine: ms per full-batch step on one thread (median, min,",
      "max after warm-up) for nanda2023 p=113 and zhong2023 p=59 (widths from --zhong-widths), exact",
      "and reference formulations (the reference at the presets' own width only);",
      "sweep throughput on local[1] and local[2]; time outside training steps. Run nothing else",
      "meanwhile: the machine's other load goes straight into the figures."
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--out", defaultValue = "results/bench.md", description = "Report file (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--steps", defaultValue = "30", description = "Measured steps per case (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--skip-reference", description = "Skip the (slow) reference-formulation cases")
  boolean skipReference;

  @Option(names = "--skip-sweep", description = "Skip the local[1] / local[2] sweep throughput")
  boolean skipSweep;

  @Option(names = "--zhong-widths", split = ",", defaultValue = "32,64,128", paramLabel = "D[,D...]",
      description = "d_model values of the zhong2023 step cases, each a multiple of 4 in [4, 1024]"
          + " (default: ${DEFAULT-VALUE})")
  List<Integer> zhongWidths;

  @Override
  public Integer call() throws Exception {
    for (int d : zhongWidths) {
      if (d < 4 || d > 1024 || d % 4 != 0) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "Invalid --zhong-widths value " + d + ": each width must be a multiple of 4 (the 4 heads)"
                + " in [4, 1024]");
      }
    }
    Provenance.singleThreaded();
    StringBuilder md = new StringBuilder();
    md.append("## phasemap bench\n\n");
    Map<String, String> prov = Provenance.current();
    md.append(String.format(Locale.ROOT, "Machine: %s %s, %d cores, Java %s; %s; commit %s.%n%n",
        prov.get("os"), prov.get("arch"), Runtime.getRuntime().availableProcessors(),
        prov.get("java_version"), prov.get("nd4j_backend"), prov.get("git_commit")));
    md.append("### One full-batch training step, one thread\n\n");
    md.append("| preset | p | d_model | n_train | formulation | median ms | min ms | max ms"
        + " | GFLOP/s (exact count) |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    List<Object[]> cases = new ArrayList<>();
    cases.add(new Object[] {"nanda2023", 113, 128});
    for (int d : zhongWidths) {
      cases.add(new Object[] {"zhong2023", 59, d});
    }
    for (Object[] c : cases) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("preset", c[0]);
      m.put("modulus", c[1]);
      m.put("d_model", c[2]);
      m.put("steps", 1000);
      m.put("log_interval", 1000);
      RunConfig config = RunConfig.fromMap(m);
      double flops = StepBenchmark.exactStepFlops(config);
      boolean ownWidth = (int) c[2] == 128;
      for (boolean reference : skipReference || !ownWidth ? new boolean[] {false} : new boolean[] {false, true}) {
        int n = reference ? Math.max(5, steps / 3) : steps;
        StepBenchmark.Result r = StepBenchmark.measure(config, reference ? 3 : 10, n, reference);
        String line = String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %.1f | %.1f | %.1f | %.1f |%n",
            c[0], c[1], c[2], config.trainSize(), reference ? "reference (SameDiff)" : "exact one-layer",
            r.medianMs(), r.minMs(), r.maxMs(), flops / r.medianMs() / 1e6);
        md.append(line);
        System.out.print(line);
      }
    }
    md.append(String.format(Locale.ROOT,
        "%nExact step FLOP count (SCIENCE.md §6): 6 · n_train · (d_mlp·d_model + d_model·p) = %.2f GFLOP at p = 113.%n%n",
        StepBenchmark.exactStepFlops(RunConfig.fromMap(Map.of("preset", "nanda2023", "steps", 10, "log_interval", 10))) / 1e9));
    if (!skipSweep) {
      md.append(sweepThroughput());
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
    System.out.println();
    System.out.print(md);
    System.out.println("Written to " + out);
    return 0;
  }

  /** The same 4-run sweep on local[1] and local[2]: training steps per second, wall to wall. */
  private String sweepThroughput() throws IOException {
    String spec =
        String.join("\n",
            "name: bench-throughput",
            "preset: zhong2023",
            "fixed:",
            "  modulus: 59",
            "  steps: 400",
            "  log_interval: 100",
            "grid:",
            "  init_seed: [0, 1, 2, 3]",
            "");
    StringBuilder md = new StringBuilder("### Sweep throughput (4 runs of zhong2023 p=59, 400 steps each)\n\n");
    md.append("| master | wall s | training steps/s | speed-up | median share of run time outside steps |\n");
    md.append("|---|---|---|---|---|\n");
    double base = 0;
    for (String master : new String[] {"local[1]", "local[2]"}) {
      Path root = Files.createTempDirectory("phasemap-bench");
      SweepSpec s = SweepSpecParser.parse(spec, "bench-throughput.yaml");
      SparkSession spark = SparkSession.builder().master(master).appName("phasemap bench " + master)
          .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
      try {
        long t0 = System.nanoTime();
        SweepRunner.run(spark, s, SweepPlanner.expand(s),
            new SweepRunner.Options(root.toString(), false, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), 60_000));
        double wall = (System.nanoTime() - t0) / 1e9;
        List<Row> rows = SqlQuery.run(spark, root.toString(),
            "SELECT percentile_approx(1 - step_seconds / ((finished_at_ms - started_at_ms) / 1000.0), 0.5) FROM runs")
            .collectAsList();
        double outside = rows.get(0).getDouble(0);
        double rate = 4 * 400 / wall;
        if (base == 0) {
          base = rate;
        }
        String line = String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2f | %.1f %% |%n",
            master, wall, rate, rate / base, 100 * outside);
        md.append(line);
        System.out.print(line);
      } finally {
        spark.stop();
      }
    }
    md.append("\nWall time includes Spark's start of the job and the writing of both tables.\n");
    return md.toString();
  }
}
