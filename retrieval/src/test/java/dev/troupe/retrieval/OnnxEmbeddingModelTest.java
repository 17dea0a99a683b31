package dev.troupe.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import org.junit.jupiter.api.Test;

class OnnxEmbeddingModelTest {
    private static final String TEXT = "Daily weather forecast for a city, with hourly temperatures and storm warnings";

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** Our session runs the same files with the same pooling as LangChain4j's own classes: the same vectors. */
    @Test
    void embedsAsLangChain4jsBundledClassesDo() {
        assertSameVectors(EmbeddingModels.BGE_SMALL_EN_V15_Q.model(), new BgeSmallEnV15QuantizedEmbeddingModel());
        assertSameVectors(EmbeddingModels.ALL_MINILM_L6_V2.model(), new AllMiniLmL6V2EmbeddingModel());
    }

    private static void assertSameVectors(EmbeddingModel ours, EmbeddingModel bundled) {
        float[] a = ours.embed(TEXT).content().vector();
        float[] b = bundled.embed(TEXT).content().vector();
        assertThat(a).hasSize(384);
        assertThat(ours.dimension()).isEqualTo(384);
        assertThat(cosine(a, b)).isGreaterThan(0.9999);
    }
}
