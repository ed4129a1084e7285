package org.phasemap.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class NativeMemoryTests {
  @AfterEach
  void clear() {
    System.clearProperty("phasemap.nativeGcAboveMb");
    System.clearProperty("phasemap.nativeGcMinSeconds");
  }

  @Test
  void limitComesFromTheSystemPropertyWithA1GbDefault() {
    assertThat(NativeMemory.limitBytes()).isEqualTo(1024L << 20);
    System.setProperty("phasemap.nativeGcAboveMb", "300");
    assertThat(NativeMemory.limitBytes()).isEqualTo(300L << 20);
    System.setProperty("phasemap.nativeGcAboveMb", "-1");
    assertThat(NativeMemory.limitBytes()).isNegative();
  }

  @Test
  void collectsOnlyAboveTheLimitAndNeverWhenDisabled() {
    Nd4j.create(DataType.FLOAT, 256, 256).addi(1); // ND4J loaded: the process holds native memory
    assertThat(NativeMemory.residentBytes()).isPositive();
    System.setProperty("phasemap.nativeGcAboveMb", "0");
    System.setProperty("phasemap.nativeGcMinSeconds", "0");
    assertThat(NativeMemory.release()).isTrue();
    System.setProperty("phasemap.nativeGcMinSeconds", "3600");
    assertThat(NativeMemory.release()).as("collected less than an hour ago").isFalse();
    System.setProperty("phasemap.nativeGcMinSeconds", "0");
    System.setProperty("phasemap.nativeGcAboveMb", "-1");
    assertThat(NativeMemory.release()).isFalse();
    System.setProperty("phasemap.nativeGcAboveMb", String.valueOf(Long.MAX_VALUE >> 21));
    assertThat(NativeMemory.release()).isFalse();
  }
}
