package dev.troupe.busnats;

import com.google.common.collect.ImmutableList;
import dev.troupe.agents.error.TroupeException;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.message.MessageBus;
import dev.troupe.agents.message.MessageFilter;
import dev.troupe.agents.message.MessageHandler;
import dev.troupe.agents.message.Subscription;
import dev.troupe.busnats.wire.MessageCodec;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamSubscription;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.PublishAck;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus on NATS JetStream: every message is stored in its team's stream under
 * {@code <prefix>.<team>.<run>.<causeBy>} with {@code Nats-Msg-Id} = its id, so a re-publish is
 * dropped. Each subscription is an ordered consumer that starts at the end of the stream and hands
 * matching messages to its handler one at a time, in stream order. As on the in-memory bus,
 * {@link #publish} returns once the server has stored the message and every matching subscription
 * of this bus has been handed it, so an in-process team's scheduler sees its news before it checks
 * for quiescence; subscribers in other processes get it asynchronously.
 */
public final class NatsMessageBus implements MessageBus {
    private static final Logger log = LoggerFactory.getLogger(NatsMessageBus.class);
    /** The subscription whose handler runs on this thread: publishing from it must not wait for itself. */
    private static final ThreadLocal<Sub> DELIVERING = new ThreadLocal<>();

    private final TeamStream stream;
    private final boolean ownsStream;
    private final List<Sub> subscriptions = new CopyOnWriteArrayList<>();

    private NatsMessageBus(TeamStream stream, boolean ownsStream) {
        this.stream = stream;
        this.ownsStream = ownsStream;
    }

    /** Connects to the server of {@code settings} and uses the stream of {@code team}; {@link #close()} disconnects. */
    public static NatsMessageBus connect(NatsSettings settings, String team) {
        return new NatsMessageBus(TeamStream.open(settings, team), true);
    }

    /** A bus on a stream the caller owns (and closes). */
    public static NatsMessageBus on(TeamStream stream) {
        return new NatsMessageBus(stream, false);
    }

    public TeamStream stream() {
        return stream;
    }

    @Override
    public void publish(Message message) {
        PublishAck ack = stream.publish(stream.subjects().message(message.runId(), message.causeBy()), message.id(),
                MessageCodec.encode(message));
        if (ack.isDuplicate()) {
            return;   // stored before: its subscribers had it then
        }
        long deadline = System.nanoTime() + stream.settings().retryFor().toNanos();
        for (Sub s : subscriptions) {
            if (s != DELIVERING.get() && s.filter.matches(message)) {
                s.awaitDelivered(ack.getSeqno(), deadline);
            }
        }
    }

    @Override
    public Subscription subscribe(MessageFilter filter, MessageHandler handler) {
        String subject = subjectFor(filter);
        Sub sub = new Sub(filter, handler, subject, stream.connection().createDispatcher());
        PushSubscribeOptions options = PushSubscribeOptions.builder()
                .stream(stream.subjects().stream())
                .ordered(true)
                .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.New).build())
                .build();
        try {
            sub.nats = stream.retrying("subscribing to " + subject, () -> stream.jetStream().subscribe(subject, sub.dispatcher,
                    sub::onDelivery, false, options));
            // Messages stored up to here are not for this subscription; publish() must not wait for them.
            sub.startSequence = stream.retrying("subscribing to " + subject,
                    () -> sub.nats.getConsumerInfo().getDelivered().getStreamSequence());
        } catch (RuntimeException e) {
            sub.cancel();
            throw e;
        }
        subscriptions.add(sub);
        return sub;
    }

    /** The narrowest subject that still carries every message {@code filter} can match. */
    private String subjectFor(MessageFilter f) {
        TeamSubjects s = stream.subjects();
        boolean oneCause = !f.everything() && f.address().isEmpty() && f.watch().size() == 1;
        String cause = oneCause ? f.watch().iterator().next() : null;
        if (f.runId().isPresent()) {
            return oneCause ? s.message(f.runId().get(), cause) : s.messagesOf(f.runId().get());
        }
        return oneCause ? s.messagesCausedBy(cause) : s.messages();
    }

    @Override
    public ImmutableList<Message> history(String runId) {
        ImmutableList.Builder<Message> out = ImmutableList.builder();
        for (TeamStream.Entry e : stream.read(stream.subjects().messagesOf(runId), 1)) {
            try {
                out.add(MessageCodec.decode(e.body()));
            } catch (TroupeException bad) {
                log.warn("Run {}: skipping record {} that is not a message: {}", runId, e.sequence(), bad.getMessage());
            }
        }
        return out.build();
    }

    @Override
    public void close() {
        subscriptions.forEach(Sub::cancel);
        if (ownsStream) {
            stream.close();
        }
    }

    /** One subscription: its ordered consumer, and how far into the stream it has handed messages to its handler. */
    private final class Sub implements Subscription {
        final MessageFilter filter;
        final MessageHandler handler;
        final String subject;
        final Dispatcher dispatcher;
        volatile JetStreamSubscription nats;
        volatile long startSequence = Long.MAX_VALUE;
        private long delivered;          // guarded by this
        private boolean cancelled;       // guarded by this

        Sub(MessageFilter filter, MessageHandler handler, String subject, Dispatcher dispatcher) {
            this.filter = filter;
            this.handler = handler;
            this.subject = subject;
            this.dispatcher = dispatcher;
        }

        void onDelivery(io.nats.client.Message nm) {
            DELIVERING.set(this);
            try {
                deliver(nm.getData());
            } finally {
                DELIVERING.remove();
                synchronized (this) {
                    delivered = Math.max(delivered, nm.metaData().streamSequence());
                    notifyAll();
                }
            }
        }

        private void deliver(byte[] body) {
            Message m;
            try {
                m = MessageCodec.decode(body);
            } catch (TroupeException e) {
                log.warn("Skipping a record that is not a message: {}", e.getMessage());
                return;
            }
            if (!filter.matches(m)) {
                return;   // sanitised subjects may be shared, and addressed messages arrive on the run's wildcard
            }
            try {
                handler.onMessage(m);
            } catch (RuntimeException e) {
                // As on the in-memory bus: a failing subscriber must not stop its own later deliveries.
                log.error("Subscriber {} failed on message {} ({}): {}", handler, m.id(), m.causeBy(), e.toString(), e);
            }
        }

        synchronized void awaitDelivered(long sequence, long deadlineNanos) {
            if (sequence <= startSequence) {
                return;
            }
            while (!cancelled && delivered < sequence) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    log.warn("Message #{} did not reach the subscription to {} in time; publishing goes on", sequence, subject);
                    return;
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        @Override
        public void cancel() {
            synchronized (this) {
                if (cancelled) {
                    return;
                }
                cancelled = true;
                notifyAll();
            }
            subscriptions.remove(this);
            try {
                if (nats != null) {
                    dispatcher.unsubscribe(nats);
                }
            } catch (RuntimeException e) {
                log.debug("Unsubscribing from {} failed: {}", subject, e.toString());
            }
            stream.connection().closeDispatcher(dispatcher);
        }
    }
}
