package dev.troupe.agents.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runtime's packages depend on each other one way; these rules, checked on the compiled
 * classes, fail the build when a cycle comes back. How an action runs is layered: {@code action}
 * (the executor) uses {@code reflection} (the decorator), which uses {@code planner} (the
 * strategies), which uses {@code tool}; nothing below reaches back up.
 */
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

    @Test
    void actionPlannerAndReflectionFormNoCycle() {
        slices().matching("dev.troupe.agents.(action|planner|reflection|tool|command)..").should().beFreeOfCycles().check(runtime);
    }

    @Test
    void plannersKnowNeitherTheExecutorNorReflection() {
        noClasses().that().resideInAPackage("dev.troupe.agents.planner..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.troupe.agents.action..", "dev.troupe.agents.reflection..")
                .check(runtime);
    }

    @Test
    void reflectionDoesNotKnowTheExecutor() {
        noClasses().that().resideInAPackage("dev.troupe.agents.reflection..")
                .should().dependOnClassesThat().resideInAPackage("dev.troupe.agents.action..")
                .check(runtime);
    }

    @Test
    void toolsKnowNoPlanner() {
        noClasses().that().resideInAPackage("dev.troupe.agents.tool..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.troupe.agents.action..", "dev.troupe.agents.planner..",
                        "dev.troupe.agents.reflection..")
                .check(runtime);
    }
}
