package org.phasemap.worker.io;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.model.Parameters;

/**
 * A model on disk: one {@code <tensor name>.npy} per parameter tensor plus {@code config.json}, in
 * a directory or in one {@code .npz} archive. This is how phasemap hands a trained model to Python
 * and how a model trained elsewhere (PyTorch, TransformerLens) gets measured and classified by the
 * same code as phasemap's own runs (SCIENCE.md section 4 item 7). docs/IMPORT.md describes the
 * format for users.
 *
 * <p>Tensor files are named by their TransformerLens key ({@code blocks.0.attn.W_Q.npy}) and hold
 * the tensor in TransformerLens layout, as listed by {@link #expectedShapes(RunConfig)}. {@code
 * config.json} is one flat JSON object holding every {@link RunConfig} field by its snake_case
 * name, plus {@code "format": "phasemap-model-v1"} and {@code "run_id"}.
 *
 * <p>Loading is strict where a mistake would silently change the function being measured, and
 * lenient where it cannot:
 *
 * <ul>
 *   <li>config.json: unknown keys are errors (a typo must not fall back to a default); missing keys
 *       take the defaults of the file's {@code preset} through {@link RunConfig#fromMap} (and
 *       {@code preset} itself defaults to {@code nanda2023}), so a hand-written config needs only
 *       the fields that differ. {@code run_id} is informational: the loaded model's id is that of
 *       its config.
 *   <li>Every tensor the config requires must be present with exactly the expected shape; the
 *       message names the tensor, the expected and the found shape, and hints at a transposed
 *       layout or an extra '=' column.
 *   <li>float32 and float64 files are both accepted and converted to the config's {@code precision}
 *       (float64 → float32 rounds).
 *   <li>Other {@code .npy} files are not read and are listed in {@link Loaded#ignoredFiles()},
 *       except TransformerLens tensors phasemap's model does not have: attention and unembedding
 *       biases must be all zero (the TransformerLens grokking demo freezes them at zero), and
 *       LayerNorm weights are an error.
 * </ul>
 */
public final class ModelFiles {
  /** Value of config.json's {@code format} key. */
  public static final String FORMAT = "phasemap-model-v1";

  /** Name of the configuration file (or archive entry). */
  public static final String CONFIG_FILE = "config.json";

  private static final String NPY = ".npy";

  /** TransformerLens biases phasemap's model lacks: harmless only when all zero. */
  private static final Pattern ZERO_ONLY =
      Pattern.compile("blocks\\.\\d+\\.attn\\.b_[QKVO]|unembed\\.b_U");

  /** TransformerLens LayerNorm parameters: a different model. */
  private static final Pattern LAYER_NORM =
      Pattern.compile("(blocks\\.\\d+\\.)?ln(1|2|_final)\\.[wb]");

  private ModelFiles() {}

  /**
   * A loaded model.
   *
   * @param config the configuration from config.json
   * @param parameters the tensors, in the config's precision and in canonical order
   * @param ignoredFiles {@code .npy} files that were present but are not part of the model, sorted
   */
  public record Loaded(RunConfig config, Parameters parameters, List<String> ignoredFiles) {
    public Loaded {
      ignoredFiles = List.copyOf(ignoredFiles);
    }
  }

  /** Expected shape and its meaning, e.g. [113, 128] as "[d_vocab, d_model]". */
  private record TensorSpec(long[] shape, String layout) {}

  /**
   * Every tensor of {@code config}'s model in canonical order (that of {@link
   * Parameters#initialise}), with its shape in TransformerLens layout.
   */
  public static Map<String, long[]> expectedShapes(RunConfig config) {
    Map<String, long[]> m = new LinkedHashMap<>();
    specs(config).forEach((k, v) -> m.put(k, v.shape().clone()));
    return m;
  }

