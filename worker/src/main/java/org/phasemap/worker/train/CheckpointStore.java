package org.phasemap.worker.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.phasemap.worker.io.Npz;
import org.phasemap.worker.model.Parameters;

/**
 * The weights of a run's checkpoints, kept for the post-pass. Copies stay in memory up to a budget
 * (default 256 MB, system property {@code phasemap.checkpointMemoryMb}); past it, checkpoints are
 * written to a temporary folder on local disk as .npz files and read back when asked for, so a
 * task's memory stays bounded whatever the run length. {@link #close()} deletes the files.
 */
final class CheckpointStore implements AutoCloseable {
  private final long budgetBytes;
  private final Map<Integer, Map<String, INDArray>> inMemory = new LinkedHashMap<>();
  private final Map<Integer, Path> onDisk = new LinkedHashMap<>();
  private long bytesInMemory;
  private Path dir;

  CheckpointStore(long budgetBytes) {
    this.budgetBytes = budgetBytes;
  }

  /** The budget from {@code phasemap.checkpointMemoryMb}, 256 MB by default. */
  static CheckpointStore withDefaultBudget() {
    long mb = Long.getLong("phasemap.checkpointMemoryMb", 256L);
    return new CheckpointStore(mb * 1024 * 1024);
  }

  /** Keeps a copy of the current weights as the checkpoint of {@code step}. */
  void put(int step, Parameters parameters) {
    long bytes = 0;
    for (INDArray a : parameters.asMap().values()) {
      bytes += a.length() * a.dataType().width();
    }
    if (bytesInMemory + bytes <= budgetBytes) {
      inMemory.put(step, parameters.copy().asMap());
      bytesInMemory += bytes;
      return;
    }
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("phasemap-checkpoints");
      }
      Path file = dir.resolve("step-" + step + ".npz");
      Npz.write(parameters.asMap(), file);
      onDisk.put(step, file);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot spill checkpoint of step " + step + " to local disk", e);
    }
  }

  /** The weights of checkpoint {@code step}. */
  Map<String, INDArray> get(int step) {
    Map<String, INDArray> m = inMemory.get(step);
    if (m != null) {
      return m;
    }
    Path file = onDisk.get(step);
    if (file == null) {
      throw new IllegalArgumentException("No checkpoint was kept for step " + step);
    }
    try {
      return Npz.read(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read spilled checkpoint " + file, e);
    }
  }

  /** Checkpoints written to disk so far. */
  int spilled() {
    return onDisk.size();
  }

  @Override
  public void close() {
    inMemory.clear();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // best effort: the folder is in the system's temporary directory
      }
    }
  }
}
