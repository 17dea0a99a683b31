package dev.troupe.bench.workload;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the used heap every few milliseconds on a platform thread and keeps the peak. Used heap
 * includes garbage not yet collected, so the peak says how much a batch of runs allocated and held
 * between collections, not only its live set.
 */
final class HeapSampler implements AutoCloseable {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;
    private volatile boolean stop;

    private HeapSampler(long intervalMillis) {
        sample();
        this.thread = Thread.ofPlatform().daemon().name("bench-heap-sampler").start(() -> {
            while (!stop) {
                sample();
                try {
                    Thread.sleep(intervalMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    static HeapSampler start(long intervalMillis) {
        return new HeapSampler(intervalMillis);
    }

    /** The used heap after full collections, to start a measurement from a clean heap. */
    static long usedAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    private void sample() {
        peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
    }

    long peakBytes() {
        return peak.get();
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
    }
}
