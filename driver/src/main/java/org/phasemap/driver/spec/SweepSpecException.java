package org.phasemap.driver.spec;

/**
 * A sweep spec that cannot be read, parsed or used. The message names the spec's source (a file
 * path, or the name it was given) and then the problem, prefixed with the place in the spec it
 * concerns, for example {@code Invalid sweep spec demo.yaml: grid.attention_rate[2]: Invalid
 * attention_rate: 1.5 (allowed: number in [0, 1])}.
 *
 * <p>The message starts with {@code Invalid sweep spec <source>: } for a spec that is well-formed
 * YAML but not a valid sweep, {@code Cannot parse sweep spec <source>: } for a YAML syntax error
 * and {@code Cannot read sweep spec <path>: } for a file that cannot be read.
 */
public final class SweepSpecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String problem;

  private SweepSpecException(String what, String source, String problem, Throwable cause) {
    super(what + " " + source + ": " + problem, cause);
    this.source = source;
    this.problem = problem;
  }

  /** A spec that is valid YAML but not a valid sweep. */
  static SweepSpecException invalid(String source, String problem) {
    return new SweepSpecException("Invalid sweep spec", source, problem, null);
  }

  /** A spec whose YAML does not parse. */
  static SweepSpecException unparsable(String source, String problem, Throwable cause) {
    return new SweepSpecException("Cannot parse sweep spec", source, problem, cause);
  }

  /** A spec file that cannot be read. */
  static SweepSpecException unreadable(String source, String problem, Throwable cause) {
    return new SweepSpecException("Cannot read sweep spec", source, problem, cause);
  }

  /** Where the spec came from: a file path or the source name given to the parser. */
  public String source() {
    return source;
  }

  /** The problem alone, without the leading "Invalid sweep spec &lt;source&gt;: ". */
  public String problem() {
    return problem;
  }
}
