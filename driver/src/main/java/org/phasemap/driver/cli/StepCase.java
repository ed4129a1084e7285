package org.phasemap.driver.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.phasemap.worker.RunConfig;

/**
 * One case of {@code phasemap bench}: {@code preset:p:d_model:n_layers:activation}, the same text
 * {@code scripts/bench-pytorch} takes, so both measure the same models.
 */
record StepCase(String preset, int modulus, int dModel, int layers, String activation) {
  /** The cases of docs/PERFORMANCE.md's table. */
  static final String DEFAULTS =
      "nanda2023:113:128:1:relu,zhong2023:59:32:1:relu,zhong2023:59:64:1:relu,"
          + "zhong2023:59:128:1:relu,zhong2023:59:128:1:gelu,zhong2023:59:128:2:relu,zhong2023:59:128:2:gelu,"
          + "zhong2023:59:128:4:relu,zhong2023:59:128:4:gelu,zhong2023:59:256:1:relu,zhong2023:59:512:1:relu,"
          + "zhong2023:59:32:2:relu,zhong2023:59:512:4:gelu";

  /** Parses one case; the message names the part that is wrong and what is allowed. */
  static StepCase parse(String text) {
    String[] f = text.trim().split(":");
    if (f.length != 5) {
      throw new IllegalArgumentException(
          "Invalid --cases entry '"
              + text
              + "': expected preset:p:d_model:n_layers:activation, e.g. zhong2023:59:128:2:gelu");
    }
    int p = integer(text, "p", f[1]);
    int d = integer(text, "d_model", f[2]);
    int layers = integer(text, "n_layers", f[3]);
    if (d < 4 || d > 1024 || d % 4 != 0) {
      throw new IllegalArgumentException(
          "Invalid --cases entry '"
              + text
              + "': d_model "
              + d
              + " must be a multiple of 4 (the 4 heads) in [4, 1024]");
    }
    StepCase c = new StepCase(f[0], p, d, layers, f[4]);
    try {
      c.config(); // the run fields' own checks (preset, modulus, n_layers, activation) and messages
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid --cases entry '" + text + "': " + e.getMessage());
    }
    return c;
  }

  private static int integer(String text, String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Invalid --cases entry '" + text + "': " + name + " '" + value + "' is not an integer");
    }
  }

  /** The run configuration of this case (the preset's defaults otherwise; d_mlp = 4 d_model). */
  RunConfig config() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", preset);
    m.put("modulus", modulus);
    m.put("d_model", dModel);
    m.put("d_mlp", 4 * dModel);
    m.put("n_layers", layers);
    m.put("activation", activation);
    m.put("steps", 1000);
    m.put("log_interval", 1000);
    return RunConfig.fromMap(m);
  }

  @Override
  public String toString() {
    return preset + " p=" + modulus + " d=" + dModel + " L=" + layers + " " + activation;
  }
}
