package org.phasemap.driver.spec;

import java.util.LinkedHashMap;
import java.util.Map;
import org.phasemap.worker.RunConfig;

/**
 * Checks one field value on its own, so that an out-of-range value is reported at its place in the
 * spec ({@code grid.attention_rate[2]}) rather than as a failing grid point.
 *
 * <p>{@link RunConfig} validates whole configurations only, and some of its rules tie fields
 * together (d_model divisible by n_heads, log_interval at most steps, a train_fraction that leaves
 * both sets non-empty). To test one value alone we build a run around it whose other fields are as
 * permissive as those rules allow, and report a failure only when RunConfig blames this very field.
 * If RunConfig gains a rule these neighbours do not satisfy, the failure blames another field, is
 * ignored here, and the full check of every run in {@link SweepPlanner} still catches real errors:
 * this check can sharpen a message but never reject a valid spec.
 */
final class FieldCheck {
  private FieldCheck() {}

  /** Neighbour values that satisfy every cross-field rule of RunConfig for any valid value. */
  private static final Map<String, Object> PERMISSIVE =
      Map.of(
          "modulus",
              999, // largest odd modulus: any train_fraction in (0, 1) that works anywhere works
          // here
          "train_fraction", 0.5, // leaves both sets non-empty for any modulus >= 3
          "d_model", 128,
          "n_heads", 1, // divides any d_model
          "d_mlp", 512, // set, so that d_mlp does not default from d_model
          "steps", 10_000_000, // at least any valid log or checkpoint interval
          "log_interval", 1,
          "checkpoint_interval", 0);

  /**
   * RunConfig's message when {@code value}, already of the field's type, is invalid for {@code
   * field} whatever the other fields are; {@code null} when it is valid on its own.
   */
  static String problemAlone(String preset, String field, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(PERMISSIVE);
    m.put("preset", preset);
    m.put(field, value);
    if (field.equals("n_heads") && value instanceof Integer h && h >= 1 && h <= 64) {
      m.put("d_model", 2 * h); // a width it divides; an invalid h is reported before d_model
    }
    try {
      RunConfig.fromMap(m);
      return null;
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      return message.startsWith("Invalid " + field + ":") ? message : null;
    }
  }
}
