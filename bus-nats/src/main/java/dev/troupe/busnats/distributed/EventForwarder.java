package dev.troupe.busnats.distributed;

import dev.troupe.busnats.TeamStream;
import dev.troupe.busnats.wire.ControlCodec;
import dev.troupe.busnats.wire.ControlRecord;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a worker's run events to the coordinator in the background, in order, so a step never waits
 * on progress reports (a server that is away would stall the model call path). {@link #flush()} lets
 * the worker publish a step's report only after the step's events.
 */
final class EventForwarder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventForwarder.class);

    private final TeamStream stream;
    private final ExecutorService sender;

    EventForwarder(TeamStream stream, String workerName) {
        this.stream = stream;
        this.sender = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("troupe-events-" + workerName).factory());
    }

    void send(ControlRecord.Forwarded record) {
        sender.execute(() -> {
            try {
                stream.publish(stream.subjects().control(record.runId(), record.kind()), UUID.randomUUID().toString(),
                        ControlCodec.encode(record));
            } catch (RuntimeException e) {
                log.warn("Could not forward a {} event of run {}: {}", record.event().getClass().getSimpleName(), record.runId(),
                        e.getMessage());
            }
        });
    }

    /** Waits until every event sent so far has been published (or given up on). */
    void flush() throws InterruptedException {
        Future<?> marker = sender.submit(() -> { });
        try {
            marker.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the event sender failed", e.getCause());
        }
    }

    @Override
    public void close() {
        sender.shutdown();
    }
}
