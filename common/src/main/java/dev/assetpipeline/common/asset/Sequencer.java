package dev.assetpipeline.common.asset;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * S3's per-key event order. Values may differ in length; AWS says to right-pad the shorter with
 * zeros and compare as strings. Padding every value to one fixed width gives the same order for any
 * pair, so the padded form is stored and PostgreSQL compares it with a plain {@code >} (collation C).
 */
public record Sequencer(String value) implements Comparable<Sequencer> {

    public static final int WIDTH = 64;
    private static final Pattern HEX = Pattern.compile("[0-9A-F]{1," + WIDTH + "}");

    public Sequencer {
        if (!HEX.matcher(value).matches() || value.length() != WIDTH) {
            throw new IllegalArgumentException("not a normalized sequencer: " + value);
        }
    }

    /** Normalizes a sequencer as S3 sends it; rejects anything that is not hex of sensible length. */
    public static Sequencer parse(String raw) {
        String upper = raw.trim().toUpperCase(Locale.ROOT);
        if (!HEX.matcher(upper).matches()) {
            throw new IllegalArgumentException("sequencer is not 1 to " + WIDTH + " hex digits: " + raw);
        }
        return new Sequencer(upper + "0".repeat(WIDTH - upper.length()));
    }

    public boolean isNewerThan(Sequencer other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(Sequencer other) {
        return value.compareTo(other.value);
    }
}
