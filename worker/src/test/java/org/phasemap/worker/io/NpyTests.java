package org.phasemap.worker.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** .npy reading and writing, against files and bytes written by real numpy. */
class NpyTests {
  @TempDir Path tmp;

  static byte[] bytes(INDArray a) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(a, out);
    return out.toByteArray();
  }

  static INDArray roundTrip(INDArray a) throws Exception {
    return Npy.read(new ByteArrayInputStream(bytes(a)));
  }

  /** numpy's own file from src/test/resources/numpy (make_fixtures.py). */
  static byte[] fixture(String name) throws Exception {
    try (InputStream in = NpyTests.class.getResourceAsStream("/numpy/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  static INDArray readFixture(String name) throws Exception {
    return Npy.read(new ByteArrayInputStream(fixture(name)), name);
  }

  static INDArray sequence(DataType dt, long... shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    double[] v = new double[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.sin(i + 1) * 1e3 + 1.0 / (i + 3);
    }
    return Nd4j.create(v, shape, 'c').castTo(dt);
  }

  @Test
  void float32AndFloat64RoundTripBitForBitInRanksOneToThree() throws Exception {
    for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      for (long[] shape : new long[][] {{7}, {3, 5}, {2, 3, 4}}) {
        INDArray a = sequence(dt, shape);
        INDArray b = roundTrip(a);
        assertThat(b.dataType()).isEqualTo(dt);
        assertThat(b.shape()).isEqualTo(shape);
        assertThat(b).isEqualTo(a);
        assertThat(b.data().asDouble()).containsExactly(a.dup('c').data().asDouble());
      }
    }
  }

  @Test
  void writesViewsAndFortranOrderArraysInCOrder() throws Exception {
    INDArray a = sequence(DataType.DOUBLE, 4, 3);
    INDArray t = a.transpose(); // a view with swapped strides
    INDArray b = roundTrip(t);
    assertThat(b.shape()).containsExactly(3, 4);
    assertThat(b.getDouble(2, 1)).isEqualTo(a.getDouble(1, 2));
    INDArray f = a.dup('f');
    assertThat(roundTrip(f)).isEqualTo(a);
    // views that start inside their buffer or stride through it (ND4J's toNpyByteArray writes the
    // buffer from its start for these: docs/IMPORT.md, "Why phasemap reads .npy itself")
    assertThat(roundTrip(a.getRow(2)).data().asDouble())
        .containsExactly(a.getRow(2).dup().data().asDouble());
    assertThat(roundTrip(a.getColumn(1)).data().asDouble())
        .containsExactly(a.getColumn(1).dup().data().asDouble());
  }

  @Test
  void scalarsAndEmptyArraysRoundTrip() throws Exception {
    INDArray s = roundTrip(Nd4j.scalar(2.5));
    assertThat(s.rank()).isZero();
    assertThat(s.getDouble(0)).isEqualTo(2.5);
    INDArray empty = readFixture("f4_empty_0x3.npy");
    assertThat(empty.shape()).containsExactly(0, 3);
    assertThat(empty.dataType()).isEqualTo(DataType.FLOAT);
  }

  @Test
  void writesExactlyTheBytesNumpyWrites() throws Exception {
    INDArray a =
        Nd4j.create(new float[] {0, 1, 2, 3, 4, 5}, new long[] {2, 3}, 'c').mul(0.5).sub(1);
    assertThat(bytes(a)).isEqualTo(fixture("f4_2x3.npy"));
    INDArray r3 = Nd4j.create(DataType.FLOAT, 2, 3, 4);
    for (int i = 0; i < 24; i++) {
      r3.putScalar(new long[] {i / 12, (i / 4) % 3, i % 4}, i / 8.0);
    }
    assertThat(bytes(r3)).isEqualTo(fixture("f4_rank3.npy"));
  }

  @Test
  void readsNumpyFilesOfEveryAcceptedDtype() throws Exception {
    INDArray f4 = readFixture("f4_2x3.npy");
    assertThat(f4.dataType()).isEqualTo(DataType.FLOAT);
    assertThat(f4.shape()).containsExactly(2, 3);
    assertThat(f4.getDouble(1, 2)).isEqualTo(1.5);

    INDArray be = readFixture("f8_big_endian_3.npy");
    assertThat(be.dataType()).isEqualTo(DataType.DOUBLE);
    assertThat(be.data().asDouble()).containsExactly(1.5, -2.25, 1e-300);

    INDArray i8 = readFixture("i8_2x2.npy");
    assertThat(i8.dataType()).isEqualTo(DataType.DOUBLE);
    assertThat(i8.data().asDouble()).containsExactly(1, -2, 3, Math.pow(2, 40));

    INDArray i4 = readFixture("i4_scalar.npy");
    assertThat(i4.rank()).isZero();
    assertThat(i4.getDouble(0)).isEqualTo(7.0);
  }

  @Test
  void fortranOrderFilesAreReadAsTheSameArrayInCOrder() throws Exception {
    // numpy: (arange(6).reshape(3, 2) + 0.25).T, saved with fortran_order True
    INDArray f = readFixture("f8_fortran_2x3.npy");
    assertThat(f.shape()).containsExactly(2, 3);
    assertThat(f.ordering()).isEqualTo('c');
    assertThat(f.data().asDouble()).containsExactly(0.25, 2.25, 4.25, 1.25, 3.25, 5.25);
  }

  /** A version 1.0 file as numpy 1.x writes it, built by hand. */
  static byte[] handWritten(String dict, byte[] data) {
    int total = 10 + dict.length() + 1;
    int padded = (total + 63) / 64 * 64;
    String header = dict + " ".repeat(padded - total) + "\n";
    ByteBuffer b =
        ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.US_ASCII));
    b.put(data);
    return b.array();
  }

  static byte[] littleEndianFloats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putFloat(x);
    }
    return b.array();
  }

  static INDArray parse(byte[] file) throws Exception {
    return Npy.read(new ByteArrayInputStream(file), "hand.npy");
  }

  @Test
  void parsesAHandWrittenVersionOneHeader() throws Exception {
    byte[] file =
        handWritten(
            "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }",
            littleEndianFloats(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
    assertThat(file.length % 16).isZero();
    assertThat((10 + file[8]) % 64).isZero();
    INDArray a = parse(file);
    assertThat(a.shape()).containsExactly(3, 4);
    assertThat(a.getFloat(2, 3)).isEqualTo(11f);
    assertThat(a.getFloat(1, 0)).isEqualTo(4f);
  }

  @Test
  void headerParsingToleratesKeyOrderQuotesSpacingAndPythonTwoLongs() throws Exception {
    INDArray a =
        parse(
            handWritten(
                "{ \"shape\" : (2L,) ,'fortran_order':False,  'descr':'<f4'}",
                littleEndianFloats(1.5f, -1f)));
    assertThat(a.shape()).containsExactly(2);
    assertThat(a.data().asFloat()).containsExactly(1.5f, -1f);
  }

  @Test
  void badMagicIsNamedWithTheBytesFound() {
    byte[] notNpy = "PK\u0003\u0004 this is a zip".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(notNpy), "model/W_E.npy"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot read model/W_E.npy: not a .npy file: it does not start with \\x93NUMPY"
                + " (got 0x504b030420746869)");
  }

  @Test
  void unsupportedDtypeNamesTheDescrAndWhatIsSupported() {
    byte[] f16 =
        handWritten("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", new byte[4]);
    assertThatThrownBy(() -> parse(f16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot read hand.npy: unsupported dtype in descr")
        .hasMessageContaining("<f4, >f4, <f8, >f8")
        .hasMessageEndingWith("(got '<f2')");
    byte[] structured =
        handWritten(
            "{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[4]);
    assertThatThrownBy(() -> parse(structured))
        .hasMessage(
            "Cannot read hand.npy: descr is not a simple dtype string (structured dtypes are not"
                + " supported) (got [[x, <f4]])");
  }

  @Test
  void fortranOrderMustBeABooleanAndHandWrittenFortranDataIsTransposedIntoCOrder()
      throws Exception {
    byte[] f =
        handWritten(
            "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
            littleEndianFloats(1, 2, 3, 4, 5, 6));
    // column-major data: column 0 is (1, 2), column 1 is (3, 4), column 2 is (5, 6)
    assertThat(parse(f).data().asFloat()).containsExactly(1, 3, 5, 2, 4, 6);
    byte[] bad =
        handWritten("{'descr': '<f4', 'fortran_order': 'yes', 'shape': (2,), }", new byte[8]);
    assertThatThrownBy(() -> parse(bad))
        .hasMessage("Cannot read hand.npy: fortran_order is not True or False (got yes)");
  }

  @Test
  void headerProblemsNameTheField() {
    byte[] noShape = handWritten("{'descr': '<f4', 'fortran_order': False, }", new byte[0]);
    assertThatThrownBy(() -> parse(noShape))
        .hasMessageStartingWith("Cannot read hand.npy: header has no 'shape' key (got '{'descr'");
    byte[] negative =
        handWritten("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", new byte[0]);
    assertThatThrownBy(() -> parse(negative))
        .hasMessage("Cannot read hand.npy: shape entries must be non-negative integers (got [-1])");
    byte[] garbage =
        handWritten("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3}", new byte[0]);
    assertThatThrownBy(() -> parse(garbage))
        .hasMessageStartingWith(
            "Cannot read hand.npy: header is not a Python literal: expected ',' or ')'");
    byte[] extra =
        handWritten("{'descr': '<f4', 'fortran_order': False, 'shape': (), 'x': 1}", new byte[4]);
    assertThatThrownBy(() -> parse(extra))
        .hasMessage(
            "Cannot read hand.npy: header has keys other than descr, fortran_order and shape (got [x])");
  }

  @Test
  void truncatedDataAndUnknownVersionsAreReported() throws Exception {
    byte[] shortData =
        handWritten("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", new byte[20]);
    assertThatThrownBy(() -> parse(shortData))
        .hasMessage(
            "Cannot read hand.npy: file ends inside the data: shape [2, 2] of <f8 needs 32 bytes"
                + " (got 20 bytes)");
    byte[] v9 = bytes(Nd4j.scalar(1.0));
    v9[6] = 9;
    assertThatThrownBy(() -> parse(v9))
        .hasMessage(
            "Cannot read hand.npy: unsupported format version (supported: 1.0, 2.0, 3.0) (got 9.0)");
  }

  @Test
  void readsVersionTwoHeaders() throws Exception {
    byte[] v1 = bytes(sequence(DataType.FLOAT, 2, 2));
    int headerLen = (v1[8] & 0xFF) | (v1[9] & 0xFF) << 8;
    // same header in a 4-byte length field
    ByteBuffer b = ByteBuffer.allocate(v1.length + 2).order(ByteOrder.LITTLE_ENDIAN);
    b.put(Npy.MAGIC).put((byte) 2).put((byte) 0).putInt(headerLen);
    b.put(v1, 10, v1.length - 10);
    assertThat(parse(b.array())).isEqualTo(sequence(DataType.FLOAT, 2, 2));
  }

  @Test
  void pathOverloadsNameTheFile() throws Exception {
    Path f = tmp.resolve("x.npy");
    INDArray a = sequence(DataType.DOUBLE, 3, 2);
    Npy.write(a, f);
    assertThat(Npy.read(f)).isEqualTo(a);
    java.nio.file.Files.write(f, new byte[] {1, 2});
    assertThatThrownBy(() -> Npy.read(f))
        .hasMessageStartingWith("Cannot read " + f + ": not a .npy file");
  }

  @Test
  void refusesToWriteIntegerArrays() {
    assertThatThrownBy(() -> bytes(Nd4j.create(DataType.INT, 2)))
        .hasMessage("Cannot write .npy: only FLOAT and DOUBLE arrays are supported (got INT)");
  }
}
