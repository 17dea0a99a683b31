package dev.troupe.retrieval;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;

/**
 * One of LangChain4j's bundled ONNX sentence encoders (the same model and tokenizer files, from the same
 * jars), run by an ONNX Runtime session of our own: it uses every core but one. The bundled classes leave
 * ONNX Runtime at its default of every core, so a hybrid search's BM25, which runs beside the query's
 * embedding, fought it for the cores: on 2 cores a query embedded in 9–10 ms alone but in 15–21 ms with
 * BM25 beside it, against a steady 14 ms either way with one thread. Embedding many texts loses nothing:
 * LangChain4j already spreads a batch over one thread per core.
 */
final class OnnxEmbeddingModel extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;
    private final int dimension;

    OnnxEmbeddingModel(String modelFile, String tokenizerFile, PoolingMode pooling, int dimension) {
        super(null);
        this.dimension = dimension;
        try (InputStream model = resource(modelFile); InputStream tokenizer = resource(tokenizerFile);
                OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads());
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            this.encoder = new OnnxBertBiEncoder(environment, environment.createSession(model.readAllBytes(), options), tokenizer, pooling);
        } catch (IOException | OrtException e) {
            throw new IllegalStateException("cannot load the embedding model " + modelFile + " (" + e.getMessage()
                    + "); its LangChain4j embeddings jar must be on the class path", e);
        }
    }

    /** Every core but one, which is left to the BM25 search that runs while a query is embedded. */
    static int intraOpThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = OnnxEmbeddingModel.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path");
        }
        return in;
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return dimension;
    }
}
