package org.phasemap.driver.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real-cluster resilience test: scripts/cluster-test starts a Spark standalone master and two
 * workers on 127.0.0.1, kills a worker and later the driver in the middle of sweeps (kill -9 of
 * real processes), and checks that both sweeps complete with every run exactly once. Runs after
 * {@code package}, against the shaded jar.
 */
class ClusterIT {

  @Test
  void sweepsSurviveALostWorkerAndALostDriver() throws Exception {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    Path dir = Path.of("target", "cluster-it").toAbsolutePath();
    Path log = Files.createDirectories(Path.of("target")).resolve("cluster-it.log");
    ProcessBuilder pb = new ProcessBuilder("bash", repo.resolve("scripts/cluster-test").toString());
    pb.environment().put("PHASEMAP_CLUSTER_DIR", dir.toString());
    pb.environment().put("PHASEMAP_CLUSTER_PORT", "7277");
    pb.environment().remove("SPARK_HOME");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    pb.directory(new File(repo.toString()));
    Process p = pb.start();
    boolean done = p.waitFor(20, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println(out);
    assertThat(done).as("cluster test finished in time").isTrue();
    assertThat(out)
        .contains("PASS sweep with a lost worker exits 0")
        .contains("PASS resume skipped")
        .contains("PASS the straggler's row was committed by its speculative copy")
        .contains("ALL PASSED")
        .doesNotContain("FAIL");
    assertThat(p.exitValue()).isZero();
  }
}
