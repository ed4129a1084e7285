package org.phasemap.driver.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCommitTests {

  @TempDir java.nio.file.Path tempDir;

  private FileSystem local;
  private Path tableDir;

  @BeforeEach
  void setUp() throws IOException {
    local = FileSystem.getLocal(new Configuration());
    tableDir = new Path(tempDir.toUri());
  }

  @Test
  void stagingPathIsUniqueAndInsideTheHiddenStagingFolder() {
    Path first = FileCommit.stagingPath(tableDir, "run-1.parquet");
    Path second = FileCommit.stagingPath(tableDir, "run-1.parquet");

    assertThat(first.getParent()).isEqualTo(new Path(tableDir, "_staging"));
    assertThat(first.getName()).matches("run-1\\.parquet\\.[0-9a-f-]{36}\\.tmp");
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void stagingPathRejectsFileNamesWithFolders() {
    assertThatThrownBy(() -> FileCommit.stagingPath(tableDir, "sweep=a/run-1.parquet"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot create staging path: file name must be non-empty and contain no '/' (got"
                + " 'sweep=a/run-1.parquet')");
    assertThatThrownBy(() -> FileCommit.stagingPath(tableDir, ""))
        .hasMessage(
            "Cannot create staging path: file name must be non-empty and contain no '/' (got '')");
  }

  @Test
  void commitsOntoMissingTargetCreatingItsFolder() throws IOException {
    Path target = new Path(tableDir, "sweep=a/run-1.parquet");
    Path staging = FileCommit.stagingPath(tableDir, "run-1.parquet");
    write(local, staging, "new");

    FileCommit.commit(local, staging, target);

    assertThat(read(local, target)).isEqualTo("new");
    assertThat(local.exists(staging)).isFalse();
    assertThat(visibleFiles()).containsExactly("sweep=a/run-1.parquet");
  }

  @Test
  void replacesExistingTargetLeavingExactlyOneFile() throws IOException {
    Path target = new Path(tableDir, "run-1.parquet");
    write(local, target, "old");
    Path staging = FileCommit.stagingPath(tableDir, "run-1.parquet");
    write(local, staging, "new");

    FileCommit.commit(local, staging, target);

    assertThat(read(local, target)).isEqualTo("new");
    assertThat(visibleFiles()).containsExactly("run-1.parquet");
    assertThat(filesIn("_staging")).isEmpty();
  }

  @Test
  void worksWithFileUris() throws IOException {
    Path root = new Path("file://" + tempDir.toAbsolutePath());
    FileSystem fs = root.getFileSystem(new Configuration());
    Path target = new Path(root, "run-1.parquet");
    write(fs, target, "old");
    Path staging = FileCommit.stagingPath(root, "run-1.parquet");
    write(fs, staging, "new");

    FileCommit.commit(fs, staging, target);

    assertThat(staging.toUri().getScheme()).isEqualTo("file");
    assertThat(read(fs, target)).isEqualTo("new");
    assertThat(visibleFiles()).containsExactly("run-1.parquet");
  }

  @Test
  void replacesExistingTargetWhenRenameRefusesToOverwriteLikeHdfs() throws IOException {
    FileSystem hdfsLike = refusingRenames((src, dst) -> exists(dst));
    Path target = new Path(tableDir, "run-1.parquet");
    write(local, target, "old");
    Path staging = FileCommit.stagingPath(tableDir, "run-1.parquet");
    write(local, staging, "new");

    FileCommit.commit(hdfsLike, staging, target);

    assertThat(read(local, target)).isEqualTo("new");
    assertThat(visibleFiles()).containsExactly("run-1.parquet");
    assertThat(filesIn("_staging")).isEmpty();
  }

  @Test
  void keepsPreviousTargetAndStagingWhenRenameFailsMidway() throws IOException {
    Path target = new Path(tableDir, "run-1.parquet");
    write(local, target, "old");
    Path staging = FileCommit.stagingPath(tableDir, "run-1.parquet");
    write(local, staging, "new");
    FileSystem failing = refusingRenames((src, dst) -> src.equals(staging));

    assertThatThrownBy(() -> FileCommit.commit(failing, staging, target))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "Cannot commit "
                + staging
                + " to "
                + target
                + ": rename failed after moving the existing target aside; it was restored (got"
                + " false)");
    assertThat(read(local, target)).isEqualTo("old");
    assertThat(read(local, staging)).isEqualTo("new");
  }

  @Test
  void namesTheKeptCopyWhenThePreviousTargetCannotBeRestored() throws IOException {
    Path target = new Path(tableDir, "run-1.parquet");
    write(local, target, "old");
    Path staging = FileCommit.stagingPath(tableDir, "run-1.parquet");
    write(local, staging, "new");
    FileSystem failing =
        refusingRenames((src, dst) -> src.equals(staging) || src.getName().endsWith(".replaced"));

    assertThatThrownBy(() -> FileCommit.commit(failing, staging, target))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(
            "Cannot commit "
                + staging
                + " to "
                + target
                + ": rename failed and the previous target could not be restored; it is kept at "
                + new Path(tableDir, "_staging/run-1.parquet."))
        .hasMessageEndingWith(".replaced (got false)");
    assertThat(read(local, staging)).isEqualTo("new");
    assertThat(visibleFiles()).isEmpty();
  }

  @Test
  void rejectsMissingStagingFile() throws IOException {
    Path target = new Path(tableDir, "run-1.parquet");
    write(local, target, "old");
    Path staging = FileCommit.stagingPath(tableDir, "run-1.parquet");

    assertThatThrownBy(() -> FileCommit.commit(local, staging, target))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessage(
            "Cannot commit "
                + staging
                + " to "
                + target
                + ": staging file does not exist (got "
                + staging
                + ")");
    assertThat(read(local, target)).isEqualTo("old");
  }

  @Test
  void rejectsTargetThatIsAFolder() throws IOException {
    Path target = new Path(tableDir, "run-1.parquet");
    local.mkdirs(target);
    Path staging = FileCommit.stagingPath(tableDir, "run-1.parquet");
    write(local, staging, "new");

    assertThatThrownBy(() -> FileCommit.commit(local, staging, target))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "Cannot commit "
                + staging
                + " to "
                + target
                + ": target is a directory (got "
                + target
                + ")");
    assertThat(read(local, staging)).isEqualTo("new");
  }

  /** The local filesystem, except that renames matching {@code refuse} return false. */
  private FileSystem refusingRenames(BiPredicate<Path, Path> refuse) {
    return new FilterFileSystem(local) {
      @Override
      public boolean rename(Path src, Path dst) throws IOException {
        return !refuse.test(src, dst) && super.rename(src, dst);
      }
    };
  }

  private boolean exists(Path path) {
    try {
      return local.exists(path);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Files under the table folder that Spark would read, relative to it. */
  private List<String> visibleFiles() throws IOException {
    try (Stream<java.nio.file.Path> files = Files.walk(tempDir)) {
      return files
          .filter(Files::isRegularFile)
          .map(tempDir::relativize)
          .filter(
              relative -> {
                for (java.nio.file.Path part : relative) {
                  String name = part.toString();
                  if (name.startsWith("_") || name.startsWith(".")) {
                    return false;
                  }
                }
                return true;
              })
          .map(java.nio.file.Path::toString)
          .sorted()
          .toList();
    }
  }

  /** Every file, hidden ones (checksums) included, in a folder of the table. */
  private List<String> filesIn(String folder) throws IOException {
    java.nio.file.Path dir = tempDir.resolve(folder);
    try (Stream<java.nio.file.Path> files = Files.list(dir)) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    }
  }

  private static void write(FileSystem fs, Path path, String content) throws IOException {
    try (OutputStream out = fs.create(path, false)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String read(FileSystem fs, Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
