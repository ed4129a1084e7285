package org.phasemap.worker;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where and with what a result was computed: code version and commit, library versions, ND4J's
 * backend build, Java, OS, CPU architecture and host. Results of floating-point training depend on
 * all of them (BLAS builds and CPU instruction sets round differently), so every result row carries
 * them.
 */
public final class Provenance {
  private static final Properties BUILD = load();

  private Provenance() {}

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = Provenance.class.getResourceAsStream("/phasemap-build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // provenance is best effort: the fields below fall back to "unknown"
    }
    return p;
  }

  private static String build(String key) {
    String v = BUILD.getProperty(key);
    return v == null || v.isBlank() || v.startsWith("${") ? "unknown" : v;
  }

  /** phasemap's version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String codeVersion() {
    return build("phasemap.version");
  }

  /** Abbreviated git commit of the build, with {@code -dirty} when the tree had changes. */
  public static String gitCommit() {
    String c = build("git.commit");
    return "true".equals(BUILD.getProperty("git.dirty")) ? c + "-dirty" : c;
  }

  /**
   * Provenance fields as column name to value. The ND4J backend line names the native build (BLAS
   * vendor, instruction set) in use.
   */
  public static Map<String, String> current() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("code_version", codeVersion());
    m.put("git_commit", gitCommit());
    m.put("nd4j_version", build("nd4j.version"));
    m.put("nd4j_backend", backend());
    m.put(
        "java_version",
        System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("arch", System.getProperty("os.arch"));
    m.put("host", host());
    return m;
  }

  private static String backend() {
    try {
      Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
      return Nd4j.getBackend().getClass().getSimpleName()
          + " blas="
          + env.getOrDefault("blas.vendor", "?")
          + " omp_threads="
          + env.getOrDefault("omp.threads", "?")
          + " "
          + Nd4j.getBackend().buildInfo().replace('\n', ' ').trim();
    } catch (RuntimeException e) {
      return "unknown (" + e.getClass().getSimpleName() + ")";
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Limits ND4J to one thread (OpenMP and BLAS) in this JVM: one task, one core. */
  public static void singleThreaded() {
    Nd4j.getEnvironment().setMaxThreads(1);
    Nd4j.getEnvironment().setMaxMasterThreads(1);
    Nd4j.factory().blas().setMaxThreads(1);
  }
}
