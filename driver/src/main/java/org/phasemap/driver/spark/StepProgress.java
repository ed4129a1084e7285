package org.phasemap.driver.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Training steps done so far, counting runs still in progress. Tasks add every step to a {@link
 * LongAccumulator}; Spark merges it into the driver's value only when a task ends, but it ships the
 * running tasks' partial values with every executor heartbeat (every {@code
 * spark.executor.heartbeatInterval}, 10 s by default). This listener keeps the latest partial value
 * per running task, so long runs show progress before they finish.
 */
final class StepProgress extends SparkListener {
  private final LongAccumulator steps;
  private final Map<Long, Long> running = new ConcurrentHashMap<>();

  StepProgress(LongAccumulator steps) {
    this.steps = steps;
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> t :
        CollectionConverters.asJava(update.accumUpdates())) {
      long taskId = (Long) t._1();
      for (AccumulableInfo info : CollectionConverters.asJava(t._4())) {
        if (info.id() == steps.id() && info.update().isDefined()) {
          Object v = info.update().get();
          if (v instanceof Long l) {
            running.put(taskId, l);
          }
        }
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    running.remove(end.taskInfo().taskId());
  }

  /** Steps of finished tasks (merged) plus the last reported steps of running ones. */
  long done() {
    long sum = steps.value();
    for (long v : running.values()) {
      sum += v;
    }
    return sum;
  }
}
