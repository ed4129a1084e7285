package org.phasemap.driver.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Training steps done so far, counting runs still in progress. Tasks add every step to a {@link
 * LongAccumulator}; Spark ships the running tasks' partial values with every executor heartbeat
 * (every {@code spark.executor.heartbeatInterval}, 10 s by default) and each finished task's final
 * value with its end event. This listener keeps both from the events alone, in the order the
 * listener bus delivers them, so the count never goes back: a task's partial value is replaced by
 * its final one in the same event (the driver's merged accumulator is updated before the end event
 * arrives, and adding the two would count a run twice for a moment), a heartbeat that arrives after
 * its task ended is ignored, and a failed attempt's steps are dropped (its retry starts over).
 */
final class StepProgress extends SparkListener {
  private final long accumulatorId;
  private final Map<Long, Long> running = new ConcurrentHashMap<>();
  private final AtomicLong finished = new AtomicLong();

  StepProgress(LongAccumulator steps) {
    this.accumulatorId = steps.id();
  }

  @Override
  public void onTaskStart(SparkListenerTaskStart start) {
    running.put(start.taskInfo().taskId(), 0L);
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> t :
        CollectionConverters.asJava(update.accumUpdates())) {
      long taskId = (Long) t._1();
      Long value = stepsOf(t._4());
      if (value != null) { // only tasks that started and have not ended
        running.computeIfPresent(taskId, (id, old) -> Math.max(old, value));
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    Long partial = running.remove(end.taskInfo().taskId());
    if (end.taskInfo().successful()) {
      Long total = stepsOf(end.taskInfo().accumulables());
      finished.addAndGet(total != null ? total : partial == null ? 0 : partial);
    }
  }

  /** This accumulator's value among a task's accumulator updates, or null. */
  private Long stepsOf(scala.collection.Seq<AccumulableInfo> infos) {
    for (AccumulableInfo info : CollectionConverters.asJava(infos)) {
      if (info.id() == accumulatorId && info.update().isDefined()) {
        Object v = info.update().get();
        if (v instanceof Long l) {
          return l;
        }
      }
    }
    return null;
  }

  /** Steps of finished tasks plus the last reported steps of running ones. */
  long done() {
    long sum = finished.get();
    for (long v : running.values()) {
      sum += v;
    }
    return sum;
  }
}
