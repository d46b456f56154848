package dev.assetpipeline.benchmark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoublePredicate;

/**
 * The printed result: per figure, ours and its reference as median (min–max) over the rounds, and the
 * ratio of each round's pair (ours / reference), so a noisy machine shows as a range, not as a verdict.
 */
final class Table {

    private record Row(String figure, String unit, double[] ours, double[] reference, String referenceName,
            String target, boolean onRatio, DoublePredicate met) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** A figure compared with a reference measured in the same rounds; the target is on the ratio. */
    void compare(String figure, String unit, double[] ours, String referenceName, double[] reference,
            double minimumRatio) {
        rows.add(new Row(figure, unit, ours, reference, referenceName, "ratio >= " + minimumRatio,
                true, ratio -> ratio >= minimumRatio));
    }

    /** A figure beside a reference to explain another figure's distance from its target: no target of its own. */
    void explain(String figure, String unit, double[] ours, String referenceName, double[] reference) {
        rows.add(new Row(figure, unit, ours, reference, referenceName, "(no target)", true, null));
    }

    /** A figure with an absolute bound (latency, memory, time); lower is better. */
    void atMost(String figure, String unit, double[] ours, String referenceName, double[] reference, double bound) {
        rows.add(new Row(figure, unit, ours, reference, referenceName, "<= " + format(bound) + " " + unit,
                false, median -> median <= bound));
    }

    void note(String line) {
        notes.add(line);
    }

    void print(PrintStream out) {
        out.println();
        out.printf("%-58s | %-24s | %-44s | %-20s | %-14s | %s%n", "figure", "ours: median (min-max)",
                "reference: median (min-max)", "ratio: median (range)", "target", "met");
        out.println("-".repeat(178));
        for (Row row : rows) {
            String reference = row.reference == null ? row.referenceName
                    : row.referenceName + " " + summary(row.reference);
            String ratio = "";
            double judged = median(row.ours);
            if (row.onRatio) {
                double[] ratios = new double[row.ours.length];
                for (int i = 0; i < ratios.length; i++) {
                    ratios[i] = row.ours[i] / row.reference[i];
                }
                ratio = String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", median(ratios), min(ratios), max(ratios));
                judged = median(ratios);
            }
            String met = row.met == null ? "-" : row.met.test(judged) ? "yes" : "NO";
            out.printf("%-58s | %-24s | %-44s | %-20s | %-14s | %s%n", row.figure + " (" + row.unit + ")",
                    summary(row.ours), reference, ratio, row.target, met);
        }
        notes.forEach(note -> out.println("  " + note));
    }

    /** Median (min-max), or the value alone when there is one. */
    static String summary(double[] values) {
        if (values.length == 1) {
            return format(values[0]);
        }
        return format(median(values)) + " (" + format(min(values)) + "-" + format(max(values)) + ")";
    }

    static String format(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}
