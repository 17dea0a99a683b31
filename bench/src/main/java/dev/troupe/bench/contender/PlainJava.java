package dev.troupe.bench.contender;

import dev.langchain4j.model.chat.ChatModel;
import dev.troupe.bench.workload.Shapes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The floor: the model called directly, in a loop for the chain and with CompletableFuture for the DAG. */
public final class PlainJava implements Contender {
    private final ChatModel model;
    private final ExecutorService branches = Executors.newVirtualThreadPerTaskExecutor();

    public PlainJava(ChatModel model) {
        this.model = model;
    }

    @Override
    public String name() {
        return "plain Java (floor)";
    }

    @Override
    public String parallelism() {
        return "CompletableFuture.supplyAsync per branch on a virtual-thread executor, then join()";
    }

    @Override
    public String chain(String requirement) {
        String out = requirement;
        for (String step : Shapes.CHAIN) {
            out = Ask.step(model, step, out);
        }
        return out;
    }

    @Override
    public String dag(String requirement) {
        String a = Ask.step(model, Shapes.DAG_HEAD, requirement);
        CompletableFuture<String> left = CompletableFuture.supplyAsync(() -> branch(Shapes.DAG_LEFT, a), branches);
        CompletableFuture<String> right = CompletableFuture.supplyAsync(() -> branch(Shapes.DAG_RIGHT, a), branches);
        return Ask.step(model, Shapes.DAG_JOIN, Shapes.joinInput(left.join(), right.join()));
    }

    private String branch(Iterable<String> steps, String input) {
        String out = input;
        for (String step : steps) {
            out = Ask.step(model, step, out);
        }
        return out;
    }

    @Override
    public void close() {
        branches.close();
    }
}
