package dev.troupe.agents.team;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.agents.message.Message;
import dev.troupe.agents.team.Schedule.From;
import org.junit.jupiter.api.Test;

/** The scheduler's rules one call at a time: roles are names, workers are names, no thread runs. */
class ScheduleTest {
    private final Schedule<String, String> schedule = new Schedule<>();

    private static Message news(String cause, int round) {
        return Message.builder().runId("run").round(round).sender("someone").causeBy(cause).content(cause).build();
    }

    @Test
    void newsForAnIdleRoleStartsItsStepAtOnceWithTheNews() {
        assertThat(schedule.deliver("Dev", news("Spec", 1), From.STEP)).isTrue();

        assertThat(schedule.begin("Dev", "t1")).get().extracting(l -> l.getFirst().causeBy()).isEqualTo("Spec");
        assertThat(schedule.hasNews("Dev")).isFalse();
    }

    @Test
    void newsForAWorkingRoleWaitsAndTheSameThreadTakesItUpWhenTheStepEnds() {
        schedule.deliver("Dev", news("Spec", 1), From.STEP);
        schedule.begin("Dev", "t1");

        assertThat(schedule.deliver("Dev", news("Review", 2), From.STEP)).as("it works: the news waits").isFalse();
        assertThat(schedule.begin("Dev", "t2")).as("no second step at once").isEmpty();

        Schedule.Next<String> next = schedule.after("Dev", "t1");
        assertThat(next.continueWith()).contains("Dev");
        assertThat(next.news()).extracting(Message::causeBy).containsExactly("Review");
        assertThat(next.quiescent()).isFalse();
    }

    @Test
    void newsThatWaitsForItsPublishersThreadIsNotTakenUpByAnotherThread() {
        schedule.deliver("Lead", news("UserRequirement", 0), From.STEP);
        schedule.begin("Lead", "replayer");
        schedule.deliver("Dev", news("Spec", 1), From.LAST_OF_STEP, "replayer");

        Schedule.Next<String> starter = schedule.after(null, "starter");
        assertThat(starter.continueWith()).as("a thread that has done no step takes no one else's news").isEmpty();
        assertThat(starter.start()).isEmpty();
        assertThat(starter.quiescent()).isFalse();
        assertThat(schedule.after("Lead", "replayer").continueWith()).contains("Dev");
    }

    @Test
    void theLastPublishOfAStepHandsItsNewsToThePublishersThreadAndStartsTheOthers() {
        schedule.deliver("Lead", news("UserRequirement", 0), From.STEP);
        schedule.begin("Lead", "caller");

        assertThat(schedule.deliver("Frontend", news("Kickoff", 1), From.LAST_OF_STEP, "caller")).isFalse();
        assertThat(schedule.deliver("Backend", news("Kickoff", 1), From.LAST_OF_STEP, "caller")).isFalse();
        Schedule.Next<String> next = schedule.after("Lead", "caller");

        assertThat(next.continueWith()).as("a chain goes on on the publisher's thread").contains("Frontend");
        assertThat(next.start()).as("a fan-out's other branch gets its own thread").containsExactly("Backend");
        assertThat(schedule.begin("Backend", "t2")).isPresent();
    }

    @Test
    void theRunIsQuiescentOnlyWhenNothingWorksAndNothingWaits() {
        schedule.deliver("Dev", news("Spec", 1), From.STEP);
        schedule.begin("Dev", "t1");
        schedule.deliver("Qa", news("Spec", 1), From.STEP);
        schedule.begin("Qa", "t2");

        assertThat(schedule.after("Dev", "t1").quiescent()).as("Qa still works").isFalse();
        assertThat(schedule.after("Qa", "t2").quiescent()).isTrue();
    }

    @Test
    void restoredNewsStartsNothingAndNewsAStepAnswersIsDropped() {
        assertThat(schedule.deliver("Dev", news("Spec", 1), From.RESTORE)).isFalse();
        assertThat(schedule.deliver("Dev", news("Review", 2), From.RESTORE)).isFalse();

        schedule.dropNews("Dev", m -> m.causeBy().equals("Spec"));

        assertThat(schedule.begin("Dev", "t1")).get().extracting(l -> l.stream().map(Message::causeBy).toList())
                .isEqualTo(java.util.List.of("Review"));
    }

    @Test
    void anEndedScheduleNamesWhatWorkedOnceAndTakesNoMoreNews() {
        schedule.deliver("Dev", news("Spec", 1), From.STEP);
        schedule.begin("Dev", "t1");

        assertThat(schedule.finish()).get().satisfies(w -> assertThat(w).containsExactly("t1"));
        assertThat(schedule.finish()).as("only once").isEmpty();
        assertThat(schedule.deliver("Qa", news("Code", 2), From.STEP)).isFalse();
        assertThat(schedule.after("Dev", "t1").continueWith()).isEmpty();
    }
}
