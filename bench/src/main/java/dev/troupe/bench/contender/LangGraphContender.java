package dev.troupe.bench.contender;

import static org.bsc.langgraph4j.StateGraph.END;
import static org.bsc.langgraph4j.StateGraph.START;
import static org.bsc.langgraph4j.action.AsyncNodeAction.node_async;

import dev.langchain4j.model.chat.ChatModel;
import dev.troupe.bench.workload.Shapes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.bsc.langgraph4j.CompiledGraph;
import org.bsc.langgraph4j.GraphStateException;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.StateGraph;
import org.bsc.langgraph4j.state.AgentState;

/**
 * LangGraph4j: one node per step calling the fake model and writing its output under the step's
 * key. A fan-out edge cannot be joined after more than one node per branch, so each DAG branch is a
 * compiled subgraph; the branches run at once only when a {@link RunnableConfig} names an executor
 * for the fan-out node on every invoke.
 */
public final class LangGraphContender implements Contender {
    private static final String REQUIREMENT = "requirement";
    private final CompiledGraph<AgentState> chain;
    private final CompiledGraph<AgentState> dag;
    private final ExecutorService executor;
    private final RunnableConfig dagConfig;

    /** With {@code executor}, the DAG's fan-out gets a virtual-thread executor on every invoke; without, its branches run one after the other. */
    public LangGraphContender(ChatModel model, boolean executor) {
        try {
            StateGraph<AgentState> c = new StateGraph<>(AgentState::new);
            String previous = START;
            for (String step : Shapes.CHAIN) {
                c.addNode(step, stepNode(model, step, previous.equals(START) ? REQUIREMENT : key(previous)));
                c.addEdge(previous, step);
                previous = step;
            }
            c.addEdge(previous, END);
            this.chain = c.compile();

            StateGraph<AgentState> d = new StateGraph<>(AgentState::new);
            d.addNode(Shapes.DAG_HEAD, stepNode(model, Shapes.DAG_HEAD, REQUIREMENT));
            d.addNode("left", branch(model, Shapes.DAG_LEFT));
            d.addNode("right", branch(model, Shapes.DAG_RIGHT));
            String l = key(Shapes.DAG_LEFT.getLast());
            String r = key(Shapes.DAG_RIGHT.getLast());
            d.addNode(Shapes.DAG_JOIN, node_async(s -> Map.of(key(Shapes.DAG_JOIN),
                    Ask.step(model, Shapes.DAG_JOIN, Shapes.joinInput(value(s, l), value(s, r))))));
            d.addEdge(START, Shapes.DAG_HEAD);
            d.addEdge(Shapes.DAG_HEAD, "left");
            d.addEdge(Shapes.DAG_HEAD, "right");
            d.addEdge("left", Shapes.DAG_JOIN);
            d.addEdge("right", Shapes.DAG_JOIN);
            d.addEdge(Shapes.DAG_JOIN, END);
            this.dag = d.compile();
        } catch (GraphStateException e) {
            throw new IllegalStateException("cannot build the LangGraph4j graphs: " + e.getMessage(), e);
        }
        this.executor = executor ? Executors.newVirtualThreadPerTaskExecutor() : null;
        this.dagConfig = executor ? RunnableConfig.builder().addParallelNodeExecutor(Shapes.DAG_HEAD, this.executor).build()
                : RunnableConfig.builder().build();
    }

    private static CompiledGraph<AgentState> branch(ChatModel model, List<String> steps) throws GraphStateException {
        StateGraph<AgentState> g = new StateGraph<>(AgentState::new);
        String previous = START;
        for (String step : steps) {
            g.addNode(step, stepNode(model, step, previous.equals(START) ? key(Shapes.DAG_HEAD) : key(previous)));
            g.addEdge(previous, step);
            previous = step;
        }
        g.addEdge(previous, END);
        return g.compile();
    }

    private static org.bsc.langgraph4j.action.AsyncNodeAction<AgentState> stepNode(ChatModel model, String step, String inputKey) {
        String outputKey = key(step);
        return node_async(s -> Map.of(outputKey, Ask.step(model, step, value(s, inputKey))));
    }

    private static String value(AgentState s, String key) {
        return s.<String>value(key).orElseThrow(() -> new IllegalStateException("LangGraph4j state has no '" + key + "': " + s.data()));
    }

    private static String key(String step) {
        return step.toLowerCase();
    }

    @Override
    public String name() {
        return executor == null ? "LangGraph4j, no executor" : "LangGraph4j";
    }

    @Override
    public String parallelism() {
        return executor == null
                ? "each branch a compiled subgraph; no executor passed, so the fan-out runs its branches one after the other"
                : "each branch a compiled subgraph (a fan-out cannot be joined after multi-node branches),"
                        + " and RunnableConfig.addParallelNodeExecutor(\"A\", virtual-thread executor) passed on every invoke";
    }

    @Override
    public String chain(String requirement) {
        return value(chain.invoke(Map.of(REQUIREMENT, requirement)).orElseThrow(), key(Shapes.CHAIN.getLast()));
    }

    @Override
    public String dag(String requirement) {
        return value(dag.invoke(Map.of(REQUIREMENT, requirement), dagConfig).orElseThrow(), key(Shapes.DAG_JOIN));
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.close();
        }
    }
}
