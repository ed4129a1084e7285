package org.phasemap.worker.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a run ended; {@link #value()} is what the {@code runs} table's {@code status} column holds.
 */
public enum RunStatus {
  /** Trained every step (or stopped early by nothing). */
  OK,
  /** Stopped by the divergence rule: a non-finite loss, or a loss above 10·ln p for 10 steps. */
  DIVERGED,
  /** An error stopped it; the {@code error} column says which. */
  FAILED;

  /** The stored value: the lower-case name, e.g. {@code "diverged"}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status whose {@link #value()} is {@code value}. */
  public static RunStatus fromValue(String value) {
    for (RunStatus s : values()) {
      if (s.value().equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "Unknown run status: "
            + value
            + " (allowed: "
            + Arrays.stream(values()).map(RunStatus::value).collect(Collectors.joining(" | "))
            + ")");
  }

  @Override
  public String toString() {
    return value();
  }
}
