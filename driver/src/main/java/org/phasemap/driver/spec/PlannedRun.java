package org.phasemap.driver.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.phasemap.worker.RunConfig;

/**
 * One run of a sweep, as planned by {@link SweepPlanner}: its position, its configuration and the
 * grid and random point it came from.
 *
 * @param index position in the sweep's deterministic run order, from 0
 * @param config the run's full configuration
 * @param runId the run's identity, {@code config.runId()}, computed once
 * @param point the value of each axis for this run, grid axes then random axes, in spec order;
 *     empty for a sweep without axes; unmodifiable
 */
public record PlannedRun(int index, RunConfig config, String runId, Map<String, Object> point)
    implements java.io.Serializable {

  /** Checks the arguments and copies the point. */
  public PlannedRun {
    if (index < 0) {
      throw new IllegalArgumentException("Cannot plan run: index must be >= 0 (got " + index + ")");
    }
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(runId, "runId");
    point =
        Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(point, "point")));
  }

  /** A planned run whose id is computed from its configuration. */
  public PlannedRun(int index, RunConfig config, Map<String, Object> point) {
    this(index, config, config.runId(), point);
  }
}
