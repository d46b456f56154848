package dev.assetpipeline.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux's /proc says about a service process. */
final class Processes {

    /** USER_HZ: the unit of /proc/[pid]/stat's CPU times on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private Processes() {
    }

    static double rssMegabytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no RSS for pid " + pid);
    }

    /** The machine's idle CPU over {@code millis} milliseconds, in cores (idle and I/O wait, /proc/stat). */
    static double idleCores(long millis) throws IOException, InterruptedException {
        long before = idleTicks();
        long start = System.nanoTime();
        Thread.sleep(millis);
        long after = idleTicks();
        return (after - before) / TICKS_PER_SECOND / ((System.nanoTime() - start) / 1e9);
    }

    private static long idleTicks() throws IOException {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        return Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
    }

    /** User plus system CPU time the process has used, in seconds. */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }
}
