package org.phasemap.driver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phasemap.driver.cli.MainTests.Outcome;
import org.phasemap.driver.spark.SweepRunner;
import org.phasemap.driver.spec.PlannedRun;
import org.phasemap.driver.spec.SweepPlanner;
import org.phasemap.driver.spec.SweepSpec;
import org.phasemap.driver.spec.SweepSpecParser;
import org.phasemap.tables.ResultTables;

/**
 * {@code phasemap llc-calibrate} as a user runs it, on a real run trained by a one-run sweep (p =
 * 11): from a results root by run-id prefix, and from the run's .npz, with a 2 × 2 grid and tiny
 * chains. The command creates and stops its own Spark session; system properties keep it on one
 * core and on loopback.
 */
class LlcCalibrateCommandTests {
  static final String[] PROPS = {
    "spark.master", "local[1]",
    "spark.ui.enabled", "false",
    "spark.driver.host", "127.0.0.1",
    "spark.driver.bindAddress", "127.0.0.1",
    "spark.sql.shuffle.partitions", "2"
  };

  static final String SPEC =
      String.join(
          "\n",
          "name: one",
          "seed: 5",
          "preset: zhong2023",
          "fixed:",
          "  modulus: 11",
          "  d_model: 8",
          "  n_heads: 2",
          "  d_mlp: 16",
          "  steps: 60",
          "  lr: 0.01",
          "  log_interval: 20",
          "");

  @TempDir static Path dir;
  static Path root;
  static PlannedRun run;

  @BeforeAll
  static void trainOneRun() throws Exception {
    for (int i = 0; i < PROPS.length; i += 2) {
      System.setProperty(PROPS[i], PROPS[i + 1]);
    }
    SweepSpec spec = SweepSpecParser.parse(SPEC, "one.yaml");
    List<PlannedRun> plan = SweepPlanner.expand(spec);
    run = plan.get(0);
    root = dir.resolve("results");
    SparkSession spark = SparkSession.builder().appName("LlcCalibrateCommandTests").getOrCreate();
    try {
      SweepRunner.run(
          spark,
          spec,
          plan,
          new SweepRunner.Options(
              root.toString(),
              false,
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              1000));
    } finally {
      spark.stop();
    }
  }

  @AfterAll
  static void clearProperties() {
    for (int i = 0; i < PROPS.length; i += 2) {
      System.clearProperty(PROPS[i]);
    }
  }

  @Test
  void calibratesARunOfAResultsRootFoundByItsIdPrefix(@TempDir Path out) throws Exception {
    Outcome o =
        MainTests.run(
            "llc-calibrate",
            root.toString(),
            "--run",
            run.runId().substring(0, 6),
            "--epsilon",
            "1e-4,3e-4",
            "--nbeta",
            "dataset,2*dataset",
            "--chains",
            "2",
            "--draws",
            "5",
            "--burnin",
            "3",
            "--out",
            out.toString());

    assertThat(o.code()).as(o.err()).isZero();
    String id = run.runId();
    assertThat(o.out())
        .contains("Read the weights of run " + id + " (sweep one)")
        .contains("n = 96 training pairs, full batch")
        .contains("4 cells, 16 SGLD steps each")
        .contains("[1/4, ETA")
        .contains("[4/4, ETA 0s]")
        .contains("Done in");
    // one row per (epsilon, nbeta), nbeta outer; n = 96 training pairs, n / ln n = 21.03
    List<String> rows = Files.readAllLines(out.resolve("llc_calibration_" + id + ".csv"));
    assertThat(rows.get(0))
        .startsWith(
            "epsilon,nbeta,llc_mean,llc_std,diverged,init_loss,seconds,llc_over_nbeta,gamma,chains");
    assertThat(rows).hasSize(5);
    double nBeta = 96 / Math.log(96);
    double[][] expected = {{1e-4, nBeta}, {3e-4, nBeta}, {1e-4, 2 * nBeta}, {3e-4, 2 * nBeta}};
    for (int i = 0; i < 4; i++) {
      String[] f = rows.get(i + 1).split(",");
      assertThat(Double.parseDouble(f[0])).isEqualTo(expected[i][0]);
      assertThat(Double.parseDouble(f[1]))
          .isCloseTo(expected[i][1], org.assertj.core.data.Offset.offset(1e-9));
      assertThat(Double.parseDouble(f[2])).as("llc_mean").isFinite();
      assertThat(f[4]).isEqualTo("false");
      assertThat(Double.parseDouble(f[5])).as("init_loss").isPositive();
      assertThat(Double.parseDouble(f[6])).as("seconds").isPositive();
      assertThat(f[8]).isEqualTo("100.0");
      assertThat(f[9]).isEqualTo("2");
    }
    // 4 cells x 2 chains x 5 draws
    assertThat(Files.readAllLines(out.resolve("llc_calibration_trace_" + id + ".csv")))
        .hasSize(41)
        .first()
        .isEqualTo("epsilon,nbeta,chain,draw,value");
    assertPng(
        out.resolve("llc_calibration_" + id + ".png"),
        LlcCalibrateCommand.WIDTH,
        LlcCalibrateCommand.HEIGHT);
    assertSvg(out.resolve("llc_calibration_" + id + ".svg"));
    assertPng(
        out.resolve("llc_calibration_trace_" + id + ".png"),
        LlcCalibrateCommand.WIDTH,
        150 + 230 * 2);
    assertSvg(out.resolve("llc_calibration_trace_" + id + ".svg"));
  }

