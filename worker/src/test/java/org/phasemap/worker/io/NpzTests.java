package org.phasemap.worker.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** .npz archives: round trips and archives written by numpy.savez / savez_compressed. */
class NpzTests {
  @TempDir Path tmp;

  static Map<String, INDArray> arrays() {
    Map<String, INDArray> m = new LinkedHashMap<>();
    m.put("embed.W_E", NpyTests.sequence(DataType.FLOAT, 5, 4));
    m.put("blocks.0.attn.W_Q", NpyTests.sequence(DataType.DOUBLE, 2, 4, 2));
    m.put("bias", NpyTests.sequence(DataType.FLOAT, 3));
    return m;
  }

  @Test
  void storedAndDeflatedArchivesRoundTripThroughFilesAndStreams() throws Exception {
    Map<String, INDArray> in = arrays();
    Path stored = tmp.resolve("stored.npz");
    Path deflated = tmp.resolve("deflated.npz");
    Npz.write(in, stored);
    Npz.writeCompressed(in, deflated);
    for (Path p : new Path[] {stored, deflated}) {
      Map<String, INDArray> out = Npz.read(p);
      assertThat(out.keySet()).containsExactlyElementsOf(in.keySet());
      in.forEach(
          (k, v) -> {
            assertThat(out.get(k).dataType()).as(k).isEqualTo(v.dataType());
            assertThat(out.get(k)).as(k).isEqualTo(v);
          });
      try (InputStream s = Files.newInputStream(p)) {
        assertThat(Npz.read(s)).isEqualTo(out);
      }
    }
    try (ZipFile z = new ZipFile(stored.toFile())) {
      assertThat(z.getEntry("embed.W_E.npy").getMethod()).isEqualTo(ZipEntry.STORED);
    }
    try (ZipFile z = new ZipFile(deflated.toFile())) {
      assertThat(z.getEntry("embed.W_E.npy").getMethod()).isEqualTo(ZipEntry.DEFLATED);
    }
  }

  @Test
  void sameArraysGiveTheSameBytes() throws Exception {
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    Npz.write(arrays(), a);
    Npz.write(arrays(), b);
    assertThat(a.toByteArray()).isEqualTo(b.toByteArray());
  }

  @Test
  void readsArchivesWrittenByNumpy() throws Exception {
    // numpy forces ZIP64 local headers; savez stores, savez_compressed deflates
    for (String name : new String[] {"savez.npz", "savez_compressed.npz"}) {
      Path file = tmp.resolve(name);
      Files.write(file, NpyTests.fixture(name));
      for (Map<String, INDArray> m :
          java.util.List.of(
              Npz.read(file), Npz.read(new ByteArrayInputStream(NpyTests.fixture(name))))) {
        assertThat(m.keySet()).as(name).containsExactly("a", "b");
        assertThat(m.get("a").dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(m.get("a").data().asDouble()).containsExactly(0, 1, 2);
        assertThat(m.get("b").dataType()).isEqualTo(DataType.FLOAT);
        assertThat(m.get("b").shape()).containsExactly(2, 2);
        assertThat(m.get("b").sumNumber().doubleValue()).isEqualTo(4.0);
      }
    }
  }

  @Test
  void notAZipIsReportedWithTheFileName() throws Exception {
    Path f = Files.writeString(tmp.resolve("weights.npz"), "not a zip");
    assertThatThrownBy(() -> Npz.read(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot read " + f + ": not a zip (.npz) file (got ");
    assertThatThrownBy(() -> Npz.read(tmp.resolve("missing.npz")))
        .hasMessageStartingWith("Cannot read " + tmp.resolve("missing.npz") + ": no such file");
    assertThatThrownBy(() -> Npz.read(new ByteArrayInputStream(new byte[10])))
        .hasMessage(
            "Cannot read .npz stream: it holds no zip entries (got an empty or non-zip stream)");
  }
}
