package org.phasemap.driver.spec;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" hints for misspelt keys. */
final class Suggest {
  private Suggest() {}

  /**
   * The allowed name closest to {@code key} as {@code "; did you mean 'x'?"}, or an empty string
   * when none is close. Close means at most two edits (insert, delete, substitute or swap two
   * neighbours), ignoring case, and fewer edits than the key has characters, so that short
   * unrelated keys are not "corrected".
   */
  static String didYouMean(String key, Collection<String> allowed) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : allowed) {
      int d = distance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= 2 && bestDistance < key.length()
        ? "; did you mean '" + best + "'?"
        : "";
  }

  /** Optimal string alignment distance: Levenshtein plus transposition of adjacent characters. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
