package org.phasemap.jobs.curves;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phasemap.jobs.OutputDir;
import org.phasemap.jobs.Synthetic;
import org.phasemap.jobs.Synthetic.Run;
import org.phasemap.jobs.plot.Images;
import org.phasemap.jobs.plot.Palette;

/** One run's curves read from a steps table of real Parquet and drawn. */
class CurvesJobTests {
  static SparkSession spark;
  @TempDir static Path dir;
  static Path root;

  @BeforeAll
  static void writeRoot() {
    spark = Synthetic.spark("CurvesJobTests");
    root = dir.resolve("results");
    Synthetic.writeRuns(
        spark,
        root,
        List.of(
            Run.ok("s", "00000000000000aa", 1, 32, 0, "clock", 0.4, 0.9),
            Run.ok("s", "00000000000000bb", 0, 32, 0, "pizza", 0.99, 0.2)));
    Synthetic.writeSteps(
        spark,
        root,
        "s",
        "00000000000000aa",
        Synthetic.grokking(8000, 1000, 4000, 6000, "clock"),
        true);
    Synthetic.writeSteps(
        spark,
        root,
        "s",
        "00000000000000bb",
        Synthetic.grokking(3000, 500, 1000, 2000, "pizza"),
        false);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void loadsTheRunPreferringFinalKeyLosses() {
    RunCurves c = RunCurves.load(spark, root.toString(), "00000000000000aa", null);
    assertThat(c.sweep()).isEqualTo("s");
    assertThat(c.finalLabel()).isEqualTo("clock");
    assertThat(c.lossKeys()).isEqualTo(RunCurves.FINAL_KEYS);
    assertThat(c.points()).hasSize(81);
    StepPoint cp = c.points().get(10);
    assertThat(cp.step()).isEqualTo(1000);
    assertThat(cp.label()).isEqualTo("mixed");
    // the final-keys column holds 0.9 × the online value in this fixture
    assertThat(cp.restrictedLoss())
        .isCloseTo(0.9 * 3.0 * Math.exp(-1000 / 800.0), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(c.points().get(11).label()).isNull();
    assertThat(c.points().get(11).restrictedLoss()).isNaN();

    RunCurves online = RunCurves.load(spark, root.toString(), "00000000000000bb", "s");
    assertThat(online.lossKeys()).isEqualTo(RunCurves.ONLINE_KEYS);
    assertThat(online.points().get(5).restrictedLoss())
        .isCloseTo(3.0 * Math.exp(-500 / 800.0), org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void drawsPanelsWithPhasesAndTheLabelStrip(@TempDir Path tmp) throws Exception {
    CurvesJob.Result r =
        CurvesJob.draw(
            spark,
            root.toString(),
            "00000000000000aa",
            null,
            800,
            900,
            OutputDir.of(tmp.toString(), spark.sparkContext().hadoopConfiguration()));
    assertThat(r.files())
        .containsExactly(
            tmp.resolve("curves_00000000000000aa.png").toString(),
            tmp.resolve("curves_00000000000000aa.svg").toString());
    assertThat(r.phases().memorisationEnd()).hasValue(1000);
    assertThat(r.phases().cleanupStart()).hasValue(4000);
    assertThat(r.phases().generalisedAt()).hasValue(6000);
    BufferedImage img = Images.assertPng(tmp.resolve("curves_00000000000000aa.png"), 800, 900, 20);
    // the label strip shows the clock colour and the mixed colour somewhere
    assertThat(contains(img, Palette.CLOCK.getRGB() & 0xFFFFFF)).isTrue();
    assertThat(contains(img, Palette.MIXED.getRGB() & 0xFFFFFF)).isTrue();
    String svg = Images.assertSvg(tmp.resolve("curves_00000000000000aa.svg"), 800, 900);
    assertThat(svg)
        .contains("memorisation")
        .contains("circuit formation")
        .contains("clean-up")
        .contains("restricted loss (final keys)")
        .contains("Gini W_E")
        .contains("label: clock");
  }

  @Test
  void unknownRunIsBadInput() {
    assertThatThrownBy(() -> RunCurves.load(spark, root.toString(), "0123456789abcdef", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Cannot draw the curves of run 0123456789abcdef: no such run in " + root)
        .hasMessageEndingWith("(got 0123456789abcdef)");
  }

  static boolean contains(BufferedImage img, int rgb) {
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
          return true;
        }
      }
    }
    return false;
  }
}
