package dev.troupe.agents;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * How an action runs is layered one way: {@code action} (the executor) uses {@code reflection}
 * (the decorator), which uses {@code planner} (the strategies), which uses {@code tool}; nothing
 * below reaches back up. Checked on the compiled classes, so a stray import fails the build.
 */
class PackageDependenciesTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.troupe.agents.action", "dev.troupe.agents.planner", "dev.troupe.agents.reflection",
                    "dev.troupe.agents.tool", "dev.troupe.agents.command");

    @Test
    void actionPlannerAndReflectionFormNoCycle() {
        slices().matching("dev.troupe.agents.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void plannersKnowNeitherTheExecutorNorReflection() {
        noClasses().that().resideInAPackage("dev.troupe.agents.planner..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.troupe.agents.action..", "dev.troupe.agents.reflection..")
                .check(CLASSES);
    }

    @Test
    void reflectionDoesNotKnowTheExecutor() {
        noClasses().that().resideInAPackage("dev.troupe.agents.reflection..")
                .should().dependOnClassesThat().resideInAPackage("dev.troupe.agents.action..")
                .check(CLASSES);
    }

    @Test
    void toolsKnowNoPlanner() {
        noClasses().that().resideInAPackage("dev.troupe.agents.tool..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.troupe.agents.action..", "dev.troupe.agents.planner..",
                        "dev.troupe.agents.reflection..")
                .check(CLASSES);
    }
}
