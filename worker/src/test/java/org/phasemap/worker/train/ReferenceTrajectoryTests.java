package org.phasemap.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.analysis.AlgorithmMeasures;
import org.phasemap.worker.data.ModularAddition;
import org.phasemap.worker.io.ModelFiles;
import org.phasemap.worker.io.Npy;

/**
 * Training follows an independent PyTorch implementation of SCIENCE.md 2.1 step by step, from the
 * same initial weights and split ({@code ../shared/fixtures/reference-trajectories}, see its
 * README): train loss, test loss and Σw² at every step, and the measures at the last step.
 */
class ReferenceTrajectoryTests {

  /** The fixtures folder: shared/ beside the project root (the checkout, or CI's fresh clone). */
  static Path fixtures() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      Path f = d.resolve("shared/fixtures/reference-trajectories");
      if (Files.isDirectory(f)) {
        return f;
      }
    }
    throw new IllegalStateException(
        "Cannot find shared/fixtures/reference-trajectories above "
            + dir
            + ": the shared folder must sit beside the project root");
  }

  /** One row of trajectory.csv, by column name. */
  static List<Map<String, Double>> trajectory(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    String[] head = lines.get(0).split(",");
    List<Map<String, Double>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      Map<String, Double> row = new LinkedHashMap<>();
      for (int i = 0; i < head.length; i++) {
        row.put(head[i], Double.parseDouble(f[i]));
      }
      rows.add(row);
    }
    return rows;
  }

  static int[] rows(Path npy) throws IOException {
    return Npy.read(npy).toIntVector();
  }

  /** Trains the fixture's run from its weights and split, logging every step. */
  static List<StepRecord> train(Path dir) throws IOException {
    ModelFiles.Loaded init = ModelFiles.load(dir.resolve("init"));
    Map<String, Object> m = new LinkedHashMap<>(init.config().toMap());
    m.put("log_interval", 1);
    m.put("checkpoint_interval", 0);
    RunConfig c = RunConfig.fromMap(m);
    ModularAddition split =
        ModularAddition.ofRows(
            c.modulus(),
            c.equalsToken(),
            rows(dir.resolve("train_rows.npy")),
            rows(dir.resolve("test_rows.npy")),
            dir.toString());
    List<StepRecord> out = new ArrayList<>();
    new Trainer(c, init.parameters(), split).train(out::add);
    return out;
  }

  static double relative(double a, double ref) {
    return Math.abs(a - ref) / Math.abs(ref);
  }

  @ParameterizedTest
  @ValueSource(strings = {"zhong-p23-d32-a0.5-f64", "zhong-p23-d32-L2-gelu-a0.7-f64"})
  void float64FollowsTheReferenceEveryStep(String name) throws IOException {
    Path dir = fixtures().resolve(name);
    List<Map<String, Double>> ref = trajectory(dir.resolve("trajectory.csv"));
    List<StepRecord> ours = train(dir);
    assertThat(ours).hasSize(ref.size());
    for (int s = 0; s < ref.size(); s++) {
      double tol = s <= 100 ? 1e-9 : 1e-6;
      StepRecord r = ours.get(s);
      Map<String, Double> e = ref.get(s);
      assertThat(r.step()).isEqualTo(s);
      assertThat(relative(r.trainLoss(), e.get("train_loss")))
          .as("train loss at step %d", s)
          .isLessThan(tol);
      assertThat(relative(r.testLoss(), e.get("test_loss")))
          .as("test loss at step %d", s)
          .isLessThan(tol);
      assertThat(relative(r.sumSquaredWeights(), e.get("sumsq")))
          .as("sum of squares at step %d", s)
          .isLessThan(tol);
      assertThat(r.trainAccuracy())
          .as("train accuracy at step %d", s)
          .isEqualTo(e.get("train_acc"));
      assertThat(r.testAccuracy()).as("test accuracy at step %d", s).isEqualTo(e.get("test_acc"));
    }
    Map<String, Double> last = ref.get(ref.size() - 1);
    if (last.containsKey("circularity")) {
      AlgorithmMeasures a = ours.get(ours.size() - 1).checkpoint().algorithm();
      assertThat(a.circularity())
          .as("circularity")
          .isCloseTo(last.get("circularity"), within(1e-4));
      assertThat(a.diCorrect()).as("DI (correct)").isCloseTo(last.get("di_correct"), within(1e-4));
      assertThat(a.diMaxWrong())
          .as("DI (max wrong)")
          .isCloseTo(last.get("di_maxwrong"), within(1e-4));
      // the reference samples 200 triples: a few hundredths of sampling noise (README)
      assertThat(a.gs()).as("gradient symmetricity").isCloseTo(last.get("grad_sym"), within(0.05));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"zhong-p23-d32-a1.0-f32"})
  void float32FollowsTheReferenceForTwentySteps(String name) throws IOException {
    Path dir = fixtures().resolve(name);
    List<Map<String, Double>> ref = trajectory(dir.resolve("trajectory.csv"));
    List<StepRecord> ours = train(dir);
    assertThat(ours).hasSize(ref.size());
    for (int s = 0; s <= 20; s++) {
      StepRecord r = ours.get(s);
      Map<String, Double> e = ref.get(s);
      assertThat(relative(r.trainLoss(), e.get("train_loss")))
          .as("train loss at step %d", s)
          .isLessThan(1e-4);
      assertThat(relative(r.testLoss(), e.get("test_loss")))
          .as("test loss at step %d", s)
          .isLessThan(1e-4);
      assertThat(relative(r.sumSquaredWeights(), e.get("sumsq")))
          .as("sum of squares at step %d", s)
          .isLessThan(1e-4);
    }
    // later the trajectories separate by rounding; the curve keeps its shape
    int last = ref.size() - 1;
    assertThat(relative(ours.get(last).trainLoss(), ref.get(last).get("train_loss")))
        .isLessThan(0.05);
  }
}
