package org.phasemap.driver.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.phasemap.driver.spark.Sessions;
import org.phasemap.jobs.OutputDir;
import org.phasemap.jobs.llc.CalibrationChart;
import org.phasemap.jobs.llc.CalibrationPoint;
import org.phasemap.jobs.plot.Charts;
import org.phasemap.tables.ResultTables;
import org.phasemap.tables.RunsTable;
import org.phasemap.worker.Provenance;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.data.ModularAddition;
import org.phasemap.worker.io.ModelFiles;
import org.phasemap.worker.llc.LlcCalibration;
import org.phasemap.worker.llc.LlcSettings;
import org.phasemap.worker.llc.ModelLossGradient;
import org.phasemap.worker.llc.NBetaRule;
import org.phasemap.worker.model.ModelFunction;
import org.phasemap.worker.train.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code phasemap llc-calibrate}: estimates the local learning coefficient of one trained model for
 * every pair of a grid of SGLD step sizes ε and nβ values, and writes a table and two pictures to
 * choose a setting from (SCIENCE.md 3.4, docs/LLC.md). The model is a run's saved final weights in
 * a results root (found through the runs table, as {@code export} finds them) or a model directory
 * or .npz (as {@code analyze} reads them). Spark is used only to find the run.
 */
@Command(
    name = "llc-calibrate",
    header = "Calibrate the local learning coefficient's SGLD settings for one run.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Calibrate the local learning coefficient (LLC) for one model: estimate lambda-hat at its",
      "final weights for every (epsilon, nbeta) pair of a grid, print a table as it goes, and write",
      "llc_calibration_ID.csv/.png/.svg (lambda-hat against epsilon, one line per nbeta) and",
      "llc_calibration_trace_ID.csv/.png/.svg (the per-draw traces). SOURCE is a results root with",
      "--run, or a model directory / .npz (docs/IMPORT.md). Only final weights are saved by runs, so",
      "the calibration is at the final step; calibrate earlier points by exporting them yourself.",
      ""
    },
    footer = {
      "",
      "How to read the result (SCIENCE.md 3.4, docs/LLC.md):",
      "  * lambda-hat against epsilon: too small an epsilon leaves the chains near w* within the",
      "    draws (lambda-hat low and rising with epsilon, traces still climbing); too large a one adds",
      "    discretisation bias (lambda-hat keeps moving with epsilon) and then diverges (red crosses,",
      "    no lambda-hat). Pick epsilon inside a flat stretch: lambda-hat nearly the same at its",
      "    neighbours, with error bars (chain-to-chain std) that overlap.",
      "  * nbeta: in a good region lambda-hat depends little on nbeta; a setting whose line agrees",
      "    with its neighbours' is the safer choice. nbeta = dataset is n / ln n (Lau et al.).",
      "  * traces: nbeta (L - L0) per draw, mean over chains, one panel per nbeta. Accept a cell",
      "    whose trace rises within the burn-in and then fluctuates around a plateau; a trace still",
      "    rising at the last draw needs more burn-in or a larger epsilon.",
      "  Then put the chosen epsilon, gamma and nbeta rule in the sweep's analysis.llc block.",
      "",
      "Cost: every cell takes chains x (burnin + draws) gradient steps on the training set",
      "(about 50 ms each for the nanda2023 model on one core, full batch; docs/LLC.md, Cost)."
    })
final class LlcCalibrateCommand implements Callable<Integer> {
  /** Picture sizes in pixels. */
  static final int WIDTH = 1000;

  static final int HEIGHT = 650;

  @Parameters(
      index = "0",
      paramLabel = "SOURCE",
      description =
          "Results root written by 'phasemap run' (with --run), or a model directory or .npz")
  String source;

  @Option(
      names = "--run",
      paramLabel = "RUN_ID",
      description = "run_id of the run in a results root, or a prefix of it that matches one run")
  String run;

  @Option(
      names = "--sweep",
      paramLabel = "NAME",
      description = "The sweep, when the run id or prefix matches runs of several sweeps")
  String sweep;

  @Option(
      names = "--epsilon",
      split = ",",
      paramLabel = "E1,E2,...",
      defaultValue = "1e-5,3e-5,1e-4,3e-4",
      description = "SGLD step sizes, each in (0, 1] (default: ${DEFAULT-VALUE}, SCIENCE.md 3.4)")
  List<Double> epsilons;

