package org.phasemap.driver.cli;

/** The check every command that takes {@code --run RUN_ID} makes before it starts Spark. */
final class RunIds {
  private RunIds() {}

  /**
   * Throws unless {@code runId} has the form of a run id (16 lowercase hex digits).
   *
   * @param what the command's action, as its messages start: "Cannot replay run", ...
   */
  static void require(String runId, String what) {
    if (!runId.matches("[0-9a-f]{16}")) {
      throw new IllegalArgumentException(
          what
              + ": a run id is 16 lowercase hex digits, as in the runs table's run_id (got "
              + runId
              + ")");
    }
  }
}
