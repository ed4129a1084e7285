package org.phasemap.worker.io;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads and writes NumPy {@code .npz} archives: a zip file holding one {@code <name>.npy} entry per
 * array, as {@code numpy.savez} (entries STORED) and {@code numpy.savez_compressed} (DEFLATED)
 * write them and {@code numpy.load} reads them. A whole model fits in one file this way.
 *
 * <p>Reading accepts both compression methods and ZIP64 entries (numpy forces ZIP64 headers). Only
 * entries whose name ends in {@code .npy} are arrays; their key is the name without that suffix.
 * Other entries (such as a model's {@code config.json}) are skipped by {@link #read(Path)}.
 */
public final class Npz {
  private Npz() {}

  /** Writes {@code arrays} as STORED entries, like {@code numpy.savez}; keys keep their order. */
  public static void write(Map<String, INDArray> arrays, OutputStream out) throws IOException {
    write(arrays, out, ZipEntry.STORED);
  }

  /** Writes {@code arrays} to {@code file} as STORED entries, replacing the file. */
  public static void write(Map<String, INDArray> arrays, Path file) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      write(arrays, out);
    }
  }

  /** Writes {@code arrays} as DEFLATED entries, like {@code numpy.savez_compressed}. */
  public static void writeCompressed(Map<String, INDArray> arrays, OutputStream out)
      throws IOException {
    write(arrays, out, ZipEntry.DEFLATED);
  }

  /** Writes {@code arrays} to {@code file} as DEFLATED entries, replacing the file. */
  public static void writeCompressed(Map<String, INDArray> arrays, Path file) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      writeCompressed(arrays, out);
    }
  }

  private static void write(Map<String, INDArray> arrays, OutputStream out, int method)
      throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
      put(zip, e.getKey() + ".npy", npyBytes(e.getValue()), method);
    }
    zip.finish();
    out.flush();
  }

  /** The .npy encoding of {@code a}. */
  static byte[] npyBytes(INDArray a) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    Npy.write(a, b);
    return b.toByteArray();
  }

  /**
   * Adds one entry. STORED entries carry their size and CRC in the local header (no data
   * descriptor), which every zip reader, including {@link ZipInputStream}, can read.
   */
  static void put(ZipOutputStream zip, String name, byte[] bytes, int method) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setMethod(method);
    if (method == ZipEntry.STORED) {
      CRC32 crc = new CRC32();
      crc.update(bytes);
      entry.setSize(bytes.length);
      entry.setCompressedSize(bytes.length);
      entry.setCrc(crc.getValue());
    }
    // a fixed time keeps archives of the same arrays byte-identical
    entry.setTime(315532800000L);
    zip.putNextEntry(entry);
    zip.write(bytes);
    zip.closeEntry();
  }

  /** Reads every {@code .npy} entry of {@code file}, in archive order. */
  public static Map<String, INDArray> read(Path file) throws IOException {
    Map<String, INDArray> out = new LinkedHashMap<>();
    try (ZipFile zip = open(file)) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        if (isArray(e)) {
          try (InputStream in = zip.getInputStream(e)) {
            out.put(key(e.getName()), Npy.read(in, file + ":" + e.getName()));
          }
        }
      }
    }
    return out;
  }

  /** Reads every {@code .npy} entry of a zip stream, in archive order. */
  public static Map<String, INDArray> read(InputStream in) throws IOException {
    Map<String, INDArray> out = new LinkedHashMap<>();
    ZipInputStream zip = new ZipInputStream(in);
    ZipEntry e;
    boolean any = false;
    while ((e = zip.getNextEntry()) != null) {
      any = true;
      if (isArray(e)) {
        out.put(key(e.getName()), Npy.read(zip, "stream:" + e.getName()));
      }
    }
    if (!any) {
      throw new IllegalArgumentException(
          "Cannot read .npz stream: it holds no zip entries (got an empty or non-zip stream)");
    }
    return out;
  }

  /** Opens {@code file} as a zip, or says that it is not one. */
  static ZipFile open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "Cannot read " + file + ": no such file (got " + file + ")");
    }
    try {
      return new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new IllegalArgumentException(
          "Cannot read " + file + ": not a zip (.npz) file (got " + e.getMessage() + ")", e);
    }
  }

  private static boolean isArray(ZipEntry e) {
    return !e.isDirectory() && e.getName().endsWith(".npy");
  }

  private static String key(String entryName) {
    return entryName.substring(0, entryName.length() - ".npy".length());
  }
}
