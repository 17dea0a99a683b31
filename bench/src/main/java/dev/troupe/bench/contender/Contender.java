package dev.troupe.bench.contender;

/**
 * One framework running the bench's workflows on the shared fake model. Both methods block until
 * the run is over and return its final output; they must be safe to call from many threads.
 */
public interface Contender extends AutoCloseable {

    /** The name in the tables, e.g. {@code Troupe} or {@code LangGraph4j}. */
    String name();

    /** What the framework needed to run the DAG's branches at the same time. */
    String parallelism();

    /** Runs the 5-step chain on {@code requirement} and returns the last step's output. */
    String chain(String requirement);

    /** Runs the DAG on {@code requirement} and returns the join's output. */
    String dag(String requirement);

    @Override
    default void close() {}
}
