package dev.troupe.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.bench.contender.Contender;
import dev.troupe.bench.contender.Contenders;
import dev.troupe.bench.model.FakeChatModel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every workload at tiny sizes in every framework: the workloads themselves check each run's
 * output and model-call count and throw on a mismatch, so these tests pin the wiring, not speed.
 */
class WorkloadsSmokeTest {

    @Test
    void everyFrameworkRunsTheChainWithFiveCallsPerRun() {
        FakeChatModel model = FakeChatModel.withLatency(Duration.ZERO);
        List<Contender> contenders = Contenders.standard(model);
        try {
            List<ChainOverhead.Row> rows = ChainOverhead.run(new ChainOverhead.Settings(3, 1, 3), model, contenders);

            assertThat(rows).extracting(ChainOverhead.Row::name)
                    .containsExactly("plain Java (floor)", "Troupe", "langchain4j-agentic", "LangGraph4j");
            assertThat(rows).allSatisfy(r -> assertThat(r.bytesPerStep().median()).isPositive());
        } finally {
            Contenders.closeAll(contenders);
        }
    }

    @Test
    void dagBranchesOverlapEverywhereExceptInLangGraphWithoutAnExecutor() {
        FakeChatModel model = FakeChatModel.withLatency(Duration.ofMillis(20));
        List<Contender> contenders = Contenders.forDag(model);
        try {
            List<DagRuns.Row> rows = DagRuns.run(1, model, contenders);

            assertThat(rows).filteredOn(r -> !r.name().contains("no executor"))
                    .allSatisfy(r -> assertThat(r.maxInFlight()).as(r.name()).isEqualTo(2));
            assertThat(rows).filteredOn(r -> r.name().contains("no executor"))
                    .singleElement().satisfies(r -> assertThat(r.maxInFlight()).isEqualTo(1));
        } finally {
            Contenders.closeAll(contenders);
        }
    }

    @Test
    void concurrentRunsEachGetTheirOwnOutputAndFiveCalls() {
        FakeChatModel model = FakeChatModel.countingPerRun(Duration.ofMillis(20));
        List<Contender> contenders = Contenders.standard(model);
        try {
            List<ConcurrentRuns.Row> rows = ConcurrentRuns.run(20, 1, model, contenders);

            assertThat(rows).hasSize(4).allSatisfy(r -> {
                assertThat(r.runs()).isEqualTo(20);
                assertThat(r.maxInFlight()).as(r.name()).isGreaterThan(1);
                assertThat(r.peakPlatformThreads()).isPositive();
            });
        } finally {
            Contenders.closeAll(contenders);
        }
    }
}
