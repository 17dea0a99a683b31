package dev.troupe.agents.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.troupe.agents.action.Action;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.error.SopProblem;
import dev.troupe.agents.error.SopValidationException;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.offline.DryRunModel;
import dev.troupe.agents.role.Role;
import org.junit.jupiter.api.Test;

class SopValidationTest {

    private static Role role(String name, String watch, Action... actions) {
        return Role.builder(name).watch(watch).actions(actions).build();
    }

    private static Role pm() {
        return role("Alice", Message.USER_REQUIREMENT, Action.text("WritePRD", "Write a PRD for {{requirement}}"));
    }

    private static SopValidationException invalid(Team.Builder builder) {
        return catchThrowableOfType(SopValidationException.class, () -> builder.model(new DryRunModel()).build());
    }

    @Test
    void validTeamBuildsAndKeepsItsRolesInOrder() {
        Team team = Team.builder("ok")
                .role(pm())
                .role(role("Bob", "WritePRD", Action.text("WriteDesign", "Design from {{WritePRD}}")))
                .model(new DryRunModel())
                .build();

        assertThat(team.roles()).extracting(Role::name).containsExactly("Alice", "Bob");
        assertThat(team.models()).containsOnlyKeys("Alice", "Bob");
    }

    @Test
    void watchedActionThatNobodyProducesNamesRoleAndActionWithDidYouMeanHint() {
        SopValidationException e = invalid(Team.builder("t")
                .role(pm())
                .role(role("Bob", "WritePDR", Action.text("WriteDesign", "Design it"))));

        assertThat(e).isNotNull();
        assertThat(e.problems()).hasSize(1);
        assertThat(e.getMessage())
                .contains("Team 't'")
                .contains("role 'Bob' watches 'WritePDR', which no role produces")
                .contains("did you mean 'WritePRD'?");
    }

    @Test
    void watchedActionFarFromEveryNameGetsNoHint() {
        SopValidationException e = invalid(Team.builder("t")
                .role(pm())
                .role(role("Bob", "Zebra", Action.text("WriteDesign", "Design it"))));

        assertThat(e.getMessage()).contains("role 'Bob' watches 'Zebra'").doesNotContain("did you mean");
    }

    @Test
    void roleThatNothingCanReachIsReported() {
        // Carol only watches her own action: no chain of messages from the requirement gets to her.
        SopValidationException e = invalid(Team.builder("t")
                .role(pm())
                .role(role("Carol", "Polish", Action.text("Polish", "Polish it"))));

        assertThat(e.problems()).singleElement().asString()
                .contains("role 'Carol' can never run")
                .contains("Polish");
    }

    @Test
    void roleThatWatchesOnlyAnUnreachableRolesOutputIsAlsoUnreachable() {
        SopValidationException e = invalid(Team.builder("t")
                .role(pm())
                .role(role("Carol", "Polish", Action.text("Polish", "Polish it")))
                .role(role("Dave", "Polish", Action.text("Ship", "Ship it"))));

        assertThat(e.problems()).hasSize(2);
        assertThat(e.getMessage()).contains("role 'Carol' can never run").contains("role 'Dave' can never run");
    }

    @Test
    void roleReachedOnlyByAMessageAddressedToItIsValid() {
        Team team = Team.builder("t")
                .role(role("Alice", Message.USER_REQUIREMENT,
                        Action.builder("Delegate").instruction("Delegate {{requirement}}").sendTo("Bob").build()))
                .role(Role.builder("Bob").actions(Action.text("Do", "Do {{Delegate}}")).build())
                .model(new DryRunModel())
                .build();

        assertThat(team.roles()).hasSize(2);
    }

    @Test
    void twoActionsWithOneNameInDifferentRolesAreRejected() {
        SopValidationException e = invalid(Team.builder("t")
                .role(pm())
                .role(role("Bob", "WritePRD", Action.text("WritePRD", "Rewrite it"))));

        assertThat(e.getMessage()).contains("two actions are named 'WritePRD' (in roles 'Alice' and 'Bob')");
    }

    @Test
    void unknownSendToTargetIsRejectedWithHint() {
        SopValidationException e = invalid(Team.builder("t")
                .role(role("Alice", Message.USER_REQUIREMENT,
                        Action.builder("WritePRD").instruction("Write {{requirement}}").sendTo("Bobb").build()))
                .role(role("Bob", "WritePRD", Action.text("WriteDesign", "Design it"))));

        assertThat(e.problems()).singleElement().asString()
                .contains("action 'WritePRD' of role 'Alice' sends to 'Bobb', which is not a role of the team")
                .contains("did you mean 'Bob'?");
    }

    @Test
    void unknownTemplateVariableIsRejected() {
        SopValidationException e = invalid(Team.builder("t")
                .role(role("Alice", Message.USER_REQUIREMENT, Action.text("WritePRD", "Write {{Nope}} for {{requirement}}"))));

        assertThat(e.problems()).singleElement().asString()
                .contains("action 'WritePRD' of role 'Alice' uses {{Nope}}")
                .contains("neither a built-in variable");
    }

    @Test
    void templateVariablesNamingActionsAndBuiltInsAreAccepted() {
        Team team = Team.builder("t")
                .role(pm())
                .role(role("Bob", "WritePRD", Action.text("WriteDesign",
                        "{{role.goal}} {{history}} {{news}} {{WritePRD.title}} {{ WritePRD }}")))
                .model(new DryRunModel())
                .build();

        assertThat(team.roles()).hasSize(2);
    }

    @Test
    void everyProblemOfATeamIsListedInOneMessage() {
        SopValidationException e = invalid(Team.builder("t")
                .role(role("Alice", Message.USER_REQUIREMENT,
                        Action.builder("WritePRD").instruction("Write {{Nope}}").sendTo("Nobody").build()))
                .role(role("Bob", "WritePDR", Action.text("WritePRD", "Again"))));

        assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(4);
        assertThat(e.getMessage())
                .contains("two actions are named 'WritePRD'")
                .contains("sends to 'Nobody'")
                .contains("uses {{Nope}}")
                .contains("role 'Bob' watches 'WritePDR'");
        for (SopProblem problem : e.problems()) {
            assertThat(e.getMessage()).contains("  - " + problem);
        }
    }

    @Test
    void emptyTeamIsRejected() {
        assertThatThrownBy(() -> Team.builder("t").model(new DryRunModel()).build())
                .isInstanceOf(SopValidationException.class)
                .hasMessageContaining("the team has no roles");
    }

    @Test
    void roleWithoutAnyModelIsAConfigurationErrorNamingTheRole() {
        assertThatThrownBy(() -> Team.builder("t").role(pm()).build())
                .isInstanceOf(ConfigurationException.class)
                .isNotInstanceOf(SopValidationException.class)
                .hasMessageContaining("Role 'Alice' of team 't' has no model");
    }
}
