package org.phasemap.driver.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.phasemap.worker.bench.CostModel;
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
    header = "Measure training speed on this machine, beside each case's FLOP floor.",
    mixinStandardHelpOptions = true,
    description = {
      "Measure training speed on this machine: ms per full-batch step on one thread (median, min,",
      "max after warm-up) for each case of --cases, beside its FLOP floor at this machine's measured",
      "single-thread sgemm rate; the reference (SameDiff) formulation for the presets' own models;",
      "sweep throughput on local[1] and local[2]; time outside training steps. Run nothing else",
      "meanwhile: the machine's other load goes straight into the figures. scripts/bench-pytorch",
      "measures the same cases in PyTorch eager."
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      defaultValue = "results/bench.md",
      description = "Report file (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(
      names = "--steps",
      defaultValue = "30",
      description = "Measured steps per case (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--skip-reference", description = "Skip the (slow) reference-formulation cases")
  boolean skipReference;

  @Option(names = "--skip-sweep", description = "Skip the local[1] / local[2] sweep throughput")
  boolean skipSweep;

  @Option(
      names = "--cases",
      split = ",",
      paramLabel = "CASE[,CASE...]",
      defaultValue = StepCase.DEFAULTS,
      description =
          "Step cases as preset:p:d_model:n_layers:activation, the format of"
              + " scripts/bench-pytorch (default: ${DEFAULT-VALUE})")
  List<String> caseSpecs;

  @Override
  public Integer call() throws Exception {
    List<StepCase> cases = new ArrayList<>();
    for (String text : caseSpecs) {
      try {
        cases.add(StepCase.parse(text));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    Provenance.singleThreaded();
    StringBuilder md = new StringBuilder();
    md.append("## phasemap bench\n\n");
    Map<String, String> prov = Provenance.current();
    md.append(
        String.format(
            Locale.ROOT,
            "Machine: %s %s, %d cores, Java %s; %s; commit %s.%n%n",
            prov.get("os"),
            prov.get("arch"),
            Runtime.getRuntime().availableProcessors(),
            prov.get("java_version"),
            prov.get("nd4j_backend"),
            prov.get("git_commit")));
    double sgemm = StepBenchmark.sgemmGflops();
    md.append(
        String.format(
            Locale.ROOT,
            "Single-thread sgemm on this machine: %.1f GFLOP/s"
                + " (median of [2784 x 512] x [512 x 128] products, float32).%n%n",
            sgemm));
    md.append("### One full-batch training step, one thread\n\n");
    md.append(
        "| case | n_train | formulation | median ms | min ms | max ms | floor ms | median / floor"
            + " | cost model ms |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    for (StepCase c : cases) {
      RunConfig config = c.config();
      double floorMs = StepBenchmark.floorFlops(config) / sgemm / 1e6;
      boolean ownModel = c.dModel() == 128 && c.layers() == 1 && c.activation().equals("relu");
      for (boolean reference :
          skipReference || !ownModel ? new boolean[] {false} : new boolean[] {false, true}) {
        int n = reference ? Math.max(5, steps / 3) : steps;
        StepBenchmark.Result r = StepBenchmark.measure(config, reference ? 3 : 10, n, reference);
        String line =
            String.format(
                Locale.ROOT,
                "| %s | %d | %s | %.1f | %.1f | %.1f | %.1f | %.2f | %.0f |%n",
                c,
                config.trainSize(),
                r.implementation(),
                r.medianMs(),
                r.minMs(),
                r.maxMs(),
                floorMs,
                r.medianMs() / floorMs,
                CostModel.stepMs(config));
        md.append(line);
        System.out.print(line);
      }
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nFloor: the multiply-adds the exact formulation needs"
                + " (StepBenchmark.floorFlops, docs/PERFORMANCE.md) at the sgemm rate above. Cost model: the"
                + " estimate 'plan' and 'run' use (CostModel), to check against the median.%n%n"));
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
        String.join(
            "\n",
            "name: bench-throughput",
            "preset: zhong2023",
            "fixed:",
            "  modulus: 59",
            "  steps: 400",
            "  log_interval: 100",
            "grid:",
            "  init_seed: [0, 1, 2, 3]",
            "");
    StringBuilder md =
        new StringBuilder("### Sweep throughput (4 runs of zhong2023 p=59, 400 steps each)\n\n");
    md.append(
        "| master | wall s | training steps/s | speed-up | median share of run time outside steps |\n");
    md.append("|---|---|---|---|---|\n");
    double base = 0;
    for (String master : new String[] {"local[1]", "local[2]"}) {
      Path root = Files.createTempDirectory("phasemap-bench");
      SweepSpec s = SweepSpecParser.parse(spec, "bench-throughput.yaml");
      SparkSession spark =
          SparkSession.builder()
              .master(master)
              .appName("phasemap bench " + master)
              .config("spark.ui.enabled", "false")
              .config("spark.ui.showConsoleProgress", "false")
              .getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
      try {
        long t0 = System.nanoTime();
        SweepRunner.run(
            spark,
            s,
            SweepPlanner.expand(s),
            new SweepRunner.Options(
                root.toString(),
                false,
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                60_000));
        double wall = (System.nanoTime() - t0) / 1e9;
        List<Row> rows =
            SqlQuery.run(
                    spark,
                    root.toString(),
                    "SELECT percentile_approx(1 - step_seconds / ((finished_at_ms - started_at_ms) / 1000.0), 0.5) FROM runs")
                .collectAsList();
        double outside = rows.get(0).getDouble(0);
        double rate = 4 * 400 / wall;
        if (base == 0) {
          base = rate;
        }
        String line =
            String.format(
                Locale.ROOT,
                "| %s | %.1f | %.1f | %.2f | %.1f %% |%n",
                master,
                wall,
                rate,
                rate / base,
                100 * outside);
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
