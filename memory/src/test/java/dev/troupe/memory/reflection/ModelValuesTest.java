package dev.troupe.memory.reflection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import org.junit.jupiter.api.Test;

class ModelValuesTest {

    @Test
    void actionCallArgumentsCannotBeChangedFromOutside() {
        ObjectNode args = (ObjectNode) ActionCall.of("search", "{\"q\": \"cats\"}").arguments();
        ActionCall call = new ActionCall("search", args);
        args.put("q", "dogs");
        ((ObjectNode) call.arguments()).put("q", "birds");
        assertThat(call.argumentsJson()).isEqualTo("{\"q\":\"cats\"}");
    }

    @Test
    void actionCallsAreEqualWhateverTheOrderOfTheirArguments() {
        assertThat(ActionCall.of("book", "{\"from\": \"PAR\", \"to\": \"BER\"}"))
                .isEqualTo(ActionCall.of("book", "{\"to\": \"BER\", \"from\": \"PAR\"}"))
                .isNotEqualTo(ActionCall.of("book", "{\"to\": \"PAR\", \"from\": \"BER\"}"));
        assertThat(ActionCall.of("book", "{\"from\": \"PAR\"}").toString()).isEqualTo("book {\"from\":\"PAR\"}");
    }

    @Test
    void actionCallsThatPrintTheSameAreEqualWhateverNodeTypesBuiltThem() {
        ObjectNode built = JsonNodeFactory.instance.objectNode();
        built.set("id", LongNode.valueOf(2));

        assertThat(new ActionCall("open", built)).isEqualTo(ActionCall.of("open", "{\"id\": 2}"));
        assertThat(ImmutableSet.of(ActionCall.of("open", "{\"id\": 2}")).contains(new ActionCall("open", built))).isTrue();
    }

    @Test
    void actionCallRefusesArgumentsThatAreNotAJsonObject() {
        assertThatIllegalArgumentException().isThrownBy(() -> ActionCall.of("search", "[1, 2]"))
                .withMessageContaining("arguments of action 'search' must be a JSON object but were [1,2]");
        assertThatIllegalArgumentException().isThrownBy(() -> ActionCall.of("search", "{oops"))
                .withMessageContaining("arguments of action 'search' are not valid JSON");
        assertThatIllegalArgumentException().isThrownBy(() -> ActionCall.of(" search"))
                .withMessageContaining("whitespace");
    }

    @Test
    void trialStepsMustBeNumberedInOrder() {
        Step first = Step.of(0, "", ActionCall.of("a"), "", StepStatus.OK);
        Step third = Step.of(2, "", ActionCall.of("b"), "", StepStatus.OK);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Trial(1, "run", ImmutableList.of(first, third), TrialOutcome.success()))
                .withMessageContaining("step 1 of trial 1 has index 2");
    }

    @Test
    void aStepReplayedInALaterTrialKeepsItsActionAndIsMarked() {
        Step original = Step.of(3, "cart page", ActionCall.of("checkout"), "error 500", StepStatus.FAILED);
        Step replayed = original.asReplayed("ok", StepStatus.OK);
        assertThat(replayed.replayed()).isTrue();
        assertThat(replayed.action()).isEqualTo(original.action());
        assertThat(replayed.index()).isEqualTo(3);
    }

    @Test
    void outcomesSayWhetherTheTrialSucceeded() {
        assertThat(TrialOutcome.success().succeeded()).isTrue();
        TrialOutcome failure = TrialOutcome.failure(FailureReason.CYCLE, "came back to the search page");
        assertThat(failure.succeeded()).isFalse();
        assertThat(failure).isEqualTo(new TrialOutcome.Failure(FailureReason.CYCLE, "came back to the search page"));
    }

    @Test
    void aCorrectionCannotDisableItsOwnCorrectedAction() {
        ActionCall fix = ActionCall.of("fix");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new StepCorrection(Reflection.enforced(1, "use fix", fix, 1), ImmutableSet.of(fix)))
                .withMessageContaining("corrected action fix {} of step 1 is also in that step's disabled set");
    }

    @Test
    void reflectionsNeedALessonAndATrial() {
        assertThatIllegalArgumentException().isThrownBy(() -> Reflection.enforced(1, " ", ActionCall.of("a"), 1))
                .withMessageContaining("lesson of the reflection on step 1 must not be blank");
        assertThatIllegalArgumentException().isThrownBy(() -> Reflection.enforced(1, "x", ActionCall.of("a"), 0))
                .withMessageContaining("fromTrial was 0");
    }
}
