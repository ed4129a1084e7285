package org.phasemap.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * A folder that pictures, tables and pages are written to: a local path (written with {@code
 * java.nio}, so no Hadoop {@code .crc} files appear beside the pictures) or any Hadoop file system
 * URI ({@code hdfs://}, {@code s3a://}), so the default {@code ROOT/_maps} works for a root on a
 * cluster too. Each file is written whole, replacing an older one.
 */
public final class OutputDir {
  private final String dir;
  private final Configuration hadoop;

  private OutputDir(String dir, Configuration hadoop) {
    this.dir = dir.endsWith("/") && dir.length() > 1 ? dir.substring(0, dir.length() - 1) : dir;
    this.hadoop = hadoop;
  }

  /** The folder {@code dir}; {@code hadoop} resolves non-local URIs. */
  public static OutputDir of(String dir, Configuration hadoop) {
    return new OutputDir(dir, hadoop);
  }

  /**
   * The default output folder of a results root: {@code ROOT/_maps} (invisible to Spark's reader).
   */
  public static String defaultFor(String root) {
    return (root.endsWith("/") ? root : root + "/") + "_maps";
  }

  /** The folder that holds the file {@code file} ({@code "."} for a bare name). */
  public static OutputDir parentOf(String file, Configuration hadoop) {
    int slash = file.lastIndexOf('/');
    return of(slash < 0 ? "." : slash == 0 ? "/" : file.substring(0, slash), hadoop);
  }

  /** The last path segment of {@code file}: its name inside {@link #parentOf}. */
  public static String fileName(String file) {
    return file.substring(file.lastIndexOf('/') + 1);
  }

  /** The folder as given. */
  public String path() {
    return dir;
  }

  /** Writes {@code bytes} to {@code dir/name} and returns that path. */
  public String write(String name, byte[] bytes) {
    if (name.contains("/") || name.isEmpty() || name.startsWith(".")) {
      throw new IllegalArgumentException(
          "Cannot write output: a file name is one path segment not starting with '.' (got "
              + name
              + ")");
    }
    String target = dir + "/" + name;
    try {
      Path local = localPath();
      if (local != null) {
        Files.createDirectories(local);
        Path file = local.resolve(name);
        Files.write(file, bytes);
        return file.toString();
      }
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(target);
      FileSystem fs = p.getFileSystem(hadoop);
      try (OutputStream out = fs.create(p, true)) {
        out.write(bytes);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /** The folder as a local path, or null when it names another file system. */
  private Path localPath() {
    URI uri = new org.apache.hadoop.fs.Path(dir).toUri();
    if (uri.getScheme() == null) {
      return Path.of(dir);
    }
    return "file".equals(uri.getScheme()) ? Path.of(uri.getPath()) : null;
  }
}
