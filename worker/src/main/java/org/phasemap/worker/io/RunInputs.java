package org.phasemap.worker.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.data.ModularAddition;
import org.phasemap.worker.model.Parameters;

/**
 * A run's inputs given as files rather than drawn from seeds: initial weights ({@code
 * init_weights}, a model folder or .npz in the docs/IMPORT.md layout) and a train/test split
 * ({@code split}, a folder with {@code train_rows.npy} and {@code test_rows.npy}, int32 or int64
 * row indices a * p + b).
 *
 * <p>When a sweep is planned, each such field is <em>resolved</em> to {@code
 * ABSOLUTE_PATH@sha256:HEX}: the content hash of the files enters the run id (and only the hash:
 * the same files in another folder give the same id), so resume and exactly-once hold. The task
 * that trains the run checks the files still have that content before it uses them.
 */
public final class RunInputs {
  /** The fields holding a file reference. */
  public static final List<String> FILE_FIELDS = List.of("init_weights", "split");

  /** Allowed text of a resolved file field, for messages. */
  public static final String RESOLVED = "PATH@sha256:HEX, as the planner records a file";

  private static final Pattern RESOLVED_FORM = Pattern.compile("(.+)@(sha256:[0-9a-f]{64})");
  private static final List<String> SPLIT_FILES = List.of("test_rows.npy", "train_rows.npy");

  private RunInputs() {}

  /** True for "" (no file) and for a resolved reference. */
  public static boolean isValid(String value) {
    return value.isEmpty() || RESOLVED_FORM.matcher(value).matches();
  }

  /** The part of a resolved reference that identifies the run: {@code sha256:HEX}. */
  public static String identity(String value) {
    Matcher m = RESOLVED_FORM.matcher(value);
    return m.matches() ? m.group(2) : value;
  }

  /** The path of a resolved reference. */
  public static Path path(String value) {
    Matcher m = RESOLVED_FORM.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "Not a resolved file reference: " + value + " (allowed: " + RESOLVED + ")");
    }
    return Path.of(m.group(1));
  }

  /**
   * Resolves a file field's value as written in a spec: a path, relative to {@code base} unless
   * absolute, checked to hold what the field needs, and returned as {@code ABSOLUTE@sha256:HEX}. A
   * value that is already resolved is checked against its hash.
   *
   * @throws IllegalArgumentException naming the field, the path and what is wrong
   */
  public static String resolve(String field, String value, Path base) {
    if (value.isEmpty()) {
      return value;
    }
    Matcher m = RESOLVED_FORM.matcher(value);
    Path p = m.matches() ? Path.of(m.group(1)) : Path.of(value);
    Path abs = (p.isAbsolute() ? p : base.resolve(p)).toAbsolutePath().normalize();
    String hash = contentHash(field, abs);
    if (m.matches() && !m.group(2).equals(hash)) {
      throw new IllegalArgumentException(
          "Invalid "
              + field
              + ": "
              + abs
              + " has changed since it was recorded ("
              + hash
              + ", recorded "
              + m.group(2)
              + ")");
    }
    if (field.equals("init_weights")) {
      try {
        ModelFiles.loadAny(abs); // readable, and a complete model of the documented layout
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException("Invalid init_weights: " + e.getMessage(), e);
      }
    }
    return abs + "@" + hash;
  }

  /**
   * SHA-256 over the files a field uses, each as its name and content: every file of a model folder
   * (or the .npz's bytes), or the split's two row files.
   */
  static String contentHash(String field, Path path) {
    List<Path> files = new ArrayList<>();
    if (field.equals("split")) {
      if (!Files.isDirectory(path)) {
        throw new IllegalArgumentException(
            "Invalid split: "
                + path
                + " is not a folder (allowed: a folder holding train_rows.npy and test_rows.npy)");
      }
      for (String f : SPLIT_FILES) {
        Path file = path.resolve(f);
        if (!Files.isRegularFile(file)) {
          throw new IllegalArgumentException(
              "Invalid split: "
                  + path
                  + " has no "
                  + f
                  + " (allowed: a folder holding train_rows.npy and test_rows.npy)");
        }
        files.add(file);
      }
    } else if (Files.isDirectory(path)) {
      try (Stream<Path> s = Files.list(path)) {
        s.filter(Files::isRegularFile).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "Invalid " + field + ": cannot list " + path + ": " + e.getMessage(), e);
      }
    } else if (Files.isRegularFile(path)) {
      files.add(path);
    } else {
      throw new IllegalArgumentException(
          "Invalid "
              + field
              + ": "
              + path
              + " does not exist (allowed: a model folder or .npz file in the docs/IMPORT.md layout)");
    }
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (Path f : files) {
        md.update(f.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        md.update((byte) 0);
        try (InputStream in = Files.newInputStream(f)) {
          for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
          }
        }
      }
      return "sha256:" + HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Invalid " + field + ": cannot read " + path + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** Checks that a resolved reference still has its recorded content; returns its path. */
  private static Path verified(String field, String value) {
    Path p = path(value);
    String hash = contentHash(field, p);
    if (!hash.equals(identity(value))) {
      throw new IllegalArgumentException(
          "Cannot use "
              + field
              + " "
              + p
              + ": its content changed since the run was"
              + " planned ("
              + hash
              + ", planned "
              + identity(value)
              + "); plan the sweep again to train from the new files");
    }
    return p;
  }

  /** The run's initial weights: from {@code init_weights} when set, else drawn from init_seed. */
  public static Parameters initialWeights(RunConfig c) throws IOException {
    if (c.initWeights().isEmpty()) {
      return Parameters.initialise(c);
    }
    Path p = verified("init_weights", c.initWeights());
    ModelFiles.Loaded loaded = ModelFiles.loadAny(p);
    Map<String, long[]> expected = ModelFiles.expectedShapes(c);
    Map<String, INDArray> given = loaded.parameters().asMap();
    if (!given.keySet().equals(expected.keySet())) {
      throw new IllegalArgumentException(
          "Cannot use init_weights "
              + p
              + " for this run: it holds tensors "
              + given.keySet()
              + ", the run's model needs "
              + expected.keySet());
    }
    DataType dt = Parameters.dataType(c);
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      INDArray a = given.get(e.getKey());
      if (!java.util.Arrays.equals(a.shape(), e.getValue())) {
        throw new IllegalArgumentException(
            "Cannot use init_weights "
                + p
                + " for this run: "
                + e.getKey()
                + " has shape "
                + java.util.Arrays.toString(a.shape())
                + ", the run's model needs "
                + java.util.Arrays.toString(e.getValue()));
      }
      out.put(e.getKey(), a.castTo(dt).dup('c'));
    }
    return Parameters.of(out);
  }

  /** The run's split: from {@code split} when set, else drawn from data_seed. */
  public static ModularAddition split(RunConfig c) throws IOException {
    if (c.split().isEmpty()) {
      return ModularAddition.of(c);
    }
    Path p = verified("split", c.split());
    int[] train = Npy.read(p.resolve("train_rows.npy")).toIntVector();
    int[] test = Npy.read(p.resolve("test_rows.npy")).toIntVector();
    if (train.length != c.trainSize()) {
      throw new IllegalArgumentException(
          "Cannot use split "
              + p
              + " for this run: it has "
              + train.length
              + " training rows, and train_fraction "
              + c.trainFraction()
              + " of "
              + c.modulus()
              + "^2 pairs gives "
              + c.trainSize()
              + "; set train_fraction so that floor(train_fraction * p^2) = "
              + train.length);
    }
    return ModularAddition.ofRows(c.modulus(), c.equalsToken(), train, test, p.toString());
  }
}
