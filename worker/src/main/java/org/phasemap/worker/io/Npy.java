package org.phasemap.worker.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads and writes NumPy {@code .npy} files, so that weights move between phasemap and Python
 * without any conversion code on either side.
 *
 * <p>The format (numpy.lib.format): the magic {@code \x93NUMPY}, a major and minor version byte,
 * the header length (2 bytes little-endian in version 1.0, 4 bytes in 2.0 and 3.0), then the
 * header: a Python dict literal such as {@code {'descr': '<f4', 'fortran_order': False, 'shape':
 * (3, 4), }} padded with spaces and ended by a newline, then the raw data.
 *
 * <p>Reading accepts versions 1.0, 2.0 and 3.0, the dtypes {@code f4} and {@code f8} (returned as
 * FLOAT and DOUBLE arrays) and {@code i4} and {@code i8} (converted to DOUBLE; integers beyond 2^53
 * lose precision), each little- or big-endian, any rank including 0. Fortran-order files are
 * accepted and returned in C order with the same shape and element values: numpy writes a
 * transposed view ({@code np.save(f, w.T)}) that way, which is exactly how weights get converted
 * into phasemap's layout. Bytes after the data are ignored, as numpy does.
 *
 * <p>Writing produces version 1.0 (2.0 only if the header would not fit), C order, little-endian
 * {@code <f4} or {@code <f8}, with the header laid out byte for byte as numpy 2 writes it (padded
 * to a multiple of 64 bytes, with numpy's growth room for the first axis).
 *
 * <p>Malformed files throw {@link IllegalArgumentException} whose message names the file, the field
 * and what was found; I/O failures throw {@link IOException}.
 *
 * <p><b>Why this is not ND4J's {@code .npy} support</b> ({@code Nd4j.createNpyFromByteArray},
 * {@code createFromNpyFile}, {@code toNpyByteArray}; tried on 1.0.0-M2.1 with the files of {@code
 * NpyTests}). Its native reader kills the JVM (a failed assertion or a segfault in libnd4j, no
 * exception) on a big-endian file, a structured dtype or a header laid out other than numpy's way;
 * it ignores {@code fortran_order: True}, so {@code np.save(f, w.T)} comes back transposed without
 * a word; it reads a truncated file past its end, rejects version 2.0 headers, and its one message,
 * "Pointer doesn't look like a NumPy header", names no file. Its writer gives numpy's bytes only
 * for a fresh C-order copy (for a view or an 'f' array it writes the underlying buffer from its
 * start, i.e. other numbers) and leaks native memory on every call, while checkpoints spilled to
 * disk are written here inside training. Float64 exactness is not the issue: ND4J round-trips
 * doubles bit for bit. The measurements: docs/IMPORT.md, "Why phasemap reads .npy itself".
 */
public final class Npy {
  /** The six magic bytes every .npy file starts with. */
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** numpy pads the magic, version, length and header to a multiple of this. */
  private static final int ALIGNMENT = 64;

  /** Digits numpy reserves in the header for the first axis (np.lib.format). */
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;

  /** Largest data block read or written in one piece (Java arrays are int-indexed). */
  private static final long MAX_BYTES = Integer.MAX_VALUE - 8L;

  private Npy() {}

  /** Writes {@code a} (FLOAT or DOUBLE, any rank) as a version 1.0, C-order .npy stream. */
  public static void write(INDArray a, OutputStream out) throws IOException {
    DataType dt = a.dataType();
    String descr;
    int itemSize;
    if (dt == DataType.FLOAT) {
      descr = "<f4";
      itemSize = 4;
    } else if (dt == DataType.DOUBLE) {
      descr = "<f8";
      itemSize = 8;
    } else {
      throw new IllegalArgumentException(
          "Cannot write .npy: only FLOAT and DOUBLE arrays are supported (got " + dt + ")");
    }
    long[] shape = a.shape();
    long n = a.length();
    if (n * itemSize > MAX_BYTES) {
      throw new IllegalArgumentException(
          "Cannot write .npy: array too large for one buffer (got " + n + " elements)");
    }
    out.write(header(descr, shape));
    ByteBuffer buf = ByteBuffer.allocate((int) (n * itemSize)).order(ByteOrder.LITTLE_ENDIAN);
    if (n > 0) {
      // dup('c') gives a compact C-order copy whatever the array's order, offset or strides
      INDArray c = a.dup('c');
      if (dt == DataType.FLOAT) {
        buf.asFloatBuffer().put(c.data().asFloat(), 0, (int) n);
      } else {
        buf.asDoubleBuffer().put(c.data().asDouble(), 0, (int) n);
      }
    }
    out.write(buf.array());
    out.flush();
  }

