package org.phasemap.driver.output;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Objects;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Moves a finished staging file onto its final, deterministic name, replacing an earlier version.
 *
 * <p>This is what makes task retries, speculative attempts and resumed sweeps write each run's rows
 * exactly once: every attempt writes its own staging file (see {@link #stagingPath}), and only a
 * complete file is ever renamed onto the final name, where it replaces whatever an earlier attempt
 * left. Readers therefore see either the old file or the new one, never both and never a partial
 * one.
 *
 * <p>Filesystems differ when the target exists: POSIX-style ones (the local filesystem) replace it
 * in one rename, HDFS refuses. On a refusal the old target is first renamed aside into the staging
 * file's folder (hidden from Spark), then the staging file is renamed onto the target, then the old
 * copy is deleted; if the second rename fails the old copy is renamed back, so a failed commit
 * never loses the previous target. Between the two renames the target is briefly absent, which a
 * reader sees as a missing run, never as a duplicate one.
 */
public final class FileCommit {

  /** Name of the folder, inside a table folder, that holds files not yet committed. */
  public static final String STAGING_DIR = "_staging";

  private FileCommit() {}

  /**
   * A fresh staging path for a file that will be committed as {@code <tableDir>/<fileName>}: {@code
   * <tableDir>/_staging/<fileName>.<random UUID>.tmp}.
   *
   * <p>The random part makes every attempt's path unique, so concurrent attempts never write the
   * same file. Spark's Parquet reader skips folders whose name starts with {@code _}, so staging
   * files are never read as table data, even when left behind by a failed attempt.
   *
   * @param tableDir folder the file will be committed into
   * @param fileName final file name, without any folder
   */
  public static Path stagingPath(Path tableDir, String fileName) {
    Objects.requireNonNull(tableDir, "tableDir");
    if (fileName == null || fileName.isEmpty() || fileName.contains(Path.SEPARATOR)) {
      throw new IllegalArgumentException(
          "Cannot create staging path: file name must be non-empty and contain no '/' (got "
              + (fileName == null ? "null" : "'" + fileName + "'")
              + ")");
    }
    return new Path(new Path(tableDir, STAGING_DIR), fileName + "." + UUID.randomUUID() + ".tmp");
  }

  /**
   * Makes {@code target} hold the content of {@code staging}, replacing an existing target, and
   * removes {@code staging}.
   *
   * <p>On success exactly one file remains, at {@code target}. On failure {@code target} holds its
   * previous content (or is absent if it was absent) and {@code staging} is kept, so the commit can
   * be retried.
   *
   * @param fs the filesystem of both paths
   * @param staging a complete, closed file
   * @param target the final path; its parent folder is created if needed
   * @throws FileNotFoundException if {@code staging} does not exist
   * @throws IOException if {@code target} is a folder, or a rename fails
   */
  public static void commit(FileSystem fs, Path staging, Path target) throws IOException {
    Objects.requireNonNull(fs, "fs");
    Objects.requireNonNull(staging, "staging");
    Objects.requireNonNull(target, "target");
    FileStatus stagingStatus = status(fs, staging);
    if (stagingStatus == null || !stagingStatus.isFile()) {
      throw new FileNotFoundException(
          describe(staging, target) + ": staging file does not exist (got " + staging + ")");
    }
    FileStatus existing = status(fs, target);
    if (existing != null && existing.isDirectory()) {
      throw new IOException(
          describe(staging, target) + ": target is a directory (got " + target + ")");
    }
    Path parent = target.getParent();
    if (parent != null && existing == null && !fs.mkdirs(parent)) {
      throw new IOException(
          describe(staging, target) + ": cannot create target folder (got " + parent + ")");
    }
    if (fs.rename(staging, target)) {
      return;
    }
    if (!fs.exists(target)) {
      throw new IOException(describe(staging, target) + ": rename failed (got false)");
    }
    replace(fs, staging, target);
  }

  /**
   * Deletes the staging files under {@code <tableDir>/_staging} last modified before {@code
   * beforeMs}: files of attempts that were killed before they committed. Call it only when no
   * attempt of this table can still be running from before that time (a sweep calls it at its end,
   * with its own start time). Returns how many were deleted.
   */
  public static int removeStale(FileSystem fs, Path tableDir, long beforeMs) throws IOException {
    Path staging = new Path(tableDir, STAGING_DIR);
    if (!fs.exists(staging)) {
      return 0;
    }
    int removed = 0;
    for (FileStatus f : fs.listStatus(staging)) {
      if (f.isFile()
          && f.getModificationTime() < beforeMs
          && f.getPath().getName().endsWith(".tmp")
          && fs.delete(f.getPath(), false)) {
        removed++;
      }
    }
    return removed;
  }

  /** The HDFS path: the filesystem refused to rename onto an existing target. */
  private static void replace(FileSystem fs, Path staging, Path target) throws IOException {
    Path previous =
        new Path(staging.getParent(), target.getName() + "." + UUID.randomUUID() + ".replaced");
    if (!fs.rename(target, previous)) {
      throw new IOException(
          describe(staging, target)
              + ": cannot move the existing target aside (got false renaming it to "
              + previous
              + ")");
    }
    if (!fs.rename(staging, target)) {
      if (fs.rename(previous, target)) {
        throw new IOException(
            describe(staging, target)
                + ": rename failed after moving the existing target aside; it was restored (got"
                + " false)");
      }
      throw new IOException(
          describe(staging, target)
              + ": rename failed and the previous target could not be restored; it is kept at "
              + previous
              + " (got false)");
    }
    // Best effort: a leftover copy sits in the staging folder, which readers skip.
    fs.delete(previous, false);
  }

  private static FileStatus status(FileSystem fs, Path path) throws IOException {
    try {
      return fs.getFileStatus(path);
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  private static String describe(Path staging, Path target) {
    return "Cannot commit " + staging + " to " + target;
  }
}
