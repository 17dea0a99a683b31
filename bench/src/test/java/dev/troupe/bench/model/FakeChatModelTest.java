package dev.troupe.bench.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FakeChatModelTest {

    @Test
    void answersTheLastUserMessageWithItsTagAroundItsInput() {
        FakeChatModel model = FakeChatModel.withLatency(Duration.ZERO);

        var response = model.chat(ChatRequest.builder()
                .messages(SystemMessage.from("You are R2"), UserMessage.from("S2 <<S1(req-7)>>")).build());

        assertThat(response.aiMessage().text()).isEqualTo("S2(S1(req-7))");
        assertThat(response.tokenUsage()).isEqualTo(FakeChatModel.USAGE);
        assertThat(model.calls()).isEqualTo(1);
    }

    @Test
    void countsCallsPerRunByTheInnermostInput() {
        FakeChatModel model = FakeChatModel.countingPerRun(Duration.ZERO);

        model.chat(UserMessage.from("A <<req-3>>"));
        model.chat(UserMessage.from("D <<B3(B2(B1(A(req-3))))|C3(C2(C1(A(req-3))))>>"));
        model.chat(UserMessage.from("A <<req-4>>"));

        assertThat(model.callsFor("req-3")).isEqualTo(2);
        assertThat(model.callsFor("req-4")).isEqualTo(1);
    }

    @Test
    void rejectsAPromptOutsideTheBenchProtocol() {
        FakeChatModel model = FakeChatModel.withLatency(Duration.ZERO);

        assertThatThrownBy(() -> model.chat(UserMessage.from("hello")))
                .hasMessageContaining("'TAG <<INPUT>>'");
    }
}
