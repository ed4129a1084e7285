package org.phasemap.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phasemap.jobs.OutputDir;
import org.phasemap.jobs.Synthetic;
import org.phasemap.jobs.Synthetic.Run;
import org.phasemap.tables.ResultTables;

/** The HTML report of a two-sweep root: summary, maps and representative curves, inlined. */
class ReportTests {
  static SparkSession spark;
  @TempDir static Path dir;
  static Path root;

  @BeforeAll
  static void writeRoot() {
    spark = Synthetic.spark("ReportTests");
    root = dir.resolve("results");
    List<Run> runs = new ArrayList<>(Synthetic.knownShares());
    runs.add(Run.ok("t", "z0", 0, 32, 0, "clock", 0.1, 0.9));
    Synthetic.writeRuns(spark, root, runs);
    // steps for the representative pizza run (first pizza by run order: a0) and the clock of t
    Synthetic.writeSteps(
        spark, root, "s", "a0", Synthetic.grokking(3000, 500, 1000, 2000, "pizza"), true);
    Synthetic.writeSteps(
        spark, root, "t", "z0", Synthetic.grokking(3000, 500, 1000, 2000, "clock"), true);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void summarisesEachSweep() {
    List<SweepSummary> s = SweepSummary.of(ResultTables.runs(spark, root.toString()));
    assertThat(s).extracting(SweepSummary::sweep).containsExactly("s", "t");
    SweepSummary first = s.get(0);
    assertThat(first.runs()).isEqualTo(14);
    assertThat(first.statuses())
        .containsEntry("ok", 12L)
        .containsEntry("failed", 2L)
        .doesNotContainKey("diverged");
    assertThat(first.labels())
        .containsExactly(
            java.util.Map.entry("clock", 3L),
            java.util.Map.entry("pizza", 3L),
            java.util.Map.entry("mixed", 2L),
            java.util.Map.entry("non_circular", 1L),
            java.util.Map.entry("no_generalisation", 3L),
            java.util.Map.entry("none", 2L));
    // ms_per_step = 6 + run_index, run_index = seed 0..3 → 6, 7, 8, 9 over 14 runs
    assertThat(first.medianMsPerStep()).isBetween(6.0, 9.0);
    assertThat(first.codeVersions()).containsExactly("0.1.0-test");
    assertThat(first.gitCommits()).containsExactly("abc1234");
  }

  @Test
  void writesOnePageWithInlinedPictures(@TempDir Path tmp) throws Exception {
    String path =
        Report.write(
            spark,
            root.toString(),
            OutputDir.of(tmp.toString(), spark.sparkContext().hadoopConfiguration()),
            "report.html");
    String html = Files.readString(Path.of(path));
    assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    assertThat(html)
        .contains("<h2 id=\"sweep-s\">Sweep s</h2>")
        .contains("<h2 id=\"sweep-t\">Sweep t</h2>")
        .contains("Phase map: attention_rate × d_model")
        .contains("<code>abc1234</code>")
        .contains("id=\"run-a0\"")
        .contains("id=\"run-z0\"")
        // the representative clock of s (c0, first by run order) has no steps: said, not fatal
        .contains("Cannot draw the curves of run c0");
    Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    int images = 0;
    while (m.find()) {
      assertThat(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1)))))
          .isNotNull();
      images++;
    }
    // per sweep: map + scatter; curves of a0 and z0
    assertThat(images).isEqualTo(6);
    assertThat(html)
        .doesNotContain("src=\"file:")
        .doesNotContain("http://")
        .doesNotContain("https://");
  }
}
