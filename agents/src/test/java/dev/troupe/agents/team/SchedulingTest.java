package dev.troupe.agents.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.troupe.agents.action.Action;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.RetryPolicy;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.testing.Fakes;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SchedulingTest {
    private static final Duration GENEROUS = Duration.ofSeconds(10);

    private static Role role(String name, String watch, String action) {
        return Role.builder(name).watch(watch).actions(Action.text(action, action + " {{news}}")).build();
    }

    /** Lead kicks off; Frontend and Backend both watch the kickoff. */
    private static Team.Builder fanOut(ModelBackend model) {
        return Team.builder("fan-out")
                .role(role("Lead", Message.USER_REQUIREMENT, "Kickoff"))
                .role(role("Frontend", "Kickoff", "BuildUi"))
                .role(role("Backend", "Kickoff", "BuildApi"))
                .model(model)
                .retryPolicy(RetryPolicy.none());
    }

    /** A backend whose calls for {@code blockedAction} wait until interrupted; other calls answer at once. */
    private static ModelBackend blockingOn(String blockedAction, CountDownLatch started, CountDownLatch interrupted) {
        return Fakes.backend("fake", r -> {
            if (r.action().equals(blockedAction)) {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return Fakes.reply(r.action() + " done");
        });
    }

    /**
     * A backend whose calls for the two {@code actions} each wait until the other is inside its
     * call too (so the test deadlocks, and fails after 8 s, if they do not run at once).
     */
    private static ModelBackend meetingIn(Set<String> actions) {
        CountDownLatch bothInside = new CountDownLatch(2);
        return Fakes.backend("fake", r -> {
            if (actions.contains(r.action())) {
                bothInside.countDown();
                try {
                    if (!bothInside.await(8, TimeUnit.SECONDS)) {
                        throw new IllegalStateException(r.role() + " waited alone in " + r.action() + ": the calls did not run at once");
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return Fakes.reply(r.action() + " done");
        });
    }

    @Test
    void rolesWatchingTheSameActionRunInParallel() {
        ModelBackend model = meetingIn(Set.of("BuildUi", "BuildApi"));

        RunResult result = assertTimeoutPreemptively(GENEROUS, () -> fanOut(model).build().run("a shop"));

        assertThat(result.error()).isEmpty();
        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.documents().keySet()).containsExactlyInAnyOrder("Kickoff", "BuildUi", "BuildApi");
        assertThat(result.document("BuildUi").orElseThrow().round()).isEqualTo(2);
        assertThat(result.document("BuildApi").orElseThrow().round()).isEqualTo(2);
    }

    @Test
    void pingPongPastTheRoundLimitEndsRoundLimit() {
        Team team = Team.builder("ping-pong")
                .role(Role.builder("A").watch(Message.USER_REQUIREMENT, "Pong").actions(Action.text("Ping", "ping {{news}}")).build())
                .role(Role.builder("B").watch("Ping").actions(Action.text("Pong", "pong {{news}}")).build())
                .model(Fakes.script("""
                        replies:
                          - {action: Ping, reply: ping}
                          - {action: Pong, reply: pong}
                        """))
                .maxRounds(3)
                .build();

        RunResult result = assertTimeoutPreemptively(GENEROUS, () -> team.run("serve"));

        assertThat(result.status()).isEqualTo(RunStatus.ROUND_LIMIT);
        assertThat(result.messages()).extracting(Message::causeBy)
                .containsExactly(Message.USER_REQUIREMENT, "Ping", "Pong", "Ping");
        assertThat(result.messages()).extracting(Message::round).containsExactly(0, 1, 2, 3);
        assertThat(result.error()).get().asString()
                .contains("role 'B' would start round 4, past the limit of 3");
    }

    @Test
    void cancelEndsTheRunCancelledAndInterruptsStepsInFlight() {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Team team = fanOut(blockingOn("Kickoff", started, interrupted)).build();

        assertTimeoutPreemptively(GENEROUS, () -> {
            RunHandle handle = team.start("a shop");
            started.await();
            assertThat(handle.isDone()).isFalse();

            handle.cancel();
            RunResult result = handle.await();

            assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(result.error()).contains("the run was cancelled");
            assertThat(result.runId()).isEqualTo(handle.runId());
            assertThat(result.messages()).extracting(Message::causeBy).containsExactly(Message.USER_REQUIREMENT);
            assertThat(handle.isDone()).isTrue();
            interrupted.await();
        });
    }

    @Test
    void failingActionEndsTheRunFailedWithTheError() {
        List<RunEvent.ActionFailed> failures = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        Team team = fanOut(Fakes.backend("fake", r -> {
            calls.incrementAndGet();
            throw new IllegalStateException("backend exploded");
        })).listener(new RunListener() {
            @Override
            public void onActionFailed(RunEvent.ActionFailed e) {
                failures.add(e);
            }
        }).build();

        RunResult result = assertTimeoutPreemptively(GENEROUS, () -> team.run("a shop"));

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).get().asString().contains("backend exploded").contains("role 'Lead', action 'Kickoff'");
        assertThat(calls).hasValue(1);
        assertThat(result.documents().isEmpty()).isTrue();
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.role()).isEqualTo("Lead");
            assertThat(f.action()).isEqualTo("Kickoff");
            assertThat(f.error()).contains("backend exploded");
        });
    }

    @Test
    void runPastItsTimeLimitEndsTimedOut() {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Team team = fanOut(blockingOn("BuildApi", started, interrupted)).timeout(Duration.ofMillis(300)).build();

        RunResult result = assertTimeoutPreemptively(GENEROUS, () -> team.run("a shop"));

        assertThat(result.status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(result.error()).get().asString().contains("time limit");
        assertThat(result.document("Kickoff")).isPresent();
        assertThat(result.document("BuildApi")).isEmpty();
        assertTimeoutPreemptively(GENEROUS, () -> interrupted.await());
    }

    @Test
    void throwingListenerDoesNotBreakTheRun() {
        List<String> finished = new CopyOnWriteArrayList<>();
        Team team = fanOut(Fakes.script("""
                replies:
                  - reply: done
                """))
                .listener(new RunListener() {
                    @Override
                    public void on(RunEvent event) {
                        throw new IllegalStateException("listener bug on " + event.getClass().getSimpleName());
                    }
                })
                .listener(new RunListener() {
                    @Override
                    public void onActionFinished(RunEvent.ActionFinished e) {
                        finished.add(e.action());
                    }

                    @Override
                    public void onRunFinished(RunEvent.RunFinished e) {
                        finished.add("run:" + e.status());
                    }
                })
                .build();

        RunResult result = assertTimeoutPreemptively(GENEROUS, () -> team.run("a shop"));

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.documents().keySet()).containsExactlyInAnyOrder("Kickoff", "BuildUi", "BuildApi");
        assertThat(finished).containsExactlyInAnyOrder("Kickoff", "BuildUi", "BuildApi", "run:SUCCEEDED");
    }

    @Test
    void runsOfOneTeamAreIndependent() {
        Team team = fanOut(Fakes.script("""
                replies:
                  - reply: done
                """)).build();

        RunResult first = assertTimeoutPreemptively(GENEROUS, () -> team.run("one"));
        RunResult second = assertTimeoutPreemptively(GENEROUS, () -> team.run("two"));

        assertThat(first.runId()).isNotEqualTo(second.runId());
        assertThat(first.messages()).hasSize(4).allSatisfy(m -> assertThat(m.runId()).isEqualTo(first.runId()));
        assertThat(second.messages()).hasSize(4).allSatisfy(m -> assertThat(m.runId()).isEqualTo(second.runId()));
        assertThat(second.messages().getFirst().content()).isEqualTo("two");
    }

    @Test
    void roleGetsMessagesThatArriveWhileItWorksInItsNextStep() {
        // Reviewer watches both builds; whichever comes second arrives while it may still be reviewing the first.
        AtomicInteger reviewerSteps = new AtomicInteger();
        Team team = fanOut(Fakes.backend("fake", r -> {
            if (r.role().equals("Reviewer")) {
                reviewerSteps.incrementAndGet();
            }
            return Fakes.reply(r.action() + " done");
        })).role(Role.builder("Reviewer").watch("BuildUi", "BuildApi").actions(Action.text("Review", "Review {{news}}")).build())
                .build();

        RunResult result = assertTimeoutPreemptively(GENEROUS, () -> team.run("a shop"));

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        List<Message> reviews = result.documents().get("Review");
        assertThat(reviews).hasSize(reviewerSteps.get()).isNotEmpty().hasSizeLessThanOrEqualTo(2);
        // Every build reached the reviewer exactly once, as a parent of one of its reviews.
        List<String> reviewed = reviews.stream().flatMap(m -> m.parents().stream()).toList();
        assertThat(reviewed).containsExactlyInAnyOrder(
                result.document("BuildUi").orElseThrow().id(), result.document("BuildApi").orElseThrow().id());
    }

    /** Lead, then Dev, then Qa: each watches the one before. */
    private static Team.Builder chain(ModelBackend model) {
        return Team.builder("chain")
                .role(role("Lead", Message.USER_REQUIREMENT, "Spec"))
                .role(role("Dev", "Spec", "Code"))
                .role(role("Qa", "Code", "Test"))
                .model(model)
                .retryPolicy(RetryPolicy.none());
    }

    @Test
    void runDoesAChainOnTheCallersThread() {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        Team team = chain(Fakes.backend("fake", r -> {
            threads.add(Thread.currentThread());
            return Fakes.reply(r.action() + " done");
        })).build();

        RunResult result = team.run("a shop");

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(threads).hasSize(3).containsOnly(Thread.currentThread());
        // start() returns at once: its steps run elsewhere.
        threads.clear();
        assertThat(assertTimeoutPreemptively(GENEROUS, () -> team.start("a shop").await()).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(threads).hasSize(3).doesNotContain(Thread.currentThread());
    }

    @Test
    void aRoleStillWorkingAfterPublishingLetsTheNextRoleStartAtOnce() {
        // Lead publishes Spec, then takes Notes in the same step; Dev (watching Spec) must run while Lead writes Notes.
        ModelBackend model = meetingIn(Set.of("Notes", "Code"));
        Team team = Team.builder("publish-then-work")
                .role(Role.builder("Lead").watch(Message.USER_REQUIREMENT)
                        .actions(Action.text("Spec", "Spec {{news}}"), Action.text("Notes", "Notes {{news}}")).build())
                .role(role("Dev", "Spec", "Code"))
                .model(model).retryPolicy(RetryPolicy.none()).build();

        RunResult result = assertTimeoutPreemptively(GENEROUS, () -> team.run("a shop"));

        assertThat(result.error()).isEmpty();
        assertThat(result.documents().keySet()).containsExactlyInAnyOrder("Spec", "Notes", "Code");
    }

    @Test
    void aTimeoutOnTheCallersThreadDoesNotLeaveItInterrupted() {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Team team = chain(blockingOn("Code", started, interrupted)).timeout(Duration.ofMillis(300)).build();

        RunResult result = team.run("a shop");

        assertThat(result.status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(interrupted.getCount()).isZero();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void interruptingTheCallerCancelsTheRunAndKeepsItsInterrupt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Team team = chain(blockingOn("Code", started, interrupted)).build();
        AtomicReference<RunResult> result = new AtomicReference<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        Thread caller = Thread.ofPlatform().start(() -> {
            result.set(team.run("a shop"));
            flagKept.set(Thread.currentThread().isInterrupted());
        });

        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        caller.interrupt();
        caller.join(GENEROUS.toMillis());

        assertThat(caller.isAlive()).isFalse();
        assertThat(result.get().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(flagKept).isTrue();
    }
}
