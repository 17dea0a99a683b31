package dev.troupe.retrieval;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.util.Locale;

/**
 * The in-process embedding models the retriever can use (both run on the CPU through ONNX, no network):
 * the files LangChain4j bundles (the same pooling as its own classes), run by {@link OnnxEmbeddingModel};
 * each is loaded once per JVM on first use.
 */
public enum EmbeddingModels {
    // BGE is the default (see DEFAULT): on the three StableToolBench G1 files it beat MiniLM dense and hybrid on every file.
    /** sentence-transformers all-MiniLM-L6-v2, 384 dimensions; symmetric, so queries are embedded as they are. */
    ALL_MINILM_L6_V2("all-minilm-l6-v2", 384, "", PoolingMode.MEAN),
    /** BAAI bge-small-en-v1.5, int8-quantised, 384 dimensions; queries get the instruction its authors prescribe for retrieval. */
    BGE_SMALL_EN_V15_Q("bge-small-en-v1.5-q", 384, "Represent this sentence for searching relevant passages: ", PoolingMode.CLS);

    /** The model catalogs and evaluations use unless told otherwise. */
    public static final EmbeddingModels DEFAULT = BGE_SMALL_EN_V15_Q;

    private final String id;
    private final int dimension;
    private final String queryPrefix;
    private final PoolingMode pooling;
    private volatile EmbeddingModel model;

    /** {@code id} is also the name of the model's files in LangChain4j's jar: {@code id.onnx} and {@code id-tokenizer.json}. */
    EmbeddingModels(String id, int dimension, String queryPrefix, PoolingMode pooling) {
        this.id = id;
        this.dimension = dimension;
        this.queryPrefix = queryPrefix;
        this.pooling = pooling;
    }

    /** The name stored in a catalog's manifest. */
    public String id() {
        return id;
    }

    public int dimension() {
        return dimension;
    }

    /** The text to embed for a search query. */
    public String queryText(String query) {
        return queryPrefix + query;
    }

    /** Whether this process has loaded the model already ({@link #model()} loads it once). */
    public boolean loaded() {
        return model != null;
    }

    public EmbeddingModel model() {
        EmbeddingModel m = model;
        if (m == null) {
            synchronized (this) {
                if (model == null) {
                    model = new OnnxEmbeddingModel(id + ".onnx", id + "-tokenizer.json", pooling, dimension);
                }
                m = model;
            }
        }
        return m;
    }

    public static EmbeddingModels byId(String id) {
        for (EmbeddingModels m : values()) {
            if (m.id.equals(id) || m.name().equalsIgnoreCase(id.replace('-', '_').toUpperCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown embedding model '" + id + "'; known: all-minilm-l6-v2, bge-small-en-v1.5-q");
    }
}
