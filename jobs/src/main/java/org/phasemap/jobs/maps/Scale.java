package org.phasemap.jobs.maps;

import org.phasemap.jobs.plot.GridAxes;

/** How an axis of a map is scaled. */
public enum Scale {
  /** Logarithmic when the values are log-spaced ({@link GridAxes#isLogSpaced}), else linear. */
  AUTO,
  LINEAR,
  /** Logarithmic; every value must be positive. */
  LOG;

  /** True when an axis over {@code values} is drawn logarithmic. */
  public boolean isLog(double[] values, String column) {
    return switch (this) {
      case AUTO -> GridAxes.isLogSpaced(values);
      case LINEAR -> false;
      case LOG -> {
        for (double v : values) {
          if (!(v > 0)) {
            throw new IllegalArgumentException(
                "Cannot draw " + column + " on a log axis: it has values <= 0 (got " + v + ")");
          }
        }
        yield true;
      }
    };
  }
}
