package dev.troupe.memory.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens a fresh JDBC connection for one transaction; the caller closes it. A pooled
 * {@code DataSource} fits as {@code dataSource::getConnection}.
 */
@FunctionalInterface
public interface ConnectionSource {
    Connection open() throws SQLException;
}