  @Option(
      names = "--nbeta",
      split = ",",
      paramLabel = "B1,B2,...",
      defaultValue = "dataset/3,dataset,3*dataset",
      description = {
        "nbeta values: a number, or 'dataset' (n / ln n, n = training-set size; also written",
        "'n/ln n' as in the spec) or 'batch' (m / ln m, m = --batch-size; 'm/ln m'), optionally",
        "scaled as F*dataset or dataset/D (default: ${DEFAULT-VALUE})"
      })
  List<String> nBetas;

  @Option(
      names = "--gamma",
      paramLabel = "G",
      defaultValue = "" + LlcSettings.DEFAULT_GAMMA,
      description = "Localisation strength gamma, >= 0 (default: ${DEFAULT-VALUE})")
  double gamma;

  @Option(
      names = "--chains",
      paramLabel = "N",
      defaultValue = "" + LlcSettings.DEFAULT_CHAINS,
      description = "SGLD chains per cell, >= 1 (default: ${DEFAULT-VALUE})")
  int chains;

  @Option(
      names = "--draws",
      paramLabel = "N",
      defaultValue = "" + LlcSettings.DEFAULT_DRAWS,
      description = "Draws recorded per chain, >= 1 (default: ${DEFAULT-VALUE})")
  int draws;

  @Option(
      names = "--burnin",
      paramLabel = "N",
      defaultValue = "" + LlcSettings.DEFAULT_BURNIN,
      description = "Steps per chain before the first draw, >= 0 (default: ${DEFAULT-VALUE})")
  int burnin;

  @Option(
      names = "--batch-size",
      paramLabel = "M",
      defaultValue = "0",
      description = "Minibatch size, 0 = the full training set (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "" + LlcSettings.DEFAULT_SEED,
      description = "Seed of the chains, the same in every cell (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output folder (default: ROOT/_maps for a results root; needed for a model)")
  String out;

  /** The model to calibrate and where it came from. */
  record Source(
      RunConfig config,
      org.phasemap.worker.model.Parameters parameters,
      String name,
      String sweep) {}

  @Override
  public Integer call() throws Exception {
    LlcSettings base = settings();
    Source src;
    Configuration hadoop;
    String dir;
    if (run != null) {
      SparkSession spark = Sessions.create("phasemap llc-calibrate " + run);
      try {
        src = findRun(spark);
        hadoop = new Configuration(spark.sparkContext().hadoopConfiguration());
      } finally {
        spark.stop(); // the calibration needs no Spark: give its threads and memory back
      }
      dir = out != null ? out : OutputDir.defaultFor(source);
    } else {
      Path path = Path.of(source);
      if (Files.isDirectory(path.resolve(ResultTables.RUNS))
          || Files.isDirectory(path.resolve(ResultTables.ICEBERG))) {
        throw new IllegalArgumentException(
            "Cannot calibrate: "
                + source
                + " is a results root; name the run with --run RUN_ID"
                + " (got no --run)");
      }
      if (out == null) {
        throw new IllegalArgumentException(
            "Cannot calibrate "
                + source
                + ": give --out DIR for the table and pictures (got none)");
      }
      ModelFiles.Loaded loaded = ModelFiles.loadAny(path);
      src = new Source(loaded.config(), loaded.parameters(), source, null);
      hadoop = new Configuration();
      dir = out;
    }
    return calibrate(src, base, OutputDir.of(dir, hadoop), System.out);
  }

  /** The base settings from the options, checked with the options' names in the messages. */
  LlcSettings settings() {
    for (double e : epsilons) {
      require(e > 0 && e <= 1, "--epsilon", "values in (0, 1]", String.valueOf(e));
    }
    require(
        gamma >= 0 && Double.isFinite(gamma), "--gamma", "finite and >= 0", String.valueOf(gamma));
    require(chains >= 1, "--chains", ">= 1", String.valueOf(chains));
    require(draws >= 1, "--draws", ">= 1", String.valueOf(draws));
    require(burnin >= 0, "--burnin", ">= 0", String.valueOf(burnin));
    require(batchSize >= 0, "--batch-size", ">= 0 (0 = full batch)", String.valueOf(batchSize));
    for (String token : nBetas) {
      nBeta(token, 100, 100); // the syntax, before a model is loaded; the sizes come later
    }
    return LlcSettings.defaults()
        .withGamma(gamma)
        .withNumChains(chains)
        .withNumDraws(draws)
        .withNumBurnin(burnin)
        .withBatchSize(batchSize)
        .withSeed(seed);
  }

  private static void require(boolean ok, String option, String allowed, String got) {
    if (!ok) {
      throw new IllegalArgumentException(
          "Cannot calibrate: " + option + " must be " + allowed + " (got " + got + ")");
    }
  }

