package org.phasemap.worker.io;

import java.math.BigInteger;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The little JSON phasemap needs, without a dependency: a strict reader for <em>flat</em> objects
 * (a model's {@code config.json}, a run's {@code config_json}) and a writer for reports.
 *
 * <p>The reader accepts exactly RFC 8259 JSON whose top level is one object of strings, numbers,
 * {@code true}, {@code false} and {@code null}; nested objects or arrays, duplicate keys, trailing
 * text, NaN/Infinity (which Python's {@code json.dump} writes for nan/inf) are errors that say where
 * and what was found. Integral numbers without fraction or exponent become {@link Long} (or {@link
 * BigInteger} beyond 64 bits), all others {@link Double}, so that {@code RunConfig.fromMap} can tell
 * an integer field from a fractional value.
 */
public final class Json {
  private Json() {}

  /**
   * Parses a flat JSON object, keeping key order; {@code source} names the text in error messages.
   */
  public static Map<String, Object> parseFlatObject(String text, String source) {
    return new Reader(text, source).object();
  }

  /**
   * Writes a value as JSON: maps (string keys) as objects, collections, {@code int[]}, {@code
   * long[]} and {@code double[]} as arrays, numbers, booleans, null, anything else as its string.
   * Non-finite doubles are written as {@code null} (JSON has no NaN). Objects and arrays of objects
   * get one member per line; arrays of scalars stay on one line.
   */
  /**
   * A flat object (strings, numbers, booleans, null) on one line, e.g. a run config in a table
   * column: {@code {"preset": "nanda2023", "modulus": 113}}.
   */
  public static String writeFlat(Map<String, ?> m) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, ?> e : m.entrySet()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(quote(e.getKey())).append(": ");
      Object v = e.getValue();
      sb.append(v == null ? "null" : v instanceof Number || v instanceof Boolean ? v.toString() : quote(v.toString()));
    }
    return sb.append('}').toString();
  }

  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, "");
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v, String indent) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        sb.append("{}");
        return;
      }
      String inner = indent + "  ";
      sb.append("{\n");
      int i = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sb.append(inner).append(quote(String.valueOf(e.getKey()))).append(": ");
        write(sb, e.getValue(), inner);
        sb.append(++i < m.size() ? ",\n" : "\n");
      }
      sb.append(indent).append('}');
    } else if (v instanceof Collection<?> c) {
      boolean nested = c.stream().anyMatch(x -> x instanceof Map || x instanceof Collection);
      String inner = indent + "  ";
      sb.append(nested ? "[\n" : "[");
      int i = 0;
      for (Object x : c) {
        if (nested) {
          sb.append(inner);
        }
        write(sb, x, inner);
        if (++i < c.size()) {
          sb.append(nested ? ",\n" : ", ");
        }
      }
      sb.append(nested ? "\n" + indent + "]" : "]");
    } else if (v instanceof double[] a) {
      sb.append('[');
      for (int i = 0; i < a.length; i++) {
        sb.append(i > 0 ? ", " : "").append(number(a[i]));
      }
      sb.append(']');
    } else if (v instanceof int[] a) {
      sb.append('[');
      for (int i = 0; i < a.length; i++) {
        sb.append(i > 0 ? ", " : "").append(a[i]);
      }
      sb.append(']');
    } else if (v instanceof long[] a) {
      sb.append('[');
      for (int i = 0; i < a.length; i++) {
        sb.append(i > 0 ? ", " : "").append(a[i]);
      }
      sb.append(']');
    } else if (v instanceof Double || v instanceof Float) {
      sb.append(number(((Number) v).doubleValue()));
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else {
      sb.append(quote(v.toString()));
    }
  }

  /** A double as JSON: its shortest round-trip text, or null when not finite. */
  private static String number(double d) {
    return Double.isFinite(d) ? Double.toString(d) : "null";
  }

  /** A JSON string literal. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** A recursive-descent reader of one flat object. */
  private static final class Reader {
    private final String s;
    private final String source;
    private int i;

    Reader(String s, String source) {
      this.s = s;
      this.source = source;
    }

    Map<String, Object> object() {
      Map<String, Object> m = new LinkedHashMap<>();
      space();
      expect('{', "a JSON object");
      space();
      if (peek() == '}') {
        i++;
      } else {
        while (true) {
          space();
          if (peek() != '"') {
            throw error("expected a key in double quotes");
          }
          String key = string();
          space();
          expect(':', "':' after key \"" + key + "\"");
          space();
          Object v = value(key);
          if (m.containsKey(key)) {
            throw error("duplicate key \"" + key + "\"");
          }
          m.put(key, v);
          space();
          char c = peek();
          i++;
          if (c == '}') {
            break;
          }
          if (c != ',') {
            i--;
            throw error("expected ',' or '}' after the value of \"" + key + "\"");
          }
        }
      }
      space();
      if (i < s.length()) {
        throw error("unexpected text after the object");
      }
      return m;
    }

    private Object value(String key) {
      char c = peek();
      if (c == '"') {
        return string();
      }
      if (c == '{' || c == '[') {
        throw error("nested objects and arrays are not supported (key \"" + key + "\")");
      }
      if (c == '-' || (c >= '0' && c <= '9')) {
        return number();
      }
      for (String word : new String[] {"true", "false", "null"}) {
        if (s.startsWith(word, i)) {
          i += word.length();
          return word.equals("null") ? null : (Object) Boolean.valueOf(word);
        }
      }
      throw error("expected a string, number, true, false or null for \"" + key + "\"");
    }

    private Object number() {
      int start = i;
      if (peek() == '-') {
        i++;
      }
      if (i < s.length() && s.charAt(i) == '0') {
        i++;
      } else {
        digits();
      }
      boolean integral = true;
      if (i < s.length() && s.charAt(i) == '.') {
        integral = false;
        i++;
        digits();
      }
      if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
        integral = false;
        i++;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
          i++;
        }
        digits();
      }
      String text = s.substring(start, i);
      if (!integral) {
        return Double.parseDouble(text);
      }
      BigInteger b = new BigInteger(text);
      return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    private void digits() {
      int start = i;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      if (i == start) {
        throw error("expected a digit");
      }
    }

    private String string() {
      i++;
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(i++);
        if (c == '"') {
          return sb.toString();
        }
        if (c < 0x20) {
          i--;
          throw error("control character in a string");
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (i >= s.length()) {
          throw error("unterminated string");
        }
        char e = s.charAt(i++);
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw error("short \\u escape");
            }
            try {
              sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            } catch (NumberFormatException x) {
              throw error("bad \\u escape");
            }
            i += 4;
          }
          default -> {
            i--;
            throw error("bad escape '\\" + e + "'");
          }
        }
      }
    }

    private void space() {
      while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
    }

    private char peek() {
      if (i >= s.length()) {
        throw error("unexpected end of text");
      }
      return s.charAt(i);
    }

    private void expect(char c, String what) {
      if (peek() != c) {
        throw error("expected " + what);
      }
      i++;
    }

    private IllegalArgumentException error(String why) {
      int line = 1;
      int col = 1;
      for (int k = 0; k < Math.min(i, s.length()); k++) {
        if (s.charAt(k) == '\n') {
          line++;
          col = 1;
        } else {
          col++;
        }
      }
      String near = i < s.length() ? s.substring(i, Math.min(s.length(), i + 20)) : "end of text";
      return new IllegalArgumentException(
          "Cannot parse "
              + source
              + ": "
              + why
              + " at line "
              + line
              + ", column "
              + col
              + " (got '"
              + near
              + "')");
    }
  }
}
