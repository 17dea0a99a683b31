package dev.troupe.agents.model.offline;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.troupe.agents.error.TroupeException;
import dev.troupe.agents.testing.Fakes;

/**
 * Feeds the scripted-model loader arbitrary YAML and, when it loads, asks it one question: every
 * rejection must be a {@link TroupeException} naming the file; anything else is a finding.
 */
class ScriptedModelFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void everyRejectionIsATroupeExceptionNamingTheFile(FuzzedDataProvider data) {
        String yaml = data.consumeRemainingAsString();
        try {
            ScriptedModel model = ScriptedModel.parse(yaml, "fuzz.yaml", "scripted:fuzz.yaml");
            model.chat(Fakes.request("Alice", "WritePRD", "a snake game"));
        } catch (TroupeException e) {
            if (e.getMessage() == null || !e.getMessage().contains("fuzz.yaml")) {
                throw new AssertionError("rejection does not name the file: " + e.getMessage(), e);
            }
        }
    }
}
