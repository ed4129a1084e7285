package org.phasemap.worker.train;

/**
 * How a run ended and its final measures.
 *
 * @param status how the run ended
 * @param error the error text for {@code failed} and {@code diverged}, else null
 * @param stepsCompleted optimiser updates applied
 * @param divergedStep the step whose loss was not finite, or -1
 * @param finalStep the last logged step (its measures are the final ones)
 * @param last the measures at {@code finalStep}, or null when none were taken
 * @param labelSinceStep the earliest checkpoint step from which every checkpoint carries the final
 *     label (when the run "became" what it ended as), or -1
 * @param trainSeconds wall time spent in the training loop (measures included)
 * @param stepSeconds wall time spent in forward/backward/update only
 * @param analysisSeconds wall time spent in measures at checkpoints and the post-pass
 * @param stepImpl the model function that trained the run ({@code exact-one-layer}, {@code
 *     exact-multi-layer} or {@code reference-samediff})
 */
public record RunOutcome(
    RunStatus status,
    String error,
    int stepsCompleted,
    int divergedStep,
    int finalStep,
    StepRecord last,
    int labelSinceStep,
    double trainSeconds,
    double stepSeconds,
    double analysisSeconds,
    String stepImpl) {

  /** Shorthands for the {@link RunStatus} values. */
  public static final RunStatus OK = RunStatus.OK;

  public static final RunStatus DIVERGED = RunStatus.DIVERGED;
  public static final RunStatus FAILED = RunStatus.FAILED;

  /** An outcome for a run that threw before or during training. */
  public static RunOutcome failed(Throwable t, double seconds) {
    return new RunOutcome(FAILED, describe(t), 0, -1, -1, null, -1, seconds, 0, 0, null);
  }

  /** "Class: message" of a throwable and its causes, bounded in length. */
  public static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null && sb.length() < 2000; c = c.getCause()) {
      if (sb.length() > 0) {
        sb.append(" <- caused by ");
      }
      sb.append(c.getClass().getName()).append(": ").append(c.getMessage());
    }
    return sb.length() > 2000 ? sb.substring(0, 2000) : sb.toString();
  }
}