  @Test
  void calibratesAnNpzModelAndShowsDivergedCellsWithoutFailing(@TempDir Path out) throws Exception {
    Path npz = Path.of(ResultTables.weightsFile(root.toString(), "one", run.runId()));

    // epsilon 1 throws the chains far from w*: the loss overflows, the cell is marked diverged
    Outcome o =
        MainTests.run(
            "llc-calibrate",
            npz.toString(),
            "--epsilon",
            "1e-4,1",
            "--nbeta",
            "50",
            "--chains",
            "1",
            "--draws",
            "40",
            "--burnin",
            "0",
            "--out",
            out.toString());

    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out())
        .contains("diverged")
        .contains("epsilon too large")
        .contains("2 cells, 1 diverged");
    List<String> rows = Files.readAllLines(out.resolve("llc_calibration_" + run.runId() + ".csv"));
    assertThat(rows).hasSize(3);
    assertThat(rows.get(1).split(",")[4]).isEqualTo("false");
    assertThat(rows.get(2).split(",")[4]).isEqualTo("true");
    assertThat(rows.get(2).split(",")[2]).isEqualTo("NaN");
    assertThat(Files.readString(out.resolve("llc_calibration_" + run.runId() + ".svg")))
        .contains("diverged");
    assertPng(
        out.resolve("llc_calibration_" + run.runId() + ".png"),
        LlcCalibrateCommand.WIDTH,
        LlcCalibrateCommand.HEIGHT);
  }

  @Test
  void badInputExitsWithTwoAndSaysWhatIsAllowed(@TempDir Path out) {
    Outcome nBeta =
        MainTests.run("llc-calibrate", root.toString(), "--run", "ab", "--nbeta", "lots");
    assertThat(nBeta.code()).isEqualTo(2);
    assertThat(nBeta.err())
        .contains("--nbeta takes numbers, 'dataset', 'batch', F*dataset or dataset/D (got lots)");
    Outcome eps = MainTests.run("llc-calibrate", root.toString(), "--run", "ab", "--epsilon", "2");
    assertThat(eps.code()).isEqualTo(2);
    assertThat(eps.err())
        .contains("Cannot calibrate: --epsilon must be values in (0, 1] (got 2.0)");
    Outcome noRun = MainTests.run("llc-calibrate", root.toString());
    assertThat(noRun.code()).isEqualTo(2);
    assertThat(noRun.err()).contains("is a results root; name the run with --run RUN_ID");
    Outcome unknown =
        MainTests.run(
            "llc-calibrate", root.toString(), "--run", "fffffffffffffff0", "--out", out.toString());
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("no run id starting with fffffffffffffff0");
    Outcome chains =
        MainTests.run("llc-calibrate", root.toString(), "--run", "ab", "--chains", "0");
    assertThat(chains.err()).contains("--chains must be >= 1 (got 0)");
  }

  @Test
  void nBetaValuesAreNumbersOrScaledRules() {
    assertThat(LlcCalibrateCommand.nBeta("464", 3830, 512)).isEqualTo(464);
    assertThat(LlcCalibrateCommand.nBeta("dataset", 3830, 512)).isEqualTo(3830 / Math.log(3830));
    assertThat(LlcCalibrateCommand.nBeta("3*dataset", 3830, 512))
        .isEqualTo(3 * 3830 / Math.log(3830));
    assertThat(LlcCalibrateCommand.nBeta("dataset/3", 3830, 512))
        .isEqualTo(3830 / Math.log(3830) / 3);
    assertThat(LlcCalibrateCommand.nBeta("Batch", 3830, 512)).isEqualTo(512 / Math.log(512));
    assertThat(LlcCalibrateCommand.nBeta("n/ln n", 3830, 512)).isEqualTo(3830 / Math.log(3830));
    assertThat(LlcCalibrateCommand.nBeta("m/ln m", 3830, 512)).isEqualTo(512 / Math.log(512));
  }

  @Test
  void helpSaysHowToReadThePictures() {
    Outcome o = MainTests.run("llc-calibrate", "--help");
    assertThat(o.code()).isZero();
    assertThat(o.out())
        .contains("Usage: phasemap llc-calibrate")
        .contains("flat stretch")
        .contains("plateau")
        .contains("--epsilon", "--nbeta", "--gamma", "--chains", "--draws", "--burnin");
    assertThat(MainTests.run("--help").out()).contains("llc-calibrate");
  }

  static void assertPng(Path png, int width, int height) throws Exception {
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img).as(png.toString()).isNotNull();
    assertThat(img.getWidth()).isEqualTo(width);
    assertThat(img.getHeight()).isEqualTo(height);
  }

  static void assertSvg(Path svg) throws Exception {
    var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
    assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("svg");
  }
}