  private static final Pattern RULE =
      Pattern.compile("(?:([0-9.eE+-]+)\\*)?(dataset|batch)(?:/([0-9.eE+-]+))?");

  /**
   * One --nbeta value for a training set of n and minibatches of m: a number, or a rule (dataset =
   * n / ln n, batch = m / ln m) optionally times a factor or divided by a divisor.
   */
  static double nBeta(String token, int n, int m) {
    String t = token.trim().toLowerCase(Locale.ROOT);
    // the sweep spec's spellings of the two rules (docs/SPEC.md, analysis.llc.nbeta) work too
    t = t.equals("n/ln n") ? "dataset" : t.equals("m/ln m") ? "batch" : t;
    Matcher rule = RULE.matcher(t);
    double value;
    if (rule.matches()) {
      NBetaRule r = rule.group(2).equals("dataset") ? NBetaRule.DATASET_SIZE : NBetaRule.BATCH_SIZE;
      value = r.resolve(n, m, 0);
      if (rule.group(1) != null) {
        value *= number(rule.group(1), token);
      }
      if (rule.group(3) != null) {
        value /= number(rule.group(3), token);
      }
    } else {
      value = number(t, token);
    }
    if (!(value > 0 && Double.isFinite(value))) {
      throw new IllegalArgumentException(
          "Cannot calibrate: --nbeta values must come out finite and > 0 (got "
              + token
              + " = "
              + value
              + ")");
    }
    return value;
  }

