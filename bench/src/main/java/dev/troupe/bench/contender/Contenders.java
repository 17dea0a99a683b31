package dev.troupe.bench.contender;

import com.google.common.collect.ImmutableList;
import dev.langchain4j.model.chat.ChatModel;

/** The contenders of each workload, the plain-Java floor first. */
public final class Contenders {
    private Contenders() {}

    /** Floor, Troupe, langchain4j-agentic, LangGraph4j (with its executor), all on {@code model}. */
    public static ImmutableList<Contender> standard(ChatModel model) {
        return ImmutableList.of(new PlainJava(model), new TroupeContender(model), new AgenticContender(model),
                new LangGraphContender(model, true));
    }

    /** {@link #standard} plus Troupe with its SQLite journal on, for workload 1. */
    public static ImmutableList<Contender> forChain(ChatModel model) {
        return ImmutableList.<Contender>builder().addAll(standard(model)).add(TroupeContender.journaled(model)).build();
    }

    /** {@link #standard} plus LangGraph4j without an executor, to show what the executor buys. */
    public static ImmutableList<Contender> forDag(ChatModel model) {
        return ImmutableList.<Contender>builder().addAll(standard(model)).add(new LangGraphContender(model, false)).build();
    }

    /** The floor and Troupe, for the 10,000-run batch. */
    public static ImmutableList<Contender> floorAndTroupe(ChatModel model) {
        return ImmutableList.of(new PlainJava(model), new TroupeContender(model));
    }

    public static void closeAll(Iterable<Contender> contenders) {
        contenders.forEach(Contender::close);
    }
}
