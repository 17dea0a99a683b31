package dev.troupe.memory.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** The body of one transaction, run by {@link Database#write} or {@link Database#read}. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