  private static double number(String text, String token) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Cannot calibrate: --nbeta takes numbers, 'dataset', 'batch', F*dataset or dataset/D"
              + " (got "
              + token
              + ")");
    }
  }

  /** Runs the grid on {@code src} and writes the table and pictures to {@code dir}. */
  int calibrate(Source src, LlcSettings base, OutputDir dir, PrintStream console) {
    Provenance.singleThreaded();
    RunConfig c = src.config();
    ModelFunction model = ModelFunction.create(c, src.parameters());
    ModelLossGradient loss = new ModelLossGradient(model, ModularAddition.of(c));
    int n = loss.size();
    int m = base.batchSize() == 0 || base.batchSize() >= n ? n : base.batchSize();
    double[] eps = epsilons.stream().mapToDouble(Double::doubleValue).toArray();
    double[] nbs = new double[nBetas.size()];
    for (int i = 0; i < nbs.length; i++) {
      nbs[i] = nBeta(nBetas.get(i), n, m);
    }
    List<LlcSettings> grid = LlcCalibration.grid(base, eps, nbs);
    String id = c.runId();
    console.printf(
        "LLC calibration of %s%s%n",
        src.name(), src.sweep() == null ? " (run id of its config " + id + ")" : "");
    console.printf(
        "  %s, p = %d, d_model %d, d_mlp %d, %s; n = %d training pairs, %s%n",
        c.preset(),
        c.modulus(),
        c.dModel(),
        c.dMlp(),
        model.implementation(),
        n,
        m == n ? "full batch" : "minibatches of " + m);
    console.printf(
        "  gamma %s, %s x (%d burn-in + %d draws), seed %d: %d cells, %d SGLD steps each%n",
        Charts.number(base.gamma()),
        chains(base),
        base.numBurnin(),
        base.numDraws(),
        base.seed(),
        grid.size(),
        (long) base.numChains() * base.stepsPerChain());
    console.printf(
        "  %-10s %-10s %12s %10s %12s %9s%n",
        "epsilon", "nbeta", "llc_mean", "llc_std", "init_loss", "seconds");
    String csvName = "llc_calibration_" + id + ".csv";
    List<LlcCalibration.Cell> done = new ArrayList<>();
    long start = System.nanoTime();
    List<LlcCalibration.Cell> cells =
        LlcCalibration.run(
            loss,
            grid,
            new LlcCalibration.Listener() {
              @Override
              public void started(int index, int total, LlcSettings s) {}

              @Override
              public void finished(int index, int total, LlcCalibration.Cell cell) {
                done.add(cell);
                double elapsed = (System.nanoTime() - start) / 1e9;
                double eta = elapsed / (index + 1) * (total - index - 1);
                console.printf(
                    "  %-10s %-10s %12s %10s %12s %9.1f  [%d/%d, ETA %s]%s%n",
                    Charts.number(cell.epsilon()),
                    Charts.number(round(cell.nBeta())),
                    cell.diverged() ? "diverged" : AnalyzeCommand.num(cell.result().mean()),
                    AnalyzeCommand.num(cell.result().std()),
                    AnalyzeCommand.num(cell.result().l0()),
                    cell.seconds(),
                    index + 1,
                    total,
                    duration(eta),
                    cell.diverged()
                        ? "  (a chain's loss became non-finite: epsilon too large)"
                        : "");
                console.flush();
                // rewritten after every cell: a long calibration that is stopped keeps what it has
                dir.write(csvName, csv(done).getBytes(StandardCharsets.UTF_8));
              }
            });
    List<CalibrationPoint> points = new ArrayList<>();
    for (LlcCalibration.Cell cell : cells) {
      points.add(
          new CalibrationPoint(
              cell.epsilon(),
              round(cell.nBeta()),
              cell.result().mean(),
              cell.result().std(),
              cell.diverged(),
              LlcCalibration.meanTrace(cell.result())));
    }
    String title =
        "LLC calibration of "
            + (src.sweep() == null ? src.name() : "run " + id + " (sweep " + src.sweep() + ")");
    String subtitle =
        String.format(
            Locale.ROOT,
            "%s p = %d · n = %d, %s · γ = %s · %s × %d draws, burn-in %d · seed %d",
            c.preset(),
            c.modulus(),
            n,
            m == n ? "full batch" : "batch " + m,
            Charts.number(base.gamma()),
            chains(base),
            base.numDraws(),
            base.numBurnin(),
            base.seed());
    List<String> files = new ArrayList<>();
    files.add(dir.write(csvName, csv(cells).getBytes(StandardCharsets.UTF_8)));
    var llc = List.of(CalibrationChart.llcAgainstEpsilon(points, title, subtitle));
    files.add(dir.write("llc_calibration_" + id + ".png", Charts.png(llc, WIDTH, HEIGHT)));
    files.add(dir.write("llc_calibration_" + id + ".svg", Charts.svg(llc, WIDTH, HEIGHT)));
    String traceName = "llc_calibration_trace_" + id;
    files.add(dir.write(traceName + ".csv", traceCsv(cells).getBytes(StandardCharsets.UTF_8)));
    var traces = List.of(CalibrationChart.traces(points, "Traces: " + title, subtitle));
    int traceHeight = Math.min(Charts.MAX_SIDE, 150 + 230 * nbs.length);
    files.add(dir.write(traceName + ".png", Charts.png(traces, WIDTH, traceHeight)));
    files.add(dir.write(traceName + ".svg", Charts.svg(traces, WIDTH, traceHeight)));
    long diverged = cells.stream().filter(LlcCalibration.Cell::diverged).count();
    console.printf(
        "Done in %s: %d cells, %d diverged. Wrote:%n",
        duration((System.nanoTime() - start) / 1e9), cells.size(), diverged);
    for (String f : files) {
      console.println("  " + f);
    }
    console.println(
        "Pick epsilon where lambda-hat is flat between neighbours and the traces plateau (--help).");
    return 0;
  }

  private static String chains(LlcSettings s) {
    return s.numChains() + (s.numChains() == 1 ? " chain" : " chains");
  }

  /**
   * nβ to 6 significant digits: n / ln n is irrational, and the tables and legends need not say so.
   */
  static double round(double v) {
    return Double.parseDouble(String.format(Locale.ROOT, "%.6g", v));
  }

  /** One row per cell: the columns of docs/LLC.md, "Calibrating". */
  static String csv(List<LlcCalibration.Cell> cells) {
    StringBuilder sb =
        new StringBuilder(
            "epsilon,nbeta,llc_mean,llc_std,diverged,init_loss,seconds,llc_over_nbeta,gamma,chains,draws,burnin,batch_size,seed\n");
    for (LlcCalibration.Cell cell : cells) {
      LlcSettings s = cell.settings();
      sb.append(cell.epsilon())
          .append(',')
          .append(cell.nBeta())
          .append(',')
          .append(cell.result().mean())
          .append(',')
          .append(cell.result().std())
          .append(',')
          .append(cell.diverged())
          .append(',')
          .append(cell.result().l0())
          .append(',')
          .append(String.format(Locale.ROOT, "%.3f", cell.seconds()))
          .append(',')
          .append(cell.result().mean() / cell.nBeta())
          .append(',')
          .append(s.gamma())
          .append(',')
          .append(s.numChains())
          .append(',')
          .append(s.numDraws())
          .append(',')
          .append(s.numBurnin())
          .append(',')
          .append(cell.result().batchSize())
          .append(',')
          .append(s.seed())
          .append('\n');
    }
    return sb.toString();
  }

  /** Every draw of every chain of every cell: nβ (L_k − L_0), NaN after a chain diverged. */
  static String traceCsv(List<LlcCalibration.Cell> cells) {
    StringBuilder sb = new StringBuilder("epsilon,nbeta,chain,draw,value\n");
    for (LlcCalibration.Cell cell : cells) {
      double[][] trace = cell.result().trace();
      for (int chain = 0; chain < trace.length; chain++) {
        for (int k = 0; k < trace[chain].length; k++) {
          sb.append(cell.epsilon())
              .append(',')
              .append(cell.nBeta())
              .append(',')
              .append(chain)
              .append(',')
              .append(k)
              .append(',')
              .append(trace[chain][k])
              .append('\n');
        }
      }
    }
    return sb.toString();
  }

  static String duration(double seconds) {
    if (!Double.isFinite(seconds)) {
      return "?";
    }
    long s = Math.round(seconds);
    return s >= 60 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s" : s + "s";
  }

  /** The run named by --run (and --sweep) in the results root, with its saved final weights. */
  Source findRun(SparkSession spark) throws IOException {
    if (!run.matches("[0-9a-f]{1,16}")) {
      throw new IllegalArgumentException(
          "Cannot calibrate: --run takes a run id or a prefix of one, lowercase hex digits as in the runs"
              + " table's run_id (got "
              + run
              + ")");
    }
    var runs =
        ResultTables.runs(spark, source)
            .where(functions.col(RunsTable.RUN_ID.name()).startsWith(run));
    if (sweep != null) {
      runs = runs.where(functions.col(ResultTables.SWEEP).equalTo(sweep));
    }
    List<Row> rows =
        runs.select(
                RunsTable.RUN_ID.name(),
                ResultTables.SWEEP,
                RunsTable.STATUS.name(),
                RunsTable.CONFIG_JSON.name())
            .orderBy(ResultTables.SWEEP, RunsTable.RUN_ID.name())
            .collectAsList();
    String where = sweep == null ? source : source + " (sweep " + sweep + ")";
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot calibrate: no run id starting with "
              + run
              + " in "
              + where
              + "; list them with: phasemap sql "
              + source
              + " \"SELECT run_id, sweep, status FROM runs\" (got "
              + run
              + ")");
    }
    if (rows.size() > 1) {
      List<String> ids = new ArrayList<>();
      for (Row r : rows) {
        ids.add(r.getString(0) + " (sweep " + r.get(1) + ")");
      }
      throw new IllegalArgumentException(
          "Cannot calibrate: --run "
              + run
              + " matches "
              + rows.size()
              + " runs in "
              + where
              + "; give more digits or --sweep (got "
              + String.join(", ", ids)
              + ")");
    }
    Row row = rows.get(0);
    String runId = row.getString(0);
    String sweepName = String.valueOf(row.get(1));
    if (!RunStatus.OK.value().equals(row.getString(2))) {
      throw new IllegalArgumentException(
          "Cannot calibrate run "
              + runId
              + ": only a run that finished ok has a trained point to measure (got status "
              + row.getString(2)
              + ")");
    }
    RunConfig config = ModelFiles.parseConfig(row.getString(3), "config_json of run " + runId);
    String weightsPath = ResultTables.weightsFile(source, sweepName, runId);
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(weightsPath);
    FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(p)) {
      throw new IllegalArgumentException(
          "Cannot calibrate run "
              + runId
              + ": "
              + source
              + " holds no weights for it; make them with"
              + " phasemap export "
              + source
              + " --run "
              + runId
              + " --retrain --out model.npz, then"
              + " calibrate model.npz (got no file "
              + weightsPath
              + ")");
    }
    Path local = Files.createTempFile("phasemap-" + runId, ".npz");
    ModelFiles.Loaded loaded;
    try {
      try (InputStream in = fs.open(p);
          OutputStream o = Files.newOutputStream(local)) {
        in.transferTo(o);
      }
      loaded = ModelFiles.loadNpz(local);
    } finally {
      Files.deleteIfExists(local);
    }
    if (!loaded.config().equals(config)) {
      throw new IllegalStateException(
          "Cannot calibrate run "
              + runId
              + ": its weights file holds another config (got run id "
              + loaded.config().runId()
              + ")");
    }
    System.out.printf(
        "Read the weights of run %s (sweep %s) from %s%n", runId, sweepName, weightsPath);
    return new Source(
        config, loaded.parameters(), "run " + runId + " (sweep " + sweepName + ")", sweepName);
  }
}
