package org.phasemap.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The values one run field allows on its own: a test, and the text that says what it accepts in
 * error messages ({@code "(allowed: number in [0, 1])"}) and in docs/SPEC.md.
 *
 * <p>Both come from the same factory call, so the text cannot drift from the test. Rules that tie
 * two fields together (d_model divisible by n_heads, log_interval at most steps) are not tested
 * here but in {@link RunConfig}'s cross-field checks; the text may still name them ({@link
 * #noting}, {@link #integersUpTo}) so that a reader sees the whole rule in one place.
 *
 * @param <T> the type of the field's values as written in specs and table columns ({@link Integer},
 *     {@link Long}, {@link Double}, {@link Boolean} or {@link String})
 */
public final class Allowed<T> {
  private final String text;
  private final Predicate<? super T> test;

  private Allowed(String text, Predicate<? super T> test) {
    this.text = Objects.requireNonNull(text, "text");
    this.test = Objects.requireNonNull(test, "test");
  }

  /** What is allowed, as shown after {@code "allowed: "} in messages and in docs/SPEC.md. */
  public String text() {
    return text;
  }

  /** Whether {@code value} is allowed; never for {@code null}. */
  public boolean permits(T value) {
    return value != null && test.test(value);
  }

  /** Any value that {@code test} accepts, described by {@code text}. */
  public static <T> Allowed<T> matching(String text, Predicate<? super T> test) {
    return new Allowed<>(text, test);
  }

  /** Integers in [low, high]. */
  public static Allowed<Integer> integers(int low, int high) {
    return new Allowed<>("integer in [" + low + ", " + high + "]", v -> v >= low && v <= high);
  }

  /** Odd integers in [low, high]. */
  public static Allowed<Integer> oddIntegers(int low, int high) {
    return new Allowed<>(
        "odd integer in [" + low + ", " + high + "]", v -> v >= low && v <= high && v % 2 != 0);
  }

  /**
   * Integers in [low, {@code bound}] where {@code bound} is another field, whose own largest value
   * is {@code boundMax}. On its own a value may be anything in [low, boundMax]; that it does not
   * exceed the other field is a cross-field check of {@link RunConfig}.
   */
  public static Allowed<Integer> integersUpTo(int low, String bound, int boundMax) {
    return new Allowed<>("integer in [" + low + ", " + bound + "]", v -> v >= low && v <= boundMax);
  }

  /** Every 64-bit integer. */
  public static Allowed<Long> anyLong() {
    return new Allowed<>("any 64-bit integer", v -> true);
  }

  /** Both booleans. */
  public static Allowed<Boolean> anyBoolean() {
    return new Allowed<>("true | false", v -> true);
  }

  /** Numbers in [low, high]. */
  public static Allowed<Double> closed(double low, double high) {
    return numbers('[', low, high, ']', v -> v >= low && v <= high);
  }

  /** Numbers in (low, high). */
  public static Allowed<Double> open(double low, double high) {
    return numbers('(', low, high, ')', v -> v > low && v < high);
  }

  /** Numbers in [low, high). */
  public static Allowed<Double> closedOpen(double low, double high) {
    return numbers('[', low, high, ')', v -> v >= low && v < high);
  }

  /** Numbers in (low, high]. */
  public static Allowed<Double> openClosed(double low, double high) {
    return numbers('(', low, high, ']', v -> v > low && v <= high);
  }

  /** The spellings of {@code type}'s constants ({@link RunConfig.Choice#specName()}). */
  public static <E extends Enum<E> & RunConfig.Choice> Allowed<String> spellingsOf(Class<E> type) {
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.specName());
    }
    return new Allowed<>(String.join(" | ", names), names::contains);
  }

  /**
   * The same test, its text followed by {@code note}: a rule involving another field, checked
   * together with that field ({@code "integer in [2, 4096], divisible by n_heads"}).
   */
  public Allowed<T> noting(String note) {
    return new Allowed<>(text + ", " + note, test);
  }

  private static Allowed<Double> numbers(
      char open, double low, double high, char close, Predicate<Double> test) {
    return new Allowed<>("number in " + open + plain(low) + ", " + plain(high) + close, test);
  }

  /** A bound as people write it: 10, not 10.0. */
  private static String plain(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  @Override
  public String toString() {
    return text;
  }
}
