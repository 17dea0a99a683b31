package dev.troupe.busnats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TeamSubjectsTest {
    private final TeamSubjects s = new TeamSubjects("troupe", "software-company");

    @Test
    void messagesHaveFourTokensAndControlRecordsFive() {
        assertThat(s.message("r1", "WritePRD")).isEqualTo("troupe.software-company.r1.WritePRD");
        assertThat(s.control("r1", "step")).isEqualTo("troupe.software-company.r1._ctl.step");
        assertThat(TeamSubjects.isControl(s.message("r1", "WritePRD"))).isFalse();
        assertThat(TeamSubjects.isControl(s.control("r1", "step"))).isTrue();
        assertThat(TeamSubjects.isControl(s.message("_ctl", "_ctl"))).as("a run or action named _ctl is still a message").isFalse();
    }

    @Test
    void tokensAreSanitisedSoNoNameCanReachIntoAnotherSubject() {
        assertThat(s.message("run.1", "Write PRD>*")).isEqualTo("troupe.software-company.run_1.Write_PRD__");
        assertThat(new TeamSubjects("troupe", "my team.v2").stream()).isEqualTo("troupe_my_team_v2");
        assertThat(TeamSubjects.token("")).isEqualTo("_");
    }

    @Test
    void oneStreamHoldsEverySubjectOfTheTeam() {
        assertThat(s.stream()).isEqualTo("troupe_software-company");
        assertThat(s.all()).isEqualTo("troupe.software-company.>");
        assertThat(s.messagesOf("r1")).isEqualTo("troupe.software-company.r1.*");
        assertThat(s.everythingOf("r1")).isEqualTo("troupe.software-company.r1.>");
    }
}