  private static Map<String, TensorSpec> specs(RunConfig c) {
    long d = c.dModel();
    long h = c.nHeads();
    long dh = c.dHead();
    long mlp = c.dMlp();
    Map<String, TensorSpec> m = new LinkedHashMap<>();
    m.put("embed.W_E", new TensorSpec(new long[] {c.inputVocab(), d}, "[d_vocab, d_model]"));
    m.put("pos_embed.W_pos", new TensorSpec(new long[] {c.contextLength(), d}, "[n_ctx, d_model]"));
    for (int l = 0; l < c.nLayers(); l++) {
      String b = "blocks." + l + ".";
      for (String w : new String[] {"W_Q", "W_K", "W_V"}) {
        m.put(b + "attn." + w, new TensorSpec(new long[] {h, d, dh}, "[n_heads, d_model, d_head]"));
      }
      m.put(b + "attn.W_O", new TensorSpec(new long[] {h, dh, d}, "[n_heads, d_head, d_model]"));
      m.put(b + "mlp.W_in", new TensorSpec(new long[] {d, mlp}, "[d_model, d_mlp]"));
      m.put(b + "mlp.b_in", new TensorSpec(new long[] {mlp}, "[d_mlp]"));
      m.put(b + "mlp.W_out", new TensorSpec(new long[] {mlp, d}, "[d_mlp, d_model]"));
      m.put(b + "mlp.b_out", new TensorSpec(new long[] {d}, "[d_model]"));
    }
    m.put("unembed.W_U", new TensorSpec(new long[] {d, c.modulus()}, "[d_model, p]"));
    return m;
  }

