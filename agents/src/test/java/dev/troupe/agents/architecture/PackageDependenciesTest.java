package dev.troupe.agents.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The runtime's packages depend on each other one way; these rules fail the build when a cycle comes back. */
class PackageDependenciesTest {
    private static JavaClasses runtime;

    @BeforeAll
    static void importRuntime() {
        runtime = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.troupe.agents");
    }

    @Test
    void theModelGatewayKnowsNothingOfRunEvents() {
        // Events describe model calls (usage, cost), so event depends on model; the gateway reports through
        // model.ModelCallListener instead of naming the run's listeners.
        noClasses().that().resideInAPackage("dev.troupe.agents.model..")
                .should().dependOnClassesThat().resideInAPackage("dev.troupe.agents.event..")
                .check(runtime);
    }
}
