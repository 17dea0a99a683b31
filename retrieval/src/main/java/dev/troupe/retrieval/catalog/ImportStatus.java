package dev.troupe.retrieval.catalog;

import java.time.Duration;
import java.util.Locale;

/**
 * Where an import stands, reported after every file and every indexed batch ({@link ImportProgress#status}).
 *
 * @param filesDone files imported or found up to date so far
 * @param filesTotal files this import looks at
 * @param bytesDone bytes of the files to import that were read so far
 * @param bytesTotal bytes of the files to import (files found up to date are not counted)
 * @param functionsIndexed functions indexed (and embedded) so far
 * @param functionsReused functions of files found up to date
 * @param skipped specs or parts skipped so far
 * @param elapsed time since the import started
 */
public record ImportStatus(int filesDone, int filesTotal, long bytesDone, long bytesTotal, int functionsIndexed,
        int functionsReused, int skipped, Duration elapsed) {
    private static final int BAR = 24;

    /** The share of the work done, by bytes read (parsing and embedding both grow with a file's size). */
    public double fraction() {
        return bytesTotal == 0 ? (filesTotal == 0 ? 1 : (double) filesDone / filesTotal) : Math.min(1, (double) bytesDone / bytesTotal);
    }

    /**
     * One progress line: a bar, files, megabytes, functions and their rate, skips, elapsed time and an
     * estimate of the time left from the rate so far (marked as an estimate).
     */
    public String line() {
        double f = fraction();
        int filled = (int) Math.round(f * BAR);
        double seconds = Math.max(1e-3, elapsed.toMillis() / 1000.0);
        String left = f > 0.01 && f < 1 ? ", about " + format(Duration.ofSeconds((long) (seconds / f - seconds))) + " left" : "";
        return String.format(Locale.ROOT, "[%s%s] %3.0f%% %,d/%,d files, %,.0f/%,.0f MB, %,d functions indexed (%,.0f/s), %,d reused, %,d skipped, %s%s",
                "#".repeat(filled), " ".repeat(BAR - filled), 100 * f, filesDone, filesTotal, bytesDone / 1e6, bytesTotal / 1e6,
                functionsIndexed, functionsIndexed / seconds, functionsReused, skipped, format(elapsed), left);
    }

    private static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
