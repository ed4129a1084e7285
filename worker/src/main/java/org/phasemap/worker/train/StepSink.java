package org.phasemap.worker.train;

/** Receives each logged step of a run, in step order. Implementations decide where rows go. */
@FunctionalInterface
public interface StepSink {
  void accept(StepRecord record) throws java.io.IOException;
}