  /** Writes {@code a} to {@code file}, replacing it. */
  public static void write(INDArray a, Path file) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      write(a, out);
    }
  }

  /** The magic, version, header length and padded header of a version 1.0 (or 2.0) file. */
  static byte[] header(String descr, long[] shape) {
    StringBuilder dict = new StringBuilder();
    dict.append("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': (");
    for (int i = 0; i < shape.length; i++) {
      dict.append(shape[i]);
      if (i < shape.length - 1 || shape.length == 1) {
        dict.append(",");
      }
      if (i < shape.length - 1) {
        dict.append(" ");
      }
    }
    dict.append("), }");
    // numpy leaves room for the first axis to grow to 21 digits (np.lib.format
    // GROWTH_AXIS_MAX_DIGITS) so a file can be appended to in place; doing the same makes our files
    // byte-identical to numpy's
    if (shape.length > 0) {
      dict.append(
          " ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length())));
    }
    byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
    int major = 1;
    int prefix = MAGIC.length + 2 + 2;
    int total = padded(prefix + text.length + 1);
    if (total - prefix > 0xFFFF) {
      major = 2;
      prefix = MAGIC.length + 2 + 4;
      total = padded(prefix + text.length + 1);
    }
    int headerLen = total - prefix;
    ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) major).put((byte) 0);
    if (major == 1) {
      b.putShort((short) headerLen);
    } else {
      b.putInt(headerLen);
    }
    b.put(text);
    while (b.position() < total - 1) {
      b.put((byte) ' ');
    }
    b.put((byte) '\n');
    return b.array();
  }

  private static int padded(int len) {
    return (len + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
  }

  /** Reads one array from {@code in}; messages call the source "stream". */
  public static INDArray read(InputStream in) throws IOException {
    return read(in, "stream");
  }

  /** Reads {@code file}. */
  public static INDArray read(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      return read(in, file.toString());
    }
  }

  /**
   * Reads one array from {@code in}, naming it {@code source} in error messages (a file name, or
   * {@code archive.npz:entry.npy}).
   */
  public static INDArray read(InputStream in, String source) throws IOException {
    byte[] magic = in.readNBytes(MAGIC.length + 2);
    if (magic.length < MAGIC.length + 2
        || !Arrays.equals(Arrays.copyOf(magic, MAGIC.length), MAGIC)) {
      throw bad(source, "not a .npy file: it does not start with \\x93NUMPY", hex(magic));
    }
    int major = magic[6] & 0xFF;
    int minor = magic[7] & 0xFF;
    long headerLen;
    if (major == 1) {
      headerLen = littleEndian(readExactly(in, 2, source, "header length"));
    } else if (major == 2 || major == 3) {
      headerLen = littleEndian(readExactly(in, 4, source, "header length"));
    } else {
      throw bad(
          source, "unsupported format version (supported: 1.0, 2.0, 3.0)", major + "." + minor);
    }
    if (headerLen > MAX_BYTES) {
      throw bad(source, "header length is not plausible", String.valueOf(headerLen));
    }
    byte[] headerBytes = readExactly(in, (int) headerLen, source, "header");
    // 1.0 and 2.0 headers are latin-1, 3.0 headers UTF-8; the keys and values we read are ASCII
    String text =
        new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Header h = Header.parse(text, source);
    long n = 1;
    for (long s : h.shape()) {
      n = Math.multiplyExact(n, s);
    }
    long bytes = n * h.itemSize();
    if (bytes > MAX_BYTES) {
      throw bad(source, "array too large to read into one buffer", Arrays.toString(h.shape()));
    }
    byte[] data = in.readNBytes((int) bytes);
    if (data.length < bytes) {
      throw bad(
          source,
          "file ends inside the data: shape "
              + Arrays.toString(h.shape())
              + " of "
              + h.descr()
              + " needs "
              + bytes
              + " bytes",
          data.length + " bytes");
    }
    return toArray(data, (int) n, h);
  }

  private static INDArray toArray(byte[] data, int n, Header h) {
    ByteBuffer b = ByteBuffer.wrap(data).order(h.order());
    char order = h.fortranOrder() ? 'f' : 'c';
    long[] shape = h.shape();
    if (n == 0) {
      return Nd4j.create(
          h.kind() == 'f' && h.itemSize() == 4 ? DataType.FLOAT : DataType.DOUBLE, shape);
    }
    if (h.kind() == 'f' && h.itemSize() == 4) {
      float[] v = new float[n];
      b.asFloatBuffer().get(v);
      if (shape.length == 0) {
        return Nd4j.scalar(v[0]);
      }
      return Nd4j.create(v, shape, order).dup('c');
    }
    double[] v = new double[n];
    if (h.kind() == 'f') {
      b.asDoubleBuffer().get(v);
    } else if (h.itemSize() == 8) {
      for (int i = 0; i < n; i++) {
        v[i] = b.getLong();
      }
    } else {
      for (int i = 0; i < n; i++) {
        v[i] = b.getInt();
      }
    }
    if (shape.length == 0) {
      return Nd4j.scalar(v[0]);
    }
    return Nd4j.create(v, shape, order).dup('c');
  }

  private static byte[] readExactly(InputStream in, int n, String source, String what)
      throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw bad(
          source,
          "file ends inside the " + what + ", which needs " + n + " bytes",
          b.length + " bytes");
    }
    return b;
  }

  private static long littleEndian(byte[] b) {
    long v = 0;
    for (int i = b.length - 1; i >= 0; i--) {
      v = (v << 8) | (b[i] & 0xFF);
    }
    return v;
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format(Locale.ROOT, "%02x", x & 0xFF));
    }
    return sb.length() == 0 ? "an empty file" : "0x" + sb;
  }

  static IllegalArgumentException bad(String source, String why, String got) {
    return new IllegalArgumentException(
        "Cannot read " + source + ": " + why + " (got " + got + ")");
  }

  /** The parsed header: dtype, order and shape. */
  record Header(
      String descr, ByteOrder order, char kind, int itemSize, boolean fortranOrder, long[] shape) {
    private static final List<String> KEYS = List.of("descr", "fortran_order", "shape");

    static Header parse(String text, String source) {
      Object literal;
      try {
        literal = new PyLiteral(text.strip()).parseAll();
      } catch (IllegalArgumentException e) {
        throw bad(
            source, "header is not a Python literal: " + e.getMessage(), "'" + text.strip() + "'");
      }
      if (!(literal instanceof Map<?, ?> dict)) {
        throw bad(source, "header is not a dict", "'" + text.strip() + "'");
      }
      List<Object> unknown = new ArrayList<>();
      for (Object k : dict.keySet()) {
        if (!KEYS.contains(k)) {
          unknown.add(k);
        }
      }
      for (String k : KEYS) {
        if (!dict.containsKey(k)) {
          throw bad(source, "header has no '" + k + "' key", "'" + text.strip() + "'");
        }
      }
      if (!unknown.isEmpty()) {
        throw bad(
            source,
            "header has keys other than descr, fortran_order and shape",
            unknown.toString());
      }
      Object descr = dict.get("descr");
      if (!(descr instanceof String d)) {
        throw bad(
            source,
            "descr is not a simple dtype string (structured dtypes are not supported)",
            String.valueOf(descr));
      }
      if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
        throw bad(
            source,
            "fortran_order is not True or False",
            String.valueOf(dict.get("fortran_order")));
      }
      if (!(dict.get("shape") instanceof List<?> dims)) {
        throw bad(source, "shape is not a tuple", String.valueOf(dict.get("shape")));
      }
      long[] shape = new long[dims.size()];
      for (int i = 0; i < shape.length; i++) {
        if (!(dims.get(i) instanceof Long len) || len < 0) {
          throw bad(source, "shape entries must be non-negative integers", String.valueOf(dims));
        }
        shape[i] = len;
      }
      if (d.length() != 3 || !(d.charAt(0) == '<' || d.charAt(0) == '>')) {
        throw unsupported(source, d);
      }
      ByteOrder order = d.charAt(0) == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
      char kind = d.charAt(1);
      int size = d.charAt(2) - '0';
      if (!((kind == 'f' || kind == 'i') && (size == 4 || size == 8))) {
        throw unsupported(source, d);
      }
      return new Header(d, order, kind, size, fortran, shape);
    }

    private static IllegalArgumentException unsupported(String source, String descr) {
      return bad(
          source,
          "unsupported dtype in descr (supported: <f4, >f4, <f8, >f8, and <i4, >i4, <i8, >i8"
              + " converted to float64)",
          "'" + descr + "'");
    }
  }

  /**
   * A parser for the Python literals numpy writes in headers: dicts, tuples, lists, strings in
   * single or double quotes, integers (with Python 2's optional {@code L}), True, False and None.
   * Dicts become {@link LinkedHashMap}s, tuples and lists {@link List}s, integers {@link Long}s.
   */
  static final class PyLiteral {
    private final String s;
    private int i;

    PyLiteral(String s) {
      this.s = s;
    }

    Object parseAll() {
      Object v = value();
      skipSpace();
      if (i != s.length()) {
        throw error("unexpected text after the literal");
      }
      return v;
    }

    private Object value() {
      skipSpace();
      if (i >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(i);
      if (c == '{') {
        return dict();
      }
      if (c == '(') {
        return sequence('(', ')');
      }
      if (c == '[') {
        return sequence('[', ']');
      }
      if (c == '\'' || c == '"') {
        return string();
      }
      if (c == '-' || c == '+' || Character.isDigit(c)) {
        return integer();
      }
      if (Character.isLetter(c)) {
        int start = i;
        while (i < s.length() && Character.isLetterOrDigit(s.charAt(i))) {
          i++;
        }
        String word = s.substring(start, i);
        switch (word) {
          case "True":
            return Boolean.TRUE;
          case "False":
            return Boolean.FALSE;
          case "None":
            return null;
          default:
            i = start;
            throw error("unknown name '" + word + "'");
        }
      }
      throw error("unexpected character '" + c + "'");
    }

    private Map<Object, Object> dict() {
      Map<Object, Object> m = new LinkedHashMap<>();
      i++;
      while (true) {
        skipSpace();
        if (peek() == '}') {
          i++;
          return m;
        }
        Object key = value();
        skipSpace();
        expect(':');
        Object v = value();
        if (m.containsKey(key)) {
          throw error("duplicate key '" + key + "'");
        }
        m.put(key, v);
        skipSpace();
        if (peek() == ',') {
          i++;
        } else if (peek() != '}') {
          throw error("expected ',' or '}'");
        }
      }
    }

    private List<Object> sequence(char open, char close) {
      List<Object> items = new ArrayList<>();
      i++;
      while (true) {
        skipSpace();
        if (peek() == close) {
          i++;
          return items;
        }
        items.add(value());
        skipSpace();
        if (peek() == ',') {
          i++;
        } else if (peek() != close) {
          throw error("expected ',' or '" + close + "'");
        }
      }
    }

    private String string() {
      char quote = s.charAt(i++);
      StringBuilder sb = new StringBuilder();
      while (i < s.length() && s.charAt(i) != quote) {
        char c = s.charAt(i++);
        if (c == '\\' && i < s.length()) {
          c = s.charAt(i++);
        }
        sb.append(c);
      }
      if (i >= s.length()) {
        throw error("unterminated string");
      }
      i++;
      return sb.toString();
    }

    private Long integer() {
      int start = i;
      if (s.charAt(i) == '-' || s.charAt(i) == '+') {
        i++;
      }
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        i++;
      }
      String digits = s.substring(start, i);
      if (i < s.length() && (s.charAt(i) == 'L' || s.charAt(i) == 'l')) {
        i++;
      }
      try {
        return Long.parseLong(digits);
      } catch (NumberFormatException e) {
        i = start;
        throw error("bad integer '" + digits + "'");
      }
    }

    private void skipSpace() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private char peek() {
      if (i >= s.length()) {
        throw error("unexpected end");
      }
      return s.charAt(i);
    }

    private void expect(char c) {
      if (peek() != c) {
        throw error("expected '" + c + "'");
      }
      i++;
    }

    private IllegalArgumentException error(String why) {
      return new IllegalArgumentException(why + " at position " + i);
    }
  }
}
