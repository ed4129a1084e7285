package org.phasemap.jobs.curves;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;

/**
 * The three phases of grokking (Nanda et al. 2023, SCIENCE.md 1.6) placed on one run's logged steps
 * by a fixed rule, so that every run's curves are marked the same way.
 *
 * <ol>
 *   <li><b>Memorisation</b> ends at the first step where training accuracy reaches {@value
 *       #TRAIN_ACC} (where train accuracy is null: training loss at most {@value #TRAIN_LOSS}).
 *   <li><b>Circuit formation</b> runs from there to the start of clean-up.
 *   <li><b>Clean-up</b> starts at the peak of the excluded loss between the end of memorisation and
 *       generalisation, where the run has it at three or more checkpoints there and it falls after
 *       the peak: the excluded loss rises while the generalising circuit forms beside the memorised
 *       one and falls as clean-up removes the memorised part (SCIENCE.md 1.6; on the nanda2023
 *       reproduction the peak is at step 6 500 and Σw² then falls 1 772 → 1 070 by 8 500).
 *       Otherwise it starts where Σw² starts its largest fall between the end of memorisation and
 *       generalisation. On each interval between logged steps the fall rate is −Δ ln Σw² / Δ step;
 *       a falling stretch is a maximal run of consecutive intervals each falling at least {@value
 *       #FALL_FRACTION} times as fast as the steepest one; clean-up starts at the first step of the
 *       stretch whose total fall (ln Σw² at its start minus at its end) is largest. (The largest
 *       stretch rather than the steepest interval: right after memorisation Σw² often drops back
 *       from a short overshoot, steeply but briefly, well before the real clean-up.) Where Σw² does
 *       not fall in that window (no weight decay, or too few logged steps), clean-up starts at the
 *       first step in the window with test accuracy at least {@value #TEST_ACC_HALF}.
 *   <li><b>Generalisation</b> (grokking done, clean-up over) at the first step at or after the end
 *       of memorisation where test accuracy reaches {@value #TEST_ACC}.
 * </ol>
 *
 * <p>Always memorisationEnd ≤ cleanupStart ≤ generalisedAt where they are present. Degenerate runs:
 * a run that never memorises has no boundary at all; one that memorises but never generalises has
 * only {@code memorisationEnd} (the rest of the run is circuit formation, or a stall: the curves
 * cannot tell); one that generalises at the step it memorises has all three boundaries on that step
 * (no grokking delay, empty circuit formation and clean-up).
 *
 * @param memorisationEnd first step of circuit formation
 * @param cleanupStart first step of clean-up
 * @param generalisedAt first step after clean-up
 * @param firstStep the first logged step (0 for any run)
 * @param lastStep the last logged step
 */
