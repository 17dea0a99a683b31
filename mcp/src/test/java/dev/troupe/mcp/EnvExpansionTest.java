package dev.troupe.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.roles.tools.McpServerDefinition;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvExpansionTest {
    private static final McpServerDefinition KB = new McpServerDefinition("kb", ImmutableList.of(), Optional.of("http://127.0.0.1:3001/mcp"),
            ImmutableMap.of(), ImmutableMap.of(), "team.yaml:4:9");

    @Test
    void replacesEnvironmentVariablesInHeaderValues() {
        String path = System.getenv("PATH");

        assertThat(EnvExpansion.expand(Map.of("X-Path", "p=${PATH};"), KB)).containsEntry("X-Path", "p=" + path + ";");
    }

    @Test
    void anUnsetVariableIsAConfigurationErrorNamingItAndTheServer() {
        assertThatThrownBy(() -> EnvExpansion.expand("Bearer ${TROUPE_SURELY_UNSET_TOKEN_42}", KB))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MCP server 'kb' (team.yaml:4:9)").hasMessageContaining("export TROUPE_SURELY_UNSET_TOKEN_42");
    }
}
