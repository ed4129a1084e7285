package org.phasemap.jobs.maps;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.phasemap.worker.RunConfig;

/**
 * Which two columns a map is drawn over when the user names none: the hyperparameters the runs vary
 * most.
 *
 * <p>Rule: among the numeric run fields of {@link #HYPERPARAMETERS} (seeds, intervals and the step
 * count left out: a map pools seeds, and the others do not change the algorithm), take those with
 * more than one distinct value, most distinct values first (ties in the order of the list, which
 * starts with the papers' axes, attention rate and width), skipping a column that is a function of
 * one already taken (d_mlp = 4 × d_model by default). With a single varied hyperparameter the
 * second axis is a seed that varies ({@link #SEEDS}): one row per seed shows each run's label,
 * where a constant column would draw one stretched row. Otherwise fill up to two with {@code
 * attention_rate} and {@code d_model}, then the list order. Attention rate, when chosen, goes on x,
 * as in the papers' figures.
 */
public final class DefaultAxes {
  /** Run fields that can be a map axis, in order of preference. */
  public static final List<String> HYPERPARAMETERS =
      names(
          RunConfig.ATTENTION_RATE,
          RunConfig.D_MODEL,
          RunConfig.MODULUS,
          RunConfig.WEIGHT_DECAY,
          RunConfig.TRAIN_FRACTION,
          RunConfig.LR,
          RunConfig.D_MLP,
          RunConfig.N_HEADS,
          RunConfig.N_LAYERS,
          RunConfig.BETA1,
          RunConfig.BETA2,
          RunConfig.ADAM_EPS,
          RunConfig.WARMUP_STEPS);

  /** Seed columns, a map's second axis when only one hyperparameter varies. */
  public static final List<String> SEEDS = names(RunConfig.INIT_SEED, RunConfig.DATA_SEED);

  private static final String ATTENTION_RATE = RunConfig.ATTENTION_RATE.name();

  private DefaultAxes() {}

  private static List<String> names(RunConfig.Field... fields) {
    return java.util.Arrays.stream(fields).map(RunConfig.Field::name).toList();
  }

  /** The two axes, x first. */
  public record Choice(String x, String y) {}

  /**
   * The axes for these columns.
   *
   * @param distinctCounts distinct non-null values per hyperparameter column present in the runs
   * @param dependent true when the first column's value determines the second's over the runs
   */
  public static Choice choose(
      Map<String, Long> distinctCounts, BiPredicate<String, String> dependent) {
    List<String> varying = new ArrayList<>();
    for (String c : HYPERPARAMETERS) {
      if (distinctCounts.getOrDefault(c, 0L) > 1) {
        varying.add(c);
      }
    }
    varying.sort(Comparator.comparingLong((String c) -> -distinctCounts.get(c)));
    List<String> chosen = new ArrayList<>();
    for (String c : varying) {
      if (chosen.size() < 2 && chosen.stream().noneMatch(k -> dependent.test(k, c))) {
        chosen.add(c);
      }
    }
    for (String seed : SEEDS) {
      if (chosen.size() == 1 && distinctCounts.getOrDefault(seed, 0L) > 1) {
        chosen.add(seed);
      }
    }
    List<String> fill = new ArrayList<>(List.of(ATTENTION_RATE, RunConfig.D_MODEL.name()));
    fill.addAll(HYPERPARAMETERS);
    for (String c : fill) {
      if (chosen.size() < 2 && !chosen.contains(c) && distinctCounts.containsKey(c)) {
        chosen.add(c);
      }
    }
    if (chosen.size() < 2) {
      throw new IllegalArgumentException(
          "Cannot choose map axes: the runs table has fewer than two hyperparameter columns; name them with --x and --y (got "
              + distinctCounts.keySet()
              + ")");
    }
    if (chosen.get(1).equals(ATTENTION_RATE)) {
      return new Choice(chosen.get(1), chosen.get(0));
    }
    return new Choice(chosen.get(0), chosen.get(1));
  }

  /** The axes for a runs table (one Spark aggregation for the counts, one per dependence check). */
  public static Choice choose(Dataset<Row> runs) {
    List<String> present = new ArrayList<>();
    List<String> names = List.of(runs.columns());
    List<String> candidates = new ArrayList<>(HYPERPARAMETERS);
    candidates.addAll(SEEDS);
    for (String c : candidates) {
      if (names.contains(c)) {
        present.add(c);
      }
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    if (!present.isEmpty()) {
      Column[] aggs = present.stream().map(c -> countDistinct(col(c)).as(c)).toArray(Column[]::new);
      Row r = runs.agg(aggs[0], java.util.Arrays.copyOfRange(aggs, 1, aggs.length)).first();
      for (int i = 0; i < present.size(); i++) {
        counts.put(present.get(i), r.getLong(i));
      }
    }
    return choose(
        counts,
        (a, b) -> {
          long pair = runs.select(col(a), col(b)).distinct().count();
          return pair == counts.get(a);
        });
  }
}
