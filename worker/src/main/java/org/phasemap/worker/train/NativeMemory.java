package org.phasemap.worker.train;

import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.Pointer;

/**
 * Keeps a task's native memory bounded.
 *
 * <p>ND4J keeps array data in native memory and frees it only when the garbage collector reclaims
 * the Java object that owns it. Those objects are small, so the Java heap feels no pressure and an
 * old-generation collection may not come for a long time, while the native memory behind the
 * garbage piles up: measured on two zhong2023 runs at once, the process grew by about 1 GB a minute
 * (docs/CLUSTER.md). The analysis at checkpoints allocates most of it (the SameDiff gradient of
 * gradient symmetricity, the Fourier projections), so the trainer calls {@link #release} after each
 * checkpoint and after each run: when the process's resident memory is above the limit, it runs a
 * full collection, which lets ND4J's deallocator free the arrays.
 *
 * <p>The limit is the system property {@code phasemap.nativeGcAboveMb} (default 1024). 0 collects
 * after every checkpoint; a negative value never does. A process collects at most once every {@code
 * phasemap.nativeGcMinSeconds} (default 10): an executor training many runs at once would otherwise
 * collect, and pause every task, once per checkpoint of each.
 */
public final class NativeMemory {
  private static final long MB = 1L << 20;
  private static final AtomicLong LAST_GC_NANOS = new AtomicLong(System.nanoTime() - (1L << 40));

  private NativeMemory() {}

  /** The resident-memory limit in bytes above which {@link #release} collects; negative: never. */
  public static long limitBytes() {
    long mb = Long.getLong("phasemap.nativeGcAboveMb", 1024L);
    return mb < 0 ? -1 : mb * MB;
  }

  /** Resident memory of this process in bytes (heap, native buffers, code). */
  public static long residentBytes() {
    return Pointer.physicalBytes();
  }

  /**
   * Runs a full garbage collection if the process's resident memory is above {@link #limitBytes}
   * and the process has not collected here in the last {@code phasemap.nativeGcMinSeconds}. Returns
   * true if it collected.
   */
  public static boolean release() {
    long limit = limitBytes();
    if (limit < 0 || residentBytes() <= limit) {
      return false;
    }
    long last = LAST_GC_NANOS.get();
    long now = System.nanoTime();
    long gap =
        (long) (Double.parseDouble(System.getProperty("phasemap.nativeGcMinSeconds", "10")) * 1e9);
    if (now - last < gap || !LAST_GC_NANOS.compareAndSet(last, now)) {
      return false; // collected recently, or another task is collecting now
    }
    System.gc();
    return true;
  }
}