public record Phases(
    OptionalInt memorisationEnd,
    OptionalInt cleanupStart,
    OptionalInt generalisedAt,
    int firstStep,
    int lastStep) {
  public static final double TRAIN_ACC = 0.99;
  public static final double TRAIN_LOSS = 0.01;
  public static final double TEST_ACC = 0.99;
  public static final double TEST_ACC_HALF = 0.5;
  public static final double FALL_FRACTION = 0.1;

  /** The phases of a run whose logged steps are {@code points} (any order; at least one). */
  public static Phases of(List<StepPoint> points) {
    if (points.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot place phases: the run has no logged steps (got 0 points)");
    }
    List<StepPoint> p = new ArrayList<>(points);
    p.sort(Comparator.comparingInt(StepPoint::step));
    int first = p.get(0).step();
    int last = p.get(p.size() - 1).step();

    int memIndex = -1;
    for (int i = 0; i < p.size() && memIndex < 0; i++) {
      StepPoint s = p.get(i);
      boolean memorised =
          Double.isNaN(s.trainAcc()) ? s.trainLoss() <= TRAIN_LOSS : s.trainAcc() >= TRAIN_ACC;
      if (memorised) {
        memIndex = i;
      }
    }
    if (memIndex < 0) {
      return new Phases(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), first, last);
    }
    int genIndex = -1;
    for (int i = memIndex; i < p.size() && genIndex < 0; i++) {
      if (p.get(i).testAcc() >= TEST_ACC) {
        genIndex = i;
      }
    }
    OptionalInt mem = OptionalInt.of(p.get(memIndex).step());
    if (genIndex < 0) {
      return new Phases(mem, OptionalInt.empty(), OptionalInt.empty(), first, last);
    }
    int cleanIndex = cleanupStart(p, memIndex, genIndex);
    return new Phases(
        mem,
        OptionalInt.of(p.get(cleanIndex).step()),
        OptionalInt.of(p.get(genIndex).step()),
        first,
        last);
  }

  /** Index of the first clean-up step within [from, to]. */
  private static int cleanupStart(List<StepPoint> p, int from, int to) {
    int peak = -1;
    int measured = 0;
    for (int i = from; i <= to; i++) {
      double e = p.get(i).excludedLoss();
      if (Double.isFinite(e)) {
        measured++;
        if (peak < 0 || e > p.get(peak).excludedLoss()) {
          peak = i;
        }
      }
    }
    if (measured >= 3) {
      for (int i = peak + 1; i <= to; i++) {
        if (p.get(i).excludedLoss() < p.get(peak).excludedLoss()) {
          return peak; // it falls after the peak: clean-up starts there
        }
      }
    }
    return weightFallStart(p, from, to);
  }

  /** Index of the start of Σw²'s largest fall within [from, to]; see the class comment. */
  private static int weightFallStart(List<StepPoint> p, int from, int to) {
    // points in the window with a positive, finite Σw², in step order
    List<Integer> idx = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      double w = p.get(i).sumSqWeights();
      if (w > 0 && Double.isFinite(w)) {
        idx.add(i);
      }
    }
    double max = 0;
    double[] rate = new double[Math.max(0, idx.size() - 1)];
    for (int k = 0; k < rate.length; k++) {
      StepPoint a = p.get(idx.get(k));
      StepPoint b = p.get(idx.get(k + 1));
      rate[k] = -(Math.log(b.sumSqWeights()) - Math.log(a.sumSqWeights())) / (b.step() - a.step());
      max = Math.max(max, rate[k]);
    }
    if (max > 0) {
      int bestStart = -1;
      double bestFall = 0;
      int k = 0;
      while (k < rate.length) {
        if (rate[k] < FALL_FRACTION * max) {
          k++;
          continue;
        }
        int end = k;
        while (end + 1 < rate.length && rate[end + 1] >= FALL_FRACTION * max) {
          end++;
        }
        double fall =
            Math.log(p.get(idx.get(k)).sumSqWeights())
                - Math.log(p.get(idx.get(end + 1)).sumSqWeights());
        if (fall > bestFall) {
          bestFall = fall;
          bestStart = k;
        }
        k = end + 1;
      }
      return idx.get(bestStart);
    }
    for (int i = from; i <= to; i++) {
      if (p.get(i).testAcc() >= TEST_ACC_HALF) {
        return i;
      }
    }
    return to;
  }

  /** The phase a step falls in. */
  public Phase at(int step) {
    if (memorisationEnd.isEmpty() || step < memorisationEnd.getAsInt()) {
      return Phase.MEMORISATION;
    }
    if (cleanupStart.isEmpty() || step < cleanupStart.getAsInt()) {
      return Phase.CIRCUIT_FORMATION;
    }
    if (step < generalisedAt.getAsInt()) {
      return Phase.CLEANUP;
    }
    return Phase.GENERALISED;
  }

  /**
   * The boundaries in words: "memorisation ends at step 250 · clean-up starts never · generalised
   * never".
   */
  public String describe() {
    return "memorisation ends "
        + words(memorisationEnd)
        + " · clean-up starts "
        + words(cleanupStart)
        + " · generalised "
        + words(generalisedAt);
  }

  private static String words(OptionalInt step) {
    return step.isPresent() ? "at step " + step.getAsInt() : "never";
  }

  /** The phases of grokking, in order. */
  public enum Phase {
    MEMORISATION("memorisation"),
    CIRCUIT_FORMATION("circuit formation"),
    CLEANUP("clean-up"),
    GENERALISED("generalised");

    private final String title;

    Phase(String title) {
      this.title = title;
    }

    /** The phase as the pictures name it. */
    public String title() {
      return title;
    }
  }
}
