package dev.troupe.roles;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.troupe.agents.error.TroupeException;

/**
 * Feeds the team loader arbitrary YAML: every rejection must be a {@link TroupeException} that names
 * the file; anything else thrown (a parser's own exception, an NPE, a stack overflow) is a finding.
 * In {@code mvn verify} it runs for a short time in fuzzing mode; see README "Fuzzing" for longer runs.
 */
class TeamLoaderFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void everyRejectionIsATroupeExceptionNamingTheFile(FuzzedDataProvider data) {
        String yaml = data.consumeRemainingAsString();
        try {
            TeamDefinition def = TeamLoader.parse(yaml, "fuzz.yaml");
            if (def.roles().isEmpty()) {
                throw new AssertionError("a loaded team without roles");
            }
        } catch (TroupeException e) {
            if (e.getMessage() == null || !e.getMessage().contains("fuzz.yaml")) {
                throw new AssertionError("rejection does not name the file: " + e.getMessage(), e);
            }
        }
    }
}
