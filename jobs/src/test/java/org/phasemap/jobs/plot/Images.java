package org.phasemap.jobs.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;

/** Checks that a written picture is what a person would call a picture. */
public final class Images {
  private Images() {}

  /**
   * The PNG has this size, is not blank (pixel variance > 0) and has at least {@code colours}
   * colours.
   */
  public static BufferedImage assertPng(Path png, int width, int height, int colours)
      throws Exception {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(png)));
    assertThat(img).as(png.toString()).isNotNull();
    assertThat(img.getWidth()).isEqualTo(width);
    assertThat(img.getHeight()).isEqualTo(height);
    Set<Integer> distinct = new HashSet<>();
    double sum = 0;
    double sumSq = 0;
    long n = (long) width * height;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = img.getRGB(x, y) & 0xFFFFFF;
        distinct.add(rgb);
        double lum = 0.299 * (rgb >> 16) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
        sum += lum;
        sumSq += lum * lum;
      }
    }
    double variance = sumSq / n - (sum / n) * (sum / n);
    assertThat(variance).as("pixel variance of " + png).isGreaterThan(0);
    assertThat(distinct.size()).as("distinct colours of " + png).isGreaterThanOrEqualTo(colours);
    return img;
  }

  /** The SVG parses as XML with an {@code <svg>} root of this size; returns its text. */
  public static String assertSvg(Path svg, int width, int height) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    Document doc = f.newDocumentBuilder().parse(svg.toFile());
    assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
    assertThat(doc.getDocumentElement().getAttribute("width"))
        .isIn(String.valueOf(width), width + "px", width + ".0");
    assertThat(doc.getDocumentElement().getAttribute("height"))
        .isIn(String.valueOf(height), height + "px", height + ".0");
    return Files.readString(svg);
  }

  /** The RGB of one pixel. */
  public static int rgb(BufferedImage img, int x, int y) {
    return img.getRGB(x, y) & 0xFFFFFF;
  }
}