  /** The text of config.json: format, run_id, then every run field in canonical order. */
  public static String configJson(RunConfig config) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("run_id", config.runId());
    m.putAll(config.toMap());
    return Json.write(m) + "\n";
  }

  /**
   * A run configuration from the text of a config.json (or a runs table's {@code config_json}):
   * {@code format} and {@code run_id} are allowed besides the run fields, any other key is an
   * error, missing fields take their preset's defaults.
   */
  public static RunConfig parseConfig(String json, String source) {
    Map<String, Object> values = Json.parseFlatObject(json, source);
    Object format = values.remove("format");
    values.remove("run_id");
    if (format != null && !FORMAT.equals(format)) {
      throw new IllegalArgumentException(
          "Cannot read model config "
              + source
              + ": unknown format (allowed: "
              + FORMAT
              + "; got "
              + format
              + ")");
    }
    List<String> unknown = new ArrayList<>();
    for (String k : values.keySet()) {
      if (!RunConfig.fieldNames().contains(k)) {
        unknown.add(k);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot read model config "
              + source
              + ": unknown keys "
              + unknown
              + " (allowed: format, run_id and the run fields "
              + RunConfig.fieldNames()
              + ")");
    }
    try {
      return RunConfig.fromMap(values);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Cannot read model config " + source + ": " + e.getMessage(), e);
    }
  }

  /** Writes one .npy per tensor and config.json into {@code dir}, creating it if needed. */
  public static void export(RunConfig config, Parameters params, Path dir) throws IOException {
    Map<String, INDArray> tensors = checkedTensors(config, params);
    Files.createDirectories(dir);
    for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
      Npy.write(e.getValue(), dir.resolve(e.getKey() + NPY));
    }
    // written last: a directory with a config.json is complete
    Files.writeString(dir.resolve(CONFIG_FILE), configJson(config), StandardCharsets.UTF_8);
  }

  /** Writes the model as one .npz archive (STORED entries) with config.json as an entry. */
  public static void exportNpz(RunConfig config, Parameters params, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      exportNpz(config, params, out);
    }
  }

  /** Writes the model as a .npz stream; the stream is finished but not closed. */
  public static void exportNpz(RunConfig config, Parameters params, OutputStream out)
      throws IOException {
    Map<String, INDArray> tensors = checkedTensors(config, params);
    ZipOutputStream zip = new ZipOutputStream(out);
    Npz.put(zip, CONFIG_FILE, configJson(config).getBytes(StandardCharsets.UTF_8), ZipEntry.STORED);
    for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
      Npz.put(zip, e.getKey() + NPY, Npz.npyBytes(e.getValue()), ZipEntry.STORED);
    }
    zip.finish();
    out.flush();
  }

  /**
   * The tensors to write, in canonical order and the config's precision; checks names and shapes.
   */
  private static Map<String, INDArray> checkedTensors(RunConfig config, Parameters params) {
    DataType dt = Parameters.dataType(config);
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, TensorSpec> e : specs(config).entrySet()) {
      if (!params.asMap().containsKey(e.getKey())) {
        throw new IllegalArgumentException(
            "Cannot export model: tensor "
                + e.getKey()
                + " is missing (got "
                + params.names()
                + ")");
      }
      INDArray a = params.get(e.getKey());
      checkShape("export", e.getKey(), e.getValue(), a.shape(), "the parameters", null);
      out.put(e.getKey(), a.dataType() == dt ? a : a.castTo(dt));
    }
    return out;
  }

  /** Loads a model directory written by {@link #export} or by hand (see docs/IMPORT.md). */
  public static Loaded load(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "Cannot load model from " + dir + ": no such directory (got " + dir + ")");
    }
    return loadFrom(new DirSource(dir));
  }

  /** Loads a .npz archive written by {@link #exportNpz} (config.json is one of its entries). */
  public static Loaded loadNpz(Path file) throws IOException {
    try (ZipSource source = new ZipSource(file)) {
      return loadFrom(source);
    }
  }

  /** Loads {@code path}: a model directory, or else a .npz archive. */
  public static Loaded loadAny(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      return load(path);
    }
    if (Files.isRegularFile(path)) {
      return loadNpz(path);
    }
    throw new IllegalArgumentException(
        "Cannot load model from " + path + ": no such directory or .npz file (got " + path + ")");
  }

  private static Loaded loadFrom(Source src) throws IOException {
    List<String> names = src.names();
    if (!names.contains(CONFIG_FILE)) {
      throw new IllegalArgumentException(
          "Cannot load model from "
              + src.where()
              + ": no "
              + CONFIG_FILE
              + " (got files: "
              + names
              + ")");
    }
    String json;
    try (InputStream in = src.open(CONFIG_FILE)) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    RunConfig config = parseConfig(json, src.describe(CONFIG_FILE));
    Map<String, TensorSpec> specs = specs(config);
    List<String> missing = new ArrayList<>();
    for (String t : specs.keySet()) {
      if (!names.contains(t + NPY)) {
        missing.add(t);
      }
    }
    List<String> npyFiles = names.stream().filter(n -> n.endsWith(NPY)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot load model from "
              + src.where()
              + ": missing tensor"
              + (missing.size() > 1 ? "s " : " ")
              + String.join(", ", missing)
              + " (expected a file <name>.npy for each; got .npy files: "
              + npyFiles
              + ")");
    }
    DataType dt = Parameters.dataType(config);
    Map<String, INDArray> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, TensorSpec> e : specs.entrySet()) {
      String file = e.getKey() + NPY;
      INDArray a;
      try (InputStream in = src.open(file)) {
        a = Npy.read(in, src.describe(file));
      }
      checkShape("load", e.getKey(), e.getValue(), a.shape(), src.describe(file), config);
      tensors.put(e.getKey(), a.dataType() == dt ? a : a.castTo(dt));
    }
    List<String> ignored = new ArrayList<>();
    for (String file : npyFiles) {
      String name = file.substring(0, file.length() - NPY.length());
      if (specs.containsKey(name)) {
        continue;
      }
      if (LAYER_NORM.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "Cannot load model from "
                + src.where()
                + ": it has LayerNorm weights, which phasemap's model does not have; export a model"
                + " trained with normalization_type=None (got "
                + file
                + ")");
      }
      if (ZERO_ONLY.matcher(name).matches()) {
        INDArray a;
        try (InputStream in = src.open(file)) {
          a = Npy.read(in, src.describe(file));
        }
        double max = a.length() == 0 ? 0 : a.castTo(DataType.DOUBLE).amaxNumber().doubleValue();
        if (max != 0) {
          throw new IllegalArgumentException(
              "Cannot load model from "
                  + src.where()
                  + ": "
                  + name
                  + " is not zero, but phasemap's model has no attention or unembedding biases and"
                  + " would compute a different function (got max |value| "
                  + max
                  + ")");
        }
      }
      ignored.add(file);
    }
    return new Loaded(config, Parameters.of(tensors), ignored);
  }

  private static void checkShape(
      String verb, String name, TensorSpec spec, long[] found, String where, RunConfig config) {
    if (Arrays.equals(spec.shape(), found)) {
      return;
    }
    throw new IllegalArgumentException(
        "Cannot "
            + verb
            + " tensor "
            + name
            + " from "
            + where
            + ": expected shape "
            + Arrays.toString(spec.shape())
            + " = "
            + spec.layout()
            + " for this config"
            + hint(name, spec.shape(), found, config)
            + " (got "
            + Arrays.toString(found)
            + ")");
  }

  /** A likely cause of a shape mismatch, or "". */
  private static String hint(String name, long[] expected, long[] found, RunConfig c) {
    if (c == null) {
      return "";
    }
    long[] reversed = new long[found.length];
    for (int i = 0; i < found.length; i++) {
      reversed[i] = found[found.length - 1 - i];
    }
    if (found.length == 2 && Arrays.equals(expected, reversed)) {
      return "; it looks transposed (PyTorch nn.Linear/Embedding layout?), see docs/IMPORT.md";
    }
    if (name.equals("unembed.W_U")
        && found.length == 2
        && found[0] == expected[0]
        && found[1] == expected[1] + 1) {
      return "; phasemap's unembedding has p columns: drop the '=' column (W_U[:, :p])";
    }
    if (name.equals("embed.W_E")
        && found.length == 2
        && found[1] == expected[1]
        && found[0] != expected[0]) {
      return found[0] == c.modulus() + 1L
          ? "; a vocabulary of p + 1 means inputs (a, b, =): set \"equals_token\": true"
          : found[0] == c.modulus()
              ? "; a vocabulary of p means inputs (a, b): set \"equals_token\": false"
              : "; check \"modulus\" and \"equals_token\"";
    }
    if (name.equals("pos_embed.W_pos") && found.length == 2 && found[1] == expected[1]) {
      return "; n_ctx is 3 with \"equals_token\": true and 2 without";
    }
    return "";
  }

  /** Where a model's files come from: a directory or a zip archive. */
  private interface Source extends Closeable {
    /** The directory or archive, for messages. */
    String where();

    /** A file of it, for messages. */
    String describe(String name);

    /** Names of its regular files, sorted. */
    List<String> names() throws IOException;

    InputStream open(String name) throws IOException;

    @Override
    default void close() throws IOException {}
  }

  private record DirSource(Path dir) implements Source {
    @Override
    public String where() {
      return dir.toString();
    }

    @Override
    public String describe(String name) {
      return dir.resolve(name).toString();
    }

    @Override
    public List<String> names() throws IOException {
      try (Stream<Path> files = Files.list(dir)) {
        return files
            .filter(Files::isRegularFile)
            .map(p -> p.getFileName().toString())
            .sorted()
            .toList();
      }
    }

    @Override
    public InputStream open(String name) throws IOException {
      return new java.io.BufferedInputStream(Files.newInputStream(dir.resolve(name)));
    }
  }

  private static final class ZipSource implements Source {
    private final Path file;
    private final ZipFile zip;

    ZipSource(Path file) throws IOException {
      this.file = file;
      this.zip = Npz.open(file);
    }

    @Override
    public String where() {
      return file.toString();
    }

    @Override
    public String describe(String name) {
      return file + ":" + name;
    }

    @Override
    public List<String> names() {
      TreeSet<String> names = new TreeSet<>();
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        if (!e.isDirectory()) {
          names.add(e.getName());
        }
      }
      return Collections.unmodifiableList(new ArrayList<>(names));
    }

    @Override
    public InputStream open(String name) throws IOException {
      return zip.getInputStream(zip.getEntry(name));
    }

    @Override
    public void close() throws IOException {
      zip.close();
    }
  }
}
